use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
enum Mode {
    #[template(name = "Fast")]
    Fast,
    Slow,
}

fn main() {}
