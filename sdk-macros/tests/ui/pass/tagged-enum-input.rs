//! A tagged enum as a whole input, with newtype, struct and unit variants and validation of
//! the active variant only.

use camunda_connector_sdk::ConnectorInput;
use camunda_connector_sdk::template::{BindingKind, properties_of};
use camunda_connector_sdk::validation::Validate;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(
    tag = "operation",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[template(discriminator(label = "Operation", default = "send"))]
enum Operation {
    Send {
        #[validate(not_empty)]
        queue_name: String,
    },
    Purge(Purge),
    Ping,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct Purge {
    #[validate(not_empty)]
    queue_url: String,
}

fn main() {
    let ids: Vec<_> = properties_of::<Operation>(BindingKind::Input)
        .unwrap()
        .into_iter()
        .map(|p| p.id.unwrap())
        .collect();
    assert_eq!(ids, ["operation", "queueName", "queueUrl"]);

    let input: Operation =
        serde_json::from_value(serde_json::json!({"operation": "purge", "queueUrl": ""})).unwrap();
    assert_eq!(input.validate().unwrap_err()[0].path, "queueUrl");
    let ping: Operation = serde_json::from_value(serde_json::json!({"operation": "ping"})).unwrap();
    assert!(ping.validate().is_ok());
}
