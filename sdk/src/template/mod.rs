//! Element templates: the JSON the Camunda Modeler reads to show a connector's properties.

use serde_json::Value;

/// A type that describes its own element-template properties.
///
/// `#[derive(ConnectorInput)]` implements it for structs and enums.
pub trait InputTemplate {}

impl InputTemplate for Value {}
