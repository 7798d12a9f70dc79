//! Validation of bound input: the rules the derive generates, and what a violation reports.
//!
//! Validation runs after secrets are replaced and the input is deserialised, so every rule sees
//! the final value. All violations are collected and reported at once, each with the dotted
//! path of its field (`authentication.token`, `headers[2].name`).

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::Value;

pub mod rules;

/// One violated rule.
///
/// ```
/// use camunda_connector_sdk::validation::Violation;
/// let v = Violation::new("authentication.token", "not_empty", "must not be empty");
/// assert_eq!(v.to_string(), "authentication.token: must not be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Violation {
    /// The dotted path of the field, as the job variables spell it.
    pub path: String,
    /// The rule's name, as in `#[validate(...)]` (`not_empty`, `pattern`, `range`, ...).
    pub rule: String,
    /// What is wrong, without the field's value.
    pub message: String,
}

impl Violation {
    /// A violation of `rule` at `path`.
    ///
    /// ```
    /// # use camunda_connector_sdk::validation::Violation;
    /// assert_eq!(Violation::new("a", "url", "m").rule, "url");
    /// ```
    pub fn new(
        path: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Violation {
            path: path.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks a bound value against its rules. `#[derive(ConnectorInput)]` implements it.
///
/// Types without rules (numbers, strings, JSON values) implement it as a no-op, and containers
/// (`Option`, `Vec`, maps, `Box`) validate what they hold, so nested structs are always checked.
///
/// ```
/// use camunda_connector_sdk::validation::{Validate, Violation};
///
/// struct Port(u16);
/// impl Validate for Port {
///     fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
///         if self.0 == 0 {
///             out.push(Violation::new(path, "range", "must be at least 1"));
///         }
///     }
/// }
/// assert_eq!(Port(0).validate().unwrap_err()[0].path, "");
/// assert!(Port(80).validate().is_ok());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be validated as a connector input field",
    label = "`{Self}` does not implement `Validate`",
    note = "derive `ConnectorInput` on your own types; for a type you do not own, skip its validation with `#[validate(skip)]`"
)]
pub trait Validate {
    /// Appends the violations of this value, found at `path`, to `out`.
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>);

    /// All violations of this value, or `Ok` when there is none.
    ///
    /// # Errors
    ///
    /// Every violated rule, in field order.
    fn validate(&self) -> Result<(), Vec<Violation>> {
        let mut out = Vec::new();
        self.validate_at("", &mut out);
        if out.is_empty() { Ok(()) } else { Err(out) }
    }
}

/// The path of field `name` below `parent`.
///
/// ```
/// use camunda_connector_sdk::validation::join_path;
/// assert_eq!(join_path("", "auth"), "auth");
/// assert_eq!(join_path("auth", "token"), "auth.token");
/// ```
pub fn join_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_owned()
    } else {
        format!("{parent}.{name}")
    }
}

macro_rules! no_rules {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
        })*
    };
}

no_rules!(
    bool,
    char,
    String,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    f32,
    f64,
    Value,
    url::Url,
);

impl Validate for () {
    fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        (**self).validate_at(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        if let Some(inner) = self {
            inner.validate_at(path, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        for (index, item) in self.iter().enumerate() {
            item.validate_at(&format!("{path}[{index}]"), out);
        }
    }
}

impl<K: fmt::Display, V: Validate, S> Validate for HashMap<K, V, S> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_at(&join_path(path, &key.to_string()), out);
        }
    }
}

impl<K: fmt::Display, V: Validate> Validate for BTreeMap<K, V> {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        for (key, item) in self {
            item.validate_at(&join_path(path, &key.to_string()), out);
        }
    }
}
