use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(crate = "not a path")]
struct In {
    url: String,
}

fn main() {}
