use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(pattern = "[")]
    code: String,
    #[validate(pattern = "a{2,1}")]
    other: String,
}

fn main() {}
