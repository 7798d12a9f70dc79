use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize)]
struct Plain {
    a: String,
}

#[derive(Deserialize, ConnectorInput)]
struct In {
    timeout: std::time::Duration,
    pair: (String, u32),
    plain: Plain,
}

fn main() {}
