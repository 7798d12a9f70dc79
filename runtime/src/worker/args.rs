//! The `run` command's settings: the engine connection and the worker's knobs.

use std::net::SocketAddr;
use std::time::Duration;

use jiff::{Span, SpanRelativeTo};

use crate::engine::EngineArgs;

/// Everything `run` takes: flatten it into a clap subcommand.
///
/// ```
/// use clap::Parser;
/// use camunda_connector_runtime::worker::RunArgs;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     run: RunArgs,
/// }
///
/// let cli = Cli::try_parse_from(["connectors", "--max-jobs-active", "4", "--job-timeout", "PT1M"]).unwrap();
/// assert_eq!(cli.run.worker.max_jobs_active, 4);
/// assert_eq!(cli.run.worker.job_timeout.as_secs(), 60);
/// ```
#[derive(Debug, Clone, Default, clap::Args)]
#[non_exhaustive]
pub struct RunArgs {
    /// The engine connection.
    #[command(flatten)]
    pub engine: EngineArgs,
    /// The worker settings.
    #[command(flatten)]
    pub worker: WorkerArgs,
}

/// How the worker activates and runs jobs.
///
/// Durations accept ISO 8601 (`PT30S`), friendly text (`30s`, `5m`) or plain milliseconds.
///
/// ```
/// use camunda_connector_runtime::worker::WorkerArgs;
/// let args = WorkerArgs::default();
/// assert_eq!(args.max_jobs_active, 32);
/// assert_eq!(args.request_timeout.as_secs(), 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
#[non_exhaustive]
pub struct WorkerArgs {
    /// The worker name recorded on activated jobs
    #[arg(long, env = "CAMUNDA_WORKER_NAME", default_value = DEFAULT_WORKER_NAME)]
    pub worker_name: String,
    /// The most jobs per connector in flight at once
    #[arg(long, env = "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS", default_value_t = 32)]
    pub max_jobs_active: usize,
    /// How long an activated job stays locked to this worker, unless the connector sets it
    #[arg(long, env = "CAMUNDA_WORKER_TIMEOUT", default_value = "5m", value_parser = parse_duration)]
    pub job_timeout: Duration,
    /// How long one activation request may wait for jobs (long polling)
    #[arg(long, env = "CAMUNDA_WORKER_REQUEST_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub request_timeout: Duration,
    /// How long in-flight jobs may run after SIGTERM or Ctrl-C
    #[arg(long, env = "CONNECTORS_SHUTDOWN_GRACE", default_value = "30s", value_parser = parse_duration)]
    pub shutdown_grace: Duration,
    /// Where /health and /metrics are served
    #[arg(
        long,
        env = "CONNECTORS_MANAGEMENT_ADDRESS",
        default_value = "0.0.0.0:9600"
    )]
    pub management_address: SocketAddr,
    /// Serve no /health and /metrics
    #[arg(long)]
    pub no_management: bool,
    /// Tenants to activate jobs for (comma-separated); the default tenant when empty
    #[arg(
        long = "tenant-id",
        env = "CAMUNDA_WORKER_TENANT_IDS",
        value_delimiter = ','
    )]
    pub tenant_ids: Vec<String>,
    /// The first delay after a failed activation or command; it doubles up to the maximum
    #[arg(long, default_value = "100ms", value_parser = parse_duration, hide = true)]
    pub poll_backoff_base: Duration,
    /// The longest delay between retries
    #[arg(long, default_value = "10s", value_parser = parse_duration, hide = true)]
    pub poll_backoff_max: Duration,
}

const DEFAULT_WORKER_NAME: &str = "camunda-connector-runtime";

impl Default for WorkerArgs {
    fn default() -> Self {
        WorkerArgs {
            worker_name: DEFAULT_WORKER_NAME.to_owned(),
            max_jobs_active: 32,
            job_timeout: Duration::from_secs(300),
            request_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(30),
            management_address: SocketAddr::from(([0, 0, 0, 0], 9600)),
            no_management: false,
            tenant_ids: Vec::new(),
            poll_backoff_base: Duration::from_millis(100),
            poll_backoff_max: Duration::from_secs(10),
        }
    }
}

impl WorkerArgs {
    /// The management address, unless disabled.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::WorkerArgs;
    /// let mut args = WorkerArgs::default();
    /// args.no_management = true;
    /// assert_eq!(args.management_address(), None);
    /// ```
    pub fn management_address(&self) -> Option<SocketAddr> {
        (!self.no_management).then_some(self.management_address)
    }
}

/// Parses `PT30S`, `30s`, `5m`, `1h 30m` or plain milliseconds (`1500`).
///
/// # Errors
///
/// A message for text that is none of these, or a negative duration.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::worker::parse_duration;
/// assert_eq!(parse_duration("PT1M").unwrap(), Duration::from_secs(60));
/// assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
/// assert_eq!(parse_duration("1500").unwrap(), Duration::from_millis(1500));
/// assert!(parse_duration("soon").is_err());
/// ```
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(millis) = text.parse::<u64>() {
        return Ok(Duration::from_millis(millis));
    }
    let span: Span = text
        .parse()
        .map_err(|err| format!("`{text}` is not a duration such as PT30S, 30s or 1500 ({err})"))?;
    let signed = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|err| format!("`{text}` is not a fixed duration ({err})"))?;
    Duration::try_from(signed).map_err(|_| format!("`{text}` is negative"))
}
