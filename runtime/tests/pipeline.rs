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
use camunda_connector_sdk::{
    ConnectorError, ConnectorInput, OutboundConnector, OutboundContext, async_trait,
};
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

    fn failing_with_input(make: impl Fn(&Value) -> ConnectorError + Send + Sync + 'static) -> Self {
        Self::new(move |input| Err(make(input)))
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

/// A typed input with validation rules, as connector authors write it.
#[derive(Debug, Deserialize, ConnectorInput)]
struct ApiInput {
    #[validate(url)]
    url: String,
    #[allow(dead_code, reason = "bound to prove the field is required")]
    #[validate(not_empty)]
    api_key: String,
    #[serde(default)]
    limit: Option<u32>,
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
    // (connector, headers, job retries) → (retries, backoff)
    type Case = (
        Scripted,
        &'static [(&'static str, &'static str)],
        i32,
        u32,
        Duration,
    );
    let cases: Vec<Case> = vec![
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
    let job = job(json!({"url": "not a url", "api_key": ""}), &[], 3);
    let command = pipeline().run(&connector, job).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("- url: must be an absolute"), "{message}");
    assert!(
        message.contains("- api_key: "),
        "every violation is listed: {message}"
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

// ---------------------------------------------------------------------------------------------
// Secrets (G4, G13)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn g4_a_missing_secret_fails_without_retries_naming_it() {
    let connector = Scripted::returning(json!({}));
    let variables = json!({"p": "{{secrets.DB_PASS}}"});
    let command = run(&connector, job(variables, &[("retryBackoff", "PT1M")], 3)).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("`DB_PASS`"), "{message}");
    assert_eq!(variables["error"]["code"], "SECRET_NOT_FOUND");
    assert_eq!(connector.calls(), 0);
}

#[tokio::test]
async fn g13_secret_values_are_masked_in_incidents() {
    let connector = Scripted::failing_with_input(|input| {
        let password = input["password"].as_str().unwrap_or_default();
        failure("E1", &format!("login failed for {password}"))
            .with_variables(json!({"echo": format!("pw={password}"), "n": 5}))
    });
    let pipeline = pipeline_with(MemorySecretProvider::new([("DB_PASS", "hunter2")]));
    let variables = json!({"password": "{{secrets.DB_PASS}}"});
    let command = pipeline.run(&connector, job(variables, &[], 3)).await;

    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert!(message.starts_with("login failed for ***"), "{message}");
    assert!(!message.contains("hunter2"), "{message}");
    assert_eq!(variables["error"]["message"], "login failed for ***");
    assert_eq!(
        variables["error"]["variables"],
        json!({"echo": "pw=***", "n": 5})
    );
    assert_eq!(variables["error"]["code"], "E1");
}

#[tokio::test]
async fn secrets_are_masked_in_bpmn_errors_and_job_errors() {
    let connector = Scripted::failing_with_input(|input| {
        let token = input["token"].as_str().unwrap_or_default();
        ConnectorError::bpmn("DENIED", format!("token {token} was refused"))
            .with_variables(json!({"token": token}))
    });
    let pipeline = pipeline_with(MemorySecretProvider::new([("TOKEN", "s3cr3t")]));
    let variables = json!({"token": "{{secrets.TOKEN}}"});
    let command = pipeline
        .run(&connector, job(variables.clone(), &[], 3))
        .await;
    let (code, message, thrown) = expect_throw(&command);
    assert_eq!(code, "DENIED");
    assert_eq!(message, Some("token *** was refused"));
    assert_eq!(thrown["token"], "***");

    let headers = [("errorExpression", "=jobError(error.message)")];
    let command = pipeline.run(&connector, job(variables, &headers, 3)).await;
    let (retries, _, message, failed) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert_eq!(message, "token *** was refused");
    assert_eq!(failed["error"], "token *** was refused");
}

#[derive(Debug)]
struct UnavailableVault;

#[async_trait]
impl SecretProvider for UnavailableVault {
    async fn get_secret(
        &self,
        name: &str,
        _: &SecretContext,
    ) -> Result<Option<String>, SecretError> {
        Err(SecretError::Unavailable {
            name: name.to_owned(),
            reason: "the vault did not answer".to_owned(),
        })
    }
}

#[tokio::test]
async fn an_unavailable_secret_provider_is_a_retryable_failure() {
    let connector = Scripted::returning(json!({}));
    let pipeline = pipeline_with(UnavailableVault);
    let variables = json!({"p": "{{secrets.DB_PASS}}"});
    let command = pipeline
        .run(&connector, job(variables, &[("retryBackoff", "PT20S")], 3))
        .await;
    let (retries, backoff, message, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (2, Duration::from_secs(20)));
    assert!(message.contains("DB_PASS"), "{message}");
    assert_eq!(connector.calls(), 0);
}

#[derive(Debug, Default)]
struct RecordingProvider {
    seen: std::sync::Mutex<Vec<SecretContext>>,
}

#[async_trait]
impl SecretProvider for RecordingProvider {
    async fn get_secret(
        &self,
        _: &str,
        context: &SecretContext,
    ) -> Result<Option<String>, SecretError> {
        self.seen.lock().unwrap().push(context.clone());
        Ok(Some("v".to_owned()))
    }
}

#[tokio::test]
async fn secrets_are_fetched_for_the_jobs_tenant_and_process() {
    let provider = Arc::new(RecordingProvider::default());
    let pipeline = JobPipeline::new(FeelEngine::new(), provider.clone());
    let mut job = job(json!({"a": "{{secrets.A}}"}), &[], 3);
    job.tenant_id = "acme".into();
    let connector = Scripted::new(|input| Ok(input.clone()));

    let command = pipeline.run(&connector, job).await;
    assert_eq!(expect_fail_or_complete(&command), json!({}));
    let seen = provider.seen.lock().unwrap();
    assert_eq!(seen[0].tenant_id.as_deref(), Some("acme"));
    assert_eq!(
        seen[0].process_definition_id.as_deref(),
        Some("order-process")
    );
}

fn expect_fail_or_complete(command: &JobCommand) -> Value {
    match command {
        JobCommand::Complete { variables } => Value::Object(variables.clone()),
        other => panic!("expected a completion, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Error expressions (G10, G11, G12, C19)
// ---------------------------------------------------------------------------------------------

const G10_EXPRESSION: &str = r#"=if error.code = "E404" then bpmnError("NOT_FOUND", "lookup: " + error.message, {sku: "item-7"}) else null"#;

#[tokio::test]
async fn g10_bpmn_error_from_a_failure() {
    let not_found = || Scripted::failing(|| failure("E404", "item 7 missing"));

    let command = run(
        &not_found(),
        job(json!({}), &[("errorExpression", G10_EXPRESSION)], 3),
    )
    .await;
    assert_eq!(
        expect_throw(&command),
        (
            "NOT_FOUND",
            Some("lookup: item 7 missing"),
            &object(json!({"sku": "item-7"}))
        )
    );

    let headers = [("errorExpression", "=bpmnError(error.code)")];
    let command = run(&not_found(), job(json!({}), &headers, 3)).await;
    assert_eq!(expect_throw(&command), ("E404", None, &Map::new()));

    let server_error = Scripted::failing(|| failure("E500", "boom"));
    let command = run(
        &server_error,
        job(json!({}), &[("errorExpression", G10_EXPRESSION)], 3),
    )
    .await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert_eq!(message, "boom");
    assert_eq!(variables["error"]["code"], "E500");

    let headers = [("errorExpression", r#"=bpmnError(404, "x")"#)];
    let command = run(&not_found(), job(json!({}), &headers, 3)).await;
    let (retries, backoff, message, variables) = expect_fail(&command);
    assert_eq!((retries, backoff), (0, Duration::ZERO));
    assert!(
        message.contains("errorCode") && message.contains("bpmnError"),
        "{message}"
    );
    assert!(
        message.contains("item 7 missing"),
        "the original failure is kept: {message}"
    );
    assert_eq!(variables["error"]["code"], "ERROR_EXPRESSION_FAILED");
}

#[tokio::test]
async fn g11_job_error_on_a_successful_response() {
    let connector = Scripted::returning(json!({"status": 503}));
    let expression = r#"=if response.status >= 500 then jobError("upstream down", {s: status}, job.retries - 1, @"PT10S") else null"#;
    let command = run(
        &connector,
        job(json!({}), &[("errorExpression", expression)], 4),
    )
    .await;
    let (retries, backoff, message, variables) = expect_fail(&command);
    assert_eq!((retries, backoff), (3, Duration::from_secs(10)));
    assert_eq!(
        Value::Object(variables.clone()),
        json!({"s": 503, "error": "upstream down"})
    );
    assert!(message.starts_with("upstream down"), "{message}");

    let headers = [
        ("errorExpression", r#"=jobError("x")"#),
        ("retryBackoff", "PT1M"),
    ];
    let command = run(&connector, job(json!({}), &headers, 4)).await;
    assert_eq!(
        serde_json::to_value(&command).unwrap(),
        json!({"command": "fail", "retries": 0, "retryBackoff": "PT0S", "errorMessage": "x", "variables": {"error": "x"}})
    );

    let headers = [("errorExpression", r#"=jobError("x", {error: "mine"})"#)];
    let command = run(&connector, job(json!({}), &headers, 4)).await;
    assert_eq!(expect_fail(&command).3, &object(json!({"error": "x"})));
}

#[tokio::test]
async fn g12_ignore_error_and_no_error_results() {
    let duplicate = || {
        Scripted::failing(|| failure("E409", "duplicate").with_variables(json!({"existing": true})))
    };
    let with = |expression: &'static str| job(json!({}), &[("errorExpression", expression)], 3);

    let command = run(
        &duplicate(),
        with(r#"=if error.code = "E409" then ignoreError(error.variables) else null"#),
    )
    .await;
    assert_eq!(command, complete(json!({"existing": true})));

    let command = run(&duplicate(), with("=ignoreError()")).await;
    assert_eq!(command, complete(json!({})));

    for no_error in [
        "={}",
        "=null",
        r#"=if unknownFunction(error.code) then bpmnError("X") else null"#,
        r#"={errorType: "bpmnError", errorCode: null}"#,
    ] {
        let command = run(&duplicate(), with(no_error)).await;
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 2, "{no_error}: {command:?}");
        assert!(message.starts_with("duplicate"), "{no_error}: {message}");
    }

    let command = run(&duplicate(), with("={foo: 1}")).await;
    let (retries, backoff, message, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (0, Duration::ZERO));
    assert!(message.contains("not a connector error"), "{message}");
}

#[tokio::test]
async fn the_error_expression_sees_the_mapped_output_after_success() {
    let connector = Scripted::returning(json!({"x": 1}));
    let headers = [
        ("resultVariable", "r"),
        (
            "errorExpression",
            r#"=if r.x = 1 and response.r.x = 1 and x = null then bpmnError("SEEN", "mapped") else null"#,
        ),
    ];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    assert_eq!(expect_throw(&command).0, "SEEN");

    let headers = [(
        "errorExpression",
        r#"=if x = 1 and response.x = 1 and job.retries = 3 then bpmnError("RAW") else null"#,
    )];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    assert_eq!(expect_throw(&command).0, "RAW");
}

#[tokio::test]
async fn the_error_expression_sees_an_output_mapping_failure() {
    let connector = Scripted::returning(json!("FOO"));
    let headers = [
        ("resultExpression", "=response"),
        (
            "errorExpression",
            r#"=if error.code = "INVALID_RESULT_EXPRESSION" then bpmnError("MAPPING", error.message) else null"#,
        ),
    ];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    let (code, message, _) = expect_throw(&command);
    assert_eq!(code, "MAPPING");
    assert!(
        message
            .unwrap_or_default()
            .contains("must produce a JSON object")
    );
}

const C19_EXPRESSION: &str = r#"=if error.code = "400" then bpmnError("QUOTA", error.variables.response.body.error.message, {detail: error.variables.response.body.error.code}) else null"#;

#[tokio::test]
async fn c19_bpmn_error_with_variables_read_from_the_failed_response() {
    let bad_request = Scripted::failing(|| {
        failure("400", "Bad Request").with_variables(json!({"response": {
            "status": 400, "headers": {},
            "body": {"error": {"code": 4001, "message": "quota exceeded"}}
        }}))
    });
    let command = run(
        &bad_request,
        job(json!({}), &[("errorExpression", C19_EXPRESSION)], 3),
    )
    .await;
    assert_eq!(
        expect_throw(&command),
        (
            "QUOTA",
            Some("quota exceeded"),
            &object(json!({"detail": 4001}))
        )
    );

    let ok = Scripted::returning(json!({"status": 200, "body": {"id": 1}}));
    let command = run(
        &ok,
        job(json!({}), &[("errorExpression", C19_EXPRESSION)], 3),
    )
    .await;
    assert_eq!(command, complete(json!({})));

    let server_error = Scripted::failing(|| failure("500", "Internal Server Error"));
    let headers = [
        ("errorExpression", C19_EXPRESSION),
        ("retryBackoff", "PT5S"),
    ];
    let command = run(&server_error, job(json!({}), &headers, 3)).await;
    let (retries, backoff, _, _) = expect_fail(&command);
    assert_eq!((retries, backoff), (2, Duration::from_secs(5)));
}

// ---------------------------------------------------------------------------------------------
// Failure reports that could fail themselves (C20)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn c20a_an_empty_message_gets_a_fallback() {
    let connector = Scripted::failing(|| failure("", ""));
    let command = run(&connector, job(json!({}), &[], 3)).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert!(!message.trim().is_empty());
    assert!(message.contains("CONNECTOR_FAILED"), "{message}");
    assert_eq!(variables["error"]["message"], message);

    let connector = Scripted::failing(|| ConnectorError::bpmn("E_EMPTY", " "));
    let command = run(&connector, job(json!({}), &[], 3)).await;
    let (_, message, _) = expect_throw(&command);
    assert!(
        message.is_some_and(|m| m.contains("E_EMPTY")),
        "{message:?}"
    );
}

fn assert_bounded(message: &str) {
    assert_eq!(
        message.chars().count(),
        MAX_MESSAGE_CHARS,
        "{}",
        &message[..100]
    );
    assert!(message.ends_with(TRUNCATION_MARKER));
}

#[tokio::test]
async fn c20b_a_huge_message_is_cut_utf8_safely_with_a_marker() {
    let huge = "é".repeat(5 * 1024 * 1024 / 2);
    let connector = Scripted::failing({
        let huge = huge.clone();
        move || failure("E", &huge).with_variables(json!({"body": "small"}))
    });
    let command = run(&connector, job(json!({}), &[], 3)).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert_bounded(message);
    assert_bounded(variables["error"]["message"].as_str().unwrap());

    let connector = Scripted::failing({
        let huge = huge.clone();
        move || ConnectorError::bpmn("BIG", huge.clone())
    });
    let command = run(&connector, job(json!({}), &[], 3)).await;
    assert_bounded(expect_throw(&command).1.unwrap());

    let connector = Scripted::returning(json!({"big": huge}));
    let headers = [("errorExpression", r#"=bpmnError("BIG", big)"#)];
    let command = run(&connector, job(json!({}), &headers, 3)).await;
    assert_bounded(expect_throw(&command).1.unwrap());
}

#[tokio::test]
async fn huge_error_variables_are_left_out_rather_than_blocking_the_failure() {
    let body = "x".repeat(2 * 1024 * 1024);
    let connector =
        Scripted::failing(move || failure("E", "too big").with_variables(json!({"body": body})));
    let command = run(&connector, job(json!({}), &[], 3)).await;
    let (retries, _, message, variables) = expect_fail(&command);
    assert_eq!(retries, 2);
    assert!(message.contains("left out"), "{message}");
    assert!(variables["error"].get("variables").is_none());
}

// ---------------------------------------------------------------------------------------------
// Panics and bad input
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_panicking_connector_fails_only_its_own_job() {
    let pipeline = pipeline();
    let panicking = job(
        json!({"panic": true, "n": 1}),
        &[("retryBackoff", "PT3S")],
        3,
    );
    let healthy = job(json!({"n": 2}), &[("resultVariable", "r")], 3);

    let (failed, completed) = tokio::join!(
        pipeline.run(&Panicky, panicking),
        pipeline.run(&Panicky, healthy)
    );

    let (retries, backoff, message, variables) = expect_fail(&failed);
    assert_eq!((retries, backoff), (2, Duration::from_secs(3)));
    assert!(
        message.contains("panicked") && message.contains("boom in job 1"),
        "{message}"
    );
    assert_eq!(variables["error"]["code"], "CONNECTOR_PANICKED");
    assert_eq!(completed, complete(json!({"r": {"n": 2}})));
}

#[tokio::test]
async fn variables_that_are_not_an_object_fail_clearly() {
    for (variables, kind) in [
        (json!([1, 2]), "an array"),
        (json!("x"), "a string"),
        (json!(7), "a number"),
    ] {
        let connector = Scripted::returning(json!({}));
        let command = run(&connector, job(variables, &[], 3)).await;
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 0);
        assert!(
            message.contains("variables") && message.contains(kind),
            "{message}"
        );
        assert_eq!(connector.calls(), 0);
    }

    let connector = Scripted::new(|input| Ok(input.clone()));
    let command = run(&connector, job(Value::Null, &[("resultVariable", "r")], 3)).await;
    assert_eq!(command, complete(json!({"r": {}})));
}

#[tokio::test]
async fn wrong_types_fail_naming_the_field() {
    let connector = Api::default();
    let variables = json!({"url": "https://example.test", "api_key": {"nested": true}});
    let command = pipeline().run(&connector, job(variables, &[], 3)).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("api_key"), "{message}");

    let variables = json!({"url": "https://example.test", "api_key": "k", "limit": "ten"});
    let command = pipeline().run(&connector, job(variables, &[], 3)).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("limit"), "{message}");
    assert_eq!(connector.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_malformed_activation_entry_still_runs_or_fails_clearly() {
    let job: ActivatedJob = serde_json::from_value(json!({
        "jobKey": 1, "type": "io.example:scripted:1", "retries": 2,
        "customHeaders": {"resultVariable": 5, "retryBackoff": null},
        "variables": null, "somethingNew": true
    }))
    .unwrap();
    let connector = Scripted::returning(json!("ok"));
    let command = run(&connector, job).await;
    assert_eq!(command, complete(json!({"5": "ok"})));
}

// ---------------------------------------------------------------------------------------------
// Every case of feel-cases.json, through the pipeline
// ---------------------------------------------------------------------------------------------

/// A connector returning a case's response, or failing with its error.
fn case_connector(case: &Value) -> Scripted {
    let response = case["response"].clone();
    let error = case["error"].clone();
    Scripted::new(move |_| {
        if error.is_null() {
            return Ok(response.clone());
        }
        let message = error["message"].as_str().unwrap_or_default();
        let code = error["code"].as_str().unwrap_or_default();
        let mut err = if error["type"]
            .as_str()
            .is_some_and(|t| t.ends_with("ConnectorInputException"))
        {
            ConnectorError::input(message).with_code(code)
        } else {
            ConnectorError::failure(code, message)
        };
        if let Some(variables) = error.get("variables") {
            err = err.with_variables(variables.clone());
        }
        Err(err)
    })
}

/// JSON equality with numbers compared by value and object keys in any order.
fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// Why `command` does not match the case's `pipeline` field, if it does not.
fn pipeline_mismatch(expected: &Value, command: &JobCommand) -> Option<String> {
    let actual = serde_json::to_value(command).unwrap();
    let name = match expected["command"].as_str() {
        Some("completeJob") => "complete",
        Some("failJob") => "fail",
        Some("throwError") => "throwError",
        other => return Some(format!("unknown pipeline command {other:?}")),
    };
    if actual["command"] != name {
        return Some(format!("expected {name}, got {actual}"));
    }

    let mut expected_fields = expected.as_object().unwrap().clone();
    expected_fields.remove("command");
    expected_fields.remove("reason");
    if name == "complete" && !expected_fields.contains_key("variables") {
        expected_fields.insert("variables".into(), json!({}));
    }
    if name == "throwError" && expected_fields.get("errorMessage") == Some(&Value::Null) {
        expected_fields.remove("errorMessage");
    }
    for (key, value) in &expected_fields {
        if !same_json(value, &actual[key]) {
            return Some(format!("`{key}`: expected {value}, got {}", actual[key]));
        }
    }
    None
}

#[tokio::test]
async fn every_feel_case_reaches_the_engine_as_documented() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/feel-cases.json"
    ))
    .expect("tests/data/feel-cases.json");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("feel cases are JSON");
    assert_eq!(cases.len(), 60);

    let pipeline = pipeline();
    let mut mismatches = Vec::new();
    for case in &cases {
        let header = match case["kind"].as_str() {
            Some("result") => "resultExpression",
            _ => "errorExpression",
        };
        let expression = case["expression"].as_str().unwrap();
        let retries = case["job_retries"].as_i64().map_or(3, |r| r as i32);
        let connector = case_connector(case);

        let command = pipeline
            .run(&connector, job(json!({}), &[(header, expression)], retries))
            .await;
        if let Some(why) = pipeline_mismatch(&case["pipeline"], &command) {
            mismatches.push(format!("{}: {why}", case["id"].as_str().unwrap()));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Logging
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn logs_carry_the_job_span_and_never_a_secret_even_at_trace() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let pipeline = pipeline_with(MemorySecretProvider::new([("DB_PASS", "hunter2")]));
    let echo = Scripted::new(|input| Ok(json!({"echo": input["password"]})));
    let variables = json!({"password": "{{secrets.DB_PASS}}"});
    let headers = [("resultVariable", "r"), ("errorExpression", "=null")];
    let command = pipeline
        .run(&echo, job(variables.clone(), &headers, 3))
        .await;
    assert_eq!(command, complete(json!({"r": {"echo": "hunter2"}})));

    let panics = Scripted::new(|input| panic!("cannot log in with {}", input["password"]));
    let command = pipeline.run(&panics, job(variables, &[], 3)).await;
    assert_eq!(expect_fail(&command).0, 2);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("connector.job"), "{logs}");
    assert!(logs.contains("job.key=2251799813685249"), "{logs}");
    assert!(logs.contains("element.id=call-api"), "{logs}");
    assert!(logs.contains("job completed"), "{logs}");
    assert!(logs.contains("job failed"), "{logs}");
    assert!(
        logs.contains("***"),
        "payloads are logged masked at TRACE: {logs}"
    );
    assert!(!logs.contains("hunter2"), "{logs}");
}

// ---------------------------------------------------------------------------------------------
// Bounds and masking of values that JSON escapes
// ---------------------------------------------------------------------------------------------

/// A secret JSON escapes: a quote, a backslash and a newline.
const AWKWARD_SECRET: &str = "pa\"ss\\w0\nrd";

/// Echoes its `token` input (the resolved secret) as `body.t`.
fn echoing_token() -> Scripted {
    Scripted::new(|input| Ok(json!({"body": {"t": input["token"]}})))
}

async fn run_with_awkward_secret(headers: &[(&str, &str)]) -> JobCommand {
    let provider = MemorySecretProvider::new([("PW", AWKWARD_SECRET)]);
    let job = job(json!({"token": "{{secrets.PW}}"}), headers, 3);
    pipeline_with(provider).run(&echoing_token(), job).await
}

#[track_caller]
fn assert_no_secret(command: &JobCommand) {
    let text = format!("{command:?} {}", serde_json::to_string(command).unwrap());
    let escaped = serde_json::to_string(AWKWARD_SECRET).unwrap();
    let escaped = escaped.trim_matches('"');
    for needle in [AWKWARD_SECRET, escaped, "w0\\nrd", "w0\nrd", "pa\\\"ss"] {
        assert!(!text.contains(needle), "{needle:?} leaked in {text}");
    }
}

#[tokio::test]
async fn awkward_secrets_are_masked_in_a_non_object_result_message() {
    for expression in ["=body.t", "=[body.t, 1]"] {
        let command = run_with_awkward_secret(&[("resultExpression", expression)]).await;
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 0);
        assert!(message.contains("***"), "{message}");
        assert_no_secret(&command);
    }
}

#[tokio::test]
async fn awkward_secrets_are_masked_in_a_non_error_expression_result() {
    for expression in ["=body.t", "=[body.t]", "=context put({}, body.t, 1)"] {
        let command = run_with_awkward_secret(&[("errorExpression", expression)]).await;
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 0);
        assert!(message.contains("is not a connector error"), "{message}");
        assert!(message.contains("***"), "{message}");
        assert_no_secret(&command);
    }
}

#[tokio::test]
async fn bpmn_errors_from_an_error_expression_are_masked() {
    let expression = "=bpmnError(body.t, body.t, {x: body.t})";
    let command = run_with_awkward_secret(&[("errorExpression", expression)]).await;
    let (code, message, variables) = expect_throw(&command);
    assert_eq!(code, "***");
    assert_eq!(message, Some("***"));
    assert_eq!(variables["x"], "***");
    assert_no_secret(&command);
}

#[tokio::test]
async fn bpmn_errors_from_a_connector_are_masked() {
    let provider = MemorySecretProvider::new([("PW", AWKWARD_SECRET)]);
    let connector = Scripted::failing_with_input(|input| {
        let token = input["token"].as_str().unwrap_or_default().to_owned();
        ConnectorError::bpmn(token.clone(), token.clone()).with_variables(json!({"x": token}))
    });
    let job = job(json!({"token": "{{secrets.PW}}"}), &[], 3);
    let command = pipeline_with(provider).run(&connector, job).await;
    let (code, message, variables) = expect_throw(&command);
    assert_eq!(code, "***");
    assert_eq!(message, Some("***"));
    assert_eq!(variables["x"], "***");
}

#[tokio::test]
async fn absurdly_long_error_codes_fail_the_job() {
    let code = "E".repeat(10_000);
    let expression = format!("=bpmnError(\"{code}\", \"m\")");
    let command = run(
        &Scripted::returning(json!({})),
        job(json!({}), &[("errorExpression", &expression)], 3),
    )
    .await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(
        message.contains("characters long, more than the 256"),
        "{message}"
    );

    let connector = Scripted::failing(|| ConnectorError::bpmn("C".repeat(10_000), "m"));
    let command = run(&connector, job(json!({}), &[], 3)).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("so it was not thrown"), "{message}");
    assert!(message.len() < 2_000, "{message}");
}

#[tokio::test]
async fn job_error_retries_are_clamped_to_the_engine_type() {
    let expression = r#"=jobError("m", {}, 4294967295)"#;
    let command = run(
        &Scripted::returning(json!({})),
        job(json!({}), &[("errorExpression", expression)], 3),
    )
    .await;
    let (retries, ..) = expect_fail(&command);
    assert_eq!(retries, 2_147_483_647);
    let json = serde_json::to_value(&command).unwrap();
    assert_eq!(json["retries"], 2_147_483_647);
}

#[tokio::test]
async fn long_operator_chains_do_not_overflow_the_stack() {
    // 2 000 terms aborted the process on the main thread's 8 MiB stack.
    let expression = format!("={{a: {}}}", vec!["1"; 2_000].join("+"));
    let command = run(
        &Scripted::returning(json!({})),
        job(json!({}), &[("resultExpression", &expression)], 3),
    )
    .await;
    assert_eq!(command, complete(json!({"a": 2000})));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expressions_do_not_run_on_the_async_worker_threads() {
    // 600 terms aborted the process on a 2 MiB tokio worker thread.
    let expression = format!("={{a: {}}}", vec!["1"; 600].join("+"));
    let command = run(
        &Scripted::returning(json!({})),
        job(json!({}), &[("resultExpression", &expression)], 3),
    )
    .await;
    assert_eq!(command, complete(json!({"a": 600})));
}

#[tokio::test]
async fn recursive_functions_and_huge_expressions_fail_the_job() {
    let recursive = "={f: function(n) if n = 0 then 0 else f(n-1), r: f(100000)}.r";
    let huge = format!("={{a: {}}}", vec!["1"; 20_000].join("+"));
    for (header, expression, reason) in [
        ("resultExpression", recursive, "defines a function"),
        ("errorExpression", recursive, "defines a function"),
        (
            "resultExpression",
            huge.as_str(),
            "more than the 16384 bytes",
        ),
    ] {
        let command = run(
            &Scripted::returning(json!({})),
            job(json!({}), &[(header, expression)], 3),
        )
        .await;
        let (retries, _, message, _) = expect_fail(&command);
        assert_eq!(retries, 0);
        assert!(message.contains(reason), "{message}");
    }
}

#[tokio::test]
async fn a_slow_expression_fails_the_job_with_no_retries() {
    let items: Vec<Value> = (0..20_000).map(Value::from).collect();
    let feel = FeelEngine::new().with_timeout(Duration::from_millis(200));
    let pipeline = JobPipeline::new(feel, Arc::new(MemorySecretProvider::default()));
    let connector = Scripted::returning(json!({"items": items}));
    let job = job(
        json!({}),
        &[("resultExpression", "={all: for x in items return x}")],
        3,
    );

    let command = pipeline.run(&connector, job).await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.contains("took longer than 200ms"), "{message}");
}

#[tokio::test]
async fn the_reason_survives_a_huge_value() {
    let url = format!("ftp://{}", "x".repeat(10 * 1024 * 1024));
    let command = pipeline()
        .run(
            &Api::default(),
            job(json!({"url": url, "api_key": "k"}), &[], 3),
        )
        .await;
    let (retries, _, message, _) = expect_fail(&command);
    assert_eq!(retries, 0);
    assert!(message.chars().count() <= MAX_MESSAGE_CHARS);
    assert!(
        message.contains("url: "),
        "{}",
        &message[..message.len().min(300)]
    );
    assert!(
        message.contains("http"),
        "{}",
        &message[..message.len().min(300)]
    );
}
