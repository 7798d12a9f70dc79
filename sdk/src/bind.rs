//! Turning job variables into a typed input.
//!
//! [`from_value`] deserialises with serde and reports the path of the field that failed.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why variables could not be bound to the input type.
///
/// The message names the field and what was expected, never the value found.
///
/// ```
/// use camunda_connector_sdk::bind::{from_value, BindError};
/// #[derive(Debug, serde::Deserialize)]
/// struct In { #[allow(dead_code)] port: u16 }
/// let err: BindError = from_value::<In>(serde_json::json!({"port": "eighty"})).unwrap_err();
/// assert_eq!(err.path(), "port");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.path, .message))]
pub struct BindError {
    path: String,
    message: String,
}

fn render(path: &str, message: &str) -> String {
    if path.is_empty() {
        format!("invalid input: {message}")
    } else {
        format!("invalid input at `{path}`: {message}")
    }
}

impl BindError {
    /// An error at `path` (dotted, empty for the whole input).
    ///
    /// ```
    /// # use camunda_connector_sdk::bind::BindError;
    /// assert_eq!(BindError::new("a.b", "expected a number").to_string(), "invalid input at `a.b`: expected a number");
    /// ```
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        BindError {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The dotted path of the field that failed; empty for the whole input.
    ///
    /// ```
    /// # use camunda_connector_sdk::bind::BindError;
    /// assert_eq!(BindError::new("", "m").path(), "");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What was wrong.
    ///
    /// ```
    /// # use camunda_connector_sdk::bind::BindError;
    /// assert_eq!(BindError::new("", "m").message(), "m");
    /// ```
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// Deserialises `value` into `T`.
///
/// # Errors
///
/// A [`BindError`] naming the first field that does not fit.
///
/// ```
/// use camunda_connector_sdk::bind::from_value;
/// #[derive(serde::Deserialize)]
/// struct In { name: String }
/// let input: In = from_value(serde_json::json!({"name": "x"})).unwrap();
/// assert_eq!(input.name, "x");
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, BindError> {
    serde_json::from_value(value).map_err(|err| BindError::new("", err.to_string()))
}
