use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[serde(flatten)]
    inner: Inner,
}

#[derive(Deserialize, ConnectorInput)]
struct Inner {
    a: String,
}

fn main() {}
