use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[template(id = "a", name = "A", groups = ["auth"])]
struct Req {
    #[template(id = "authType", group = "auth")]
    auth_type: String,
    #[template(group = "auth", condition(property = "authKind", equals = "basic"))]
    user: String,
    #[template(group = "advanced")]
    timeout_s: u32,
    #[template(group = "auth")]
    password: String,
}

fn main() {}
