use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(untagged)]
enum Value {
    Text { text: String },
    Number { number: u32 },
}

fn main() {}
