use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(lable = "URL")]
    url: String,
}

fn main() {}
