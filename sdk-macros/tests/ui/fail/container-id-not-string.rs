use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = 5, name = "A")]
struct In {
    url: String,
}

fn main() {}
