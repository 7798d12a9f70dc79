use camunda_connector_sdk::ConnectorInput;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    mode: String,
    #[template(condition(all_match(condition(all_match(condition(property = "mode", equals = "a"))))))]
    user: String,
}

fn main() {}
