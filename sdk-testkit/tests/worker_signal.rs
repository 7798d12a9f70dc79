//! SIGTERM and Ctrl-C (SIGINT) stop the runtime gracefully: in-flight jobs finish, then
//! `run_until_shutdown` returns `Ok`. In their own test binary because a signal goes to the
//! whole process; the tests here take turns, so one test's signal never stops another's runtime.

#![cfg(unix)]

use std::time::Duration;

use camunda_connector_runtime::engine::EngineConfig;
use camunda_connector_runtime::worker::{Runtime, WorkerArgs};
use camunda_connector_sdk::secrets::MemorySecretProvider;
use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob, JobOutcome};
use serde_json::{Value, json};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Mutex;

/// Held for the whole of each test: signals are process-wide.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

struct Slow;

#[async_trait]
impl OutboundConnector for Slow {
    const NAME: &'static str = "slow";
    const TYPE: &'static str = "io.example:slow:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, _: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(json!({"done": true}))
    }
}

/// Starts a runtime with two slow jobs in flight, sends `signal_name` to this process and
/// checks that the runtime returns `Ok` only after both jobs completed.
async fn signal_lets_in_flight_jobs_finish(signal_name: &str) {
    let engine = FakeEngine::start().await;
    let keys: Vec<String> = (0..2)
        .map(|_| engine.enqueue(FakeJob::new(Slow::TYPE)))
        .collect();
    let mut args = WorkerArgs::default();
    args.no_management = true;
    args.request_timeout = Duration::from_millis(200);
    let runtime = Runtime::builder()
        .engine(EngineConfig::new(&engine.base_url()).unwrap())
        .worker(args)
        .secrets(MemorySecretProvider::default())
        .connector(Slow)
        .build()
        .unwrap();

    let running = tokio::spawn(runtime.run_until_shutdown());
    engine
        .wait_until("both jobs activated", |e| {
            e.open_jobs() == 2 && !e.activations().is_empty()
        })
        .await;
    let status = std::process::Command::new("kill")
        .args([signal_name, &std::process::id().to_string()])
        .status()
        .unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the runtime stops after the signal")
        .unwrap();

    assert!(status.success());
    assert!(result.is_ok(), "{result:?}");
    for key in &keys {
        assert_eq!(engine.outcome(key), Some(JobOutcome::Completed));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_in_flight_jobs_finish_then_returns_ok() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // Installs tokio's SIGTERM handler before the signal is sent, so the default action
    // (terminating the test process) can never apply.
    let _listening = signal(SignalKind::terminate()).unwrap();

    signal_lets_in_flight_jobs_finish("-TERM").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_lets_in_flight_jobs_finish_then_returns_ok() {
    let _turn = ONE_AT_A_TIME.lock().await;
    // As above, for SIGINT: the default action would end the test process.
    let _listening = signal(SignalKind::interrupt()).unwrap();

    signal_lets_in_flight_jobs_finish("-INT").await;
}
