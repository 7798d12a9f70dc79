use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "type")]
enum Auth {
    Basic(#[template(label = "x")] Basic),
}

#[derive(Deserialize, ConnectorInput)]
struct Basic {
    user: String,
}

fn main() {}
