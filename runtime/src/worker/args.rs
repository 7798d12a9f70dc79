//! The `run` command's settings: the engine connection and the worker's knobs.

use std::net::SocketAddr;
use std::time::Duration;

use jiff::{Span, SpanRelativeTo};

use crate::engine::{ConfigError, EngineArgs};
use crate::job::format_iso_duration;

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
    #[arg(long, env = "CAMUNDA_WORKER_NAME", default_value = DEFAULT_WORKER_NAME, value_parser = parse_worker_name)]
    pub worker_name: String,
    /// The most jobs per connector in flight at once (1 to 10000)
    #[arg(long, env = "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS", default_value_t = 32, value_parser = parse_max_jobs_active)]
    pub max_jobs_active: usize,
    /// How long an activated job stays locked to this worker, unless the connector sets it
    /// (at least 1 ms, at most 30 days)
    #[arg(long, env = "CAMUNDA_WORKER_TIMEOUT", default_value = "5m", value_parser = parse_job_timeout)]
    pub job_timeout: Duration,
    /// How long one activation request may wait for jobs (long polling; at least 1 ms, at most
    /// one hour)
    #[arg(long, env = "CAMUNDA_WORKER_REQUEST_TIMEOUT", default_value = "10s", value_parser = parse_request_timeout)]
    pub request_timeout: Duration,
    /// How long in-flight jobs may run after SIGTERM or Ctrl-C (at most one day)
    #[arg(long, env = "CONNECTORS_SHUTDOWN_GRACE", default_value = "30s", value_parser = parse_shutdown_grace)]
    pub shutdown_grace: Duration,
    /// Where /health and /metrics are served
    #[arg(
        long,
        env = "CONNECTORS_MANAGEMENT_ADDRESS",
        default_value = "0.0.0.0:9600",
        value_parser = parse_management_address
    )]
    pub management_address: SocketAddr,
    /// Serve no /health and /metrics
    #[arg(long)]
    pub no_management: bool,
    /// Tenants to activate jobs for (comma-separated); the default tenant when empty
    #[arg(
        long = "tenant-id",
        env = "CAMUNDA_WORKER_TENANT_IDS",
        value_delimiter = ',',
        value_parser = parse_tenant_id
    )]
    pub tenant_ids: Vec<String>,
    /// The tenant to activate jobs for when no tenant ids are given, as Camunda's own
    /// clients read it
    #[arg(
        long = "default-tenant-id",
        env = "CAMUNDA_DEFAULT_TENANT_ID",
        value_parser = parse_default_tenant_id
    )]
    pub default_tenant_id: Option<String>,
    /// The first delay after a failed activation or command; it doubles up to the maximum
    /// (longer than zero, at most ten minutes)
    #[arg(long, default_value = "100ms", value_parser = parse_poll_backoff_base, hide = true)]
    pub poll_backoff_base: Duration,
    /// The longest delay between retries (no shorter than the first, at most ten minutes)
    #[arg(long, default_value = "10s", value_parser = parse_poll_backoff_max, hide = true)]
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
            default_tenant_id: None,
            poll_backoff_base: Duration::from_millis(100),
            poll_backoff_max: Duration::from_secs(10),
        }
    }
}

/// The most jobs in flight per connector [`WorkerArgs::validate`] accepts.
pub const MAX_JOBS_ACTIVE_LIMIT: usize = 10_000;
/// The longest activation request [`WorkerArgs::validate`] accepts.
pub const REQUEST_TIMEOUT_LIMIT: Duration = Duration::from_secs(3600);
/// The longest job timeout accepted: 30 days. The engine keeps a job's deadline as int64
/// milliseconds since the epoch, so a timeout near that range would overflow there.
const JOB_TIMEOUT_LIMIT: Duration = Duration::from_secs(30 * 24 * 3600);
/// The longest shutdown grace accepted: one day.
const SHUTDOWN_GRACE_LIMIT: Duration = Duration::from_secs(24 * 3600);
/// The longest tenant id Camunda accepts.
const TENANT_ID_MAX_LEN: usize = 31;
/// The id of the default tenant, which Camunda accepts besides the usual characters.
const DEFAULT_TENANT: &str = "<default>";
/// The longest first or largest delay between retries accepted: ten minutes.
const POLL_BACKOFF_LIMIT: Duration = Duration::from_secs(600);

/// Each setting as the variable and the flag that set it, for error messages.
const WORKER_NAME: &str = "CAMUNDA_WORKER_NAME (--worker-name)";
const MAX_JOBS_ACTIVE: &str = "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS (--max-jobs-active)";
const JOB_TIMEOUT: &str = "CAMUNDA_WORKER_TIMEOUT (--job-timeout)";
const REQUEST_TIMEOUT: &str = "CAMUNDA_WORKER_REQUEST_TIMEOUT (--request-timeout)";
const SHUTDOWN_GRACE: &str = "CONNECTORS_SHUTDOWN_GRACE (--shutdown-grace)";
const MANAGEMENT_ADDRESS: &str = "CONNECTORS_MANAGEMENT_ADDRESS (--management-address)";
const TENANT_IDS: &str = "CAMUNDA_WORKER_TENANT_IDS (--tenant-id)";
const DEFAULT_TENANT_ID: &str = "CAMUNDA_DEFAULT_TENANT_ID (--default-tenant-id)";
const POLL_BACKOFF_BASE: &str = "--poll-backoff-base";
const POLL_BACKOFF_MAX: &str = "--poll-backoff-max";
const POLL_BACKOFF: &str = "--poll-backoff-base / --poll-backoff-max";

impl WorkerArgs {
    /// Checks every setting's range; [`RuntimeBuilder::build`](super::RuntimeBuilder::build)
    /// calls it, so settings made in code are held to the rules the command line enforces.
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] naming the variable and flag of the first bad setting.
    ///
    /// ```
    /// use std::time::Duration;
    /// use camunda_connector_runtime::worker::WorkerArgs;
    /// let mut args = WorkerArgs::default();
    /// assert!(args.validate().is_ok());
    /// args.job_timeout = Duration::ZERO;
    /// assert!(args.validate().unwrap_err().to_string().contains("CAMUNDA_WORKER_TIMEOUT"));
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid =
            |name: &'static str| move |reason: String| ConfigError::Invalid { name, reason };

        check_worker_name(&self.worker_name).map_err(invalid(WORKER_NAME))?;
        check_max_jobs_active(self.max_jobs_active).map_err(invalid(MAX_JOBS_ACTIVE))?;
        check_job_timeout(self.job_timeout).map_err(invalid(JOB_TIMEOUT))?;
        check_request_timeout(self.request_timeout).map_err(invalid(REQUEST_TIMEOUT))?;
        check_shutdown_grace(self.shutdown_grace).map_err(invalid(SHUTDOWN_GRACE))?;
        for tenant in &self.tenant_ids {
            check_tenant_id(tenant).map_err(invalid(TENANT_IDS))?;
        }
        if let Some(tenant) = &self.default_tenant_id {
            check_tenant_id(tenant).map_err(invalid(DEFAULT_TENANT_ID))?;
        }
        check_poll_backoff(self.poll_backoff_base).map_err(invalid(POLL_BACKOFF_BASE))?;
        check_poll_backoff(self.poll_backoff_max).map_err(invalid(POLL_BACKOFF_MAX))?;
        if self.poll_backoff_base > self.poll_backoff_max {
            return Err(invalid(POLL_BACKOFF)(
                "the base must be no longer than the maximum".to_owned(),
            ));
        }
        Ok(())
    }

    /// The tenants to activate jobs for: the tenant ids when given, else the default tenant
    /// when set; empty leaves the choice to the engine (its default tenant).
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::WorkerArgs;
    /// let mut args = WorkerArgs::default();
    /// assert!(args.activation_tenants().is_empty());
    /// args.default_tenant_id = Some("tenant-a".into());
    /// assert_eq!(args.activation_tenants(), ["tenant-a"]);
    /// args.tenant_ids = vec!["b".into(), "c".into()];
    /// assert_eq!(args.activation_tenants(), ["b", "c"]);
    /// ```
    pub fn activation_tenants(&self) -> Vec<String> {
        if self.tenant_ids.is_empty() {
            self.default_tenant_id.iter().cloned().collect()
        } else {
            self.tenant_ids.clone()
        }
    }

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

/// A value parser that names the setting (variable and flag) in its error: clap itself only
/// names the flag, even when the value came from the environment.
fn named<T>(name: &str, parsed: Result<T, String>) -> Result<T, String> {
    parsed.map_err(|reason| format!("{name}: {reason}"))
}

fn parse_worker_name(text: &str) -> Result<String, String> {
    named(
        WORKER_NAME,
        check_worker_name(text).map(|()| text.trim().to_owned()),
    )
}

fn parse_max_jobs_active(text: &str) -> Result<usize, String> {
    let parsed = text
        .trim()
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a whole number from 1 to {MAX_JOBS_ACTIVE_LIMIT}"));
    named(MAX_JOBS_ACTIVE, parsed.and_then(check_max_jobs_active))
}

fn parse_job_timeout(text: &str) -> Result<Duration, String> {
    named(
        JOB_TIMEOUT,
        parse_duration(text).and_then(check_job_timeout),
    )
}

fn parse_request_timeout(text: &str) -> Result<Duration, String> {
    named(
        REQUEST_TIMEOUT,
        parse_duration(text).and_then(check_request_timeout),
    )
}

fn parse_shutdown_grace(text: &str) -> Result<Duration, String> {
    named(
        SHUTDOWN_GRACE,
        parse_duration(text).and_then(check_shutdown_grace),
    )
}

fn parse_poll_backoff_base(text: &str) -> Result<Duration, String> {
    named(
        POLL_BACKOFF_BASE,
        parse_duration(text).and_then(check_poll_backoff),
    )
}

fn parse_poll_backoff_max(text: &str) -> Result<Duration, String> {
    named(
        POLL_BACKOFF_MAX,
        parse_duration(text).and_then(check_poll_backoff),
    )
}

fn parse_management_address(text: &str) -> Result<SocketAddr, String> {
    let parsed = text.trim().parse::<SocketAddr>().map_err(|_| {
        format!("`{text}` is not an IP address and port such as 0.0.0.0:9600 or [::1]:9600")
    });
    named(MANAGEMENT_ADDRESS, parsed)
}

fn parse_tenant_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    named(TENANT_IDS, check_tenant_id(text).map(|()| text.to_owned()))
}

fn parse_default_tenant_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    named(
        DEFAULT_TENANT_ID,
        check_tenant_id(text).map(|()| text.to_owned()),
    )
}

fn check_worker_name(name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err("the worker name is empty".to_owned());
    }
    Ok(())
}

fn check_max_jobs_active(max: usize) -> Result<usize, String> {
    if !(1..=MAX_JOBS_ACTIVE_LIMIT).contains(&max) {
        return Err(format!("{max} is not from 1 to {MAX_JOBS_ACTIVE_LIMIT}"));
    }
    Ok(max)
}

fn check_job_timeout(timeout: Duration) -> Result<Duration, String> {
    if timeout < Duration::from_millis(1) {
        return Err(
            "a job must stay locked for at least 1 ms, the engine's unit for timeouts".to_owned(),
        );
    }
    if timeout > JOB_TIMEOUT_LIMIT {
        return Err(format!(
            "`{}` is longer than 30 days, the longest a job may stay locked",
            format_iso_duration(timeout)
        ));
    }
    Ok(timeout)
}

fn check_request_timeout(timeout: Duration) -> Result<Duration, String> {
    // The engine counts in milliseconds: less than 1 ms would be sent as 0, which asks for
    // the engine's default instead.
    if timeout < Duration::from_millis(1) || timeout > REQUEST_TIMEOUT_LIMIT {
        return Err(format!(
            "`{}` is not from 1 ms to one hour",
            format_iso_duration(timeout)
        ));
    }
    Ok(timeout)
}

fn check_shutdown_grace(grace: Duration) -> Result<Duration, String> {
    if grace > SHUTDOWN_GRACE_LIMIT {
        return Err(format!(
            "`{}` is longer than one day, the longest shutdown grace",
            format_iso_duration(grace)
        ));
    }
    Ok(grace)
}

fn check_poll_backoff(delay: Duration) -> Result<Duration, String> {
    if delay.is_zero() || delay > POLL_BACKOFF_LIMIT {
        return Err(format!(
            "`{}` is not longer than zero and at most ten minutes",
            format_iso_duration(delay)
        ));
    }
    Ok(delay)
}

/// A tenant id as Camunda accepts it: `<default>`, or 1 to 31 ASCII letters, digits, `_`, `-`
/// or `.`. The parsers trim the text first; values set in code are taken as they are.
fn check_tenant_id(tenant: &str) -> Result<(), String> {
    if tenant.trim().is_empty() {
        return Err("a tenant id is empty (check for a doubled or trailing comma)".to_owned());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let fits = tenant.len() <= TENANT_ID_MAX_LEN && tenant.chars().all(allowed);
    if !fits && tenant != DEFAULT_TENANT {
        return Err(format!(
            "`{tenant}` is not a tenant id: 1 to {TENANT_ID_MAX_LEN} letters, digits, `_`, `-` \
             or `.`, or {DEFAULT_TENANT}"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use clap::Parser;

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        worker: WorkerArgs,
    }

    const CHILD: &str = "worker::args::tests::parse_the_environment_in_a_child_process";

    /// Every bad value, once through the environment and once through the flag.
    const BAD: [(&str, &str, &str); 29] = [
        ("CAMUNDA_WORKER_TENANT_IDS", "--tenant-id", "a b"),
        ("CAMUNDA_WORKER_TENANT_IDS", "--tenant-id", "a,b/c"),
        (
            "CAMUNDA_WORKER_TENANT_IDS",
            "--tenant-id",
            "a234567890123456789012345678901b",
        ),
        ("CAMUNDA_WORKER_TENANT_IDS", "--tenant-id", "<other>"),
        ("CAMUNDA_DEFAULT_TENANT_ID", "--default-tenant-id", "a b"),
        (
            "CAMUNDA_DEFAULT_TENANT_ID",
            "--default-tenant-id",
            "t\u{e9}nant",
        ),
        (
            "CAMUNDA_WORKER_TIMEOUT",
            "--job-timeout",
            "18446744073709551615",
        ),
        ("CAMUNDA_WORKER_TIMEOUT", "--job-timeout", "P30DT1S"),
        ("CAMUNDA_WORKER_TIMEOUT", "--job-timeout", "PT2562047H"),
        (
            "CAMUNDA_WORKER_REQUEST_TIMEOUT",
            "--request-timeout",
            "18446744073709551615",
        ),
        (
            "CONNECTORS_SHUTDOWN_GRACE",
            "--shutdown-grace",
            "PT24H0.001S",
        ),
        (
            "CONNECTORS_SHUTDOWN_GRACE",
            "--shutdown-grace",
            "18446744073709551615",
        ),
        ("CAMUNDA_WORKER_NAME", "--worker-name", " "),
        ("CAMUNDA_WORKER_NAME", "--worker-name", ""),
        ("CONNECTORS_SHUTDOWN_GRACE", "--shutdown-grace", ""),
        ("CAMUNDA_WORKER_TIMEOUT", "--job-timeout", " "),
        ("CAMUNDA_WORKER_TENANT_IDS", "--tenant-id", ""),
        ("CAMUNDA_DEFAULT_TENANT_ID", "--default-tenant-id", ""),
        ("CONNECTORS_MANAGEMENT_ADDRESS", "--management-address", ""),
        ("CONNECTORS_SHUTDOWN_GRACE", "--shutdown-grace", "soon"),
        ("CAMUNDA_WORKER_TIMEOUT", "--job-timeout", "PT0S"),
        (
            "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS",
            "--max-jobs-active",
            "0",
        ),
        (
            "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS",
            "--max-jobs-active",
            "-1",
        ),
        (
            "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS",
            "--max-jobs-active",
            "10001",
        ),
        ("CAMUNDA_WORKER_REQUEST_TIMEOUT", "--request-timeout", "abc"),
        (
            "CAMUNDA_WORKER_REQUEST_TIMEOUT",
            "--request-timeout",
            "PT2H",
        ),
        (
            "CONNECTORS_MANAGEMENT_ADDRESS",
            "--management-address",
            "nonsense",
        ),
        ("CAMUNDA_WORKER_TENANT_IDS", "--tenant-id", "a,,b"),
        ("CAMUNDA_DEFAULT_TENANT_ID", "--default-tenant-id", " "),
    ];

    #[test]
    fn bad_flags_are_rejected_naming_the_variable_and_the_flag() {
        for (env, flag, value) in BAD {
            let err = Cli::try_parse_from(["connectors", &format!("{flag}={value}")]).unwrap_err();
            let text = err.to_string();
            assert!(
                text.contains(env) && text.contains(flag),
                "{flag}={value}: {text}"
            );
        }
    }

    /// The environment cannot be changed safely inside a test process, so each case parses
    /// in a child process running [`parse_the_environment_in_a_child_process`].
    #[test]
    fn bad_environment_values_are_rejected_naming_the_variable() {
        let exe = std::env::current_exe().unwrap();
        for (env, flag, value) in BAD {
            let output = Command::new(&exe)
                .args([
                    CHILD,
                    "--exact",
                    "--ignored",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env_clear()
                .env(env, value)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout
                .lines()
                .find_map(|line| line.split_once("PARSED: ").map(|(_, parsed)| parsed))
                .unwrap_or_else(|| panic!("{env}={value}: the child printed {stdout}"));
            assert!(
                line.starts_with("error") && line.contains(env) && line.contains(flag),
                "{env}={value}: {line}"
            );
        }
    }

    #[test]
    #[ignore = "run by bad_environment_values_are_rejected_naming_the_variable"]
    fn parse_the_environment_in_a_child_process() {
        match Cli::try_parse_from(["connectors"]) {
            Ok(cli) => println!("PARSED: ok {:?}", cli.worker.validate()),
            Err(err) => println!("PARSED: error {}", err.to_string().replace('\n', " ")),
        }
    }

    #[test]
    fn the_hidden_backoff_flags_are_bounded() {
        for (flag, value) in [
            ("--poll-backoff-base", "0"),
            ("--poll-backoff-base", "PT10M0.001S"),
            ("--poll-backoff-max", "18446744073709551615"),
            ("--poll-backoff-max", "P1D"),
        ] {
            let err = Cli::try_parse_from(["connectors", &format!("{flag}={value}")]).unwrap_err();
            assert!(err.to_string().contains(flag), "{flag}={value}: {err}");
        }
        let cli = Cli::try_parse_from([
            "connectors",
            "--poll-backoff-base=1s",
            "--poll-backoff-max=1ms",
        ])
        .unwrap();
        let err = cli.worker.validate().unwrap_err().to_string();
        assert!(
            err.contains("--poll-backoff-base / --poll-backoff-max"),
            "{err}"
        );
    }

    #[test]
    fn settings_made_in_code_are_validated_naming_the_variable() {
        type Change = fn(&mut WorkerArgs);
        let cases: [(Change, &str); 15] = [
            (
                |a| a.tenant_ids = vec!["a".into(), " b".into()],
                "CAMUNDA_WORKER_TENANT_IDS",
            ),
            (
                |a| a.default_tenant_id = Some("a:b".into()),
                "CAMUNDA_DEFAULT_TENANT_ID",
            ),
            (|a| a.job_timeout = Duration::MAX, "CAMUNDA_WORKER_TIMEOUT"),
            (
                |a| a.job_timeout = Duration::from_secs(31 * 24 * 3600),
                "CAMUNDA_WORKER_TIMEOUT",
            ),
            (
                |a| a.request_timeout = Duration::MAX,
                "CAMUNDA_WORKER_REQUEST_TIMEOUT",
            ),
            (
                |a| a.shutdown_grace = Duration::MAX,
                "CONNECTORS_SHUTDOWN_GRACE",
            ),
            (|a| a.poll_backoff_max = Duration::MAX, "--poll-backoff-max"),
            (
                |a| a.default_tenant_id = Some(String::new()),
                "CAMUNDA_DEFAULT_TENANT_ID",
            ),
            (
                |a| a.max_jobs_active = 0,
                "CAMUNDA_WORKER_MAX_CONCURRENT_JOBS",
            ),
            (|a| a.job_timeout = Duration::ZERO, "CAMUNDA_WORKER_TIMEOUT"),
            (
                |a| a.job_timeout = Duration::from_micros(999),
                "CAMUNDA_WORKER_TIMEOUT",
            ),
            (
                |a| a.request_timeout = Duration::from_nanos(1),
                "CAMUNDA_WORKER_REQUEST_TIMEOUT",
            ),
            (
                |a| a.request_timeout = Duration::ZERO,
                "CAMUNDA_WORKER_REQUEST_TIMEOUT",
            ),
            (|a| a.worker_name = " ".into(), "CAMUNDA_WORKER_NAME"),
            (
                |a| a.poll_backoff_base = Duration::ZERO,
                "--poll-backoff-base",
            ),
        ];
        for (change, name) in cases {
            let mut args = WorkerArgs::default();
            change(&mut args);
            let err = args.validate().unwrap_err().to_string();
            assert!(err.contains(name), "{err} should name {name}");
        }
    }

    #[test]
    fn the_defaults_and_good_values_pass() {
        let cli = Cli::try_parse_from([
            "connectors",
            "--max-jobs-active=10000",
            "--request-timeout=1h",
            "--job-timeout=P30D",
            "--shutdown-grace=24h",
            "--poll-backoff-base=10m",
            "--poll-backoff-max=PT10M",
            "--management-address=[::1]:0",
            "--tenant-id=a, b_2.x-Y ,<default>,a234567890123456789012345678901",
        ])
        .unwrap();

        assert_eq!(cli.worker.max_jobs_active, 10_000);
        assert_eq!(cli.worker.job_timeout, JOB_TIMEOUT_LIMIT);
        assert_eq!(cli.worker.shutdown_grace, SHUTDOWN_GRACE_LIMIT);
        assert_eq!(cli.worker.poll_backoff_base, POLL_BACKOFF_LIMIT);
        assert_eq!(
            cli.worker.tenant_ids,
            [
                "a",
                "b_2.x-Y",
                "<default>",
                "a234567890123456789012345678901"
            ]
        );
        assert!(cli.worker.validate().is_ok());

        let cli = Cli::try_parse_from([
            "connectors",
            "--default-tenant-id= t-1 ",
            "--job-timeout=1",
            "--shutdown-grace=0",
        ])
        .unwrap();
        assert_eq!(cli.worker.activation_tenants(), ["t-1"]);
        assert_eq!(cli.worker.job_timeout, Duration::from_millis(1));
        assert!(cli.worker.validate().is_ok());
        assert!(WorkerArgs::default().validate().is_ok());
    }
}
