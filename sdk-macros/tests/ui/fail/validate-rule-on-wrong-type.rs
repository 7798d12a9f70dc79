use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(pattern = "^[0-9]+$")]
    port: u16,
}

fn main() {}
