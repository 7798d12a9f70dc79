use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[serde(rename = "auth.token")]
    token: String,
    #[template(binding = "auth.user")]
    user: String,
    // Skipped fields have no binding.
    #[serde(rename = "x.y", skip)]
    internal: String,
}

fn main() {}
