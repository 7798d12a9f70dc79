//! Result mapping (`resultVariable`, `resultExpression`) and the error expression's outcome.

// `ConnectorError` is the SDK's one error type and is large; these results are built at most
// once per job, so boxing would only add noise.
#![allow(clippy::result_large_err)]

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use camunda_connector_sdk::ConnectorError;
use serde_json::{Map, Value};

use super::headers::{JobHeaders, RESULT_EXPRESSION};
use super::report::{MAX_VARIABLES_BYTES, serialized_len, truncate};
use crate::feel::FeelEngine;
use crate::job::parse_iso_duration;

/// A literal no expression result may contain: it marks the runtime's own function values.
const FORBIDDEN_LITERAL: &str = "camunda.function.type";

/// How much of a rejected value a message repeats.
const MAX_QUOTED_CHARS: usize = 500;

/// Evaluates `expression` in `context`, turning a panic of the evaluator into an error.
pub(crate) fn evaluate(
    feel: &FeelEngine,
    expression: &str,
    context: &Map<String, Value>,
) -> Result<Value, String> {
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| feel.evaluate(expression, context)));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(err.to_string()),
        Err(_) => Err("the FEEL evaluator failed unexpectedly on this expression".to_owned()),
    }
}

/// The variables an expression sees: the value's own keys (when it is an object), `response`
/// bound to the whole value, and `job` when given. Later entries win.
pub(crate) fn context(value: &Value, job_retries: Option<i32>) -> Map<String, Value> {
    let mut context = match value {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    context.insert("response".into(), value.clone());
    if let Some(retries) = job_retries {
        let mut job = Map::new();
        job.insert("retries".into(), retries.into());
        context.insert("job".into(), Value::Object(job));
    }
    context
}

/// The output variables of a successful response: `resultVariable` → the response, then the
/// keys of the `resultExpression` result (which win on a collision).
///
/// Errors are input errors: the job's configuration, not the connector, is at fault.
pub(crate) fn map_output(
    feel: &FeelEngine,
    headers: &JobHeaders,
    response: &Value,
) -> Result<Map<String, Value>, ConnectorError> {
    let mut output = Map::new();
    if let Some(name) = &headers.result_variable {
        output.insert(name.clone(), response.clone());
    }
    if let Some(expression) = &headers.result_expression {
        output.extend(evaluate_result_expression(feel, expression, response)?);
    }

    check_size(&output)?;
    Ok(output)
}

fn evaluate_result_expression(
    feel: &FeelEngine,
    expression: &str,
    response: &Value,
) -> Result<Map<String, Value>, ConnectorError> {
    let result = evaluate(feel, expression, &context(response, None)).map_err(|reason| {
        ConnectorError::input(truncate(format!(
            "the `{RESULT_EXPRESSION}` header could not be evaluated: {reason}"
        )))
        .with_code("RESULT_EXPRESSION_FAILED")
    })?;

    if contains_forbidden_literal(&result) {
        return Err(forbidden_literal_error("result expression"));
    }
    match result {
        Value::Null => Ok(Map::new()),
        Value::Object(map) => Ok(map),
        other => Err(ConnectorError::input(format!(
            "the result expression must produce a JSON object (a FEEL context), but it produced {}: {}",
            kind_of(&other),
            quoted(&other)
        ))
        .with_code("INVALID_RESULT_EXPRESSION")),
    }
}

fn check_size(output: &Map<String, Value>) -> Result<(), ConnectorError> {
    let size = serialized_len(&Value::Object(output.clone()));
    if size <= MAX_VARIABLES_BYTES {
        return Ok(());
    }
    Err(ConnectorError::input(format!(
        "the output variables are {size} bytes, more than the {MAX_VARIABLES_BYTES} bytes a job \
         completion can safely carry; map only the fields the process needs with a result \
         expression, or store the payload as a document where the connector offers it"
    ))
    .with_code("OUTPUT_TOO_LARGE"))
}

/// What an error expression decided.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decision {
    /// No connector error: the job proceeds as it would without the expression.
    NoError,
    /// Throw a BPMN error.
    Bpmn {
        code: String,
        message: Option<String>,
        variables: Map<String, Value>,
    },
    /// Fail the job with these retries and backoff.
    Job {
        message: String,
        variables: Map<String, Value>,
        retries: u32,
        backoff: Duration,
    },
    /// Complete the job with exactly these variables.
    Ignore { variables: Map<String, Value> },
}

/// Reads the value an error expression produced.
///
/// # Errors
///
/// Why the value is not a connector error; the job then fails with 0 retries.
pub(crate) fn decide(value: Value) -> Result<Decision, String> {
    if contains_forbidden_literal(&value) {
        return Err(format!(
            "its result contains the forbidden literal '{FORBIDDEN_LITERAL}'"
        ));
    }
    let map = match value {
        Value::Null => return Ok(Decision::NoError),
        Value::Object(map) if map.is_empty() => return Ok(Decision::NoError),
        Value::Object(map) => map,
        other => return Err(not_an_error(&other)),
    };

    match map.get("errorType").and_then(Value::as_str) {
        Some("bpmnError") => bpmn_error(&map),
        Some("jobError") => job_error(&map),
        Some("ignoreError") => Ok(Decision::Ignore {
            variables: variables(&map, "ignoreError")?,
        }),
        _ => Err(not_an_error(&Value::Object(map))),
    }
}

fn bpmn_error(map: &Map<String, Value>) -> Result<Decision, String> {
    let code = match map.get("errorCode") {
        None | Some(Value::Null) => return Ok(Decision::NoError),
        Some(Value::String(code)) => code.clone(),
        Some(Value::Number(code)) => code.to_string(),
        Some(other) => {
            return Err(format!(
                "`errorCode` of its bpmnError must be a string, but it is {}",
                kind_of(other)
            ));
        }
    };
    if code.trim().is_empty() {
        return Err("`errorCode` of its bpmnError is empty".to_owned());
    }

    Ok(Decision::Bpmn {
        code,
        message: optional_text(map.get("errorMessage")),
        variables: variables(map, "bpmnError")?,
    })
}

fn job_error(map: &Map<String, Value>) -> Result<Decision, String> {
    let message = optional_text(map.get("errorMessage"))
        .filter(|m| !m.trim().is_empty())
        .unwrap_or_else(|| "the error expression raised a job error without a message".to_owned());
    let retries = match map.get("retries") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or(0, |n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)),
        Some(other) => {
            return Err(format!(
                "`retries` of its jobError must be a number, but it is {}",
                kind_of(other)
            ));
        }
    };
    let backoff = match map.get("retryBackoff") {
        None | Some(Value::Null) => Duration::ZERO,
        Some(Value::String(text)) => parse_iso_duration(text)
            .map_err(|reason| format!("`retryBackoff` of its jobError is invalid: {reason}"))?,
        Some(other) => {
            return Err(format!(
                "`retryBackoff` of its jobError must be a duration, but it is {}",
                kind_of(other)
            ));
        }
    };

    let mut variables = variables(map, "jobError")?;
    variables.insert("error".into(), Value::String(message.clone()));
    Ok(Decision::Job {
        message,
        variables,
        retries,
        backoff,
    })
}

fn variables(map: &Map<String, Value>, function: &str) -> Result<Map<String, Value>, String> {
    match map.get("variables") {
        None | Some(Value::Null) => Ok(Map::new()),
        Some(Value::Object(variables)) => Ok(variables.clone()),
        Some(other) => Err(format!(
            "`variables` of its {function} must be a context, but it is {}",
            kind_of(other)
        )),
    }
}

fn optional_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        other => Some(other.to_string()),
    }
}

fn not_an_error(value: &Value) -> String {
    format!(
        "its result {} is not a connector error: expected null, {{}} or the context of \
         bpmnError(...), jobError(...) or ignoreError(...)",
        quoted(value)
    )
}

fn forbidden_literal_error(what: &str) -> ConnectorError {
    ConnectorError::input(format!(
        "the {what} produced the forbidden literal '{FORBIDDEN_LITERAL}', which marks the \
         runtime's own function values"
    ))
    .with_code("FORBIDDEN_LITERAL")
}

fn contains_forbidden_literal(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains(FORBIDDEN_LITERAL),
        Value::Array(items) => items.iter().any(contains_forbidden_literal),
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.contains(FORBIDDEN_LITERAL) || contains_forbidden_literal(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// `a string`, `an array`, ... for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn quoted(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_context_shadows_a_response_key_and_a_job_key() {
        let ctx = context(&json!({"response": 1, "job": 2, "a": 3}), Some(4));
        assert_eq!(ctx["response"], json!({"response": 1, "job": 2, "a": 3}));
        assert_eq!(ctx["job"], json!({"retries": 4}));
        assert_eq!(ctx["a"], 3);
    }

    #[test]
    fn decisions() {
        assert_eq!(decide(json!(null)), Ok(Decision::NoError));
        assert_eq!(decide(json!({})), Ok(Decision::NoError));
        assert_eq!(
            decide(json!({"errorType": "bpmnError", "errorCode": null})),
            Ok(Decision::NoError)
        );
        assert!(decide(json!({"foo": 1})).is_err());
        assert!(decide(json!("x")).is_err());
        let job = decide(json!({"errorType": "jobError", "errorMessage": "x",
            "variables": {"error": "mine"}, "retries": -3, "retryBackoff": "PT24H"}))
        .unwrap();
        assert_eq!(
            job,
            Decision::Job {
                message: "x".into(),
                variables: json!({"error": "x"}).as_object().unwrap().clone(),
                retries: 0,
                backoff: Duration::from_secs(86_400),
            }
        );
    }

    #[test]
    fn forbidden_literal_is_found_anywhere() {
        assert!(contains_forbidden_literal(
            &json!({"a": [{"camunda.function.type": 1}]})
        ));
        assert!(contains_forbidden_literal(&json!([
            "x camunda.function.type"
        ])));
        assert!(!contains_forbidden_literal(
            &json!({"camunda": {"function": 1}})
        ));
    }
}
