use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

type Name = String;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(default = 5)]
    name: Name,
    #[template(default = "5")]
    retries: Option<u32>,
    #[template(default = "yes")]
    follow: Box<bool>,
    #[template(default = "{}")]
    headers: std::collections::BTreeMap<String, String>,
    // Allowed.
    #[template(default = "=headers")]
    query: std::collections::BTreeMap<String, String>,
    #[template(default = 3)]
    attempts: u8,
}

fn main() {}
