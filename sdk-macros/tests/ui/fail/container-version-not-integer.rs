use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", version = "2")]
struct In {
    url: String,
}

fn main() {}
