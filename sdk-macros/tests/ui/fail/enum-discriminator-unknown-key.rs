use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "type")]
#[template(discriminator(name = "kind"))]
enum Mode {
    Fast,
    Slow,
}

fn main() {}
