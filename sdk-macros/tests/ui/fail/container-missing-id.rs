use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(name = "A", version = 1)]
struct In {
    url: String,
}

fn main() {}
