//! Turning job variables into a typed input.
//!
//! [`from_value`] deserialises parsed JSON into any `serde` type through a coercing deserializer
//! that knows the path of the field it is reading. [`from_variables`] does the same for
//! variables that still hold secret placeholders, replacing them as it reads each string.
//! `OutboundContext::bind` uses it, then validates.
//!
//! ```
//! use camunda_connector_sdk::bind::from_value;
//! use serde_json::json;
//!
//! #[derive(Debug, serde::Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! struct Input {
//!     issue_number: String,
//!     retries: u32,
//!     labels: Vec<String>,
//! }
//!
//! let input: Input = from_value(json!({"issueNumber": 1234, "retries": "3", "labels": "bug"})).unwrap();
//! assert_eq!((input.issue_number.as_str(), input.retries), ("1234", 3));
//! assert_eq!(input.labels, ["bug"]);
//!
//! let err = from_value::<Input>(json!({"issueNumber": "1", "retries": 1.5, "labels": []})).unwrap_err();
//! assert_eq!(err.to_string(), "invalid input at `retries`: expected an integer, found a number with a fraction");
//! ```
//!
//! # Coercion policy
//!
//! Variables come from FEEL expressions, Modeler text fields and other systems, so a value is
//! accepted in the spellings people naturally give it, and rejected whenever reading it would
//! lose information. The same policy applies to outbound job variables and inbound properties.
//!
//! | The field is | It also accepts | It rejects |
//! |---|---|---|
//! | `String` | a number, as canonical text: integral values as integer text (`1234` and `1234.0` → `"1234"`), others as the shortest decimal text (`0.1` → `"0.1"`), never with an exponent; a boolean, as `"true"` / `"false"` | null, arrays (except as below), objects |
//! | an integer (`u8` … `i128`) | an integral number (`3.0` → `3`); a string holding one (`"3"`, `" 3 "`, `"3.0"`, `"1e3"`) | fractions (`1.5`); anything outside the type's range (`300` into `u8`, `-1` into `u32`, `18446744073709551616` into `u64`): never wrapped, saturated or truncated; empty or non-numeric strings |
//! | `f32` / `f64` | a string holding a finite decimal number; integers | `inf`, `NaN`; for `f32`, magnitudes beyond its range (rounding to the nearest `f32` is allowed) |
//! | `bool` | `"true"` / `"false"` in any letter case | numbers, other strings |
//! | a struct or map | a string holding JSON object text (`"{"client.mode":"strict"}"`) | other strings, naming the field and "an object" |
//! | a `Vec`, set or tuple | a string holding JSON array text; any other single non-null value, as a one-element sequence (`"bug"` → `["bug"]`) | null; a string that starts with `[` but is not valid JSON |
//! | a unit enum variant | its name in any letter case, when no variant matches exactly (`"post"` → `Post`) | unknown names, unless a variant is `#[serde(other)]` |
//! | any non-sequence type | a one-element array holding an acceptable value (`[5]` → `5`) | longer arrays |
//! | `Option<T>` | null or an absent field, as `None`; anything else as for `T` | |
//! | `serde_json::Value` | every value, unchanged | |
//!
//! Whitespace around a string is ignored when it is read as a number or a boolean, never when
//! it is read as a string. Unknown fields are ignored, as the Java runtime does, unless the type
//! says `#[serde(deny_unknown_fields)]`. Strings starting with `=` are not FEEL here: Zeebe has
//! evaluated outbound FEEL before the job exists, and the inbound runtime evaluates FEEL
//! properties before binding them.
//!
//! # Errors
//!
//! A [`BindError`] names the path of the field (`authentication.token`, `headers[2].name`; an
//! object key that is not a plain name is quoted in brackets, so `additionalProperties["client.mode"]`
//! is one key, not two steps) and what was expected, such as "expected an integer, found a
//! string that is not a number". It never contains the value found, which may hold a secret.
//! A missing required field is named by its full path; an unknown field, under
//! `deny_unknown_fields`, likewise. The variables document itself must be a JSON object.
//!
//! # Limitations
//!
//! - **Buffered content.** serde reads the content of `#[serde(flatten)]` fields,
//!   `#[serde(tag = "...")]` (internally tagged) enums and `#[serde(untagged)]` enums into its
//!   own private buffer first, and deserialises the buffer without this binder. Inside such
//!   content there is no coercion (a number given for a `String` field is rejected, enum names
//!   must match exactly) and a type error is reported at the field holding the content, not
//!   below it; a missing field is still named in full (`authentication.token`). Everything
//!   outside that content, including the tag itself and the struct's own fields beside a
//!   flattened one, is coerced as usual. For the same reason a string holding JSON object text
//!   is not parsed for an internally tagged or untagged enum: serde asks for "any value" there,
//!   and a string is one. Externally tagged enums (serde's default, `{"Variant": {...}}`) and
//!   adjacently tagged enums whose tag comes before the content are read by the binder and fully
//!   coerced.
//! - **JSON text with secrets.** A placeholder inside a string that holds JSON text is replaced
//!   as plain text before the string is parsed, so a secret containing `"` or `\` can make that
//!   text invalid JSON; the error names the field. Give such inputs as JSON objects, whose string
//!   leaves take any secret byte for byte.
//! - **Null.** `null` binds only to `Option`, `()` and `serde_json::Value`; `#[serde(default)]`
//!   applies to absent fields, not to null ones.
//! - **Third-party messages.** A `Deserialize` implementation outside serde and this crate may
//!   report a failure through `serde::de::Error::custom` with a message of its own, which may
//!   quote the value (`url::Url` does). Such a message is scrubbed of the string the binder
//!   handed over, and [`from_variables`] masks every secret value in it, but a type that first
//!   takes a `String` and fails afterwards, in its own code, is out of the binder's reach.

mod coerce;
mod de;
mod error;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ConnectorError;
use crate::secrets::{Secrets, placeholders};

use de::{Deserializer, Node, Replacer};
use error::Found;

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

/// Deserialises `value`, a JSON object, into `T` under the [coercion policy](self#coercion-policy).
///
/// Strings are moved out of `value`, not copied.
///
/// # Errors
///
/// A [`BindError`] naming the first field that does not fit, and what it should be.
///
/// ```
/// use camunda_connector_sdk::bind::from_value;
/// #[derive(serde::Deserialize)]
/// struct In { name: String }
/// let input: In = from_value(serde_json::json!({"name": "x"})).unwrap();
/// assert_eq!(input.name, "x");
/// ```
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, BindError> {
    check_document(&value)?;

    T::deserialize(Deserializer::new(Node::Owned(value))).map_err(error::Error::into_bind_error)
}

/// Binds `variables` that still hold secret placeholders: the result of
/// `from_value(secrets.replace(variables)?)`, without copying the variables first.
///
/// Each string is read with its placeholders replaced, so only the strings `T` keeps are
/// allocated, and strings without a placeholder are copied once, straight into `T`.
///
/// # Errors
///
/// An input error naming every referenced secret that is missing (checked first, as
/// [`Secrets::replace`] does), else one converted from the [`BindError`] of the first field that
/// does not fit.
///
/// ```
/// use camunda_connector_sdk::bind::from_variables;
/// use camunda_connector_sdk::secrets::Secrets;
/// use serde_json::json;
///
/// #[derive(Debug, serde::Deserialize)]
/// struct In { limit: u32, token: String }
///
/// let secrets = Secrets::from_values([("LIMIT", "7"), ("TOKEN", "t-1")]);
/// let vars = json!({"limit": "{{secrets.LIMIT}}", "token": "Bearer {{secrets.TOKEN}}"});
/// let input: In = from_variables(&vars, &secrets).unwrap();
/// assert_eq!((input.limit, input.token.as_str()), (7, "Bearer t-1"));
///
/// let err = from_variables::<In>(&json!({"limit": "{{secrets.NOPE}}"}), &secrets).unwrap_err();
/// assert_eq!(err.code(), "SECRET_NOT_FOUND");
/// ```
pub fn from_variables<T: DeserializeOwned>(
    variables: &Value,
    secrets: &Secrets,
) -> Result<T, ConnectorError> {
    if let Err(err) = check_document(variables) {
        check_secrets(variables, secrets)?;
        return Err(err.into());
    }

    let replacer = Replacer::new(secrets);
    let bound = T::deserialize(Deserializer::new(Node::Borrowed(variables, &replacer)));

    // Missing secrets win over binding errors, as when the variables are replaced first. The
    // replacer saw every string unless binding stopped early, so a full scan, which also
    // orders the names as `Secrets::replace` does, runs only when it may find something.
    if replacer.saw_missing() || bound.is_err() {
        check_secrets(variables, secrets)?;
    }
    bound.map_err(|err| {
        // A safety net: the binder's own messages never hold values, but a third-party
        // `Deserialize` implementation may quote one.
        let err = err.into_bind_error();
        let message = secrets.mask(err.message());
        ConnectorError::from(BindError::new(err.path(), message))
    })
}

fn check_document(value: &Value) -> Result<(), BindError> {
    if value.is_object() {
        return Ok(());
    }
    let found = match value {
        Value::Null => Found::Null,
        Value::Bool(_) => Found::Bool,
        Value::Number(_) => Found::Number,
        Value::String(_) => Found::Str,
        Value::Array(_) => Found::Array,
        Value::Object(_) => Found::Object,
    };
    Err(BindError::new(
        "",
        format!("expected the variables to be a JSON object, found {found}"),
    ))
}

/// Fails naming every referenced secret that is missing, in the order [`Secrets::replace`]
/// names them.
fn check_secrets(value: &Value, secrets: &Secrets) -> Result<(), crate::secrets::SecretError> {
    let mut missing = Vec::new();
    collect_missing(value, secrets, &mut missing);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(crate::secrets::SecretError::NotFound { names: missing })
    }
}

pub(crate) fn collect_missing(value: &Value, secrets: &Secrets, missing: &mut Vec<String>) {
    match value {
        Value::String(s) => note_missing(s, secrets, missing),
        Value::Array(items) => items
            .iter()
            .for_each(|item| collect_missing(item, secrets, missing)),
        Value::Object(map) => {
            for (key, item) in map {
                note_missing(key, secrets, missing);
                collect_missing(item, secrets, missing);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn note_missing(text: &str, secrets: &Secrets, missing: &mut Vec<String>) {
    for placeholder in placeholders(text) {
        let name = placeholder.name;
        let known = secrets.get(name).is_some() || secrets.is_refused(name);
        if !known && !missing.iter().any(|m| m == name) {
            missing.push(name.to_owned());
        }
    }
}
