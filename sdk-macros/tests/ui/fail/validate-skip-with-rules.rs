use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(skip, not_empty)]
    code: String,
}

fn main() {}
