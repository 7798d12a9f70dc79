use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[validate(not_empty)]
struct In {
    url: String,
}

fn main() {}
