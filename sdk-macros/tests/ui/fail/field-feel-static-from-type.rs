use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

type Name = String;

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "UPPERCASE")]
enum Method {
    Get,
    Post,
}

#[derive(Deserialize, ConnectorInput)]
struct In {
    // A String property, through an alias: FEEL cannot be static.
    #[template(feel = "static")]
    name: Name,
    // A list is FEEL-required text.
    #[template(feel = "static")]
    tags: Vec<String>,
    // A unit enum is a dropdown, which takes no FEEL.
    #[template(feel = "optional")]
    method: Option<Method>,
    // Allowed: numbers and booleans may be static.
    #[template(feel = "static")]
    retries: u32,
}

fn main() {}
