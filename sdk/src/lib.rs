//! Write Camunda 8 connectors in Rust.
//!
//! A connector author writes one input struct with `#[derive(ConnectorInput)]` and one
//! [`OutboundConnector`] implementation, and gets typed, validated input with secrets replaced,
//! an element template for the Modeler generated from the same struct, and a connector that
//! `camunda-connector-runtime` runs against Camunda 8.

#![doc(test(attr(deny(warnings))))]
#![warn(missing_docs)]

pub mod bind;
pub mod error;
pub mod outbound;
pub mod secrets;
pub mod template;
pub mod validation;

#[doc(hidden)]
pub mod __private;

pub use error::ConnectorError;
pub use outbound::{ConnectorInput, JobFacts, OutboundConnector, OutboundContext};

pub use async_trait::async_trait;

/// Derives [`ConnectorInput`]'s parts for a struct or enum: [`template::InputTemplate`] (its
/// element-template properties) and [`validation::Validate`] (its `#[validate(...)]` rules).
/// Derive serde's `Deserialize` next to it.
#[cfg(feature = "derive")]
pub use camunda_connector_sdk_macros::ConnectorInput;
