use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    mode: String,
    #[template(condition(property = "mode", equals = "a", is_active = true))]
    user: String,
}

fn main() {}
