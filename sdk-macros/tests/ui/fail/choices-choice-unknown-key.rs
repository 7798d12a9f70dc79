use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(choices(choice(value = "GET", name = "Get")))]
    method: String,
}

fn main() {}
