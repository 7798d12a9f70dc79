use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(label = "URL", label = "Endpoint")]
    url: String,
}

fn main() {}
