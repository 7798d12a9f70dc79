//! A fake Camunda 8 engine on 127.0.0.1, to try `connectors run` (or your own connector
//! binary) without a cluster.
//!
//! ```sh
//! cargo run -p camunda-connector-testkit --example fake_engine -- 3
//! ```
//!
//! It prints the address to set as `CAMUNDA_REST_ADDRESS`, enqueues that many HTTP JSON jobs
//! (`io.camunda:http-json:1`, each a GET of the fake engine's own `/v2/topology` with a result
//! expression), prints every command a worker sends, and exits once every job has ended, or on
//! Ctrl-C.

use std::time::Duration;

use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob};
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let jobs: usize = match std::env::args().nth(1) {
        Some(count) => count
            .parse()
            .map_err(|_| format!("the job count must be a number, not `{count}`"))?,
        None => 3,
    };

    let engine = FakeEngine::start().await;
    let url = format!("{}/v2/topology", engine.base_url());
    for _ in 0..jobs {
        engine.enqueue(
            FakeJob::new("io.camunda:http-json:1")
                .variables(
                    json!({"method": "GET", "url": url, "authentication": {"type": "noAuth"}}),
                )
                .header(
                    "resultExpression",
                    "={clusterSize: response.body.clusterSize}",
                ),
        );
    }
    println!("fake engine with {jobs} open jobs; in another terminal:");
    println!(
        "  CAMUNDA_REST_ADDRESS={} cargo run -p examples -- run",
        engine.base_url()
    );

    tokio::select! {
        () = print_commands(&engine) => println!("every job has ended"),
        _ = tokio::signal::ctrl_c() => println!("stopped with {} open jobs", engine.open_jobs()),
    }
    Ok(())
}

/// Prints each command as it arrives, until no job is open.
async fn print_commands(engine: &FakeEngine) {
    let mut seen = 0;
    loop {
        let commands = engine.commands();
        for command in &commands[seen..] {
            println!(
                "job {}: {:?} ({:?}) {}",
                command.job_key, command.kind, command.outcome, command.body
            );
        }
        seen = commands.len();
        if engine.open_jobs() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
