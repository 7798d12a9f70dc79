//! The REST client against the fake engine: every endpoint, error classification, and the
//! three authentication strategies.

use std::time::Duration;

use camunda_connector_runtime::engine::{
    ActivateJobsRequest, Auth, CompleteJobRequest, CorrelateMessageRequest,
    CreateProcessInstanceRequest, EngineClient, EngineConfig, EngineError, FailJobRequest,
    OAuthConfig, PublishMessageRequest, Secret, ThrowErrorRequest,
};
use camunda_connector_testkit::fake_engine::{
    CommandKind, Endpoint, FakeEngine, FakeJob, Fault, JobOutcome,
};
use serde_json::json;

const TYPE: &str = "io.example:test:1";

fn client(engine: &FakeEngine) -> EngineClient {
    EngineClient::new(EngineConfig::new(&engine.base_url()).unwrap()).unwrap()
}

fn activation(max: i32) -> ActivateJobsRequest {
    let mut request = ActivateJobsRequest::new(TYPE, "test-worker", 10_000, max);
    request.request_timeout = Some(-1);
    request
}

#[tokio::test]
async fn activates_and_completes_a_job_with_its_variables_and_headers() {
    let engine = FakeEngine::start().await;
    let key = engine.enqueue(
        FakeJob::new(TYPE)
            .variables(json!({"a": 1, "b": "two"}))
            .header("resultVariable", "out"),
    );
    let client = client(&engine);

    let jobs = client.activate_jobs(&activation(10)).await.unwrap().jobs;
    let variables = json!({"done": true}).as_object().unwrap().clone();
    client
        .complete_job(&key, &CompleteJobRequest::with_variables(variables))
        .await
        .unwrap();

    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].job_key, key);
    assert_eq!(jobs[0].variables, json!({"a": 1, "b": "two"}));
    assert_eq!(jobs[0].header("resultVariable"), Some("out"));
    assert_eq!(jobs[0].worker, "test-worker");
    assert!(jobs[0].deadline.is_some());
    assert_eq!(engine.outcome(&key), Some(JobOutcome::Completed));
    assert_eq!(
        engine.accepted_commands(&key)[0].body["variables"],
        json!({"done": true})
    );
}

#[tokio::test]
async fn fetches_only_the_requested_variables() {
    let engine = FakeEngine::start().await;
    engine.enqueue(FakeJob::new(TYPE).variables(json!({"a": 1, "b": 2, "c": 3})));
    let mut request = activation(1);
    request.fetch_variable = Some(vec!["a".into(), "c".into()]);

    let jobs = client(&engine).activate_jobs(&request).await.unwrap().jobs;

    assert_eq!(jobs[0].variables, json!({"a": 1, "c": 3}));
    assert_eq!(
        engine.activations()[0].body["fetchVariable"],
        json!(["a", "c"])
    );
}

#[tokio::test]
async fn a_long_poll_returns_as_soon_as_a_job_arrives() {
    let engine = FakeEngine::start().await;
    let client = client(&engine);
    let mut request = activation(1);
    request.request_timeout = Some(5_000);

    let polling = tokio::spawn(async move { client.activate_jobs(&request).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let key = engine.enqueue(FakeJob::new(TYPE));
    let jobs = polling.await.unwrap().unwrap().jobs;

    assert_eq!(jobs[0].job_key, key);
}

#[tokio::test]
async fn reads_the_answers_of_an_8_8_server() {
    let engine = FakeEngine::builder().camunda_8_8().start().await;
    engine.enqueue(FakeJob::new(TYPE));

    let jobs = client(&engine)
        .activate_jobs(&activation(1))
        .await
        .unwrap()
        .jobs;

    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].root_process_instance_key, None);
}

#[tokio::test]
async fn fails_with_retries_and_backoff_and_throws_bpmn_errors() {
    let engine = FakeEngine::start().await;
    let failed = engine.enqueue(FakeJob::new(TYPE));
    let errored = engine.enqueue(FakeJob::new(TYPE));
    let client = client(&engine);
    client.activate_jobs(&activation(2)).await.unwrap();

    let failure = FailJobRequest::new(2, "upstream down").with_retry_back_off(60_000);
    client.fail_job(&failed, &failure).await.unwrap();
    client
        .throw_error(&errored, &ThrowErrorRequest::new("NOT_FOUND", "no order"))
        .await
        .unwrap();
    let again = client.activate_jobs(&activation(2)).await.unwrap().jobs;

    let body = &engine.accepted_commands(&failed)[0].body;
    assert_eq!(body["retries"], 2);
    assert_eq!(body["retryBackOff"], 60_000);
    assert_eq!(body["errorMessage"], "upstream down");
    assert_eq!(
        engine.outcome(&errored),
        Some(JobOutcome::BpmnError("NOT_FOUND".into()))
    );
    assert!(again.is_empty(), "the failed job waits for its backoff");
    assert_eq!(engine.open_jobs(), 1);
}

#[tokio::test]
async fn updates_a_job_timeout_and_echoes_lease_tokens() {
    let engine = FakeEngine::start().await;
    let key = engine.enqueue(FakeJob::new(TYPE));
    let client = client(&engine);
    client.activate_jobs(&activation(1)).await.unwrap();

    client
        .update_job_timeout(&key, Duration::from_secs(600))
        .await
        .unwrap();
    client
        .job_command(
            &key,
            "completion",
            Some(&CompleteJobRequest::default()),
            Some("lease-1"),
        )
        .await
        .unwrap();

    let commands = engine.accepted_commands(&key);
    assert_eq!(commands[0].kind, CommandKind::Update);
    assert_eq!(commands[0].body, json!({"changeset": {"timeout": 600_000}}));
    assert_eq!(commands[1].body["jobLeaseToken"], "lease-1");
}

#[tokio::test]
async fn publishes_and_correlates_messages_and_creates_instances() {
    let engine = FakeEngine::start().await;
    let client = client(&engine);
    let mut publish = PublishMessageRequest::new("paid", "order-1");
    publish.message_id = Some("d-1".into());
    publish.time_to_live = Some(60_000);

    let published = client.publish_message(&publish).await.unwrap();
    let correlated = client
        .correlate_message(&CorrelateMessageRequest::new("paid", "order-2"))
        .await
        .unwrap();
    let created = client
        .create_process_instance(&CreateProcessInstanceRequest::by_id("order-process"))
        .await
        .unwrap();

    let requests = engine.requests();
    assert!(!published.message_key.is_empty());
    assert!(!correlated.process_instance_key.is_empty());
    assert!(!created.process_instance_key.is_empty());
    assert_eq!(requests[0].endpoint, Endpoint::Publication);
    assert_eq!(
        requests[0].body,
        json!({"name": "paid", "correlationKey": "order-1", "timeToLive": 60000, "messageId": "d-1"})
    );
    assert_eq!(requests[1].body["correlationKey"], "order-2");
    assert_eq!(
        requests[2].body,
        json!({"processDefinitionId": "order-process"})
    );
}

#[tokio::test]
async fn classifies_each_kind_of_engine_error() {
    let engine = FakeEngine::start().await;
    let client = client(&engine);
    type Check = fn(&EngineError) -> bool;
    let cases: [(Fault, Check); 6] = [
        (Fault::Backpressure, |e| {
            e.is_backpressure() && e.is_transient()
        }),
        (Fault::ResourceExhausted, |e| {
            e.is_backpressure() && e.status() == Some(500)
        }),
        (Fault::NotFound, |e| e.is_not_found() && !e.is_transient()),
        (Fault::Status(409), |e| {
            matches!(e, EngineError::Conflict(_))
        }),
        (Fault::Status(400), |e| {
            matches!(e, EngineError::Rejected { .. }) && !e.is_transient()
        }),
        (Fault::DropConnection, |e| {
            matches!(e, EngineError::Network(_)) && e.is_transient()
        }),
    ];

    for (fault, expected) in cases {
        engine.inject(Endpoint::Activation, fault, 1);
        let err = client.activate_jobs(&activation(1)).await.unwrap_err();
        assert!(expected(&err), "{fault:?} gave {err:?}");
    }
}

#[tokio::test]
async fn a_completion_of_an_unknown_job_is_not_found_with_the_problem_detail() {
    let engine = FakeEngine::start().await;

    let err = client(&engine)
        .complete_job("2251799813685249", &CompleteJobRequest::default())
        .await
        .unwrap_err();

    let EngineError::NotFound(problem) = err else {
        panic!("expected NOT_FOUND, got {err:?}")
    };
    assert_eq!(problem.title.as_deref(), Some("NOT_FOUND"));
    assert!(problem.detail.unwrap().contains("2251799813685249"));
}

#[tokio::test]
async fn basic_auth_is_sent_and_wrong_credentials_are_unauthorized() {
    let engine = FakeEngine::builder()
        .basic_auth("demo", "s3cret")
        .start()
        .await;
    engine.enqueue(FakeJob::new(TYPE));
    let config = |password: &str| {
        EngineConfig::new(&engine.base_url())
            .unwrap()
            .with_auth(Auth::Basic {
                username: "demo".into(),
                password: Secret::new(password),
            })
    };

    let good = EngineClient::new(config("s3cret")).unwrap();
    let bad = EngineClient::new(config("wrong")).unwrap();

    assert_eq!(good.activate_jobs(&activation(1)).await.unwrap().len(), 1);
    let err = bad.activate_jobs(&activation(1)).await.unwrap_err();
    assert!(
        matches!(err, EngineError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
}

fn oauth_client(engine: &FakeEngine, secret: &str) -> EngineClient {
    let mut oauth = OAuthConfig::new(engine.token_url(), "client", Secret::new(secret));
    oauth.audience = Some("zeebe-api".into());
    oauth.request_timeout = Duration::from_millis(200);
    let config = EngineConfig::new(&engine.base_url())
        .unwrap()
        .with_auth(Auth::OAuth(oauth));
    EngineClient::new(config).unwrap()
}

#[tokio::test]
async fn oauth_fetches_one_token_for_many_concurrent_requests() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;
    let client = oauth_client(&engine, "secret");

    let requests = (0..20).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.activate_jobs(&activation(1)).await })
    });
    for request in requests {
        request.await.unwrap().unwrap();
    }

    assert_eq!(engine.token_requests(), 1);
}

/// A short-lived token is refreshed at half its lifetime; the client keeps any token for at
/// least 5 s, so the lifetime here is 10 s.
#[tokio::test]
async fn oauth_refreshes_the_token_before_it_expires() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .token_lifetime(Duration::from_secs(10))
        .start()
        .await;
    let client = oauth_client(&engine, "secret");

    client.activate_jobs(&activation(1)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(5_200)).await;
    client.activate_jobs(&activation(1)).await.unwrap();

    assert_eq!(engine.token_requests(), 2);
}

#[tokio::test]
async fn a_failing_or_hanging_token_endpoint_is_retried_and_never_blocks_for_good() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;
    let client = oauth_client(&engine, "secret");

    engine.inject(Endpoint::Token, Fault::Status(503), 1);
    engine.inject(Endpoint::Token, Fault::Delay(Duration::from_secs(5)), 1);
    let recovered = client.activate_jobs(&activation(1)).await;
    engine.inject(Endpoint::Token, Fault::Delay(Duration::from_secs(5)), 3);
    let hung = client.activate_jobs(&activation(1)).await;

    assert!(recovered.is_ok(), "{recovered:?}");
    assert_eq!(engine.token_requests(), 3);
    assert!(hung.is_ok(), "the cached token is still valid: {hung:?}");
}

#[tokio::test]
async fn a_token_endpoint_that_keeps_hanging_gives_a_transient_error() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;
    let client = oauth_client(&engine, "secret");
    engine.inject(Endpoint::Token, Fault::Delay(Duration::from_secs(5)), 3);

    let err = client.activate_jobs(&activation(1)).await.unwrap_err();
    let recovered = client.activate_jobs(&activation(1)).await;

    assert!(
        matches!(err, EngineError::Auth(_)) && err.is_transient(),
        "{err:?}"
    );
    assert!(recovered.is_ok(), "{recovered:?}");
}

#[tokio::test]
async fn rejected_client_credentials_are_not_transient() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;

    let err = oauth_client(&engine, "wrong")
        .activate_jobs(&activation(1))
        .await
        .unwrap_err();

    assert!(
        matches!(err, EngineError::Auth(_)) && !err.is_transient(),
        "{err:?}"
    );
    assert!(!err.to_string().contains("wrong"));
}

/// A 401 means the engine no longer accepts the cached token: it is dropped, one fresh token
/// is fetched and the request is sent again, once.
#[tokio::test]
async fn a_401_drops_the_cached_token_and_retries_once_with_a_fresh_one() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;
    let client = oauth_client(&engine, "secret");
    client.activate_jobs(&activation(1)).await.unwrap();
    assert_eq!(engine.token_requests(), 1);
    let key = engine.enqueue(FakeJob::new(TYPE));

    engine.inject(Endpoint::Activation, Fault::Status(401), 1);
    let jobs = client.activate_jobs(&activation(1)).await.unwrap().jobs;
    let fetched_for_the_retry = engine.token_requests();
    client.activate_jobs(&activation(1)).await.unwrap();

    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].job_key, key);
    assert_eq!(fetched_for_the_retry, 2, "exactly one more token fetch");
    assert_eq!(engine.token_requests(), 2, "the fresh token is cached");
}

/// A 401 that persists after the retry is reported as unauthorized; the client neither loops
/// nor keeps asking the token endpoint.
#[tokio::test]
async fn a_persistent_401_is_unauthorized_after_one_retry() {
    let engine = FakeEngine::builder()
        .oauth("client", "secret")
        .start()
        .await;
    let client = oauth_client(&engine, "secret");
    engine.inject(Endpoint::Activation, Fault::Status(401), 100);

    let err = client.activate_jobs(&activation(1)).await.unwrap_err();

    assert!(
        matches!(err, EngineError::Unauthorized { status: 401, .. }),
        "{err:?}"
    );
    assert!(!err.is_transient(), "{err:?}");
    assert_eq!(
        engine.token_requests(),
        2,
        "the first token and one fresh one"
    );
}

/// The activation is read job by job: a job with a fractional `retries`, variables nested past
/// the parser's limit or a null key is reported on its own, and the others are returned.
#[tokio::test]
async fn an_unreadable_job_does_not_hide_the_rest_of_its_batch() {
    let engine = FakeEngine::start().await;
    let deep = (0..200).fold(json!(1), |inner, _| json!([inner]));
    let first = engine.enqueue(FakeJob::new(TYPE));
    let fractional = engine.enqueue(FakeJob::new(TYPE).raw_field("retries", json!(1.5)));
    let nested = engine.enqueue(FakeJob::new(TYPE).raw_field("variables", json!({"a": deep})));
    engine.enqueue(FakeJob::new(TYPE).raw_field("jobKey", serde_json::Value::Null));
    let last = engine.enqueue(FakeJob::new(TYPE));

    let batch = client(&engine)
        .activate_jobs(&activation(10))
        .await
        .unwrap();

    let keys: Vec<&str> = batch.jobs.iter().map(|job| job.job_key.as_str()).collect();
    assert_eq!(keys, [first.as_str(), last.as_str()]);
    let unreadable: Vec<Option<&str>> = batch
        .unreadable
        .iter()
        .map(|job| job.job_key.as_deref())
        .collect();
    assert_eq!(
        unreadable,
        [Some(fractional.as_str()), Some(nested.as_str()), None]
    );
    assert!(batch.unreadable[0].reason.contains("`retries`"));
    assert!(batch.unreadable[1].reason.contains("128 levels"));
    assert!(batch.unreadable[2].reason.contains("`jobKey`"));
}

/// Job keys are path segments: a key with `/`, `?` or `#` cannot change the endpoint.
#[tokio::test]
async fn job_keys_are_encoded_as_one_path_segment() {
    let engine = FakeEngine::start().await;

    let err = client(&engine)
        .complete_job("1/../../x?y", &CompleteJobRequest::default())
        .await
        .unwrap_err();

    assert!(err.is_not_found(), "{err:?}");
    let commands = engine.commands();
    assert_eq!(commands.len(), 1, "{commands:#?}");
    assert_eq!(commands[0].job_key, "1/../../x?y");
}
