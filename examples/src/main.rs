//! `connectors`: the example connectors' one binary.
//!
//! ```text
//! cargo run -p examples -- demo                                   # no Camunda, no internet
//! cargo run -p examples -- invoke --job examples/jobs/http-json-unreachable.json
//! cargo run -p examples -- invoke --job JOB.json --secret API_TOKEN=abc
//! cargo run -p examples -- templates --out target/element-templates
//! cargo run -p examples -- run                                    # against a Camunda 8 cluster
//! ```
//!
//! `templates`, `invoke` and `run` are the runtime's ready-made commands
//! ([`camunda_connector_runtime::cli`]); `demo` is this binary's own. Logs go to stderr
//! (`RUST_LOG=debug` for more); results go to stdout.

mod demo_command;

use std::process::ExitCode;

use camunda_connector_runtime::cli::{self, CliError};
use clap::{Parser, Subcommand};

/// Example Camunda 8 connectors: write their element templates, run a job, run them as job
/// workers, or run a demo.
#[derive(Debug, Parser)]
#[command(name = "connectors", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    #[command(flatten)]
    Connectors(cli::Command),
    /// Run realistic jobs against a local demo service and print each job and its command.
    Demo,
}

/// Why `connectors` could not do its work.
#[derive(Debug, thiserror::Error)]
enum Error {
    #[error(transparent)]
    Cli(#[from] CliError),
    #[error("the demo could not run: {0}")]
    Demo(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let connectors = example_connectors::connectors();

    cli::block_on(async move {
        match cli.command {
            Command::Connectors(command) => {
                command.execute(&connectors).await?;
                Ok(ExitCode::SUCCESS)
            }
            Command::Demo => demo_command::demo(&connectors).await.map_err(Error::Demo),
        }
    })
}
