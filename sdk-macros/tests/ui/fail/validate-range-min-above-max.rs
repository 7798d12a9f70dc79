use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(range(min = 10, max = 1))]
    port: u16,
}

fn main() {}
