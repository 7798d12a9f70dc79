//! Throughput of our job worker against Camunda's official Rust client, same run, same fake
//! engine over loopback: a no-op connector, jobs per second and activation-to-command latency.
//! With `CONNECTORS_BIN` set to a built `connectors` binary, also the idle and loaded RSS and
//! the start-up time of `connectors run`.
//!
//! ```text
//! cargo bench -p camunda-connector-testkit --bench worker_throughput
//! cargo build -p examples --release
//! CONNECTORS_BIN=$PWD/target/release/connectors cargo bench -p camunda-connector-testkit --bench worker_throughput
//! ```
//!
//! `BENCH_JOBS` (default 5000) and `BENCH_CONCURRENCY` (default 32) change the scenario;
//! `BENCH_ONLY=ours` or `BENCH_ONLY=official` runs one worker alone (for profiling).

use std::process::Stdio;
use std::time::{Duration, Instant};

use std::sync::Arc;

use camunda_connector_runtime::engine::EngineConfig;
use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::ActivatedJob;
use camunda_connector_runtime::pipeline::JobPipeline;
use camunda_connector_runtime::worker::{Runtime, WorkerArgs};
use camunda_connector_sdk::secrets::MemorySecretProvider;
use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob};
use camunda_orchestration_sdk::{CamundaClient, CamundaOptions, JobAction, JobWorkerConfig};
use serde_json::{Value, json};

const TYPE: &str = "io.example:noop:1";
const ROUNDS: usize = 3;

struct Noop;

#[async_trait]
impl OutboundConnector for Noop {
    const NAME: &'static str = "noop";
    const TYPE: &'static str = TYPE;
    type Input = Value;
    type Output = Value;

    async fn execute(&self, _: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(Value::Null)
    }
}

struct Measured {
    activations: usize,
    jobs_per_second: f64,
    cpu_per_job: Duration,
    p50: Duration,
    p99: Duration,
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn enqueue(engine: &FakeEngine, jobs: usize) {
    for n in 0..jobs {
        engine.enqueue(FakeJob::new(TYPE).variables(json!({"n": n, "payload": "x".repeat(64)})));
    }
}

/// CPU time used so far by every thread of this process (workers and fake engine alike), from
/// the scheduler's per-thread nanosecond counters.
fn process_cpu() -> Duration {
    let Ok(threads) = std::fs::read_dir("/proc/self/task") else {
        return Duration::ZERO;
    };
    let nanos = threads
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    Duration::from_nanos(nanos)
}

async fn drain(engine: &FakeEngine, started: Instant, cpu: Duration, jobs: usize) -> Measured {
    while engine.open_jobs() > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "the benchmark stalled"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let took = started.elapsed();
    let cpu_per_job = process_cpu().saturating_sub(cpu) / u32::try_from(jobs).unwrap_or(u32::MAX);
    let mut latencies = engine.command_latencies();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q) as usize];
    Measured {
        activations: engine.activation_requests(),
        jobs_per_second: jobs as f64 / took.as_secs_f64(),
        cpu_per_job,
        p50: at(0.50),
        p99: at(0.99),
    }
}

async fn ours(jobs: usize, concurrency: usize) -> Measured {
    let engine = FakeEngine::start().await;
    enqueue(&engine, jobs);
    let mut args = WorkerArgs::default();
    args.max_jobs_active = concurrency;
    args.no_management = true;
    args.request_timeout = Duration::from_secs(1);

    let runtime = Runtime::builder()
        .engine(EngineConfig::new(&engine.base_url()).unwrap())
        .worker(args)
        .secrets(MemorySecretProvider::default())
        .connector(Noop)
        .build()
        .unwrap();

    // As for the official worker, the clock starts once the client is built.
    let (started, cpu) = (Instant::now(), process_cpu());
    let running = runtime.start().await.unwrap();
    let measured = drain(&engine, started, cpu, jobs).await;
    running.shutdown().await.unwrap();
    measured
}

async fn official(jobs: usize, concurrency: usize) -> Measured {
    let engine = FakeEngine::start().await;
    enqueue(&engine, jobs);
    let client = CamundaClient::new(
        CamundaOptions::new()
            .with("CAMUNDA_REST_ADDRESS", engine.base_url())
            .with("CAMUNDA_AUTH_STRATEGY", "NONE")
            .with("CAMUNDA_FALCON", "false"),
    )
    .unwrap();
    let mut config = JobWorkerConfig::new(TYPE).max_jobs_to_activate(concurrency as i32);
    config.request_timeout_ms = 1000;

    let (started, cpu) = (Instant::now(), process_cpu());
    let worker = client
        .create_job_worker(config)
        .spawn(|_job| async { JobAction::complete() });
    let measured = drain(&engine, started, cpu, jobs).await;
    let _ = worker.shutdown().await;
    measured
}

fn row(name: &str, m: &Measured) {
    println!(
        "| {name} | {:.0} | {:.1} | {:.2} | {:.2} | {} |",
        m.jobs_per_second,
        m.cpu_per_job.as_secs_f64() * 1e6,
        m.p50.as_secs_f64() * 1e3,
        m.p99.as_secs_f64() * 1e3,
        m.activations
    );
}

fn median_by_throughput(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by(|a, b| a.jobs_per_second.total_cmp(&b.jobs_per_second));
    runs.swap_remove(runs.len() / 2)
}

/// The job pipeline alone, for the no-op connector: the share of a job's cost that is ours.
async fn pipeline_cost() {
    let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(MemorySecretProvider::default()));
    let runs = 20_000;
    let started = Instant::now();
    for n in 0..runs {
        let mut job = ActivatedJob::new(n.to_string(), TYPE, 3);
        job.variables = json!({"n": n, "payload": "x".repeat(64)});
        std::hint::black_box(pipeline.run(&Noop, job).await);
    }
    let each = started.elapsed() / runs;
    println!(
        "\njob pipeline alone (no-op connector): {:.1} µs per job",
        each.as_secs_f64() * 1e6
    );
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Runs `connectors run` against a fake engine: start-up time to the first activation, idle
/// RSS, and RSS after working through HTTP JSON jobs that call the fake engine's topology.
async fn binary(bin: &str) {
    let engine = FakeEngine::start().await;
    let started = Instant::now();
    let mut child = tokio::process::Command::new(bin)
        .arg("run")
        .args([
            "--management-address",
            "127.0.0.1:0",
            "--request-timeout",
            "1s",
        ])
        .env("CAMUNDA_REST_ADDRESS", engine.base_url())
        .env("RUST_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("CONNECTORS_BIN does not start");
    let pid = child.id().expect("the child runs");
    while engine.activation_requests() == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "`connectors run` never polled"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let startup = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = rss_kib(pid);

    let jobs = 2000;
    let url = format!("{}/v2/topology", engine.base_url());
    for _ in 0..jobs {
        engine.enqueue(
            FakeJob::new("io.camunda:http-json:1")
                .variables(
                    json!({"method": "GET", "url": url, "authentication": {"type": "noAuth"}}),
                )
                .header("resultExpression", "={size: response.body.clusterSize}"),
        );
    }
    let work = Instant::now();
    let mut peak = 0;
    while engine.open_jobs() > 0 && work.elapsed() < Duration::from_secs(120) {
        peak = peak.max(rss_kib(pid).unwrap_or(0));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let took = work.elapsed();
    let loaded = rss_kib(pid);

    let _ = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let status = child.wait().await;
    println!("\n`connectors run` ({bin}):");
    println!(
        "- start-up to first activation request: {:.0} ms",
        startup.as_secs_f64() * 1e3
    );
    println!("- idle RSS after 2 s: {} KiB", idle.unwrap_or(0));
    println!(
        "- {jobs} HTTP JSON jobs in {:.2} s; peak RSS {peak} KiB, after {} KiB",
        took.as_secs_f64(),
        loaded.unwrap_or(0)
    );
    println!("- exit after SIGTERM: {status:?}");
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let jobs = env_usize("BENCH_JOBS", 5000);
    let concurrency = env_usize("BENCH_CONCURRENCY", 32);
    if std::env::args().any(|a| a == "--list") {
        return;
    }

    runtime.block_on(async {
        let mut our_runs = Vec::new();
        let mut official_runs = Vec::new();
        let only = std::env::var("BENCH_ONLY").unwrap_or_default();
        for _ in 0..ROUNDS {
            if only != "official" {
                our_runs.push(ours(jobs, concurrency).await);
            }
            if only != "ours" {
                official_runs.push(official(jobs, concurrency).await);
            }
        }
        if our_runs.is_empty() || official_runs.is_empty() {
            let runs = if our_runs.is_empty() {
                official_runs
            } else {
                our_runs
            };
            let m = median_by_throughput(runs);
            println!(
                "{only} alone: {:.0} jobs/s, {:.1} µs CPU per job",
                m.jobs_per_second,
                m.cpu_per_job.as_secs_f64() * 1e6
            );
            return;
        }
        let (a, b) = (
            median_by_throughput(our_runs),
            median_by_throughput(official_runs),
        );

        println!("{jobs} no-op jobs, {concurrency} in flight, median of {ROUNDS} rounds:\n");
        println!("| worker | jobs/s | CPU µs per job | p50 ms | p99 ms | activation requests |");
        println!("|---|---|---|---|---|---|");
        row("camunda-connector-runtime", &a);
        row("camunda-orchestration-sdk 10.0.0", &b);
        println!(
            "\nthroughput ratio (ours / official): {:.2}",
            a.jobs_per_second / b.jobs_per_second
        );

        pipeline_cost().await;
        if let Ok(bin) = std::env::var("CONNECTORS_BIN") {
            binary(&bin).await;
        }
    });
}
