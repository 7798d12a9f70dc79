use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A")]
#[template(id = "b")]
struct In {
    url: String,
}

fn main() {}
