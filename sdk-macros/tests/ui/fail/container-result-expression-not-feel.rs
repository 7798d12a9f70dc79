use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", default_result_expression = "{x: response}")]
struct In {
    url: String,
}

fn main() {}
