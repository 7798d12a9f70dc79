use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", group(id = "auth", label = "Authentication"))]
struct In {
    #[template(group = "auth")]
    user: String,
    #[template(group = "advanced")]
    timeout: u32,
}

fn main() {}
