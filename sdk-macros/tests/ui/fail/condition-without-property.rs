use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    mode: String,
    #[template(condition(equals = "a"))]
    user: String,
}

fn main() {}
