use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", icon = "does-not-exist.svg")]
struct In {
    url: String,
}

fn main() {}
