use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(default = "PATCH", choices(choice(value = "GET"), choice(value = "POST")))]
    method: String,
}

fn main() {}
