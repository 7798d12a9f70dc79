use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "t", content = "c")]
enum Value {
    Text { text: String },
}

fn main() {}
