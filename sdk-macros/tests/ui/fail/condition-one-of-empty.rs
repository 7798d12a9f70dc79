use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    mode: String,
    #[template(condition(property = "mode", one_of = []))]
    user: String,
}

fn main() {}
