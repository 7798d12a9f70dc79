//! The errors a connector returns, and what the runtime makes of each kind.
//!
//! A connector ends a job in one of three ways when it cannot produce a result:
//!
//! | kind | constructor | what the engine receives (no error expression matched) |
//! |---|---|---|
//! | BPMN error | [`ConnectorError::bpmn`] | a thrown BPMN error the process model can catch |
//! | retryable failure | [`ConnectorError::failure`] | a failed job with `retries - 1` (or the override) |
//! | input error | [`ConnectorError::input`] | a failed job with 0 retries: an incident at once |
//!
//! Every error carries a stable [`code`](ConnectorError::code) that error expressions read as
//! `error.code`, a message (`error.message`) and optional variables (`error.variables`).

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::validation::Violation;

/// The code of input errors that have no more specific code.
pub const INVALID_INPUT: &str = "INVALID_INPUT";

/// The code of an input error caused by a secret that no provider knows.
pub const SECRET_NOT_FOUND: &str = "SECRET_NOT_FOUND";

/// The code of an input error caused by failed validation rules.
pub const VALIDATION_FAILED: &str = "VALIDATION_FAILED";

/// The code of failures that were created without one.
pub const CONNECTOR_FAILED: &str = "CONNECTOR_FAILED";

type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why a connector could not produce a result.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_sdk::ConnectorError;
/// use serde_json::json;
///
/// // The process model handles this one with an error boundary event.
/// let not_found = ConnectorError::bpmn("NOT_FOUND", "order 7 does not exist")
///     .with_variables(json!({"orderId": 7}));
/// assert_eq!(not_found.code(), "NOT_FOUND");
///
/// // The engine retries this one after a minute, at most twice more.
/// let busy = ConnectorError::failure("429", "Too Many Requests")
///     .with_retries(2)
///     .with_backoff(Duration::from_secs(60));
/// assert_eq!(busy.retries(), Some(2));
///
/// // Never retried: the job's input is wrong.
/// let bad = ConnectorError::input("`url` must be an absolute URL");
/// assert!(bad.is_input());
/// ```
#[derive(Debug)]
pub struct ConnectorError {
    // Boxed so that `Result<T, ConnectorError>` stays one pointer wide on the happy path.
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    code: String,
    message: String,
    variables: Option<Value>,
    retries: Option<u32>,
    backoff: Option<Duration>,
    violations: Vec<Violation>,
    source: Option<BoxError>,
}

/// The three ways a connector can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A business error with a code that the BPMN model catches.
    Bpmn,
    /// A technical failure; the engine retries the job.
    Failure,
    /// Bad input; retrying cannot help, so the job gets 0 retries.
    Input,
}

impl ErrorKind {
    /// The name error expressions see as `error.type`.
    ///
    /// The names are those of the Java SDK's exception classes, so error expressions written
    /// for Camunda's own connectors keep working.
    ///
    /// ```
    /// use camunda_connector_sdk::error::ErrorKind;
    /// assert_eq!(ErrorKind::Input.type_name(), "io.camunda.connector.api.error.ConnectorInputException");
    /// ```
    pub fn type_name(self) -> &'static str {
        match self {
            ErrorKind::Bpmn | ErrorKind::Failure => {
                "io.camunda.connector.api.error.ConnectorException"
            }
            ErrorKind::Input => "io.camunda.connector.api.error.ConnectorInputException",
        }
    }
}

impl ConnectorError {
    fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        let inner = Inner {
            kind,
            code: code.into(),
            message: message.into(),
            variables: None,
            retries: None,
            backoff: None,
            violations: Vec::new(),
            source: None,
        };
        ConnectorError {
            inner: Box::new(inner),
        }
    }

    /// A BPMN error with `code` that the process model can catch.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// let err = ConnectorError::bpmn("OUT_OF_STOCK", "sku 42 is sold out");
    /// assert_eq!(err.message(), "sku 42 is sold out");
    /// ```
    pub fn bpmn(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Bpmn, code, message)
    }

    /// A retryable technical failure. An empty `code` becomes [`CONNECTOR_FAILED`].
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// let err = ConnectorError::failure("", "connection reset");
    /// assert_eq!(err.code(), "CONNECTOR_FAILED");
    /// ```
    pub fn failure(code: impl Into<String>, message: impl Into<String>) -> Self {
        let code = code.into();
        let code = if code.is_empty() {
            CONNECTOR_FAILED.to_owned()
        } else {
            code
        };
        Self::new(ErrorKind::Failure, code, message)
    }

    /// An input error: the job fails with 0 retries. Its code is [`INVALID_INPUT`].
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::input("no body").code(), "INVALID_INPUT");
    /// ```
    pub fn input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Input, INVALID_INPUT, message)
    }

    /// An input error listing every violated validation rule.
    ///
    /// ```
    /// # use camunda_connector_sdk::{ConnectorError, validation::Violation};
    /// let err = ConnectorError::validation(vec![Violation::new("url", "url", "must be an absolute URL")]);
    /// assert_eq!(err.code(), "VALIDATION_FAILED");
    /// assert!(err.message().contains("url: must be an absolute URL"));
    /// ```
    pub fn validation(violations: Vec<Violation>) -> Self {
        let lines: Vec<String> = violations.iter().map(|v| format!("- {v}")).collect();
        let message = format!("invalid input:\n{}", lines.join("\n"));
        let mut err = Self::new(ErrorKind::Input, VALIDATION_FAILED, message);
        err.inner.violations = violations;
        err
    }

    /// Replaces the code.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::input("x").with_code("BAD_URL").code(), "BAD_URL");
    /// ```
    #[must_use]
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.inner.code = code.into();
        self
    }

    /// Attaches variables: `error.variables` for error expressions, and the variables of the
    /// thrown BPMN error.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// let err = ConnectorError::bpmn("E", "m").with_variables(serde_json::json!({"a": 1}));
    /// assert_eq!(err.variables().unwrap()["a"], 1);
    /// ```
    #[must_use]
    pub fn with_variables(mut self, variables: Value) -> Self {
        self.inner.variables = Some(variables);
        self
    }

    /// Sets the job's remaining retries, as an absolute count (not decremented again).
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::failure("E", "m").with_retries(5).retries(), Some(5));
    /// ```
    #[must_use]
    pub fn with_retries(mut self, retries: u32) -> Self {
        self.inner.retries = Some(retries);
        self
    }

    /// Sets the backoff before the engine may activate the job again, overriding the
    /// `retryBackoff` header.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// # use std::time::Duration;
    /// let err = ConnectorError::failure("E", "m").with_backoff(Duration::from_secs(60));
    /// assert_eq!(err.backoff(), Some(Duration::from_secs(60)));
    /// ```
    #[must_use]
    pub fn with_backoff(mut self, backoff: Duration) -> Self {
        self.inner.backoff = Some(backoff);
        self
    }

    /// Attaches the underlying error.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// # use std::error::Error;
    /// let io = std::io::Error::other("reset");
    /// let err = ConnectorError::failure("IO", "request failed").with_source(io);
    /// assert!(err.source().is_some());
    /// ```
    #[must_use]
    pub fn with_source(mut self, source: impl Into<BoxError>) -> Self {
        self.inner.source = Some(source.into());
        self
    }

    /// The kind of error.
    ///
    /// ```
    /// # use camunda_connector_sdk::{ConnectorError, error::ErrorKind};
    /// assert_eq!(ConnectorError::input("x").kind(), ErrorKind::Input);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The stable code error expressions test as `error.code`.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::bpmn("E1", "m").code(), "E1");
    /// ```
    pub fn code(&self) -> &str {
        &self.inner.code
    }

    /// The message, `error.message` in error expressions.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::bpmn("E1", "m").message(), "m");
    /// ```
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The attached variables, `error.variables` in error expressions.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert!(ConnectorError::input("x").variables().is_none());
    /// ```
    pub fn variables(&self) -> Option<&Value> {
        self.inner.variables.as_ref()
    }

    /// The retries override, if any.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::failure("E", "m").retries(), None);
    /// ```
    pub fn retries(&self) -> Option<u32> {
        self.inner.retries
    }

    /// The backoff override, if any.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert_eq!(ConnectorError::failure("E", "m").backoff(), None);
    /// ```
    pub fn backoff(&self) -> Option<Duration> {
        self.inner.backoff
    }

    /// The violated validation rules of a [`validation`](Self::validation) error.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert!(ConnectorError::input("x").violations().is_empty());
    /// ```
    pub fn violations(&self) -> &[Violation] {
        &self.inner.violations
    }

    /// Whether this is an input error (never retried).
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// assert!(!ConnectorError::failure("E", "m").is_input());
    /// ```
    pub fn is_input(&self) -> bool {
        self.inner.kind == ErrorKind::Input
    }

    /// The `error` object error expressions see: `{type, message, code, variables?}`.
    ///
    /// ```
    /// # use camunda_connector_sdk::ConnectorError;
    /// let value = ConnectorError::failure("E429", "quota").to_error_value();
    /// assert_eq!(value["code"], "E429");
    /// assert_eq!(value["type"], "io.camunda.connector.api.error.ConnectorException");
    /// ```
    pub fn to_error_value(&self) -> Value {
        let mut error = Map::new();
        error.insert("type".into(), Value::from(self.inner.kind.type_name()));
        error.insert("message".into(), Value::from(self.inner.message.as_str()));
        error.insert("code".into(), Value::from(self.inner.code.as_str()));
        if let Some(variables) = &self.inner.variables {
            error.insert("variables".into(), variables.clone());
        }
        Value::Object(error)
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl StdError for ConnectorError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

impl From<crate::bind::BindError> for ConnectorError {
    fn from(err: crate::bind::BindError) -> Self {
        ConnectorError::input(err.to_string()).with_source(err)
    }
}

impl From<crate::secrets::SecretError> for ConnectorError {
    fn from(err: crate::secrets::SecretError) -> Self {
        let code = match err {
            crate::secrets::SecretError::NotFound { .. } => SECRET_NOT_FOUND,
            _ => INVALID_INPUT,
        };
        let kind = if err.is_retryable() {
            ErrorKind::Failure
        } else {
            ErrorKind::Input
        };
        ConnectorError::new(kind, code, err.to_string()).with_source(err)
    }
}
