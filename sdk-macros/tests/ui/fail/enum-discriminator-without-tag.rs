use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(discriminator(label = "Kind"))]
enum Mode {
    Fast,
    Slow,
}

fn main() {}
