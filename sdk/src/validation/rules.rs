//! The checks behind `#[validate(...)]`, callable by hand too.
//!
//! Each check appends a [`Violation`] at `path` when its rule is broken; an absent `Option`
//! passes every rule except `not_empty`. Messages name the rule, never the value.
//!
//! ```
//! use camunda_connector_sdk::validation::rules;
//! let mut out = Vec::new();
//! rules::not_empty(&String::new(), "token", &mut out);
//! rules::length(&"ab".to_owned(), Some(3), None, "code", &mut out);
//! rules::range(&0_u16, Some(1.0), None, "port", &mut out);
//! rules::url(&"ftp://x".to_owned(), "url", &mut out);
//! let paths: Vec<&str> = out.iter().map(|v| v.path.as_str()).collect();
//! assert_eq!(paths, ["token", "code", "port", "url"]);
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use regex::Regex;
use serde_json::Value;

use super::Violation;

/// A value that can be empty.
///
/// ```
/// use camunda_connector_sdk::validation::rules::IsEmpty;
/// assert!(None::<String>.is_empty_value());
/// assert!(serde_json::json!({}).is_empty_value());
/// assert!(!vec![1].is_empty_value());
/// ```
pub trait IsEmpty {
    /// Whether the value is empty (or absent).
    fn is_empty_value(&self) -> bool;
}

/// A value with a length: characters of text, items of a list or map.
///
/// ```
/// use camunda_connector_sdk::validation::rules::Length;
/// assert_eq!("héllo".to_owned().length(), Some(5));
/// assert_eq!(None::<Vec<u8>>.length(), None);
/// ```
pub trait Length {
    /// The length, or `None` when the value is absent or has none.
    fn length(&self) -> Option<usize>;
}

/// A value with text a pattern or URL rule can check.
///
/// ```
/// use camunda_connector_sdk::validation::rules::Text;
/// assert_eq!(Some("a".to_owned()).text(), Some("a"));
/// ```
pub trait Text {
    /// The text, or `None` when the value is absent or is not text.
    fn text(&self) -> Option<&str>;
}

/// A number a range rule can check.
///
/// ```
/// use camunda_connector_sdk::validation::rules::Numeric;
/// assert_eq!(5_u8.number(), Some(5.0));
/// assert_eq!(None::<i32>.number(), None);
/// ```
pub trait Numeric {
    /// The number as `f64`, or `None` when absent.
    fn number(&self) -> Option<f64>;
}

impl IsEmpty for String {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl IsEmpty for str {
    fn is_empty_value(&self) -> bool {
        self.is_empty()
    }
}

impl IsEmpty for Value {
    fn is_empty_value(&self) -> bool {
        match self {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            Value::Bool(_) | Value::Number(_) => false,
        }
    }
}

impl<T: IsEmpty> IsEmpty for Option<T> {
    fn is_empty_value(&self) -> bool {
        self.as_ref().is_none_or(IsEmpty::is_empty_value)
    }
}

impl<T: IsEmpty + ?Sized> IsEmpty for Box<T> {
    fn is_empty_value(&self) -> bool {
        (**self).is_empty_value()
    }
}

impl Length for String {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}

impl Length for str {
    fn length(&self) -> Option<usize> {
        Some(self.chars().count())
    }
}

impl Length for Value {
    fn length(&self) -> Option<usize> {
        match self {
            Value::String(s) => Some(s.chars().count()),
            Value::Array(a) => Some(a.len()),
            Value::Object(o) => Some(o.len()),
            _ => None,
        }
    }
}

impl<T: Length> Length for Option<T> {
    fn length(&self) -> Option<usize> {
        self.as_ref().and_then(Length::length)
    }
}

impl<T: Length + ?Sized> Length for Box<T> {
    fn length(&self) -> Option<usize> {
        (**self).length()
    }
}

macro_rules! collections {
    ($($ty:ident<$($param:ident),*>),* $(,)?) => {
        $(
            impl<$($param),*> IsEmpty for $ty<$($param),*> {
                fn is_empty_value(&self) -> bool {
                    self.is_empty()
                }
            }
            impl<$($param),*> Length for $ty<$($param),*> {
                fn length(&self) -> Option<usize> {
                    Some(self.len())
                }
            }
        )*
    };
}

collections!(Vec<T>, HashSet<T, S>, BTreeSet<T>, HashMap<K, V, S>, BTreeMap<K, V>);

impl Text for String {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for str {
    fn text(&self) -> Option<&str> {
        Some(self)
    }
}

impl Text for url::Url {
    fn text(&self) -> Option<&str> {
        Some(self.as_str())
    }
}

impl Text for Value {
    fn text(&self) -> Option<&str> {
        self.as_str()
    }
}

impl<T: Text> Text for Option<T> {
    fn text(&self) -> Option<&str> {
        self.as_ref().and_then(Text::text)
    }
}

impl<T: Text + ?Sized> Text for Box<T> {
    fn text(&self) -> Option<&str> {
        (**self).text()
    }
}

macro_rules! numeric {
    ($($ty:ty),* $(,)?) => {
        $(impl Numeric for $ty {
            #[allow(clippy::cast_precision_loss, clippy::cast_lossless)]
            fn number(&self) -> Option<f64> {
                Some(*self as f64)
            }
        })*
    };
}

numeric!(
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64
);

impl<T: Numeric> Numeric for Option<T> {
    fn number(&self) -> Option<f64> {
        self.as_ref().and_then(Numeric::number)
    }
}

/// `not_empty`: the value is present and not empty.
///
/// ```
/// # use camunda_connector_sdk::validation::rules;
/// let mut out = Vec::new();
/// rules::not_empty(&Some(String::new()), "a", &mut out);
/// assert_eq!(out[0].message, "must not be empty");
/// ```
pub fn not_empty<T: IsEmpty + ?Sized>(value: &T, path: &str, out: &mut Vec<Violation>) {
    if value.is_empty_value() {
        out.push(Violation::new(path, "not_empty", "must not be empty"));
    }
}

/// `min_length` / `max_length`: the length lies within the bounds.
///
/// ```
/// # use camunda_connector_sdk::validation::rules;
/// let mut out = Vec::new();
/// rules::length(&"abcdef".to_owned(), None, Some(4), "a", &mut out);
/// assert_eq!(out[0].rule, "max_length");
/// ```
pub fn length<T: Length + ?Sized>(
    value: &T,
    min: Option<usize>,
    max: Option<usize>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(length) = value.length() else {
        return;
    };
    if let Some(min) = min.filter(|min| length < *min) {
        let message = format!("must have a length of at least {min}");
        out.push(Violation::new(path, "min_length", message));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        let message = format!("must have a length of at most {max}");
        out.push(Violation::new(path, "max_length", message));
    }
}

/// `pattern`: the text matches the compiled pattern. A pattern that failed to compile is
/// reported as a violation, never a panic.
///
/// ```
/// # use camunda_connector_sdk::validation::rules;
/// let re = regex::Regex::new("^[0-9]+$");
/// let mut out = Vec::new();
/// rules::pattern(&"12a".to_owned(), &re, "^[0-9]+$", Some("digits only"), "n", &mut out);
/// assert_eq!(out[0].message, "digits only");
/// ```
pub fn pattern<T: Text + ?Sized>(
    value: &T,
    compiled: &Result<Regex, regex::Error>,
    source: &str,
    message: Option<&str>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(text) = value.text() else {
        return;
    };
    match compiled {
        Ok(re) if re.is_match(text) => {}
        Ok(_) => {
            let message = message.map_or_else(|| format!("must match `{source}`"), str::to_owned);
            out.push(Violation::new(path, "pattern", message));
        }
        Err(err) => {
            let message = format!("the rule's pattern `{source}` does not compile: {err}");
            out.push(Violation::new(path, "pattern", message));
        }
    }
}

/// `range(min = .., max = ..)`: the number lies within the bounds.
///
/// ```
/// # use camunda_connector_sdk::validation::rules;
/// let mut out = Vec::new();
/// rules::range(&500_u32, Some(1.0), Some(300.0), "timeout", &mut out);
/// assert_eq!(out[0].message, "must be at most 300");
/// ```
pub fn range<T: Numeric + ?Sized>(
    value: &T,
    min: Option<f64>,
    max: Option<f64>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(number) = value.number() else {
        return;
    };
    if let Some(min) = min.filter(|min| number < *min || number.is_nan()) {
        out.push(Violation::new(
            path,
            "range",
            format!("must be at least {min}"),
        ));
    }
    if let Some(max) = max.filter(|max| number > *max) {
        out.push(Violation::new(
            path,
            "range",
            format!("must be at most {max}"),
        ));
    }
}

/// `url`: the text is an absolute `http` or `https` URL with a host.
///
/// ```
/// # use camunda_connector_sdk::validation::rules;
/// let mut out = Vec::new();
/// rules::url(&"https://api.example.test/v1".to_owned(), "url", &mut out);
/// rules::url(&"example.test".to_owned(), "url", &mut out);
/// assert_eq!(out.len(), 1);
/// ```
pub fn url<T: Text + ?Sized>(value: &T, path: &str, out: &mut Vec<Violation>) {
    let Some(text) = value.text() else {
        return;
    };
    let valid = url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some());
    if !valid {
        out.push(Violation::new(
            path,
            "url",
            "must be an absolute http or https URL",
        ));
    }
}
