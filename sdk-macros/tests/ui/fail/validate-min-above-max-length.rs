use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[validate(min_length = 8, max_length = 2)]
    code: String,
}

fn main() {}
