use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "Number", default = "20")]
    timeout: u32,
}

fn main() {}
