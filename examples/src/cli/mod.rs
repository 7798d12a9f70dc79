//! The subcommands of `connectors`.

mod demo;
mod invoke;
mod run;
mod templates;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use example_connectors::Registry;

/// Example Camunda 8 connectors: list their element templates, run a job, or run a demo.
#[derive(Debug, Parser)]
#[command(name = "connectors", version)]
pub(crate) struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
#[expect(
    clippy::large_enum_variant,
    reason = "parsed once per process; boxing would only obscure the clap definition"
)]
enum Command {
    /// Write every connector's element template as `<template id>.json` into a directory.
    Templates {
        /// The directory; created when missing.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Run one activated job through the job pipeline and print the engine command as JSON.
    Invoke {
        /// A job exactly as Camunda's REST job activation returns it; its `type` picks the
        /// connector.
        #[arg(long, value_name = "FILE")]
        job: PathBuf,
        /// A secret the job's variables reference; looked up before `SECRET_<NAME>`
        /// environment variables.
        #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = invoke::parse_secret)]
        secrets: Vec<(String, String)>,
    },
    /// Run realistic jobs against a local demo service and print each job and its command.
    Demo,
    /// Run every connector as a job worker against a Camunda 8 cluster.
    Run(run::RunArgs),
}

/// Runs the parsed command.
pub(crate) async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let registry = Registry::new();
    match cli.command {
        Command::Templates { out } => templates::write_all(&out),
        Command::Invoke { job, secrets } => invoke::invoke(&registry, &job, secrets).await,
        Command::Demo => demo::demo(&registry).await,
        Command::Run(args) => run::run(&registry, args).await,
    }
}

/// Logs to stderr, `warn` unless `RUST_LOG` says otherwise.
pub(crate) fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .init();
}

/// Why a command could not do its work.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error("cannot read the job file {path}: {source}")]
    ReadJob {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not an activated job: {source}")]
    ParseJob {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("no connector handles job type `{job_type}` (known: {known})")]
    UnknownJobType { job_type: String, known: String },
    #[error("the element template of `{connector}` cannot be generated: {source}")]
    Template {
        connector: &'static str,
        source: camunda_connector_sdk::template::TemplateError,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the demo could not run: {0}")]
    Demo(String),
    #[error("{0}")]
    Run(String),
}
