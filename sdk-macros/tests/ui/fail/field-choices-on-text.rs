use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "Text", choices(choice(value = "a")))]
    mode: String,
}

fn main() {}
