//! The job worker: runs outbound connectors against a Camunda 8 cluster.
//!
//! For each connector, a worker activates jobs of the connector's type with long polling,
//! fetching only the connector's declared input variables. It keeps at most
//! `max_jobs_active` jobs in flight and runs them concurrently through the job pipeline,
//! asking for more as soon as a slot frees. Backpressure and network errors back off with
//! jitter; a command that fails transiently is retried while the job is still locked to the
//! worker; a command on a job that no longer exists is logged and dropped. On SIGTERM or
//! Ctrl-C the worker stops activating, lets in-flight jobs finish within a grace period and
//! returns; a second signal during that wait returns at once, abandoning the in-flight jobs to
//! the engine's job timeout. A worker task that fails (panics) stops the other workers the
//! same graceful way and the runtime returns [`RuntimeError::WorkerFailed`]. A management
//! server answers `/health`, `/health/liveness` and `/metrics` (Prometheus).
//!
//! ```no_run
//! use camunda_connector_runtime::worker::Runtime;
//! use camunda_connector_sdk::secrets::EnvSecretProvider;
//! use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
//! use serde_json::Value;
//!
//! struct Echo;
//!
//! #[async_trait]
//! impl OutboundConnector for Echo {
//!     const NAME: &'static str = "echo";
//!     const TYPE: &'static str = "io.example:echo:1";
//!     type Input = Value;
//!     type Output = Value;
//!
//!     async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
//!         Ok(input)
//!     }
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     Runtime::builder()
//!         .connector(Echo)
//!         .secrets(EnvSecretProvider::new())
//!         .build()?
//!         .run_until_shutdown()
//!         .await?;
//!     Ok(())
//! }
//! ```

mod args;
mod backoff;
mod management;
mod metrics;
mod poller;
mod signal;
mod supervisor;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::secrets::{EnvSecretProvider, SecretProvider};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use args::{MAX_JOBS_ACTIVE_LIMIT, REQUEST_TIMEOUT_LIMIT, RunArgs, WorkerArgs, parse_duration};

use self::management::ServerLimits;
use self::metrics::{Health, Metrics};
use self::poller::{Poller, Shared};
use self::signal::StopSignals;
use self::supervisor::{ManagementTask, Supervised, supervise, task_failure};
use crate::engine::{ActivateJobsRequest, ConfigError, EngineClient, EngineConfig, EngineError};
use crate::feel::FeelEngine;
use crate::pipeline::JobPipeline;

/// Why the runtime could not start.
///
/// ```
/// use camunda_connector_runtime::worker::{Runtime, RuntimeError};
/// let err = Runtime::builder().build().unwrap_err();
/// assert!(matches!(err, RuntimeError::NoConnectors));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RuntimeError {
    /// A setting is missing or malformed.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The engine client could not be built.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// No connector was registered.
    #[error("no connector is registered; add one with `RuntimeBuilder::connector`")]
    NoConnectors,
    /// Two connectors subscribe to the same job type.
    #[error("two connectors subscribe to the job type `{0}`")]
    DuplicateType(String),
    /// A connector declares a zero `TIMEOUT`: its jobs would be activated already timed out.
    #[error(
        "the connector for the job type `{0}` declares a zero TIMEOUT; a job must stay locked for longer than zero"
    )]
    ZeroTimeout(String),
    /// The management server could not bind its address.
    #[error("the management server could not listen on {addr}: {source}")]
    Management {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// A worker's task failed (it panicked, or ended without being asked to). The other
    /// workers were stopped gracefully, as on SIGTERM.
    #[error(
        "the worker for the job type `{job_type}` failed ({reason}); the other workers were stopped"
    )]
    WorkerFailed {
        /// The failed worker's job type.
        job_type: String,
        /// What happened, such as the panic message (cut to 300 characters).
        reason: String,
    },
    /// The task that supervises the workers failed; the runtime's state is unknown.
    #[error("the runtime's supervising task failed ({reason})")]
    Supervisor {
        /// What happened.
        reason: String,
    },
    /// A second SIGTERM or Ctrl-C arrived while in-flight jobs were finishing: the runtime
    /// stopped at once, and the engine re-activates the abandoned jobs after their timeout.
    /// Their tasks are not cancelled: in a process that goes on after this error they run on
    /// until they end or the tokio runtime shuts down (`run` exits the process instead).
    #[error(
        "stopped at once by a second signal; in-flight jobs were abandoned to the engine's job timeout"
    )]
    Interrupted,
}

/// Collects connectors, secrets and settings for a [`Runtime`].
///
/// ```
/// use camunda_connector_runtime::engine::EngineConfig;
/// use camunda_connector_runtime::worker::{Runtime, WorkerArgs};
/// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
/// # struct Echo;
/// # #[async_trait]
/// # impl OutboundConnector for Echo {
/// #     const NAME: &'static str = "echo";
/// #     const TYPE: &'static str = "io.example:echo:1";
/// #     type Input = serde_json::Value;
/// #     type Output = serde_json::Value;
/// #     async fn execute(&self, i: serde_json::Value, _: &OutboundContext) -> Result<serde_json::Value, ConnectorError> { Ok(i) }
/// # }
/// let mut worker = WorkerArgs::default();
/// worker.max_jobs_active = 8;
/// let runtime = Runtime::builder()
///     .engine(EngineConfig::new("http://127.0.0.1:8080").unwrap())
///     .worker(worker)
///     .connector(Echo)
///     .build()
///     .unwrap();
/// # let _ = runtime;
/// ```
#[derive(Default)]
pub struct RuntimeBuilder {
    connectors: Vec<Arc<dyn DynOutboundConnector>>,
    secrets: Option<Arc<dyn SecretProvider>>,
    engine: Option<EngineConfig>,
    args: RunArgs,
}

impl std::fmt::Debug for RuntimeBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let types: Vec<String> = self
            .connectors
            .iter()
            .map(|c| c.metadata().job_type)
            .collect();
        f.debug_struct("RuntimeBuilder")
            .field("connectors", &types)
            .field("engine", &self.engine)
            .field("args", &self.args)
            .finish_non_exhaustive()
    }
}

impl RuntimeBuilder {
    /// Adds a connector; its job type gets its own worker.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::Runtime;
    /// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
    /// # struct Echo;
    /// # #[async_trait]
    /// # impl OutboundConnector for Echo {
    /// #     const NAME: &'static str = "echo";
    /// #     const TYPE: &'static str = "io.example:echo:1";
    /// #     type Input = serde_json::Value;
    /// #     type Output = serde_json::Value;
    /// #     async fn execute(&self, i: serde_json::Value, _: &OutboundContext) -> Result<serde_json::Value, ConnectorError> { Ok(i) }
    /// # }
    /// let builder = Runtime::builder().connector(Echo);
    /// # let _ = builder;
    /// ```
    pub fn connector(mut self, connector: impl DynOutboundConnector) -> Self {
        self.connectors.push(Arc::new(connector));
        self
    }

    /// Adds an already shared connector.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::worker::Runtime;
    /// # use camunda_connector_sdk::outbound::DynOutboundConnector;
    /// fn add(all: Vec<Arc<dyn DynOutboundConnector>>) -> usize {
    ///     let builder = all.into_iter().fold(Runtime::builder(), |b, c| b.shared_connector(c));
    ///     # let _ = builder;
    ///     0
    /// }
    /// # add(Vec::new());
    /// ```
    pub fn shared_connector(mut self, connector: Arc<dyn DynOutboundConnector>) -> Self {
        self.connectors.push(connector);
        self
    }

    /// Where `{{secrets.NAME}}` placeholders are looked up; the process environment by default.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::Runtime;
    /// use camunda_connector_sdk::secrets::MemorySecretProvider;
    /// let builder = Runtime::builder().secrets(MemorySecretProvider::new([("TOKEN", "t")]));
    /// # let _ = builder;
    /// ```
    pub fn secrets(mut self, provider: impl SecretProvider + 'static) -> Self {
        self.secrets = Some(Arc::new(provider));
        self
    }

    /// The engine connection; by default it is resolved from [`RunArgs::engine`] (flags and
    /// environment).
    ///
    /// ```
    /// # use camunda_connector_runtime::{engine::EngineConfig, worker::Runtime};
    /// let builder = Runtime::builder().engine(EngineConfig::new("http://127.0.0.1:8080").unwrap());
    /// # let _ = builder;
    /// ```
    pub fn engine(mut self, config: EngineConfig) -> Self {
        self.engine = Some(config);
        self
    }

    /// The command-line settings (engine and worker), as parsed by clap.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::{Runtime, RunArgs};
    /// let builder = Runtime::builder().args(RunArgs::default());
    /// # let _ = builder;
    /// ```
    pub fn args(mut self, args: RunArgs) -> Self {
        self.args = args;
        self
    }

    /// The worker settings alone.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::{Runtime, WorkerArgs};
    /// let builder = Runtime::builder().worker(WorkerArgs::default());
    /// # let _ = builder;
    /// ```
    pub fn worker(mut self, worker: WorkerArgs) -> Self {
        self.args.worker = worker;
        self
    }

    /// Checks the settings and builds the runtime; nothing connects yet.
    ///
    /// # Errors
    ///
    /// A [`RuntimeError`] for a bad setting (naming the variable), no connector, or two
    /// connectors with the same type.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::Runtime;
    /// assert!(Runtime::builder().build().is_err());
    /// ```
    pub fn build(self) -> Result<Runtime, RuntimeError> {
        if self.connectors.is_empty() {
            return Err(RuntimeError::NoConnectors);
        }
        let mut types: Vec<String> = self
            .connectors
            .iter()
            .map(|c| c.metadata().job_type)
            .collect();
        types.sort();
        if let Some(pair) = types.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(RuntimeError::DuplicateType(pair[0].clone()));
        }

        if let Some(meta) = self
            .connectors
            .iter()
            .map(|c| c.metadata())
            .find(|meta| meta.timeout.is_some_and(|t| t.is_zero()))
        {
            return Err(RuntimeError::ZeroTimeout(meta.job_type));
        }
        self.args.worker.validate()?;
        let engine = match self.engine {
            Some(config) => config,
            None => self.args.engine.resolve()?,
        };
        let secrets = self
            .secrets
            .unwrap_or_else(|| Arc::new(EnvSecretProvider::new()));
        Ok(Runtime {
            client: EngineClient::new(engine)?,
            pipeline: JobPipeline::new(FeelEngine::new(), secrets),
            connectors: self.connectors,
            worker: self.args.worker,
        })
    }
}

/// Runs every registered connector against the engine until shut down.
///
/// ```no_run
/// # use camunda_connector_runtime::worker::Runtime;
/// # async fn demo(runtime: Runtime) -> Result<(), camunda_connector_runtime::worker::RuntimeError> {
/// runtime.run_until_shutdown().await?;
/// # Ok(()) }
/// ```
pub struct Runtime {
    client: EngineClient,
    pipeline: JobPipeline,
    connectors: Vec<Arc<dyn DynOutboundConnector>>,
    worker: WorkerArgs,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let types: Vec<String> = self
            .connectors
            .iter()
            .map(|c| c.metadata().job_type)
            .collect();
        f.debug_struct("Runtime")
            .field("engine", self.client.base_url())
            .field("connectors", &types)
            .field("worker", &self.worker)
            .finish_non_exhaustive()
    }
}

/// A started runtime: its management address, and the way to stop it.
///
/// ```no_run
/// # use camunda_connector_runtime::worker::Runtime;
/// # async fn demo(runtime: Runtime) -> Result<(), camunda_connector_runtime::worker::RuntimeError> {
/// let running = runtime.start().await?;
/// println!("metrics on {:?}", running.management_addr());
/// running.shutdown().await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RunningRuntime {
    stop: CancellationToken,
    abandon: CancellationToken,
    done: tokio::task::JoinHandle<Result<(), RuntimeError>>,
    management_addr: Option<SocketAddr>,
}

impl RunningRuntime {
    /// Where `/health` and `/metrics` are served, unless disabled.
    ///
    /// ```no_run
    /// # async fn demo(running: camunda_connector_runtime::worker::RunningRuntime) {
    /// let addr = running.management_addr();
    /// # }
    /// ```
    pub fn management_addr(&self) -> Option<SocketAddr> {
        self.management_addr
    }

    /// Stops activating, waits for in-flight jobs (up to the grace period) and returns.
    ///
    /// # Errors
    ///
    /// [`RuntimeError::WorkerFailed`] when a worker failed while the runtime ran (the runtime
    /// then already stopped the others), or while it stopped.
    ///
    /// ```no_run
    /// # async fn demo(running: camunda_connector_runtime::worker::RunningRuntime) {
    /// if let Err(err) = running.shutdown().await {
    ///     eprintln!("the runtime stopped with an error: {err}");
    /// }
    /// # }
    /// ```
    pub async fn shutdown(self) -> Result<(), RuntimeError> {
        self.shutdown_unless(std::future::pending()).await
    }

    /// Stops gracefully unless `force` resolves first; then stops at once, abandoning the
    /// in-flight jobs, and returns [`RuntimeError::Interrupted`] if any were still running.
    async fn shutdown_unless(
        mut self,
        force: impl Future<Output = ()>,
    ) -> Result<(), RuntimeError> {
        self.stop.cancel();
        tokio::select! {
            stopped = self.finished() => return stopped,
            () = force => {}
        }

        // Interrupted only when jobs were still running; a signal after they finished changes
        // nothing.
        self.abandon.cancel();
        self.finished().await
    }

    /// Waits for `signal`, or less when the runtime stops by itself because a worker failed.
    async fn until<T>(&mut self, signal: impl Future<Output = T>) -> Until<T> {
        tokio::select! {
            signalled = signal => Until::Signalled(signalled),
            stopped = self.finished() => Until::Stopped(stopped),
        }
    }

    /// Waits for the supervisor to end. Called at most once to completion.
    async fn finished(&mut self) -> Result<(), RuntimeError> {
        match (&mut self.done).await {
            Ok(outcome) => outcome,
            Err(err) => Err(RuntimeError::Supervisor {
                reason: task_failure(err),
            }),
        }
    }
}

/// What ended a wait on a running runtime.
enum Until<T> {
    /// The awaited signal, with its output.
    Signalled(T),
    /// The runtime stopped by itself (a worker failed), with its outcome.
    Stopped(Result<(), RuntimeError>),
}

impl Runtime {
    /// A builder.
    ///
    /// ```
    /// # use camunda_connector_runtime::worker::Runtime;
    /// let builder = Runtime::builder();
    /// # let _ = builder;
    /// ```
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::default()
    }

    /// Runs until SIGTERM or Ctrl-C, then shuts down gracefully. A second SIGTERM or Ctrl-C
    /// while in-flight jobs finish stops at once.
    ///
    /// # Errors
    ///
    /// [`RuntimeError::Management`] when the management port cannot be bound,
    /// [`RuntimeError::WorkerFailed`] when a worker failed (the others were stopped
    /// gracefully first), [`RuntimeError::Interrupted`] after a second signal.
    ///
    /// ```no_run
    /// # async fn demo(runtime: camunda_connector_runtime::worker::Runtime) -> Result<(), Box<dyn std::error::Error>> {
    /// runtime.run_until_shutdown().await?;
    /// # Ok(()) }
    /// ```
    pub async fn run_until_shutdown(self) -> Result<(), RuntimeError> {
        let mut signals = StopSignals::install();
        let mut running = self.start().await?;

        let signal = match running.until(signals.next()).await {
            Until::Signalled(signal) => signal,
            Until::Stopped(outcome) => return outcome,
        };
        tracing::info!(
            signal,
            "shutting down: no new jobs are activated, in-flight jobs finish; a second SIGTERM or Ctrl-C stops at once"
        );

        let second = async {
            let signal = signals.next().await;
            tracing::warn!(signal, "a second stop signal arrived");
        };
        running.shutdown_unless(second).await
    }

    /// Runs until `signal` resolves, then shuts down gracefully.
    ///
    /// # Errors
    ///
    /// [`RuntimeError::Management`] when the management port cannot be bound;
    /// [`RuntimeError::WorkerFailed`] when a worker failed (the others were stopped
    /// gracefully first, without waiting for `signal`).
    ///
    /// ```no_run
    /// # async fn demo(runtime: camunda_connector_runtime::worker::Runtime) -> Result<(), Box<dyn std::error::Error>> {
    /// runtime.run_until(tokio::time::sleep(std::time::Duration::from_secs(60))).await?;
    /// # Ok(()) }
    /// ```
    pub async fn run_until(self, signal: impl Future<Output = ()>) -> Result<(), RuntimeError> {
        let mut running = self.start().await?;

        if let Until::Stopped(outcome) = running.until(signal).await {
            return outcome;
        }
        tracing::info!("shutting down: no new jobs are activated, in-flight jobs finish");
        running.shutdown().await
    }

    /// Starts the workers and the management server in the background.
    ///
    /// A worker whose task fails stops the runtime by itself: the other workers stop as on
    /// [`RunningRuntime::shutdown`], `/health` and `/health/liveness` answer 503 until the
    /// management server stops, and `shutdown` then returns [`RuntimeError::WorkerFailed`].
    ///
    /// # Errors
    ///
    /// [`RuntimeError::Management`] when the management port cannot be bound.
    ///
    /// ```no_run
    /// # async fn demo(runtime: camunda_connector_runtime::worker::Runtime) -> Result<(), Box<dyn std::error::Error>> {
    /// let running = runtime.start().await?;
    /// running.shutdown().await?;
    /// # Ok(()) }
    /// ```
    pub async fn start(self) -> Result<RunningRuntime, RuntimeError> {
        let metrics = Arc::new(Metrics::new());
        let health = Arc::new(Health::default());
        let stop = CancellationToken::new();
        let abandon = CancellationToken::new();

        let management = self.serve_management(&metrics, &health).await?;
        let management_addr = management.as_ref().map(|(addr, _)| *addr);

        self.log_started(management_addr);
        let tracker = TaskTracker::new();
        let workers = self.pollers(&metrics, &health, &tracker, &stop);

        let done = tokio::spawn(supervise(Supervised {
            workers,
            tracker,
            health,
            grace: self.worker.shutdown_grace,
            stop: stop.clone(),
            abandon: abandon.clone(),
            management: management.map(|(_, task)| task),
        }));
        Ok(RunningRuntime {
            stop,
            abandon,
            done,
            management_addr,
        })
    }

    async fn serve_management(
        &self,
        metrics: &Arc<Metrics>,
        health: &Arc<Health>,
    ) -> Result<Option<(SocketAddr, ManagementTask)>, RuntimeError> {
        let Some(addr) = self.worker.management_address() else {
            return Ok(None);
        };
        let stop = CancellationToken::new();
        let (bound, task) = management::serve(
            addr,
            metrics.clone(),
            health.clone(),
            ServerLimits::default(),
            stop.clone(),
        )
        .await
        .map_err(|source| RuntimeError::Management { addr, source })?;
        Ok(Some((bound, ManagementTask { stop, task })))
    }

    /// One INFO line with what runs where; the engine address without credentials.
    fn log_started(&self, management: Option<SocketAddr>) {
        let job_types: Vec<String> = self
            .connectors
            .iter()
            .map(|c| c.metadata().job_type)
            .collect();
        let management = management.map_or_else(|| "disabled".to_owned(), |a| a.to_string());
        tracing::info!(
            engine = %without_credentials(self.client.base_url()),
            job_types = %job_types.join(", "),
            max_jobs_active = self.worker.max_jobs_active,
            worker = %self.worker.worker_name,
            management = %management,
            "connector runtime started; stop it with SIGTERM or Ctrl-C"
        );
    }

    fn pollers(
        &self,
        metrics: &Arc<Metrics>,
        health: &Arc<Health>,
        tracker: &TaskTracker,
        stop: &CancellationToken,
    ) -> Vec<(String, tokio::task::JoinHandle<()>)> {
        let worker = &self.worker;
        self.connectors
            .iter()
            .map(|connector| {
                let meta = connector.metadata();
                let timeout = meta.timeout.unwrap_or(worker.job_timeout);
                let mut request = ActivateJobsRequest::new(
                    meta.job_type,
                    worker.worker_name.clone(),
                    i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX),
                    1,
                );
                request.fetch_variable =
                    (!meta.input_variables.is_empty()).then_some(meta.input_variables);
                request.request_timeout =
                    Some(i64::try_from(worker.request_timeout.as_millis()).unwrap_or(i64::MAX));
                let tenants = worker.activation_tenants();
                request.tenant_ids = (!tenants.is_empty()).then_some(tenants);
                let job_type = request.job_type.clone();
                health.starting(&job_type);
                let poller = Poller {
                    shared: Arc::new(Shared {
                        client: self.client.clone(),
                        pipeline: self.pipeline.clone(),
                        connector: connector.clone(),
                        metrics: metrics.clone(),
                        type_metrics: metrics.for_type(&request.job_type),
                        type_name: request.job_type.clone(),
                        health: health.clone(),
                        poll_backoff: (worker.poll_backoff_base, worker.poll_backoff_max),
                        command_backoff: (worker.poll_backoff_base, worker.poll_backoff_max),
                    }),
                    request,
                    max_active: worker.max_jobs_active,
                    tracker: tracker.clone(),
                    shutdown: stop.child_token(),
                };
                (job_type, tokio::spawn(poller.run()))
            })
            .collect()
    }
}

/// `url` without user name, password, query or fragment, for logs.
fn without_credentials(url: &url::Url) -> url::Url {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown
}

/// Resolves on the first SIGTERM or Ctrl-C (SIGINT).
///
/// ```no_run
/// # async fn demo() {
/// camunda_connector_runtime::worker::shutdown_signal().await;
/// # }
/// ```
pub async fn shutdown_signal() {
    StopSignals::install().next().await;
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
    use serde_json::Value;

    use super::*;

    struct Instant;

    #[async_trait]
    impl OutboundConnector for Instant {
        const NAME: &'static str = "instant";
        const TYPE: &'static str = "io.example:instant:1";
        const TIMEOUT: Option<Duration> = Some(Duration::ZERO);
        type Input = Value;
        type Output = Value;

        async fn execute(
            &self,
            input: Value,
            _: &OutboundContext,
        ) -> Result<Value, ConnectorError> {
            Ok(input)
        }
    }

    fn builder() -> RuntimeBuilder {
        Runtime::builder().engine(EngineConfig::new("http://127.0.0.1:1").unwrap())
    }

    #[test]
    fn a_zero_connector_timeout_is_a_start_up_error() {
        let err = builder().connector(Instant).build().unwrap_err();

        assert!(
            matches!(err, RuntimeError::ZeroTimeout(ref t) if t == Instant::TYPE),
            "{err}"
        );
    }

    #[test]
    fn worker_settings_made_in_code_are_checked_by_build() {
        let worker = WorkerArgs {
            max_jobs_active: 0,
            ..WorkerArgs::default()
        };

        let err = builder()
            .worker(worker)
            .shared_connector(echo())
            .build()
            .unwrap_err();

        assert!(
            err.to_string()
                .contains("CAMUNDA_WORKER_MAX_CONCURRENT_JOBS"),
            "{err}"
        );
    }

    #[test]
    fn the_logged_engine_address_carries_no_credentials() {
        let url =
            url::Url::parse("https://user:pa55@camunda.example.com:8443/v2?token=t#f").unwrap();

        let shown = without_credentials(&url).to_string();

        assert_eq!(shown, "https://camunda.example.com:8443/v2");
    }

    fn echo() -> Arc<dyn DynOutboundConnector> {
        struct Echo;

        #[async_trait]
        impl OutboundConnector for Echo {
            const NAME: &'static str = "echo";
            const TYPE: &'static str = "io.example:echo:1";
            type Input = Value;
            type Output = Value;

            async fn execute(
                &self,
                input: Value,
                _: &OutboundContext,
            ) -> Result<Value, ConnectorError> {
                Ok(input)
            }
        }
        Arc::new(Echo)
    }
}
