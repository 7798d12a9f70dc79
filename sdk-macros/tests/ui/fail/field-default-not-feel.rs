use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(feel = "required", default = "{a: 1}")]
    mapping: String,
}

fn main() {}
