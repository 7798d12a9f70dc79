//! A ready-made command line for a binary that serves connectors.
//!
//! Register the connectors and hand them to [`main`]; the binary then has three subcommands:
//!
//! - `templates --out DIR` writes each connector's element template as `<template id>.json`
//!   and lists the files on stdout;
//! - `invoke --job FILE [--secret NAME=VALUE ...]` runs one activated job (a JSON file exactly as
//!   Camunda's REST job activation returns it) through the job pipeline and prints the command
//!   the engine would receive as JSON on stdout. Secrets come from `--secret`, then from
//!   `SECRET_<NAME>` environment variables;
//! - `run` runs every connector as a job worker against a Camunda 8 cluster until SIGTERM or
//!   Ctrl-C (settings: [`RunArgs`], secrets from `SECRET_<NAME>` environment variables). A
//!   second SIGTERM or Ctrl-C while in-flight jobs finish ends the process at once with exit
//!   code 130.
//!
//! Logs go to stderr: warnings and errors, plus the worker's start and stop at INFO, unless
//! `RUST_LOG` says otherwise ([`DEFAULT_LOG_FILTER`]). An error is printed to stderr and the
//! process exits with a non-zero code.
//!
//! ```no_run
//! use std::process::ExitCode;
//!
//! use camunda_connector_runtime::cli::{self, Connectors};
//! # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
//! # struct Echo;
//! # #[async_trait]
//! # impl OutboundConnector for Echo {
//! #     const NAME: &'static str = "echo";
//! #     const TYPE: &'static str = "io.example:echo:1";
//! #     type Input = serde_json::Value;
//! #     type Output = serde_json::Value;
//! #     async fn execute(&self, i: serde_json::Value, _: &OutboundContext) -> Result<serde_json::Value, ConnectorError> { Ok(i) }
//! # }
//!
//! fn main() -> ExitCode {
//!     cli::main(Connectors::new().with(Echo))
//! }
//! ```
//!
//! A binary with commands of its own flattens [`Command`] into its command enum and runs
//! everything through [`block_on`]:
//!
//! ```no_run
//! use std::process::ExitCode;
//!
//! use camunda_connector_runtime::cli::{self, CliError, Connectors};
//! use clap::{Parser, Subcommand};
//!
//! #[derive(Parser)]
//! #[command(name = "shipping", version)]
//! struct Cli {
//!     #[command(subcommand)]
//!     command: Command,
//! }
//!
//! #[derive(Subcommand)]
//! enum Command {
//!     #[command(flatten)]
//!     Connectors(cli::Command),
//!     /// Print the carrier's status.
//!     Status,
//! }
//!
//! fn main() -> ExitCode {
//!     let cli = Cli::parse();
//!     let connectors = Connectors::new(); // .with(...) each connector
//!     cli::block_on(async move {
//!         match cli.command {
//!             Command::Connectors(command) => command.execute(&connectors).await?,
//!             Command::Status => println!("the carrier is up"),
//!         }
//!         Ok::<_, CliError>(ExitCode::SUCCESS)
//!     })
//! }
//! ```

mod connectors;
mod invoke;
mod templates;

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use camunda_connector_sdk::secrets::EnvSecretProvider;
use clap::Parser;

pub use self::connectors::Connectors;
pub use self::invoke::InvokeArgs;
pub use self::templates::TemplatesArgs;
pub use crate::worker::RunArgs;
use crate::worker::{Runtime, RuntimeError};

/// The log filter when `RUST_LOG` is unset: warnings and errors from everything, and the
/// worker's own INFO lines (what it runs and where, and that it stopped), but not one line per
/// job.
///
/// ```
/// use camunda_connector_runtime::cli::DEFAULT_LOG_FILTER;
/// assert!(DEFAULT_LOG_FILTER.starts_with("warn,"));
/// ```
pub const DEFAULT_LOG_FILTER: &str = "warn,camunda_connector_runtime::worker=info";

/// The exit code of `run` when a second SIGTERM or Ctrl-C ends it without waiting for in-flight
/// jobs: 128 + SIGINT, as shells report an interrupted program.
///
/// ```
/// assert_eq!(camunda_connector_runtime::cli::INTERRUPTED_EXIT_CODE, 130);
/// ```
pub const INTERRUPTED_EXIT_CODE: i32 = 130;

/// How long [`block_on`] waits, once the work is done, for tasks still running (a job past the
/// grace period, blocking work) before the process exits without them.
const EXIT_WAIT: Duration = Duration::from_secs(1);

/// The subcommands: use it as a binary's whole command set (that is what [`main`] does) or
/// `#[command(flatten)]` it into a binary's own [`clap::Subcommand`] enum.
///
/// ```
/// use camunda_connector_runtime::cli::Command;
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(subcommand)]
///     command: Command,
/// }
///
/// let cli = Cli::try_parse_from(["shipping", "templates", "--out", "dist"]).unwrap();
/// assert!(matches!(cli.command, Command::Templates(args) if args.out.ends_with("dist")));
/// ```
#[derive(Debug, Clone, clap::Subcommand)]
#[non_exhaustive]
pub enum Command {
    /// Write every connector's element template as `<template id>.json` into a directory.
    Templates(TemplatesArgs),
    /// Run one activated job through the job pipeline and print the engine command as JSON.
    Invoke(InvokeArgs),
    /// Run every connector as a job worker against a Camunda 8 cluster.
    // Boxed: the worker's many settings would make every enum this is flattened into large.
    Run(Box<RunArgs>),
}

impl Command {
    /// Runs the command: writes the templates and lists them on stdout, prints the invoked
    /// job's command as pretty JSON on stdout, or runs the worker until SIGTERM or Ctrl-C.
    ///
    /// A second SIGTERM or Ctrl-C while the worker's in-flight jobs finish prints the error
    /// and ends the process at once with [`INTERRUPTED_EXIT_CODE`]; the engine re-activates
    /// the abandoned jobs after their timeout.
    ///
    /// # Errors
    ///
    /// [`CliError::DuplicateJobType`] when two connectors claim one job type; otherwise what
    /// [`TemplatesArgs::write`], [`InvokeArgs::invoke`] or the worker ([`CliError::Worker`])
    /// report.
    ///
    /// ```
    /// use camunda_connector_runtime::cli::{CliError, Command, Connectors};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let err = Command::Run(Box::default()).execute(&Connectors::new()).await.unwrap_err();
    /// assert!(matches!(err, CliError::Worker(_)));
    /// # });
    /// ```
    pub async fn execute(self, connectors: &Connectors) -> Result<(), CliError> {
        if let Some(job_type) = connectors.duplicate_job_type() {
            return Err(CliError::DuplicateJobType { job_type });
        }

        match self {
            Command::Templates(args) => {
                for path in args.write(connectors)? {
                    println!("{}", path.display());
                }
            }
            Command::Invoke(args) => {
                let command = args.invoke(connectors).await?;
                println!("{}", pretty(&command));
            }
            Command::Run(args) => run(connectors, *args).await?,
        }
        Ok(())
    }
}

/// The whole command line of a binary that serves `connectors`: parses the arguments, then
/// runs the command as [`block_on`] does. Use it as the body of `main`.
///
/// Parse errors and `--help` exit as clap does (usage on stderr, exit code 2 for an error). A
/// binary that wants `--version`, its own name in `--help` or commands of its own defines its
/// own [`clap::Parser`] around [`Command`], as the [module docs](self) show.
///
/// ```no_run
/// use std::process::ExitCode;
///
/// use camunda_connector_runtime::cli::{self, Connectors};
///
/// fn main() -> ExitCode {
///     cli::main(Connectors::new()) // .with(MyConnector) for each connector
/// }
/// ```
pub fn main(connectors: Connectors) -> ExitCode {
    let cli = Cli::parse();
    block_on(async move {
        cli.command.execute(&connectors).await?;
        Ok::<_, CliError>(ExitCode::SUCCESS)
    })
}

/// Runs a binary's work to its exit code: starts a multi-threaded tokio runtime, logs to stderr
/// through [`init_tracing`] and awaits `work`. An error is printed to stderr as `error: ...` and
/// exits with a failure code. Tasks still running when `work` is done get a second to end;
/// the process does not wait for them longer.
///
/// ```
/// use std::process::ExitCode;
///
/// let code = camunda_connector_runtime::cli::block_on(async {
///     Ok::<_, std::io::Error>(ExitCode::SUCCESS)
/// });
/// assert_eq!(code, ExitCode::SUCCESS);
/// ```
pub fn block_on<F, E>(work: F) -> ExitCode
where
    F: Future<Output = Result<ExitCode, E>>,
    E: fmt::Display,
{
    init_tracing();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(work) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    };
    runtime.shutdown_timeout(EXIT_WAIT);
    code
}

/// Logs to stderr, in colour on a terminal, filtered by `RUST_LOG`, or by
/// [`DEFAULT_LOG_FILTER`] when it is unset or cannot be read (which is then said on stderr).
/// Does nothing when the process already has a global subscriber.
///
/// ```
/// camunda_connector_runtime::cli::init_tracing();
/// camunda_connector_runtime::cli::init_tracing(); // a second call is harmless
/// ```
pub fn init_tracing() {
    let filter = log_filter(std::env::var("RUST_LOG").ok().as_deref());
    let installed = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
    if installed.is_err() {
        tracing::debug!("a tracing subscriber is already installed; keeping it");
    }
}

/// The filter for `RUST_LOG`'s value: the default when it is unset, empty or unreadable.
fn log_filter(rust_log: Option<&str>) -> tracing_subscriber::EnvFilter {
    let default = || tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER);
    match rust_log.map(str::trim).filter(|text| !text.is_empty()) {
        None => default(),
        Some(text) => tracing_subscriber::EnvFilter::try_new(text).unwrap_or_else(|err| {
            eprintln!("RUST_LOG is not a log filter ({err}); using `{DEFAULT_LOG_FILTER}`");
            default()
        }),
    }
}

/// Why a command could not do its work.
///
/// A job that fails is not one of these: `invoke` prints its `fail` or `throwError` command.
///
/// ```
/// use camunda_connector_runtime::cli::CliError;
/// let err = CliError::UnknownJobType {
///     job_type: "io.example:nope:1".into(),
///     known: vec!["io.example:echo:1".into()],
/// };
/// assert_eq!(
///     err.to_string(),
///     "no connector handles job type `io.example:nope:1` (known: io.example:echo:1)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The job file cannot be read.
    #[error("cannot read the job file {}: {source}", .path.display())]
    ReadJob {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The job file is not an activated job.
    #[error("{} is not an activated job: {source}", .path.display())]
    ParseJob {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: serde_json::Error,
    },
    /// No connector handles the job's type.
    #[error("no connector handles job type `{job_type}` (known: {})", known_types(.known))]
    UnknownJobType {
        /// The job's type.
        job_type: String,
        /// The types the connectors handle.
        known: Vec<String>,
    },
    /// Two connectors claim the same job type.
    #[error("two connectors handle the job type `{job_type}`")]
    DuplicateJobType {
        /// The job type.
        job_type: String,
    },
    /// A connector's element template has problems.
    #[error("the element template of `{connector}` cannot be generated: {source}")]
    Template {
        /// The connector's name.
        connector: String,
        /// The problems.
        #[source]
        source: camunda_connector_sdk::template::TemplateError,
    },
    /// Two connectors' element templates have the same id, so one file would overwrite the other.
    #[error("two element templates have the id `{id}`")]
    DuplicateTemplateId {
        /// The id.
        id: String,
    },
    /// An element template id cannot name a file in the output directory.
    #[error("the element template id `{id}` cannot be used as a file name")]
    TemplateFileName {
        /// The id.
        id: String,
    },
    /// A directory or file cannot be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// The directory or file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The worker could not start or stopped with an error.
    #[error(transparent)]
    Worker(#[from] RuntimeError),
}

/// The command line [`main`] parses: just the subcommands.
#[derive(Debug, Parser)]
#[command(
    about = "Camunda 8 connectors: write their element templates, run one job, or run them as job workers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Runs every connector as a job worker until SIGTERM or Ctrl-C, then shuts down gracefully.
async fn run(connectors: &Connectors, args: RunArgs) -> Result<(), CliError> {
    let builder = Runtime::builder()
        .args(args)
        .secrets(EnvSecretProvider::new());
    let runtime = connectors
        .iter()
        .fold(builder, |builder, connector| {
            builder.shared_connector(connector.clone())
        })
        .build()?;

    match runtime.run_until_shutdown().await {
        Err(RuntimeError::Interrupted) => exit_interrupted(),
        stopped => stopped.map_err(CliError::from),
    }
}

/// Ends the process at once: a second signal asked not to wait for anything more.
fn exit_interrupted() -> ! {
    eprintln!("error: {}", RuntimeError::Interrupted);
    std::process::exit(INTERRUPTED_EXIT_CODE)
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|err| format!("<unprintable: {err}>"))
}

fn known_types(known: &[String]) -> String {
    if known.is_empty() {
        "none".to_owned()
    } else {
        known.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn invoke_takes_a_job_file_and_repeated_secrets() {
        let cli = Cli::try_parse_from([
            "bin", "invoke", "--job", "j.json", "--secret", "A=1", "--secret", "B=x=y",
        ])
        .unwrap();

        let Command::Invoke(args) = cli.command else {
            panic!("expected invoke, got {:?}", cli.command);
        };
        assert_eq!(
            args,
            InvokeArgs::new("j.json")
                .secret("A", "1")
                .secret("B", "x=y")
        );
    }

    #[test]
    fn malformed_arguments_are_rejected_with_a_hint() {
        let bad_secret = Cli::try_parse_from(["bin", "invoke", "--job", "j", "--secret", "A"]);
        let no_job = Cli::try_parse_from(["bin", "invoke"]);
        let no_out = Cli::try_parse_from(["bin", "templates"]);

        assert!(bad_secret.unwrap_err().to_string().contains("NAME=VALUE"));
        assert!(no_job.unwrap_err().to_string().contains("--job"));
        assert!(no_out.unwrap_err().to_string().contains("--out"));
    }

    #[test]
    fn run_takes_the_worker_settings() {
        let cli = Cli::try_parse_from(["bin", "run", "--max-jobs-active", "4", "--no-management"])
            .unwrap();

        let Command::Run(args) = cli.command else {
            panic!("expected run, got {:?}", cli.command);
        };
        assert_eq!(args.worker.max_jobs_active, 4);
        assert!(args.worker.no_management);
    }

    #[test]
    fn the_log_filter_defaults_to_the_worker_s_info_lines() {
        for unset in [None, Some(""), Some("  "), Some("=not a filter=")] {
            assert_eq!(
                log_filter(unset).to_string(),
                tracing_subscriber::EnvFilter::new(DEFAULT_LOG_FILTER).to_string(),
                "{unset:?}"
            );
        }
        assert_eq!(log_filter(Some("debug")).to_string(), "debug");
    }

    #[test]
    fn an_unknown_job_type_lists_the_known_ones_or_none() {
        let unknown = |known: Vec<String>| CliError::UnknownJobType {
            job_type: "t".into(),
            known,
        };

        assert!(unknown(Vec::new()).to_string().ends_with("(known: none)"));
        assert!(
            unknown(vec!["a".into(), "b".into()])
                .to_string()
                .ends_with("(known: a, b)")
        );
    }
}
