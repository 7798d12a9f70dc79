//! The outbound job pipeline end to end: headers, secrets, binding, execution, result and error
//! expressions, retries, masking and the command the engine receives.
//!
//! Golden behaviours G4–G13 and failure cases C16, C19–C22 of the reference docs, plus every
//! case of `tests/data/feel-cases.json` pushed through the pipeline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::{ActivatedJob, JobCommand};
use camunda_connector_runtime::pipeline::{JobPipeline, MAX_MESSAGE_CHARS, TRUNCATION_MARKER};
use camunda_connector_sdk::secrets::{
    MemorySecretProvider, SecretContext, SecretError, SecretProvider,
};
use camunda_connector_sdk::validation::{Validate, Violation};
use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use serde::Deserialize;
use serde_json::{Map, Value, json};

// ---------------------------------------------------------------------------------------------
// Test connectors
// ---------------------------------------------------------------------------------------------

type Behaviour = Box<dyn Fn(&Value) -> Result<Value, ConnectorError> + Send + Sync>;

/// Binds its input as raw JSON and answers with a scripted behaviour, counting calls.
struct Scripted {
    calls: AtomicUsize,
    behaviour: Behaviour,
}

impl Scripted {
    fn new(
        behaviour: impl Fn(&Value) -> Result<Value, ConnectorError> + Send + Sync + 'static,
    ) -> Self {
        Scripted {
            calls: AtomicUsize::new(0),
            behaviour: Box::new(behaviour),
        }
    }

    fn returning(response: Value) -> Self {
        Self::new(move |_| Ok(response.clone()))
    }

    fn failing(make: impl Fn() -> ConnectorError + Send + Sync + 'static) -> Self {
        Self::new(move |_| Err(make()))
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl OutboundConnector for Scripted {
    const NAME: &'static str = "scripted";
    const TYPE: &'static str = "io.example:scripted:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        (self.behaviour)(&input)
    }
}

/// A typed input with validation rules, written by hand.
#[derive(Debug, Deserialize)]
struct ApiInput {
    url: String,
    api_key: String,
    #[serde(default)]
    limit: Option<u32>,
}

impl Validate for ApiInput {
    fn validate_at(&self, path: &str, out: &mut Vec<Violation>) {
        let is_url = ["http://", "https://"]
            .iter()
            .any(|scheme| self.url.len() > scheme.len() && self.url.starts_with(scheme));
        if !is_url {
            let field = camunda_connector_sdk::validation::join_path(path, "url");
            out.push(Violation::new(field, "url", "must be an absolute URL"));
        }
    }
}

// Hand-written until the tests switch to `#[derive(ConnectorInput)]`; the template is not
// under test here.
impl camunda_connector_sdk::template::InputTemplate for ApiInput {
    fn shape() -> camunda_connector_sdk::template::spec::Shape {
        camunda_connector_sdk::template::spec::Shape::Json
    }
}

/// A typed connector counting executions.
#[derive(Default)]
struct Api {
    calls: AtomicUsize,
}

#[async_trait]
impl OutboundConnector for Api {
    const NAME: &'static str = "api";
    const TYPE: &'static str = "io.example:api:1";
    type Input = ApiInput;
    type Output = Value;

    async fn execute(&self, input: ApiInput, _: &OutboundContext) -> Result<Value, ConnectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Ok(json!({"url": input.url, "limit": input.limit}))
    }
}

/// Panics when the input says so.
struct Panicky;

#[async_trait]
impl OutboundConnector for Panicky {
    const NAME: &'static str = "panicky";
    const TYPE: &'static str = "io.example:panicky:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        if input["panic"] == true {
            panic!("boom in job {}", input["n"]);
        }
        Ok(json!({"n": input["n"]}))
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pipeline() -> JobPipeline {
    pipeline_with(MemorySecretProvider::default())
}

fn pipeline_with(provider: impl SecretProvider + 'static) -> JobPipeline {
    JobPipeline::new(FeelEngine::new(), Arc::new(provider))
}

fn job(variables: Value, headers: &[(&str, &str)], retries: i32) -> ActivatedJob {
    let mut job = ActivatedJob::new("2251799813685249", Scripted::TYPE, retries);
    job.variables = variables;
    job.element_id = "call-api".into();
    job.process_definition_id = "order-process".into();
    for (name, value) in headers {
        job.custom_headers.insert((*name).into(), (*value).into());
    }
    job
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn complete(variables: Value) -> JobCommand {
    JobCommand::complete(object(variables))
}

#[track_caller]
fn expect_fail(command: &JobCommand) -> (u32, Duration, &str, &Map<String, Value>) {
    match command {
        JobCommand::Fail {
            retries,
            retry_backoff,
            error_message,
            variables,
        } => (*retries, *retry_backoff, error_message.as_str(), variables),
        other => panic!("expected a fail command, got {other:?}"),
    }
}

#[track_caller]
fn expect_throw(command: &JobCommand) -> (&str, Option<&str>, &Map<String, Value>) {
    match command {
        JobCommand::ThrowError {
            error_code,
            error_message,
            variables,
        } => (error_code.as_str(), error_message.as_deref(), variables),
        other => panic!("expected a throwError command, got {other:?}"),
    }
}

async fn run(connector: &Scripted, job: ActivatedJob) -> JobCommand {
    pipeline().run(connector, job).await
}

fn failure(code: &str, message: &str) -> ConnectorError {
    ConnectorError::failure(code, message)
}

// ---------------------------------------------------------------------------------------------
// Happy path and result mapping (G5, G6, G7, C16)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_mapping_completes_without_variables() {
    let connector = Scripted::returning(json!({"id": 42}));
    let command = run(&connector, job(json!({}), &[], 3)).await;
    assert_eq!(command, complete(json!({})));
    assert_eq!(connector.calls(), 1);
}

#[tokio::test]
async fn g5_result_variable_receives_the_whole_response() {
    let cases = [
        (
            json!({"id": 42, "tags": ["x"]}),
            json!({"order": {"id": 42, "tags": ["x"]}}),
        ),
        (Value::Null, json!({"order": null})),
        (json!("ok"), json!({"order": "ok"})),
    ];
    for (response, expected) in cases {
        let connector = Scripted::returning(response);
        let command = run(
            &connector,
            job(json!({}), &[("resultVariable", "order")], 3),
        )
        .await;
        assert_eq!(command, complete(expected));
    }

    let connector = Scripted::returning(json!({"id": 42}));
    let command = run(&connector, job(json!({}), &[("resultVariable", "  ")], 3)).await;
    assert_eq!(command, complete(json!({})));
}

#[tokio::test]
async fn g6_result_expression_keys_merge_over_the_result_variable() {
    let connector = Scripted::returning(json!({"status": 201, "body": {"id": "A7"}}));
    let headers = [
        ("resultVariable", "raw"),
        (
            "resultExpression",
            r#"=  {id: body.id, code: response.status, missing: response.nope, raw: "replaced"}"#,
        ),
    ];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    assert_eq!(
        command,
        complete(json!({"raw": "replaced", "id": "A7", "code": 201, "missing": null}))
    );

    let headers = [("resultExpression", "=if false then {a:1} else null")];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    assert_eq!(command, complete(json!({})));
}

#[tokio::test]
async fn g7_result_expression_must_produce_an_object() {
    let connector = Scripted::returning(json!("FOO"));
    let command = run(
        &connector,
        job(json!({}), &[("resultExpression", "= response")], 3),
    )
    .await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("must produce a JSON object"), "{message}");
    assert!(message.contains("a string: \"FOO\""), "{message}");
    assert_eq!(
        variables["error"]["type"],
        "io.camunda.connector.api.error.ConnectorInputException"
    );

    let command = run(
        &connector,
        job(json!({}), &[("resultExpression", "= [1, 2]")], 3),
    )
    .await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("an array: [1,2]"), "{message}");

    let connector = Scripted::returning(json!({"camunda.function.type": "x"}));
    let command = run(
        &connector,
        job(json!({}), &[("resultExpression", "= response")], 3),
    )
    .await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(
        message.contains("forbidden literal 'camunda.function.type'"),
        "{message}"
    );
}

#[tokio::test]
async fn c16_result_expression_null_string_path_and_dates() {
    let response = json!({"status": 200, "body": {"id": 7, "ts": "2024-03-20T09:31:31.939Z"}});
    let connector = Scripted::returning(response);
    let with = |expression: &'static str| job(json!({}), &[("resultExpression", expression)], 3);

    assert_eq!(
        run(&connector, with("=SOME_UNKNOWN")).await,
        complete(json!({}))
    );

    let command = run(&connector, with(r#"="test""#)).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("must produce a JSON object"), "{message}");

    assert_eq!(
        run(&connector, with("={id: response.body.id}")).await,
        complete(json!({"id": 7}))
    );
    assert_eq!(
        run(&connector, with("={when: date and time(response.body.ts)}")).await,
        complete(json!({"when": "2024-03-20T09:31:31.939Z"}))
    );
    assert_eq!(
        run(&connector, with(r#"={day: date("2024-02-19")}"#)).await,
        complete(json!({"day": "2024-02-19"}))
    );
}

#[tokio::test]
async fn an_invalid_result_expression_is_an_input_error() {
    let connector = Scripted::returning(json!({"a": 1}));
    let command = run(
        &connector,
        job(json!({}), &[("resultExpression", "={a: ")], 3),
    )
    .await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("resultExpression"), "{message}");
    assert_eq!(variables["error"]["code"], "RESULT_EXPRESSION_FAILED");
}

#[tokio::test]
async fn output_over_the_size_limit_fails_with_a_hint() {
    let big = "x".repeat(2 * 1024 * 1024);
    let connector = Scripted::returning(json!({"body": big}));
    let command = run(&connector, job(json!({}), &[("resultVariable", "r")], 3)).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("bytes"), "{message}");
    assert!(message.contains("result expression"), "{message}");
    assert_eq!(variables["error"]["code"], "OUTPUT_TOO_LARGE");
}

// ---------------------------------------------------------------------------------------------
// Failures, retries and backoff (G8, G9, C21, C22)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn g8_a_failure_without_error_expression() {
    let connector = Scripted::failing(|| {
        failure("E429", "quota exceeded").with_variables(json!({"limit": 10}))
    });
    let command = run(&connector, job(json!({}), &[("retryBackoff", "PT15S")], 3)).await;

    let (retries, backoff, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert_eq!(backoff, Duration::from_secs(15));
    assert_eq!(
        Value::Object(variables.clone()),
        json!({"error": {
            "type": "io.camunda.connector.api.error.ConnectorException",
            "message": "quota exceeded",
            "code": "E429",
            "variables": {"limit": 10}
        }})
    );
    assert!(
        message.starts_with("quota exceeded | Error variables: "),
        "{message}"
    );
    assert!(message.contains("limit=10"), "{message}");
}

#[tokio::test]
async fn g9_retries_and_backoff_rules() {
    let cases: Vec<(Scripted, &[(&str, &str)], i32, u32, Duration)> = vec![
        (
            Scripted::failing(|| failure("E", "plain")),
            &[],
            5,
            4,
            Duration::ZERO,
        ),
        (
            Scripted::failing(|| ConnectorError::input("bad")),
            &[("retryBackoff", "PT9S")],
            5,
            0,
            Duration::from_secs(9),
        ),
        (
            Scripted::failing(|| {
                failure("E", "r")
                    .with_retries(9)
                    .with_backoff(Duration::from_secs(3))
            }),
            &[],
            5,
            9,
            Duration::from_secs(3),
        ),
        (
            Scripted::failing(|| {
                failure("E", "r")
                    .with_retries(9)
                    .with_backoff(Duration::from_secs(3))
            }),
            &[],
            9,
            9,
            Duration::from_secs(3),
        ),
        (
            Scripted::failing(|| failure("E", "plain")),
            &[("retryBackoff", "P1D")],
            5,
            4,
            Duration::from_secs(86_400),
        ),
        (
            Scripted::failing(|| failure("E", "plain")),
            &[],
            0,
            0,
            Duration::ZERO,
        ),
        (
            Scripted::failing(|| failure("E", "plain")),
            &[],
            -2,
            0,
            Duration::ZERO,
        ),
    ];
    for (connector, headers, job_retries, retries, backoff) in cases {
        let command = run(&connector, job(json!({}), headers, job_retries)).await;
        let (actual_retries, actual_backoff, _, _) = expect_fail(&command);
        assert_eq!(
            (actual_retries, actual_backoff),
            (retries, backoff),
            "{command:?}"
        );
    }

    let connector = Scripted::returning(json!({}));
    let command = run(&connector, job(json!({}), &[("retryBackoff", "P1D1S")], 5)).await;
    let (retries, backoff, message, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (0, Duration::ZERO));
    assert!(message.contains("`retryBackoff` header"), "{message}");
    assert_eq!(connector.calls(), 0);
}

#[tokio::test]
async fn c21a_validation_errors_are_not_retried() {
    let connector = Api::default();
    let job = job(json!({"url": "not a url", "api_key": "k"}), &[], 3);
    let command = pipeline().run(&connector, job).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(
        message.contains("url: must be an absolute URL"),
        "{message}"
    );
    assert_eq!(variables["error"]["code"], "VALIDATION_FAILED");
    assert_eq!(connector.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn c21b_a_missing_required_field_is_not_retried() {
    let connector = Api::default();
    let command = pipeline().run(&connector, job(json!({}), &[], 3)).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(
        message.contains("url") || message.contains("api_key"),
        "{message}"
    );
    assert_eq!(connector.calls.load(Ordering::SeqCst), 0);

    let command = pipeline()
        .run(
            &connector,
            job(json!({"url": "https://example.test"}), &[], 3),
        )
        .await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("api_key"), "{message}");
    assert_eq!(connector.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn c21c_a_transient_failure_is_retried_with_the_backoff() {
    let connector = Scripted::failing(|| failure("TIMEOUT", "the upstream timed out"));
    let command = run(&connector, job(json!({}), &[("retryBackoff", "PT5S")], 3)).await;
    let (retries, backoff, _, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (2, Duration::from_secs(5)));
    assert_eq!(connector.calls(), 1);
}

#[tokio::test]
async fn c22_retry_backoff_header() {
    let transient = || Scripted::failing(|| failure("503", "unavailable"));

    let command = run(
        &transient(),
        job(json!({}), &[("retryBackoff", "PT30S")], 3),
    )
    .await;
    let (retries, backoff, _, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (2, Duration::from_millis(30_000)));

    let connector = transient();
    let command = run(
        &connector,
        job(json!({}), &[("retryBackoff", "30 seconds")], 3),
    )
    .await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("`retryBackoff` header"), "{message}");
    assert!(message.contains("ISO-8601"), "{message}");
    assert!(message.contains("30 seconds"), "{message}");
    assert_eq!(variables["error"]["code"], "INVALID_HEADER");
    assert_eq!(connector.calls(), 0);

    let command = run(&transient(), job(json!({}), &[], 3)).await;
    let (retries, backoff, _, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (2, Duration::ZERO));

    let connector = Scripted::failing(|| {
        failure("429", "slow down")
            .with_retries(5)
            .with_backoff(Duration::from_secs(60))
    });
    let command = run(&connector, job(json!({}), &[("retryBackoff", "PT30S")], 3)).await;
    let (retries, backoff, _, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (5, Duration::from_millis(60_000)));
}

#[tokio::test]
async fn job_timeout_header_is_parsed_before_execution() {
    let pipeline = pipeline();
    let connector = Scripted::returning(json!({}));

    let prepared = pipeline
        .prepare(job(json!({}), &[("jobTimeout", "PT10M")], 3))
        .unwrap();
    assert_eq!(prepared.job_timeout(), Some(Duration::from_secs(600)));
    assert_eq!(
        pipeline.execute(&connector, prepared).await,
        complete(json!({}))
    );

    for bad in ["PT0S", "ten minutes", "-PT1M"] {
        let command = pipeline
            .prepare(job(json!({}), &[("jobTimeout", bad)], 3))
            .unwrap_err();
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 0);
        assert!(message.contains("`jobTimeout` header"), "{message}");
    }

    let command = pipeline
        .run(&connector, job(json!({}), &[("jobTimeout", "0")], 3))
        .await;
    assert_eq!(expect_fail(&command).0, 0);
    assert_eq!(connector.calls(), 1);
}

#[tokio::test]
async fn an_unhandled_connector_bpmn_error_is_thrown() {
    let connector = Scripted::failing(|| {
        ConnectorError::bpmn("OUT_OF_STOCK", "sku 42 is sold out")
            .with_variables(json!({"sku": 42}))
    });
    let command = run(&connector, job(json!({}), &[], 3)).await;
    assert_eq!(
        expect_throw(&command),
        (
            "OUT_OF_STOCK",
            Some("sku 42 is sold out"),
            &object(json!({"sku": 42}))
        )
    );
}
