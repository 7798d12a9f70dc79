//! The job worker against the fake engine: concurrency (C31), variable fetching, faults,
//! recovery, a failing worker, shutdown, metrics and health.

mod common;

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::StatusCode;
use camunda_connector_runtime::engine::{Auth, EngineConfig, OAuthConfig, Secret};
use camunda_connector_runtime::worker::{RunningRuntime, Runtime, RuntimeError, WorkerArgs};
use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::secrets::MemorySecretProvider;
use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use camunda_connector_testkit::fake_engine::{
    CommandKind, CommandOutcome, Endpoint, FakeEngine, FakeJob, Fault, JobOutcome,
};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tracing_subscriber::layer::SubscriberExt;

use common::{Doomed, PANIC_MESSAGE, PanicOnFailedActivation};

/// Sleeps for `sleepMs`, counts its runs and how many run at once, panics when `panic` is
/// true.
#[derive(Clone, Default)]
struct Sleepy {
    calls: Arc<AtomicUsize>,
    running: Arc<AtomicUsize>,
    most: Arc<AtomicUsize>,
}

#[async_trait]
impl OutboundConnector for Sleepy {
    const NAME: &'static str = "sleepy";
    const TYPE: &'static str = "io.example:sleepy:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        let sleep = input["sleepMs"].as_u64().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(sleep)).await;
        self.running.fetch_sub(1, Ordering::SeqCst);
        if input["panic"] == true {
            panic!("the connector panicked on purpose");
        }
        if let Some(code) = input["bpmnError"].as_str() {
            return Err(ConnectorError::bpmn(code, "asked for a BPMN error"));
        }
        Ok(json!({"slept": sleep}))
    }
}

/// Reads only `a`.
struct OnlyA;

#[async_trait]
impl OutboundConnector for OnlyA {
    const NAME: &'static str = "only-a";
    const TYPE: &'static str = "io.example:only-a:1";
    const INPUT_VARIABLES: &'static [&'static str] = &["a"];
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(json!({"seen": input}))
    }
}

fn worker_args(max_active: usize) -> WorkerArgs {
    let mut args = WorkerArgs::default();
    args.max_jobs_active = max_active;
    args.no_management = true;
    args.request_timeout = Duration::from_millis(300);
    args.job_timeout = Duration::from_secs(5);
    args.shutdown_grace = Duration::from_secs(5);
    args.poll_backoff_base = Duration::from_millis(20);
    args.poll_backoff_max = Duration::from_millis(200);
    args
}

async fn start(
    engine: &FakeEngine,
    connector: impl DynOutboundConnector,
    args: WorkerArgs,
) -> RunningRuntime {
    start_with(
        EngineConfig::new(&engine.base_url()).unwrap(),
        connector,
        args,
    )
    .await
}

async fn start_with(
    config: EngineConfig,
    connector: impl DynOutboundConnector,
    args: WorkerArgs,
) -> RunningRuntime {
    Runtime::builder()
        .engine(config)
        .worker(args)
        .secrets(MemorySecretProvider::default())
        .connector(connector)
        .build()
        .unwrap()
        .start()
        .await
        .unwrap()
}

fn sleepy_job(sleep_ms: u64) -> FakeJob {
    FakeJob::new(Sleepy::TYPE).variables(json!({"sleepMs": sleep_ms}))
}

/// Every job reached exactly one end, and no job was completed twice.
fn assert_each_job_ended_once(engine: &FakeEngine, keys: &[String]) {
    for key in keys {
        let ends: Vec<_> = engine
            .accepted_commands(key)
            .into_iter()
            .filter(|c| c.kind != CommandKind::Update)
            .collect();
        assert_eq!(
            ends.len(),
            1,
            "job {key} ended {} times: {ends:#?}",
            ends.len()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c31_three_one_second_jobs_run_concurrently() {
    let engine = FakeEngine::start().await;
    let connector = Sleepy::default();
    let keys: Vec<String> = (0..3).map(|_| engine.enqueue(sleepy_job(1000))).collect();

    let started = Instant::now();
    let running = start(&engine, connector.clone(), worker_args(3)).await;
    engine.wait_for_all_jobs().await;
    let took = started.elapsed();
    running.shutdown().await.unwrap();

    assert!(
        took < Duration::from_millis(1500),
        "three 1 s jobs took {took:?}"
    );
    assert!(connector.most.load(Ordering::SeqCst) <= 3);
    assert_each_job_ended_once(&engine, &keys);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c31_never_more_than_the_bound_in_flight_and_polls_again_when_a_slot_frees() {
    let engine = FakeEngine::start().await;
    let connector = Sleepy::default();
    let mut keys = vec![engine.enqueue(sleepy_job(50))];
    keys.extend((0..5).map(|_| engine.enqueue(sleepy_job(400))));

    let running = start(&engine, connector.clone(), worker_args(2)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    let activations = engine.activations();
    let asked: Vec<i64> = activations
        .iter()
        .map(|a| a.body["maxJobsToActivate"].as_i64().unwrap())
        .collect();
    assert_eq!(connector.most.load(Ordering::SeqCst), 2);
    assert!(asked.iter().all(|max| *max <= 2), "{asked:?}");
    assert!(
        asked.contains(&1),
        "the worker asked for one job when one slot freed: {asked:?}"
    );
    assert_each_job_ended_once(&engine, &keys);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn c31_a_panicking_job_fails_alone() {
    let engine = FakeEngine::start().await;
    let panicking = engine.enqueue(FakeJob::new(Sleepy::TYPE).variables(json!({"panic": true})));
    let fine = engine.enqueue(sleepy_job(10));

    let running = start(&engine, Sleepy::default(), worker_args(3)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    let failed = &engine.accepted_commands(&panicking)[0];
    assert_eq!(failed.kind, CommandKind::Fail);
    assert_eq!(failed.body["retries"], 2);
    assert_eq!(engine.outcome(&fine), Some(JobOutcome::Completed));
}

#[tokio::test]
async fn fetches_only_the_declared_input_variables() {
    let engine = FakeEngine::start().await;
    let key = engine.enqueue(
        FakeJob::new(OnlyA::TYPE)
            .variables(json!({"a": 1, "secretStuff": 2}))
            .header("resultVariable", "result"),
    );

    let running = start(&engine, OnlyA, worker_args(4)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert_eq!(engine.activations()[0].body["fetchVariable"], json!(["a"]));
    let completion = &engine.accepted_commands(&key)[0];
    assert_eq!(
        completion.body["variables"],
        json!({"result": {"seen": {"a": 1}}})
    );
}

#[tokio::test]
async fn bpmn_errors_and_job_timeout_headers_reach_the_engine() {
    let engine = FakeEngine::start().await;
    let errored = engine.enqueue(
        FakeJob::new(Sleepy::TYPE)
            .variables(json!({"bpmnError": "NO_STOCK"}))
            .header("jobTimeout", "PT10M"),
    );

    let running = start(&engine, Sleepy::default(), worker_args(4)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    let commands = engine.accepted_commands(&errored);
    assert_eq!(commands[0].kind, CommandKind::Update);
    assert_eq!(commands[0].body["changeset"]["timeout"], 600_000);
    assert_eq!(commands[1].kind, CommandKind::ThrowError);
    assert_eq!(
        engine.outcome(&errored),
        Some(JobOutcome::BpmnError("NO_STOCK".into()))
    );
}

/// Each way the engine can fail, on activation and on completion: the worker backs off,
/// recovers, and every job ends exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovers_from_every_kind_of_engine_fault() {
    let faults = [
        Fault::Backpressure,
        Fault::ResourceExhausted,
        Fault::Status(500),
        Fault::Status(502),
        Fault::DropConnection,
        Fault::Delay(Duration::from_millis(200)),
    ];
    for endpoint in [Endpoint::Activation, Endpoint::Completion] {
        for fault in faults {
            let engine = FakeEngine::start().await;
            engine.inject(endpoint, fault, 2);
            let keys: Vec<String> = (0..4).map(|_| engine.enqueue(sleepy_job(0))).collect();

            let running = start(&engine, Sleepy::default(), worker_args(4)).await;
            engine.wait_for_all_jobs().await;
            running.shutdown().await.unwrap();

            assert_each_job_ended_once(&engine, &keys);
            for key in &keys {
                assert_eq!(
                    engine.outcome(key),
                    Some(JobOutcome::Completed),
                    "{endpoint:?} {fault:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_lost_completion_response_is_not_completed_twice() {
    let engine = FakeEngine::start().await;
    engine.inject(Endpoint::Completion, Fault::DropResponse, 1);
    let key = engine.enqueue(sleepy_job(0));

    let running = start(&engine, Sleepy::default(), worker_args(1)).await;
    engine
        .wait_until("the retried completion", |e| e.commands().len() >= 2)
        .await;
    running.shutdown().await.unwrap();

    let commands = engine.commands();
    assert_eq!(engine.completions(&key), 1);
    assert_eq!(
        commands[1].outcome,
        CommandOutcome::NotFound,
        "{commands:#?}"
    );
    assert_eq!(
        commands.len(),
        2,
        "NOT_FOUND is dropped, not retried: {commands:#?}"
    );
}

#[tokio::test]
async fn a_not_found_completion_is_dropped_and_the_job_is_reactivated_after_its_timeout() {
    let engine = FakeEngine::start().await;
    engine.inject(Endpoint::Completion, Fault::NotFound, 1);
    let key = engine.enqueue(sleepy_job(0));
    let mut args = worker_args(1);
    args.job_timeout = Duration::from_millis(300);

    let running = start(&engine, Sleepy::default(), args).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    let activated: usize = engine
        .activations()
        .iter()
        .filter(|a| a.job_keys.contains(&key))
        .count();
    assert_eq!(activated, 2);
    assert_eq!(engine.completions(&key), 1);
}

#[tokio::test]
async fn a_failing_engine_is_polled_with_backoff_never_in_a_hot_loop() {
    let engine = FakeEngine::start().await;
    engine.inject(Endpoint::Activation, Fault::Backpressure, usize::MAX);
    let mut args = worker_args(1);
    args.poll_backoff_base = Duration::from_millis(50);

    let running = start(&engine, Sleepy::default(), args).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let polls = engine.activation_requests();
    engine.clear_faults();
    let key = engine.enqueue(sleepy_job(0));
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert!(
        (2..=10).contains(&polls),
        "{polls} activation requests in 600 ms"
    );
    assert_eq!(engine.completions(&key), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_in_flight_jobs_and_activates_no_more() {
    let engine = FakeEngine::start().await;
    let connector = Sleepy::default();
    let first: Vec<String> = (0..2).map(|_| engine.enqueue(sleepy_job(300))).collect();

    let running = start(&engine, connector.clone(), worker_args(2)).await;
    engine
        .wait_until("both jobs in flight", |_| {
            connector.running.load(Ordering::SeqCst) == 2
        })
        .await;
    let later = engine.enqueue(sleepy_job(0));
    running.shutdown().await.unwrap();

    assert_each_job_ended_once(&engine, &first);
    assert_eq!(
        engine.outcome(&later),
        None,
        "no job is activated after shutdown"
    );
    assert!(
        engine
            .activations()
            .iter()
            .all(|a| !a.job_keys.contains(&later))
    );
}

#[tokio::test]
async fn a_job_outliving_the_grace_period_is_left_to_time_out() {
    let engine = FakeEngine::start().await;
    let connector = Sleepy::default();
    let key = engine.enqueue(sleepy_job(5_000));
    let mut args = worker_args(1);
    args.shutdown_grace = Duration::from_millis(100);

    let running = start(&engine, connector.clone(), args).await;
    engine
        .wait_until("the job in flight", |_| {
            connector.running.load(Ordering::SeqCst) == 1
        })
        .await;
    running.shutdown().await.unwrap();

    assert!(engine.commands().is_empty());
    assert_eq!(engine.outcome(&key), None);
    assert_eq!(
        engine.open_jobs(),
        1,
        "the engine still holds the job for re-activation"
    );
}

#[tokio::test]
async fn works_with_oauth() {
    let engine = FakeEngine::builder().oauth("id", "secret").start().await;
    let key = engine.enqueue(sleepy_job(0));
    let oauth = OAuthConfig::new(engine.token_url(), "id", Secret::new("secret"));
    let config = EngineConfig::new(&engine.base_url())
        .unwrap()
        .with_auth(Auth::OAuth(oauth));

    let running = start_with(config, Sleepy::default(), worker_args(2)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert_eq!(engine.completions(&key), 1);
    assert_eq!(engine.token_requests(), 1);
}

/// A token endpoint in front of the fake engine's: it answers 200 with a maintenance page to
/// the requests numbered in `garbage` (counted from 1) and passes the others on. Returns its
/// URL and how many requests it received.
async fn flaky_token_endpoint(
    engine: &FakeEngine,
    garbage: RangeInclusive<usize>,
    answer: (StatusCode, &'static str),
) -> (String, Arc<AtomicUsize>) {
    let upstream = engine.token_url();
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    let forward = move |body: Bytes| {
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        let (upstream, garbage) = (upstream.clone(), garbage.clone());
        async move {
            if garbage.contains(&n) {
                return (answer.0, answer.1.to_owned());
            }
            let answer = reqwest::Client::new()
                .post(upstream)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = StatusCode::from_u16(answer.status().as_u16()).unwrap();
            (status, answer.text().await.unwrap())
        }
    };
    let app = axum::Router::new().route("/token", axum::routing::post(forward));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/token", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, requests)
}

/// An OAuth engine with one job whose first completion is refused with 401, and a config
/// that reaches its token endpoint through `flaky_token_endpoint`.
async fn refused_completion_behind(
    flaky: RangeInclusive<usize>,
    answer: (StatusCode, &'static str),
) -> (FakeEngine, EngineConfig, String, Arc<AtomicUsize>) {
    let engine = FakeEngine::builder().oauth("id", "secret").start().await;
    let (token_url, token_requests) = flaky_token_endpoint(&engine, flaky, answer).await;
    let key = engine.enqueue(sleepy_job(0));
    engine.inject(Endpoint::Completion, Fault::Status(401), 1);
    let oauth = OAuthConfig::new(token_url, "id", Secret::new("secret"));
    let config = EngineConfig::new(&engine.base_url())
        .unwrap()
        .with_auth(Auth::OAuth(oauth));
    (engine, config, key, token_requests)
}

/// The engine refuses the completion's token once; every attempt at a fresh one gets a
/// maintenance page until the fifth token request. The completion is retried, not dropped.
#[tokio::test]
async fn a_completion_outlasts_a_token_endpoint_answering_garbage() {
    let maintenance = (StatusCode::OK, "<html>maintenance</html>");
    let (engine, config, key, token_requests) = refused_completion_behind(2..=4, maintenance).await;

    // One slot: no activation asks for a token while the job's command is being delivered.
    let running = start_with(config, Sleepy::default(), worker_args(1)).await;
    let deadline = Instant::now() + Duration::from_secs(3);
    while engine.completions(&key) == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    running.shutdown().await.unwrap();

    assert_eq!(
        engine.completions(&key),
        1,
        "completed before the 5 s job timeout"
    );
    assert_eq!(token_requests.load(Ordering::SeqCst), 5);
}

/// A token endpoint that refuses once (an identity provider restarting with its clients
/// not yet loaded) does not cost the job its command: the command is retried.
#[tokio::test]
async fn a_completion_outlasts_a_token_endpoint_refusing_once() {
    let refusal = (StatusCode::BAD_REQUEST, r#"{"error":"invalid_client"}"#);
    let (engine, config, key, token_requests) = refused_completion_behind(2..=2, refusal).await;

    let running = start_with(config, Sleepy::default(), worker_args(1)).await;
    engine
        .wait_until("the job to complete", |e| e.completions(&key) == 1)
        .await;
    running.shutdown().await.unwrap();

    assert_eq!(token_requests.load(Ordering::SeqCst), 3);
    assert_eq!(
        engine.activations().len(),
        1,
        "the job was not handed out again"
    );
}

async fn get(url: String) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn serves_health_and_prometheus_metrics() {
    let engine = FakeEngine::start().await;
    let keys = [
        engine.enqueue(sleepy_job(0)),
        engine.enqueue(FakeJob::new(Sleepy::TYPE).variables(json!({"bpmnError": "E"}))),
    ];
    let mut args = worker_args(2);
    args.no_management = false;
    args.management_address = "127.0.0.1:0".parse().unwrap();

    let running = start(&engine, Sleepy::default(), args).await;
    let base = format!("http://{}", running.management_addr().unwrap());
    engine.wait_for_all_jobs().await;
    let (health_status, health) = get(format!("{base}/health")).await;
    engine.inject(Endpoint::Activation, Fault::Backpressure, usize::MAX);
    engine
        .wait_until("a failed poll", |e| e.activation_requests() >= 3)
        .await;
    let (down_status, down) = get(format!("{base}/health")).await;
    let (live_status, _) = get(format!("{base}/health/liveness")).await;
    let (_, metrics) = get(format!("{base}/metrics")).await;
    running.shutdown().await.unwrap();

    assert_each_job_ended_once(&engine, &keys);
    assert_eq!(
        (health_status, health.as_str()),
        (200, r#"{"status":"UP"}"#)
    );
    assert_eq!(down_status, 503, "{down}");
    let down: Value = serde_json::from_str(&down).unwrap();
    assert_eq!(down["status"], "DOWN");
    let error = down["workers"][Sleepy::TYPE]["error"].as_str().unwrap();
    assert!(error.contains("RESOURCE_EXHAUSTED"), "{error}");
    assert_eq!(
        live_status, 200,
        "an unreachable engine does not make the process dead"
    );
    for line in [
        r#"camunda_connector_jobs_activated_total{job_type="io.example:sleepy:1"} 2"#,
        r#"camunda_connector_jobs_completed_total{job_type="io.example:sleepy:1"} 1"#,
        r#"camunda_connector_jobs_bpmn_errors_total{job_type="io.example:sleepy:1"} 1"#,
        r#"camunda_connector_job_duration_seconds_count{job_type="io.example:sleepy:1"} 2"#,
    ] {
        assert!(metrics.contains(line), "missing {line} in\n{metrics}");
    }
}

fn with_management(mut args: WorkerArgs) -> WorkerArgs {
    args.no_management = false;
    args.management_address = "127.0.0.1:0".parse().unwrap();
    args
}

/// Before a worker's first activation is answered — here the token endpoint hangs — `/health`
/// must not say UP, while `/health/liveness` does (the process is fine).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_is_starting_until_the_first_activation_is_answered() {
    let engine = FakeEngine::builder().oauth("id", "secret").start().await;
    engine.inject(
        Endpoint::Token,
        Fault::Delay(Duration::from_millis(1500)),
        1,
    );
    let oauth = OAuthConfig::new(engine.token_url(), "id", Secret::new("secret"));
    let config = EngineConfig::new(&engine.base_url())
        .unwrap()
        .with_auth(Auth::OAuth(oauth));

    let running = start_with(config, Sleepy::default(), with_management(worker_args(1))).await;
    let base = format!("http://{}", running.management_addr().unwrap());
    let (starting_status, starting) = get(format!("{base}/health")).await;
    let (live_status, live) = get(format!("{base}/health/liveness")).await;
    let up = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let (status, body) = get(format!("{base}/health")).await;
            if status == 200 {
                return body;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("/health turns UP once the first activation is answered");
    running.shutdown().await.unwrap();

    assert_eq!(starting_status, 503, "{starting}");
    assert_eq!(
        serde_json::from_str::<Value>(&starting).unwrap(),
        json!({"status": "STARTING", "workers": {Sleepy::TYPE: {"status": "STARTING"}}})
    );
    assert_eq!((live_status, live.as_str()), (200, r#"{"status":"UP"}"#));
    assert_eq!(up, r#"{"status":"UP"}"#);
}

/// A client that sends half a request and keeps the connection open must not hold up the
/// stop: the management server drops it a second after the workers stopped.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_management_request_does_not_hold_up_shutdown() {
    let engine = FakeEngine::start().await;
    let running = start(&engine, Sleepy::default(), with_management(worker_args(1))).await;
    let mut held = tokio::net::TcpStream::connect(running.management_addr().unwrap())
        .await
        .unwrap();
    held.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;

    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), running.shutdown())
        .await
        .expect("the runtime stops although a management request is half sent")
        .unwrap();
    let took = started.elapsed();

    assert!(took < Duration::from_secs(3), "stopping took {took:?}");
    drop(held);
}

/// A worker task that panics (a bug) must not leave a runtime that looks alive: the other
/// workers stop as on SIGTERM, their in-flight jobs finish, and the runtime returns an error
/// naming the failed worker. The panic is made by a tracing layer on this test's thread,
/// which runs every task of the runtime.
#[tokio::test]
async fn a_panicking_worker_stops_the_others_gracefully_and_the_runtime_fails() {
    let panicking = tracing_subscriber::registry().with(PanicOnFailedActivation {
        job_type: Doomed::TYPE,
    });
    let _scope = tracing::subscriber::set_default(panicking);
    let engine = FakeEngine::start().await;
    let connector = Sleepy::default();
    let key = engine.enqueue(sleepy_job(1000));
    let runtime = Runtime::builder()
        .engine(EngineConfig::new(&engine.base_url()).unwrap())
        .worker(worker_args(1))
        .secrets(MemorySecretProvider::default())
        .connector(connector.clone())
        .connector(Doomed)
        .build()
        .unwrap();

    let run = tokio::spawn(runtime.run_until(std::future::pending()));
    engine
        .wait_until("the sleepy job in flight", |_| {
            connector.running.load(Ordering::SeqCst) == 1
        })
        .await;
    // The sleepy worker has no free slot, so only the doomed worker polls and fails.
    engine.inject(Endpoint::Activation, Fault::Status(500), usize::MAX);
    let result = tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("the runtime stops by itself")
        .unwrap();

    let Err(RuntimeError::WorkerFailed { job_type, reason }) = &result else {
        panic!("expected a failed worker, got {result:?}");
    };
    assert_eq!(job_type, Doomed::TYPE);
    assert!(reason.contains(PANIC_MESSAGE), "{reason}");
    assert_eq!(
        engine.outcome(&key),
        Some(JobOutcome::Completed),
        "the other worker's job finished first"
    );
}

fn nested(depth: usize) -> Value {
    (0..depth).fold(json!(1), |inner, _| json!([inner]))
}

/// One job the worker cannot read must not hold back the rest of its batch, and gets an
/// incident naming the problem rather than coming back after every timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_job_is_failed_without_retries_and_its_batch_still_runs() {
    let engine = FakeEngine::start().await;
    let good_1 = engine.enqueue(sleepy_job(0));
    let fractional = engine.enqueue(sleepy_job(0).raw_field("retries", json!(1.5)));
    let deep = engine.enqueue(sleepy_job(0).raw_field("variables", json!({"a": nested(200)})));
    let good_2 = engine.enqueue(sleepy_job(0));

    let running = start(&engine, Sleepy::default(), worker_args(8)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert_eq!(engine.outcome(&good_1), Some(JobOutcome::Completed));
    assert_eq!(engine.outcome(&good_2), Some(JobOutcome::Completed));
    assert_each_job_ended_once(&engine, &[good_1, good_2, fractional.clone(), deep.clone()]);
    for (key, names) in [
        (&fractional, ["`retries`", "not run"]),
        (&deep, ["`variables`", "128 levels"]),
    ] {
        assert_eq!(engine.outcome(key), Some(JobOutcome::Incident), "{key}");
        let fail = &engine.accepted_commands(key)[0];
        assert_eq!(fail.kind, CommandKind::Fail);
        assert_eq!(fail.body["retries"], 0);
        let message = fail.body["errorMessage"].as_str().unwrap();
        for name in names {
            assert!(message.contains(name), "{key}: {message}");
        }
    }
}

/// A job whose key is null or empty cannot be answered: no command goes out (in particular
/// none to `/v2/jobs//...`), the others run, and the job is re-activated after its timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_without_a_usable_key_gets_no_command_and_times_out() {
    let engine = FakeEngine::start().await;
    let null_key = engine.enqueue(sleepy_job(0).raw_field("jobKey", Value::Null));
    let empty_key = engine.enqueue(sleepy_job(0).raw_field("jobKey", json!("")));
    let good = engine.enqueue(sleepy_job(0));
    let mut args = worker_args(8);
    args.job_timeout = Duration::from_millis(300);

    let running = start(&engine, Sleepy::default(), args).await;
    engine
        .wait_until("the good job to complete", |e| e.completions(&good) == 1)
        .await;
    engine
        .wait_until(
            "the keyless jobs to be activated again after their timeout",
            |e| {
                let activations = e.activations();
                [&null_key, &empty_key].iter().all(|key| {
                    activations
                        .iter()
                        .flat_map(|a| &a.job_keys)
                        .filter(|k| k == key)
                        .count()
                        >= 2
                })
            },
        )
        .await;
    running.shutdown().await.unwrap();

    let commands = engine.commands();
    assert!(
        commands.iter().all(|c| c.job_key == good),
        "only the good job gets commands: {commands:#?}"
    );
}

/// `CAMUNDA_DEFAULT_TENANT_ID` (as Camunda's clients read it) picks the tenant when no
/// tenant ids are set; explicit tenant ids win; with neither, the engine decides.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn activation_asks_for_the_configured_tenants() {
    let cases: [(Option<&str>, &[&str], Value); 3] = [
        (None, &[], Value::Null),
        (Some("tenant-a"), &[], json!(["tenant-a"])),
        (Some("tenant-a"), &["b", "c"], json!(["b", "c"])),
    ];
    for (default, tenants, expected) in cases {
        let engine = FakeEngine::start().await;
        engine.enqueue(sleepy_job(0));
        let mut args = worker_args(1);
        args.default_tenant_id = default.map(str::to_owned);
        args.tenant_ids = tenants.iter().map(|t| (*t).to_owned()).collect();

        let running = start(&engine, Sleepy::default(), args).await;
        engine.wait_for_all_jobs().await;
        running.shutdown().await.unwrap();

        let body = &engine.activations()[0].body;
        assert_eq!(
            body.get("tenantIds").cloned().unwrap_or(Value::Null),
            expected,
            "{default:?} {tenants:?}"
        );
    }
}

/// An engine that hands out more jobs than asked for must not push the worker past its
/// maximum: the extra jobs wait for free slots, and every job still ends once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_beyond_what_was_asked_for_wait_for_a_free_slot() {
    let engine = FakeEngine::builder().over_deliver(8).start().await;
    let keys: Vec<String> = (0..10).map(|_| engine.enqueue(sleepy_job(150))).collect();
    let connector = Sleepy::default();
    let most = connector.most.clone();

    let running = start(&engine, connector, worker_args(2)).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert!(
        engine.activations()[0].job_keys.len() > 2,
        "the engine did not over-deliver"
    );
    assert_eq!(most.load(Ordering::SeqCst), 2);
    assert_each_job_ended_once(&engine, &keys);
}

/// An extra job that waited for a slot longer than its lock is not run: the engine has
/// handed it out again, and running the stale copy would answer it twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extra_job_whose_lock_ran_out_while_waiting_is_left_to_the_engine() {
    let engine = FakeEngine::builder().over_deliver(3).start().await;
    // The first job holds the only slot for longer than the others' lock; its own lock is
    // extended by its header.
    let mut keys = vec![engine.enqueue(sleepy_job(400).header("jobTimeout", "PT10S"))];
    keys.extend((0..3).map(|_| engine.enqueue(sleepy_job(0))));
    let connector = Sleepy::default();
    let calls = connector.calls.clone();
    let mut args = worker_args(1);
    args.job_timeout = Duration::from_millis(200);

    let running = start(&engine, connector, args).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    assert!(
        engine.activations()[0].job_keys.len() > 1,
        "the engine did not over-deliver"
    );
    for key in &keys {
        let commands: Vec<_> = engine
            .commands()
            .into_iter()
            .filter(|c| &c.job_key == key && c.kind != CommandKind::Update)
            .collect();
        assert_eq!(commands.len(), 1, "job {key}: {commands:#?}");
    }
    assert_eq!(calls.load(Ordering::SeqCst), keys.len());
}

/// The same job twice in one answer runs once and gets one command.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_handed_out_twice_at_once_runs_once() {
    copies_of_a_job_run_once(FakeEngine::start().await, 2, 4).await;
}

/// A job whose type is not the one the worker asked for is not run by the wrong connector.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_of_another_type_is_not_run() {
    let engine = FakeEngine::start().await;
    let other = engine.enqueue(sleepy_job(0).raw_field("type", json!("io.other:x:1")));
    // Unreadable as well: still not this worker's to fail.
    let unreadable = engine.enqueue(
        sleepy_job(0)
            .raw_field("type", json!("io.other:x:1"))
            .raw_field("retries", json!("3")),
    );
    let good = engine.enqueue(sleepy_job(0));
    let connector = Sleepy::default();
    let calls = connector.calls.clone();

    let running = start(&engine, connector, worker_args(4)).await;
    engine
        .wait_until("the good job to complete", |e| e.completions(&good) == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    running.shutdown().await.unwrap();

    let commands = engine.commands();
    assert!(
        commands
            .iter()
            .all(|c| c.job_key != other && c.job_key != unreadable),
        "{commands:#?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// An engine that keeps handing out jobs that cannot be answered is not asked again in a
/// tight loop: the worker backs off as it does after a failed activation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_that_cannot_be_answered_do_not_make_a_hot_loop() {
    let engine = FakeEngine::start().await;
    for _ in 0..4 {
        engine.enqueue(sleepy_job(0).raw_field("jobKey", Value::Null));
    }
    let mut args = worker_args(4);
    args.job_timeout = Duration::from_millis(1);
    args.poll_backoff_base = Duration::from_millis(50);

    let running = start(&engine, Sleepy::default(), args).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let polls = engine.activation_requests();
    running.shutdown().await.unwrap();

    assert!(
        (2..=12).contains(&polls),
        "{polls} activation requests in 600 ms"
    );
}

/// A 404 on the timeout extension means the job is gone: it is not run, and the engine's
/// next hand-out of it runs as usual.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_gone_before_its_timeout_was_extended_is_not_run() {
    let engine = FakeEngine::start().await;
    engine.inject(Endpoint::UpdateJob, Fault::NotFound, 1);
    let key = engine.enqueue(sleepy_job(0).header("jobTimeout", "PT1M"));
    let connector = Sleepy::default();
    let calls = connector.calls.clone();
    let mut args = worker_args(1);
    args.job_timeout = Duration::from_millis(300);

    let running = start(&engine, connector, args).await;
    engine.wait_for_all_jobs().await;
    running.shutdown().await.unwrap();

    let activated = engine
        .activations()
        .iter()
        .filter(|a| a.job_keys.contains(&key))
        .count();
    assert_eq!(activated, 2, "run only once handed out again");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(engine.completions(&key), 1);
}

/// A copy of a job that is waiting for a slot (sent beyond what was asked for) is caught as
/// well: the job runs once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_copy_of_a_job_waiting_for_a_slot_runs_once() {
    let engine = FakeEngine::builder().over_deliver(2).start().await;
    copies_of_a_job_run_once(engine, 3, 1).await;
}

/// Hands out `copies` of one job in the first answer to a worker with `max_active` slots;
/// the job runs once and gets one command.
async fn copies_of_a_job_run_once(engine: FakeEngine, copies: usize, max_active: usize) {
    let key = engine.enqueue(sleepy_job(200));
    for _ in 1..copies {
        engine.enqueue(sleepy_job(200).raw_field("jobKey", json!(key)));
    }
    let connector = Sleepy::default();
    let calls = connector.calls.clone();

    let running = start(&engine, connector, worker_args(max_active)).await;
    engine
        .wait_until("the job to complete", |e| e.completions(&key) == 1)
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    running.shutdown().await.unwrap();

    assert_eq!(engine.activations()[0].job_keys.len(), copies);
    let commands: Vec<_> = engine
        .commands()
        .into_iter()
        .filter(|c| c.job_key == key)
        .collect();
    assert_eq!(commands.len(), 1, "{commands:#?}");
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}
