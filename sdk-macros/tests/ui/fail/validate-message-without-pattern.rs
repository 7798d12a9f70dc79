use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(not_empty, message = "digits only")]
    code: String,
}

fn main() {}
