//! Generic inputs, raw identifiers and serde's `rename(deserialize = ...)`.

use camunda_connector_sdk::ConnectorInput;
use camunda_connector_sdk::template::{BindingKind, properties_of};
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct Wrapper<T> {
    r#type: String,
    #[serde(rename(deserialize = "payloadData", serialize = "payload"))]
    payload: T,
}

#[derive(Deserialize, ConnectorInput)]
struct Payload {
    #[validate(not_empty)]
    text: String,
}

fn main() {
    let ids: Vec<_> = properties_of::<Wrapper<Payload>>(BindingKind::Input)
        .unwrap()
        .into_iter()
        .map(|p| p.id.unwrap())
        .collect();
    assert_eq!(ids, ["type", "payloadData.text"]);
}
