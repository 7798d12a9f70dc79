use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    mode: String,
    #[template(condition(property = "mode", equals = 3))]
    user: String,
}

fn main() {}
