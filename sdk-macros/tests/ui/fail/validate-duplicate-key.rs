use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(not_empty)]
    #[validate(not_empty)]
    to: String,
}

fn main() {}
