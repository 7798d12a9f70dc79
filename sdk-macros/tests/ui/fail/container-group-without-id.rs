use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", group(label = "Auth"))]
struct In {
    url: String,
}

fn main() {}
