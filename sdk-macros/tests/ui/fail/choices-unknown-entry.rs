use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(choices(option(value = "GET")))]
    method: String,
}

fn main() {}
