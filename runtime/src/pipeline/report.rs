//! How failures are reported to the engine: the `error` variable, the incident message,
//! secret masking, retries and the size bounds.

use std::time::Duration;

use camunda_connector_sdk::ConnectorError;
use camunda_connector_sdk::error::ErrorKind;
use camunda_connector_sdk::secrets::Secrets;
use serde_json::{Map, Value};

use crate::job::JobCommand;

/// The most characters an incident or BPMN error message carries; longer ones are cut and end
/// with [`TRUNCATION_MARKER`].
pub const MAX_MESSAGE_CHARS: usize = 6000;

/// What a cut message ends with.
pub const TRUNCATION_MARKER: &str = " …[truncated]";

/// The most characters of one value (a rejected result, a field's value, an expression) a
/// message repeats; longer ones are cut before the message is composed, so the reason that
/// follows them always survives the [`MAX_MESSAGE_CHARS`] bound.
pub const MAX_EMBEDDED_CHARS: usize = 500;

/// The longest BPMN error code, in characters. A longer code (from an error expression or a
/// connector) is not thrown, because no boundary event would be written to catch it: the job
/// fails with 0 retries instead, and the incident says why.
pub const MAX_ERROR_CODE_CHARS: usize = 256;

/// The largest serialised variables a command may carry (1.5 MiB), below Zeebe's 4 MiB
/// record limit with room for the rest of the record.
pub const MAX_VARIABLES_BYTES: usize = 3 * 1024 * 1024 / 2;

/// `text` cut to at most [`MAX_MESSAGE_CHARS`] characters, never inside a character, ending
/// with [`TRUNCATION_MARKER`] when it was cut.
pub(crate) fn truncate(text: String) -> String {
    if text.char_indices().nth(MAX_MESSAGE_CHARS).is_none() {
        return text;
    }

    let keep = MAX_MESSAGE_CHARS - TRUNCATION_MARKER.chars().count();
    let end = text
        .char_indices()
        .nth(keep)
        .map_or(text.len(), |(index, _)| index);
    let mut cut = text;
    cut.truncate(end);
    cut.push_str(TRUNCATION_MARKER);
    cut
}

/// `text` cut to at most [`MAX_EMBEDDED_CHARS`] characters, ending with
/// [`TRUNCATION_MARKER`] when it was cut: for values embedded in a longer message.
pub(crate) fn shorten(text: &str) -> String {
    let keep = MAX_EMBEDDED_CHARS - TRUNCATION_MARKER.chars().count();
    match text.char_indices().nth(MAX_EMBEDDED_CHARS) {
        Some(_) => {
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            format!("{}{TRUNCATION_MARKER}", &text[..end])
        }
        None => text.to_owned(),
    }
}

/// The message of `error`, masked, never empty, at most [`MAX_MESSAGE_CHARS`] long.
pub(crate) fn error_message(error: &ConnectorError, secrets: &Secrets) -> String {
    let message = secrets.mask(error.message());
    if !message.trim().is_empty() {
        return truncate(message);
    }
    format!(
        "the connector returned a {} with code `{}` and no message",
        kind_name(error.kind()),
        error.code()
    )
}

fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Bpmn => "BPMN error",
        ErrorKind::Input => "input error",
        _ => "failure",
    }
}

/// The `error` object of a failed job and of error expressions:
/// `{type, message, code, variables?}`, with secrets masked and the message bounded.
///
/// Variables too large to send are left out, and the message says so.
pub(crate) fn error_value(error: &ConnectorError, secrets: &Secrets) -> Map<String, Value> {
    let mut message = error_message(error, secrets);
    let variables = error.variables().map(|v| secrets.mask_value(v));
    let variables = variables.and_then(|variables| {
        let size = serialized_len(&variables);
        if size <= MAX_VARIABLES_BYTES {
            return Some(variables);
        }
        message = truncate(format!(
            "{message} (its error variables were left out: {size} bytes exceed the {MAX_VARIABLES_BYTES}-byte limit)"
        ));
        None
    });

    let mut value = Map::new();
    value.insert("type".into(), error.kind().type_name().into());
    value.insert("message".into(), message.into());
    value.insert("code".into(), error.code().into());
    if let Some(variables) = variables {
        value.insert("variables".into(), variables);
    }
    value
}

/// The fail command for `error`: variables `{"error": error_value}` and the message followed by
/// the error variables, when there are any.
pub(crate) fn fail(error_value: Map<String, Value>, retries: u32, backoff: Duration) -> JobCommand {
    let message = error_value
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let error_message = match error_value.get("variables") {
        Some(variables) => truncate(format!(
            "{message} | Error variables: {}",
            render(variables)
        )),
        None => message.to_owned(),
    };

    let mut variables = Map::new();
    variables.insert("error".into(), Value::Object(error_value));
    JobCommand::Fail {
        retries,
        retry_backoff: backoff,
        error_message,
        variables,
    }
}

/// The retries a failed job keeps: none for input errors, the connector's absolute override,
/// else one less than it had (never below zero).
pub(crate) fn retries_after(error: &ConnectorError, job_retries: i32) -> u32 {
    if error.is_input() {
        return 0;
    }
    let retries = error.retries().unwrap_or_else(|| decremented(job_retries));
    retries.min(i32::MAX.unsigned_abs())
}

/// One less than `retries`, never below zero.
pub(crate) fn decremented(retries: i32) -> u32 {
    u32::try_from(retries.saturating_sub(1)).unwrap_or(0)
}

/// The byte length of `value` as JSON, measured without building the text.
pub(crate) fn serialized_len<T: serde::Serialize + ?Sized>(value: &T) -> usize {
    struct Counter(usize);
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    let mut counter = Counter(0);
    match serde_json::to_writer(&mut counter, value) {
        Ok(()) => counter.0,
        Err(_) => usize::MAX,
    }
}

/// `value` as `key=value` text, like `{limit=10, tags=[a, b]}`, for incident messages.
/// Rendering stops once the text is longer than a message may be.
pub(crate) fn render(value: &Value) -> String {
    let mut out = String::new();
    render_into(value, &mut out);
    out
}

fn render_into(value: &Value, out: &mut String) {
    if out.len() > MAX_MESSAGE_CHARS * 4 {
        return;
    }
    match value {
        Value::String(text) => out.push_str(text),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                render_into(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (index, (key, item)) in map.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                render_into(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn truncation_keeps_whole_characters_and_the_bound() {
        let text = "é".repeat(MAX_MESSAGE_CHARS + 10);
        let cut = truncate(text);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS);
        assert!(cut.ends_with(TRUNCATION_MARKER));

        let exact = "a".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(truncate(exact.clone()), exact);
    }

    #[test]
    fn shortening_keeps_the_bound_and_marks_the_cut() {
        let cut = shorten(&"x".repeat(10_000));
        assert_eq!(cut.chars().count(), MAX_EMBEDDED_CHARS);
        assert!(cut.ends_with(TRUNCATION_MARKER));
        assert_eq!(shorten("short"), "short");
    }

    #[test]
    fn render_reads_like_a_map() {
        let text = render(&json!({"limit": 10, "tags": ["a", "b"], "n": null}));
        assert_eq!(text, "{limit=10, tags=[a, b], n=null}");
    }

    #[test]
    fn retries_follow_the_table() {
        assert_eq!(retries_after(&ConnectorError::input("x"), 5), 0);
        assert_eq!(retries_after(&ConnectorError::failure("E", "m"), 5), 4);
        assert_eq!(retries_after(&ConnectorError::failure("E", "m"), 0), 0);
        let retry = ConnectorError::failure("E", "m").with_retries(9);
        assert_eq!(retries_after(&retry, 9), 9);
        let absurd = ConnectorError::failure("E", "m").with_retries(u32::MAX);
        assert_eq!(retries_after(&absurd, 9), 2_147_483_647);
    }

    #[test]
    fn an_empty_message_gets_a_fallback() {
        let message = error_message(&ConnectorError::failure("E1", ""), &Secrets::none());
        assert!(message.contains("`E1`"), "{message}");
    }
}
