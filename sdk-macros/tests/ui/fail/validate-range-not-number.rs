use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(range(min = "1"))]
    port: u16,
}

fn main() {}
