use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", groups = ["auth", "auth"])]
struct In {
    #[template(group = "auth")]
    url: String,
}

fn main() {}
