//! Result mapping (`resultVariable`, `resultExpression`) and the error expression's outcome.

// `ConnectorError` is the SDK's one error type and is large; these results are built at most
// once per job, so boxing would only add noise.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use camunda_connector_sdk::ConnectorError;
use camunda_connector_sdk::secrets::Secrets;
use serde_json::{Map, Value};

use super::headers::{JobHeaders, RESULT_EXPRESSION};
use super::report::{MAX_ERROR_CODE_CHARS, MAX_VARIABLES_BYTES, serialized_len, shorten, truncate};
use crate::feel::FeelEngine;
use crate::job::parse_iso_duration;

/// A literal no expression result may contain: it marks the runtime's own function values.
const FORBIDDEN_LITERAL: &str = "camunda.function.type";

/// Evaluates `expression` in `context` off the async runtime's threads, within the engine's
/// time budget; a panic of the evaluator is an error too.
pub(crate) async fn evaluate(
    feel: &FeelEngine,
    expression: &str,
    context: Map<String, Value>,
) -> Result<Value, String> {
    feel.evaluate_async(expression, context)
        .await
        .map_err(|err| err.to_string())
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
pub(crate) async fn map_output(
    feel: &FeelEngine,
    headers: &JobHeaders,
    response: &Value,
    secrets: &Secrets,
) -> Result<Map<String, Value>, ConnectorError> {
    let mut output = Map::new();
    if let Some(name) = &headers.result_variable {
        output.insert(name.clone(), response.clone());
    }
    if let Some(expression) = &headers.result_expression {
        output.extend(evaluate_result_expression(feel, expression, response, secrets).await?);
    }

    check_size(&output)?;
    Ok(output)
}

async fn evaluate_result_expression(
    feel: &FeelEngine,
    expression: &str,
    response: &Value,
    secrets: &Secrets,
) -> Result<Map<String, Value>, ConnectorError> {
    let result = evaluate(feel, expression, context(response, None))
        .await
        .map_err(|reason| {
            ConnectorError::input(truncate(format!(
                "the `{RESULT_EXPRESSION}` header could not be evaluated: {}",
                shorten(&secrets.mask(&reason))
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
            quoted(&other, secrets)
        ))
        .with_code("INVALID_RESULT_EXPRESSION")),
    }
}

fn check_size(output: &Map<String, Value>) -> Result<(), ConnectorError> {
    let size = serialized_len(output);
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

/// Reads the value an error expression produced. The code, message and variables of BPMN and
/// job errors come out with secrets masked, and so does every value a reason quotes; the
/// variables of `ignoreError` are kept as given (they complete the job like a result).
///
/// # Errors
///
/// Why the value is not a connector error; the job then fails with 0 retries.
pub(crate) fn decide(value: Value, secrets: &Secrets) -> Result<Decision, String> {
    if contains_forbidden_literal(&value) {
        return Err(format!(
            "its result contains the forbidden literal '{FORBIDDEN_LITERAL}'"
        ));
    }
    let map = match value {
        Value::Null => return Ok(Decision::NoError),
        Value::Object(map) if map.is_empty() => return Ok(Decision::NoError),
        Value::Object(map) => map,
        other => return Err(not_an_error(&other, secrets)),
    };

    match map.get("errorType").and_then(Value::as_str) {
        Some("bpmnError") => bpmn_error(&map, secrets),
        Some("jobError") => job_error(&map, secrets),
        Some("ignoreError") => Ok(Decision::Ignore {
            variables: variables(&map, "ignoreError")?,
        }),
        _ => Err(not_an_error(&Value::Object(map), secrets)),
    }
}

fn bpmn_error(map: &Map<String, Value>, secrets: &Secrets) -> Result<Decision, String> {
    let code = match map.get("errorCode") {
        None | Some(Value::Null) => return Ok(Decision::NoError),
        Some(Value::String(code)) => secrets.mask(code),
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
    let length = code.chars().count();
    if length > MAX_ERROR_CODE_CHARS {
        return Err(format!(
            "`errorCode` of its bpmnError is {length} characters long, more than the \
             {MAX_ERROR_CODE_CHARS} an error code may have"
        ));
    }

    Ok(Decision::Bpmn {
        code,
        message: optional_text(map.get("errorMessage")).map(|m| secrets.mask(&m)),
        variables: masked_map(variables(map, "bpmnError")?, secrets),
    })
}

fn job_error(map: &Map<String, Value>, secrets: &Secrets) -> Result<Decision, String> {
    let message = optional_text(map.get("errorMessage"))
        .filter(|m| !m.trim().is_empty())
        .map(|m| secrets.mask(&m))
        .unwrap_or_else(|| "the error expression raised a job error without a message".to_owned());
    let retries = match map.get("retries") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .map_or(0, clamp_retries),
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

    let mut variables = masked_map(variables(map, "jobError")?, secrets);
    variables.insert("error".into(), Value::String(message.clone()));
    Ok(Decision::Job {
        message,
        variables,
        retries,
        backoff,
    })
}

/// `retries` as the engine takes them: a non-negative `i32`.
fn clamp_retries(retries: i64) -> u32 {
    let clamped = retries.clamp(0, i64::from(i32::MAX));
    u32::try_from(clamped).unwrap_or(0)
}

fn masked_map(map: Map<String, Value>, secrets: &Secrets) -> Map<String, Value> {
    match secrets.mask_value(&Value::Object(map)) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
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

fn not_an_error(value: &Value, secrets: &Secrets) -> String {
    format!(
        "its result {} is not a connector error: expected null, {{}} or the context of \
         bpmnError(...), jobError(...) or ignoreError(...)",
        quoted(value, secrets)
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

/// `value` as JSON text for a message: secrets masked first (masking the JSON text would miss
/// a secret holding `"`, `\` or a newline, which JSON escapes), then shortened.
fn quoted(value: &Value, secrets: &Secrets) -> String {
    shorten(&secrets.mask_value(value).to_string())
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
        let decide = |value| super::decide(value, &Secrets::none());
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
    fn job_error_retries_are_clamped_to_what_the_engine_takes() {
        let decide = |retries| {
            super::decide(
                json!({"errorType": "jobError", "errorMessage": "x", "retries": retries}),
                &Secrets::none(),
            )
        };
        for (given, kept) in [
            (json!(4_294_967_295_i64), 2_147_483_647),
            (json!(1e30), 2_147_483_647),
            (json!(-1), 0),
            (json!(7), 7),
        ] {
            let Ok(Decision::Job { retries, .. }) = decide(given.clone()) else {
                panic!("{given} gave no job error");
            };
            assert_eq!(retries, kept, "{given}");
        }
    }

    #[test]
    fn absurd_error_codes_are_rejected() {
        let code = "E".repeat(MAX_ERROR_CODE_CHARS + 1);
        let reason = decide(
            json!({"errorType": "bpmnError", "errorCode": code}),
            &Secrets::none(),
        )
        .unwrap_err();
        assert!(reason.contains("characters long"), "{reason}");
        let code = "E".repeat(MAX_ERROR_CODE_CHARS);
        let fine = json!({"errorType": "bpmnError", "errorCode": code});
        assert!(decide(fine, &Secrets::none()).is_ok());
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
