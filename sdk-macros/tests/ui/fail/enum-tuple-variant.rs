use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "type")]
enum Auth {
    None,
    Pair(String, String),
}

fn main() {}
