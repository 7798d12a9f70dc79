use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
enum Mode {
    #[template(skip)]
    Fast,
}

fn main() {}
