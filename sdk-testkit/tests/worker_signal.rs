//! How the runtime and the `run` command end. SIGTERM and Ctrl-C (SIGINT) stop the runtime
//! gracefully: in-flight jobs finish, then `run_until_shutdown` returns `Ok`; a second signal
//! stops it at once. In their own test binary because a signal goes to the whole process; the
//! tests that signal this process take turns, so one test's signal never stops another's
//! runtime. The tests of the `run` command start it in a child process (this test binary,
//! running [`run_the_cli_in_a_child_process`]) and signal only the child.

#![cfg(unix)]

mod common;

use std::process::{ExitCode, Stdio};
use std::sync::{Arc, Mutex as StdMutex};
use std::time::{Duration, Instant};

use camunda_connector_runtime::cli::{self, CliError, Connectors, RunArgs};
use camunda_connector_runtime::engine::EngineConfig;
use camunda_connector_runtime::worker::{Runtime, RuntimeError, WorkerArgs};
use camunda_connector_sdk::secrets::MemorySecretProvider;
use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use camunda_connector_testkit::fake_engine::{Endpoint, FakeEngine, FakeJob, Fault, JobOutcome};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Mutex;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use common::{Doomed, PanicOnFailedActivation};

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

/// Sleeps for `sleepMs`.
struct Sleeper;

#[async_trait]
impl OutboundConnector for Sleeper {
    const NAME: &'static str = "sleeper";
    const TYPE: &'static str = "io.example:sleeper:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        let sleep = input["sleepMs"].as_u64().unwrap_or(0);
        tokio::time::sleep(Duration::from_millis(sleep)).await;
        Ok(json!({"slept": sleep}))
    }
}

fn sleeper_job(sleep_ms: u64) -> FakeJob {
    FakeJob::new(Sleeper::TYPE).variables(json!({"sleepMs": sleep_ms}))
}

fn kill(signal_name: &str, pid: u32) {
    let status = std::process::Command::new("kill")
        .args([signal_name, &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal_name} {pid}: {status}");
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

/// A second signal while a 20 s job runs (grace 20 s) stops at once: the runtime returns
/// `Interrupted` and leaves the job to the engine, which re-activates it after its timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_stops_at_once_leaving_in_flight_jobs_to_the_engine() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let _listening = signal(SignalKind::terminate()).unwrap();
    let engine = FakeEngine::start().await;
    let key = engine.enqueue(sleeper_job(20_000));
    let mut args = WorkerArgs::default();
    args.no_management = true;
    args.request_timeout = Duration::from_millis(200);
    args.shutdown_grace = Duration::from_secs(20);
    let runtime = Runtime::builder()
        .engine(EngineConfig::new(&engine.base_url()).unwrap())
        .worker(args)
        .secrets(MemorySecretProvider::default())
        .connector(Sleeper)
        .build()
        .unwrap();

    let running = tokio::spawn(runtime.run_until_shutdown());
    engine
        .wait_until("the job activated", |e| {
            e.activations().iter().any(|a| a.job_keys.contains(&key))
        })
        .await;
    // Signals that arrive close together count once, so signal until the runtime returns:
    // the first signal seen starts the graceful stop, the next one ends it.
    let started = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            kill("-TERM", std::process::id());
            tokio::time::sleep(Duration::from_millis(200)).await;
            if running.is_finished() {
                return running.await.unwrap();
            }
        }
    })
    .await
    .expect("the runtime stops after a second signal");
    let took = started.elapsed();

    assert!(
        matches!(result, Err(RuntimeError::Interrupted)),
        "{result:?}"
    );
    assert!(took < Duration::from_secs(5), "stopping took {took:?}");
    assert_eq!(engine.outcome(&key), None);
    assert_eq!(engine.open_jobs(), 1, "the engine still holds the job");
}

/// The client secret the child is given; it must never reach the logs.
const CLIENT_SECRET: &str = "s3cret-never-logged";
const CHILD: &str = "run_the_cli_in_a_child_process";

/// `connectors run` as a binary runs it: through `cli::block_on` and `Command::execute`, with
/// the engine settings from the environment and no `RUST_LOG`. With `CHILD_SCENARIO=panic` the
/// doomed connector's worker panics on its first failed activation. Exits with 0 on success,
/// 1 on an error; the command itself exits with 130 on a second signal.
#[test]
#[ignore = "run in a child process by the tests of the run command"]
fn run_the_cli_in_a_child_process() {
    if std::env::var("CHILD_SCENARIO").as_deref() == Ok("panic") {
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(LevelFilter::INFO),
            )
            .with(PanicOnFailedActivation {
                job_type: Doomed::TYPE,
            })
            .init();
    }
    let mut args = RunArgs::default();
    args.worker.management_address = "127.0.0.1:0".parse().unwrap();
    args.worker.request_timeout = Duration::from_millis(300);
    args.worker.shutdown_grace = Duration::from_secs(20);
    let connectors = Connectors::new().with(Sleeper).with(Doomed);

    let code = cli::block_on(async move {
        cli::Command::Run(Box::new(args))
            .execute(&connectors)
            .await?;
        Ok::<_, CliError>(ExitCode::SUCCESS)
    });
    std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
}

/// The `run` command in a child process, with its stderr collected line by line.
struct ChildCli {
    child: tokio::process::Child,
    stderr: Arc<StdMutex<Vec<String>>>,
}

impl ChildCli {
    fn start(engine: &FakeEngine, scenario: &str) -> ChildCli {
        let mut child = tokio::process::Command::new(std::env::current_exe().unwrap())
            .args([
                CHILD,
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env_clear()
            .env("CHILD_SCENARIO", scenario)
            .env("CAMUNDA_REST_ADDRESS", engine.base_url())
            .env("CAMUNDA_OAUTH_URL", engine.token_url())
            .env("CAMUNDA_CLIENT_ID", "id")
            .env("CAMUNDA_CLIENT_SECRET", CLIENT_SECRET)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let stderr = Arc::new(StdMutex::new(Vec::new()));
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let collected = stderr.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                collected.lock().unwrap().push(line);
            }
        });
        ChildCli { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    async fn wait_for_line(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let found = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|line| line.contains(needle))
                .cloned();
            if let Some(line) = found {
                return line;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "no line with `{needle}` in:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn signal(&self, signal_name: &str) {
        kill(signal_name, self.child.id().unwrap());
    }

    async fn exit_code(&mut self) -> Option<i32> {
        let status = tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .unwrap_or_else(|_| panic!("the child still runs; it logged:\n{}", self.stderr()))
            .unwrap();
        // Lets the reader take the last lines.
        tokio::time::sleep(Duration::from_millis(100)).await;
        status.code()
    }
}

/// Without `RUST_LOG`, `run` says at INFO that it started (engine, job types, concurrency,
/// management address) and that it stopped, and never prints the client secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_logs_its_start_and_stop_by_default() {
    let engine = FakeEngine::builder()
        .oauth("id", CLIENT_SECRET)
        .start()
        .await;
    let key = engine.enqueue(sleeper_job(0));

    let mut cli = ChildCli::start(&engine, "run");
    let started = cli.wait_for_line("connector runtime started").await;
    engine.wait_for_all_jobs().await;
    cli.signal("-TERM");
    let code = cli.exit_code().await;

    let stderr = cli.stderr();
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(engine.outcome(&key), Some(JobOutcome::Completed));
    for part in [
        "INFO",
        Sleeper::TYPE,
        Doomed::TYPE,
        "max_jobs_active=32",
        &engine.base_url(),
        "management=127.0.0.1:",
    ] {
        assert!(started.contains(part), "`{part}` missing in: {started}");
    }
    assert!(stderr.contains("runtime stopped"), "{stderr}");
    assert!(!stderr.contains(CLIENT_SECRET), "{stderr}");
}

/// A second SIGTERM while a 20 s job runs ends `run` at once with exit code 130, saying the
/// job was abandoned.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_signal_ends_run_at_once_with_exit_code_130() {
    let engine = FakeEngine::builder()
        .oauth("id", CLIENT_SECRET)
        .start()
        .await;
    let key = engine.enqueue(sleeper_job(20_000));

    let mut cli = ChildCli::start(&engine, "run");
    engine
        .wait_until("the job activated", |e| {
            e.activations().iter().any(|a| a.job_keys.contains(&key))
        })
        .await;
    cli.signal("-TERM");
    cli.wait_for_line("shutting down").await;
    let started = Instant::now();
    cli.signal("-TERM");
    let code = cli.exit_code().await;
    let took = started.elapsed();

    let stderr = cli.stderr();
    assert_eq!(code, Some(cli::INTERRUPTED_EXIT_CODE), "{stderr}");
    assert!(took < Duration::from_secs(3), "exiting took {took:?}");
    assert!(stderr.contains("in-flight jobs are abandoned"), "{stderr}");
    assert_eq!(engine.outcome(&key), None);
}

/// A worker whose task panics ends `run` with a non-zero exit code and an error naming the
/// worker, without any signal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_worker_ends_run_with_an_error() {
    let engine = FakeEngine::builder()
        .oauth("id", CLIENT_SECRET)
        .start()
        .await;
    engine.inject(Endpoint::Activation, Fault::Status(500), usize::MAX);

    let mut cli = ChildCli::start(&engine, "panic");
    let code = cli.exit_code().await;

    let stderr = cli.stderr();
    assert_eq!(code, Some(1), "{stderr}");
    let error = format!(
        "error: the worker for the job type `{}` failed",
        Doomed::TYPE
    );
    assert!(stderr.contains(&error), "{stderr}");
}
