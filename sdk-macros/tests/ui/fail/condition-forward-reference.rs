use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct In {
    #[template(condition(property = "authType", equals = "basic"))]
    user: String,
    #[template(condition(property = "password", is_active = true))]
    password: Option<String>,
    auth_type: String,
    #[template(condition(property = "token", equals = "x"))]
    token_hint: String,
}

fn main() {}
