use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    url: String,
    #[template(id = "url")]
    endpoint: String,
}

fn main() {}
