//! Acceptance test of the FEEL engine: the 60 result and error expressions of
//! `tests/data/feel-cases.json`, with the values Camunda's connector runtime produces.
//!
//! Each case is evaluated with the variables the runtime would pass (see [`variables_for`]) and
//! compared with `expected`: objects without regard to key order, numbers by value, lists in
//! order. Cases marked `expected_failure` must fail to evaluate.

use camunda_connector_runtime::feel::FeelEngine;
use serde::Deserialize;
use serde_json::{Map, Value, json};

const CASES: &str = include_str!("data/feel-cases.json");

#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    kind: Kind,
    expression: String,
    response: Value,
    error: Value,
    job_retries: Option<i64>,
    expected: Value,
    #[serde(default)]
    expected_failure: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Result,
    Error,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(CASES).expect("feel-cases.json is a list of cases")
}

/// Merges `layers` left to right: the keys of each object layer override earlier ones, and a
/// layer that is not an object contributes nothing.
fn merge(layers: &[Value]) -> Map<String, Value> {
    let mut merged = Map::new();
    for layer in layers {
        if let Value::Object(object) = layer {
            merged.extend(object.clone());
        }
    }
    merged
}

/// The variables the connector runtime evaluates a case's expression with.
///
/// - result expression: the response's keys, then `{response: response}`;
/// - error expression after a failure: `{error}`, then `{response: {error}}`, then
///   `{job: {retries}}`;
/// - error expression after a success: the response's keys, then `{response: response}`, then
///   `{job: {retries}}`.
fn variables_for(case: &Case) -> Map<String, Value> {
    let value = match (case.kind, &case.error) {
        (Kind::Error, Value::Object(_)) => json!({"error": case.error}),
        _ => case.response.clone(),
    };
    let mut layers = vec![value.clone(), json!({"response": value})];
    if case.kind == Kind::Error {
        layers.push(json!({"job": {"retries": case.job_retries}}));
    }
    merge(&layers)
}

/// Compares JSON values: objects by their entries, numbers by value, everything else exactly.
fn same(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, a)| b.get(key).is_some_and(|b| same(a, b)))
        }
        (a, b) => a == b,
    }
}

/// What went wrong with one case, or `None` when it passes.
fn check(engine: &FeelEngine, case: &Case) -> Option<String> {
    let result = engine.evaluate(&case.expression, &variables_for(case));
    match (result, case.expected_failure) {
        (Err(_), true) => None,
        (Ok(actual), true) => Some(format!("expected a failure, got {actual}")),
        (Err(error), false) => Some(format!("failed: {error}")),
        (Ok(actual), false) if same(&actual, &case.expected) => None,
        (Ok(actual), false) => Some(format!("got {actual}, expected {}", case.expected)),
    }
}

#[test]
fn all_sixty_cases_evaluate_as_in_camunda() {
    let engine = FeelEngine::new();
    let cases = cases();
    assert_eq!(cases.len(), 60);

    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| check(&engine, case).map(|reason| format!("{}: {reason}", case.id)))
        .collect();

    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn cases_evaluate_the_same_from_the_cache() {
    let engine = FeelEngine::new();
    let cases = cases();
    let first: Vec<Option<String>> = cases.iter().map(|case| check(&engine, case)).collect();
    let second: Vec<Option<String>> = cases.iter().map(|case| check(&engine, case)).collect();
    assert_eq!(first, second);
}

#[test]
fn error_variables_merge_job_last() {
    let case = Case {
        id: "merge".into(),
        kind: Kind::Error,
        expression: String::new(),
        response: json!({"job": {"id": "J"}, "status": 200}),
        error: Value::Null,
        job_retries: Some(2),
        expected: Value::Null,
        expected_failure: false,
    };
    let variables = variables_for(&case);
    assert_eq!(variables["job"], json!({"retries": 2}));
    assert_eq!(variables["response"]["job"], json!({"id": "J"}));
    assert_eq!(variables["status"], json!(200));
}

#[test]
fn comparison_ignores_key_order_but_not_list_order() {
    assert!(same(
        &json!({"a": 1, "b": [1.0, 2]}),
        &json!({"b": [1, 2.0], "a": 1.0})
    ));
    assert!(!same(&json!([1, 2]), &json!([2, 1])));
    assert!(!same(&json!({"a": 1}), &json!({"a": 1, "b": null})));
}
