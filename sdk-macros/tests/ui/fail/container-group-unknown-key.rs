use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", group(id = "auth", open = false))]
struct In {
    #[template(group = "auth")]
    url: String,
}

fn main() {}
