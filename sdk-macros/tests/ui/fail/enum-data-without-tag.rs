use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
enum Auth {
    None,
    Basic { user: String },
}

fn main() {}
