use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "Text", feel = "static")]
    body: String,
}

fn main() {}
