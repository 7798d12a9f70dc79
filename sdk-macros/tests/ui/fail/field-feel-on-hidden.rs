use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "Hidden", default = "x", feel = "required")]
    marker: String,
}

fn main() {}
