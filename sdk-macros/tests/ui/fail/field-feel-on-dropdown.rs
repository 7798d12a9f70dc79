use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "Dropdown", feel = "optional", choices(choice(value = "GET")))]
    method: String,
}

fn main() {}
