//! An explicit `type` describes a field entirely: its Rust type needs no `InputTemplate`.

use camunda_connector_sdk::ConnectorInput;
use camunda_connector_sdk::template::{BindingKind, PropertyType, properties_of};
use camunda_connector_sdk::validation::Validate;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
struct In {
    #[template(type = "String", placeholder = "127.0.0.1")]
    #[validate(skip)]
    host: std::net::IpAddr,
    #[template(type = "Text")]
    #[validate(skip)]
    backup: Option<std::net::IpAddr>,
    #[template(type = "Hidden", default = "v1")]
    #[validate(skip)]
    version: std::net::Ipv4Addr,
}

fn main() {
    let properties = properties_of::<In>(BindingKind::Property).unwrap();
    assert_eq!(properties.len(), 3);
    assert_eq!(properties[0].property_type, PropertyType::String);
    assert_eq!(properties[0].optional, None);
    assert_eq!(properties[1].property_type, PropertyType::Text);
    assert_eq!(properties[1].optional, Some(true));
    assert_eq!(properties[2].property_type, PropertyType::Hidden);
    let input: In = serde_json::from_value(serde_json::json!({
        "host": "10.0.0.1", "version": "1.2.3.4"
    }))
    .unwrap();
    assert!(input.validate().is_ok());
    assert!(input.backup.is_none());
    assert_eq!(input.host.to_string(), "10.0.0.1");
    assert_eq!(input.version.to_string(), "1.2.3.4");
}
