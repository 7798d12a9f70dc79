use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
enum Mode {
    #[validate(not_empty)]
    Fast,
    Slow,
}

fn main() {}
