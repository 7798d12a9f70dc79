//! The deserializer's internal error: a message plus the path segments collected while the error
//! travels back up to the root.

use std::fmt;

use serde::de::{self, Expected, Unexpected};

use super::BindError;

/// One step of a field path.
#[derive(Debug)]
pub(crate) enum Segment {
    /// An object key or struct field.
    Key(String),
    /// An array element.
    Index(usize),
}

/// What a value was found to be, described without the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Null,
    Bool,
    Number,
    Str,
    Array,
    Object,
    EmptyString,
    NotNumeric,
    NotBoolean,
    Fraction,
    OutOfRange,
    /// A string that does not start like the JSON text of `.0` ("an object", "an array").
    NotJsonText(&'static str),
    /// A string that starts like JSON text but does not parse.
    InvalidJson {
        line: usize,
        column: usize,
    },
    /// An object with this many keys where one key naming a variant was expected.
    Keys(usize),
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Null => f.write_str("null"),
            Found::Bool => f.write_str("a boolean"),
            Found::Number => f.write_str("a number"),
            Found::Str => f.write_str("a string"),
            Found::Array => f.write_str("an array"),
            Found::Object => f.write_str("an object"),
            Found::EmptyString => f.write_str("an empty string"),
            Found::NotNumeric => f.write_str("a string that is not a number"),
            Found::NotBoolean => f.write_str("a string that is not `true` or `false`"),
            Found::Fraction => f.write_str("a number with a fraction"),
            Found::OutOfRange => f.write_str("a number out of range"),
            Found::NotJsonText(what) => write!(f, "a string that does not hold {what}"),
            Found::InvalidJson { line, column } => {
                write!(
                    f,
                    "a string that is not valid JSON (line {line}, column {column})"
                )
            }
            Found::Keys(n) => write!(f, "an object with {n} keys"),
        }
    }
}

/// A binding error on its way up: the innermost path segment comes first.
///
/// Boxed so that `Result<T, Error>` stays small on the hot path.
#[derive(Debug)]
pub(crate) struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    segments: Vec<Segment>,
    message: String,
}

impl Error {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            segments: Vec::new(),
            message: message.into(),
        }))
    }

    /// "expected {expected}, found {found}".
    pub(crate) fn expected(expected: impl fmt::Display, found: Found) -> Self {
        Self::new(format!("expected {expected}, found {found}"))
    }

    fn at_field(field: &str, message: impl Into<String>) -> Self {
        let mut err = Self::new(message);
        err.0.segments.push(Segment::Key(field.to_owned()));
        err
    }

    /// The error happened below object key `key`.
    pub(crate) fn at_key(mut self, key: impl Into<String>) -> Self {
        self.0.segments.push(Segment::Key(key.into()));
        self
    }

    /// The error happened below array element `index`.
    pub(crate) fn at_index(mut self, index: usize) -> Self {
        self.0.segments.push(Segment::Index(index));
        self
    }

    /// Whether the error already names where it happened (a missing or unknown field names
    /// itself).
    pub(crate) fn has_path(&self) -> bool {
        !self.0.segments.is_empty()
    }

    /// Removes `value` from the message, for errors raised by a visitor that was handed the
    /// string `value` (`url::Url` quotes the text it rejects, for one).
    pub(crate) fn scrub(mut self, value: &str) -> Self {
        self.0.message = scrub(&self.0.message, value);
        self
    }

    pub(crate) fn into_bind_error(self) -> BindError {
        let Inner { segments, message } = *self.0;
        BindError::new(render_path(segments.iter().rev()), message)
    }
}

/// `message` without `value`: its quoted (`Debug`) and plain forms become `***`. A value of one
/// or two characters cannot be told apart from ordinary words, so such a message is replaced.
fn scrub(message: &str, value: &str) -> String {
    let quoted = format!("{value:?}");
    if value.is_empty() || !(message.contains(value) || message.contains(&quoted)) {
        return message.to_owned();
    }
    if value.chars().count() < 3 {
        return "invalid string".to_owned();
    }
    message.replace(&quoted, "***").replace(value, "***")
}

/// Renders segments, outermost first: `auth.token`, `headers[2]`, `props["client.mode"]`.
///
/// A key is written after a dot only when it is a plain name (a letter, `_` or `$`, then
/// letters, digits, `_`, `-` or `$`); any other key is quoted in brackets, so a key holding a
/// dot is never read as two steps and a numeric key never as an index.
pub(crate) fn render_path<'s>(segments: impl Iterator<Item = &'s Segment>) -> String {
    let mut path = String::new();
    for segment in segments {
        match segment {
            Segment::Key(key) if is_plain_name(key) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Segment::Key(key) => {
                path.push('[');
                path.push_str(&quote(key));
                path.push(']');
            }
            Segment::Index(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

fn is_plain_name(key: &str) -> bool {
    let mut chars = key.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_alphabetic() || first == '_' || first == '$')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$'))
}

fn quote(key: &str) -> String {
    let mut quoted = String::with_capacity(key.len() + 2);
    quoted.push('"');
    for c in key.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// What serde reports as unexpected, without the value it carries.
fn describe(unexpected: &Unexpected<'_>) -> &'static str {
    match unexpected {
        Unexpected::Bool(_) => "a boolean",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) => "an integer",
        Unexpected::Float(_) => "a number",
        Unexpected::Char(_) => "a character",
        Unexpected::Str(_) => "a string",
        Unexpected::Bytes(_) => "bytes",
        Unexpected::Unit => "null",
        Unexpected::Option => "an optional value",
        Unexpected::NewtypeStruct => "a newtype struct",
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        Unexpected::Enum => "an enum",
        Unexpected::UnitVariant => "a unit variant",
        Unexpected::NewtypeVariant => "a newtype variant",
        Unexpected::TupleVariant => "a tuple variant",
        Unexpected::StructVariant => "a struct variant",
        Unexpected::Other(_) => "another kind of value",
    }
}

fn one_of(names: &[&str]) -> String {
    if names.is_empty() {
        return "nothing".to_owned();
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    format!("one of {}", quoted.join(", "))
}

/// Every constructor serde calls is overridden so that no message ever carries the value that
/// was rejected: it may hold a secret.
impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(msg.to_string())
    }

    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::new(format!(
            "expected {expected}, found {}",
            describe(&unexpected)
        ))
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Self::new(format!(
            "invalid {}, expected {expected}",
            describe(&unexpected)
                .trim_start_matches("a ")
                .trim_start_matches("an ")
        ))
    }

    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Self::new(format!("expected {expected}, found {len} elements"))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(format!("unknown variant, expected {}", one_of(expected)))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::at_field(
            field,
            format!("unknown field, expected {}", one_of(expected)),
        )
    }

    fn missing_field(field: &'static str) -> Self {
        Self::at_field(field, "missing required field")
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self::at_field(field, "duplicate field")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = render_path(self.0.segments.iter().rev());
        if path.is_empty() {
            f.write_str(&self.0.message)
        } else {
            write!(f, "{path}: {}", self.0.message)
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(segments: &[Segment]) -> String {
        render_path(segments.iter())
    }

    #[test]
    fn keys_with_dots_or_digits_are_quoted() {
        let segments = [
            Segment::Key("additionalProperties".into()),
            Segment::Key("client.mode".into()),
        ];
        assert_eq!(path(&segments), r#"additionalProperties["client.mode"]"#);
        assert_eq!(path(&[Segment::Key("0".into())]), r#"["0"]"#);
        assert_eq!(path(&[Segment::Key(String::new())]), r#"[""]"#);
        assert_eq!(path(&[Segment::Key("a\"b".into())]), r#"["a\"b"]"#);
    }

    #[test]
    fn scrubbing_removes_the_value_in_both_forms() {
        let value = "se\\cr\"et";
        assert_eq!(scrub(&format!("bad: {value:?}"), value), "bad: ***");
        assert_eq!(scrub("bad: secret!", "secret"), "bad: ***!");
        assert_eq!(scrub("relative URL", "a"), "invalid string");
        assert_eq!(scrub("relative URL", "xyz"), "relative URL");
    }

    #[test]
    fn fields_and_indexes_render_as_a_path() {
        let segments = [
            Segment::Key("headers".into()),
            Segment::Index(2),
            Segment::Key("name".into()),
        ];
        assert_eq!(path(&segments), "headers[2].name");
    }
}
