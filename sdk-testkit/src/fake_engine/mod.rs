//! A fake Camunda 8 engine: an in-process HTTP server on `127.0.0.1` that speaks the job,
//! message and process-instance endpoints of the Orchestration Cluster REST API (v2).
//!
//! A test enqueues jobs, points a worker (ours, the official client or a connector binary) at
//! [`FakeEngine::base_url`], and inspects every command the engine received. Faults —
//! backpressure, errors, slow answers, dropped connections, NOT_FOUND — can be injected per
//! endpoint. Jobs behave as in the engine: an activated job is locked until its timeout, then
//! offered again; a failed job with retries left comes back after its backoff; a command on a
//! job that is no longer activated gets 404.
//!
//! ```
//! use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob};
//! use serde_json::json;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let engine = FakeEngine::start().await;
//! let key = engine.enqueue(FakeJob::new("io.example:echo:1").variables(json!({"a": 1})));
//!
//! let http = reqwest::Client::new();
//! let activated: serde_json::Value = http
//!     .post(format!("{}/v2/jobs/activation", engine.base_url()))
//!     .json(&json!({"type": "io.example:echo:1", "timeout": 1000, "maxJobsToActivate": 5}))
//!     .send().await.unwrap().json().await.unwrap();
//! assert_eq!(activated["jobs"][0]["jobKey"], key.as_str());
//!
//! http.post(format!("{}/v2/jobs/{key}/completion", engine.base_url()))
//!     .json(&json!({"variables": {"done": true}}))
//!     .send().await.unwrap();
//! assert_eq!(engine.completions(&key), 1);
//! # }
//! ```

mod fault;
mod job;
mod server;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{Notify, oneshot};

pub use fault::{Endpoint, Fault};
pub use job::FakeJob;

use fault::FaultRule;
use job::StoredJob;

/// How long [`FakeEngine::wait_until`] and friends wait before they panic.
const WAIT_LIMIT: Duration = Duration::from_secs(10);

/// The fake engine; dropping it stops the server.
///
/// ```
/// # use camunda_connector_testkit::fake_engine::FakeEngine;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let engine = FakeEngine::start().await;
/// assert!(engine.base_url().starts_with("http://127.0.0.1:"));
/// # }
/// ```
#[derive(Debug)]
pub struct FakeEngine {
    addr: SocketAddr,
    shared: Arc<Shared>,
    _stop: oneshot::Sender<()>,
}

/// Settings of a [`FakeEngine`] before it starts.
///
/// ```
/// # use camunda_connector_testkit::fake_engine::FakeEngine;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let engine = FakeEngine::builder().camunda_8_8().basic_auth("demo", "demo").start().await;
/// # let _ = engine;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct FakeEngineBuilder {
    config: Config,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) default_long_poll: Duration,
    pub(crate) with_8_10_fields: bool,
    pub(crate) extra_jobs: usize,
    pub(crate) auth: FakeAuth,
    pub(crate) token_lifetime: Duration,
}

/// The credentials the fake engine demands.
#[derive(Debug, Clone)]
pub(crate) enum FakeAuth {
    None,
    Basic {
        username: String,
        password: String,
    },
    OAuth {
        client_id: String,
        client_secret: String,
    },
}

impl FakeEngineBuilder {
    /// The long-poll wait when an activation leaves `requestTimeout` at 0 (default 10 s, as
    /// the real gateway).
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().default_long_poll(Duration::from_millis(100));
    /// # let _ = builder;
    /// ```
    pub fn default_long_poll(mut self, wait: Duration) -> Self {
        self.config.default_long_poll = wait;
        self
    }

    /// Answers as a Camunda 8.8 server: activated jobs lack the fields 8.10 added.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().camunda_8_8();
    /// # let _ = builder;
    /// ```
    pub fn camunda_8_8(mut self) -> Self {
        self.config.with_8_10_fields = false;
        self
    }

    /// Hands out up to `extra` more jobs than each activation asks for, as a misbehaving
    /// server might: a worker must still run no more jobs at once than its maximum.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().over_deliver(8);
    /// # let _ = builder;
    /// ```
    pub fn over_deliver(mut self, extra: usize) -> Self {
        self.config.extra_jobs = extra;
        self
    }

    /// Demands HTTP basic authentication.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().basic_auth("demo", "demo");
    /// # let _ = builder;
    /// ```
    pub fn basic_auth(mut self, username: &str, password: &str) -> Self {
        self.config.auth = FakeAuth::Basic {
            username: username.to_owned(),
            password: password.to_owned(),
        };
        self
    }

    /// Demands bearer tokens issued by the fake's own token endpoint
    /// ([`FakeEngine::token_url`]) for these client credentials.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().oauth("client", "secret");
    /// # let _ = builder;
    /// ```
    pub fn oauth(mut self, client_id: &str, client_secret: &str) -> Self {
        self.config.auth = FakeAuth::OAuth {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
        };
        self
    }

    /// The `expires_in` of issued tokens (default 1 hour); tokens are refused after it.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder().token_lifetime(Duration::from_secs(2));
    /// # let _ = builder;
    /// ```
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Starts the server on `127.0.0.1` with a free port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::builder().start().await;
    /// # let _ = engine;
    /// # }
    /// ```
    pub async fn start(self) -> FakeEngine {
        let shared = Arc::new(Shared {
            config: self.config,
            state: Mutex::new(State::default()),
            changed: Notify::new(),
        });
        let (stop, stopped) = oneshot::channel();
        let addr = server::serve(shared.clone(), stopped).await;
        FakeEngine {
            addr,
            shared,
            _stop: stop,
        }
    }
}

/// Everything the server and the test share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) state: Mutex<State>,
    /// Signalled when jobs become available or a command arrives.
    pub(crate) changed: Notify,
}

impl Shared {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The engine's bookkeeping.
#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) next_key: u64,
    /// Jobs waiting to be activated, with the instant they become available.
    pub(crate) queued: VecDeque<(StoredJob, Instant)>,
    /// Activated jobs with their deadlines.
    pub(crate) active: HashMap<String, (StoredJob, Instant)>,
    /// Jobs that reached an end: completed, errored, or failed without retries.
    pub(crate) finished: HashMap<String, JobOutcome>,
    pub(crate) commands: Vec<ReceivedCommand>,
    pub(crate) activations: Vec<Activation>,
    pub(crate) requests: Vec<ReceivedRequest>,
    pub(crate) faults: Vec<FaultRule>,
    pub(crate) tokens: HashMap<String, Instant>,
    pub(crate) token_requests: usize,
    pub(crate) activation_requests: usize,
    /// Time from activation to the accepted completion, failure or error, per job end.
    pub(crate) latencies: Vec<Duration>,
}

impl State {
    /// Returns timed-out jobs to the queue, as the engine does when a worker never answers.
    pub(crate) fn expire(&mut self, now: Instant) {
        let expired: Vec<String> = self
            .active
            .iter()
            .filter(|(_, (_, deadline))| *deadline <= now)
            .map(|(key, _)| key.clone())
            .collect();
        for key in expired {
            if let Some((job, _)) = self.active.remove(&key) {
                self.queued.push_back((job, now));
            }
        }
    }

    /// The fault to apply to this request, if one is armed for its endpoint.
    pub(crate) fn take_fault(&mut self, endpoint: Endpoint) -> Option<Fault> {
        let rule = self
            .faults
            .iter_mut()
            .find(|rule| rule.remaining > 0 && rule.endpoint.matches(endpoint))?;
        rule.remaining -= 1;
        let fault = rule.fault;
        self.faults.retain(|rule| rule.remaining > 0);
        Some(fault)
    }
}

/// What became of a job.
///
/// ```
/// use camunda_connector_testkit::fake_engine::JobOutcome;
/// assert_ne!(JobOutcome::Completed, JobOutcome::Incident);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobOutcome {
    /// Completed.
    Completed,
    /// A BPMN error with this code was thrown.
    BpmnError(String),
    /// Failed with no retries left: an incident.
    Incident,
}

/// The kind of a command on a job.
///
/// ```
/// use camunda_connector_testkit::fake_engine::CommandKind;
/// assert_ne!(CommandKind::Complete, CommandKind::Fail);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandKind {
    /// `POST /jobs/{key}/completion`.
    Complete,
    /// `POST /jobs/{key}/failure`.
    Fail,
    /// `POST /jobs/{key}/error`.
    ThrowError,
    /// `PATCH /jobs/{key}`.
    Update,
}

/// How the fake engine answered a command.
///
/// ```
/// use camunda_connector_testkit::fake_engine::CommandOutcome;
/// assert_ne!(CommandOutcome::Accepted, CommandOutcome::NotFound);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandOutcome {
    /// Applied to an activated job.
    Accepted,
    /// The job was not activated (unknown, finished or timed out): 404.
    NotFound,
    /// An injected fault answered with this status instead; nothing was applied.
    Rejected(u16),
    /// An injected fault dropped the connection before the command was applied.
    Dropped,
}

/// A command the fake engine received.
///
/// ```
/// # use camunda_connector_testkit::fake_engine::{CommandKind, CommandOutcome, ReceivedCommand};
/// fn completed(commands: &[ReceivedCommand]) -> usize {
///     commands
///         .iter()
///         .filter(|c| c.kind == CommandKind::Complete && c.outcome == CommandOutcome::Accepted)
///         .count()
/// }
/// assert_eq!(completed(&[]), 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedCommand {
    /// The job key in the path.
    pub job_key: String,
    /// Which command.
    pub kind: CommandKind,
    /// The JSON body as received.
    pub body: Value,
    /// How it was answered.
    pub outcome: CommandOutcome,
}

/// An activation request the fake engine answered.
///
/// ```
/// # use camunda_connector_testkit::fake_engine::Activation;
/// fn total(activations: &[Activation]) -> usize { activations.iter().map(|a| a.job_keys.len()).sum() }
/// assert_eq!(total(&[]), 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Activation {
    /// The request body.
    pub body: Value,
    /// The keys of the jobs handed out.
    pub job_keys: Vec<String>,
}

/// Any other request: messages, process instances.
///
/// ```
/// # use camunda_connector_testkit::fake_engine::{Endpoint, ReceivedRequest};
/// fn publications(requests: &[ReceivedRequest]) -> usize {
///     requests.iter().filter(|r| r.endpoint == Endpoint::Publication).count()
/// }
/// assert_eq!(publications(&[]), 0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// Which endpoint.
    pub endpoint: Endpoint,
    /// The JSON body.
    pub body: Value,
}

impl FakeEngine {
    /// Starts a fake engine with the default settings: no authentication, 8.10 answers.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// # let _ = engine;
    /// # }
    /// ```
    pub async fn start() -> FakeEngine {
        FakeEngine::builder().start().await
    }

    /// A builder for other settings.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// let builder = FakeEngine::builder();
    /// # let _ = builder;
    /// ```
    pub fn builder() -> FakeEngineBuilder {
        FakeEngineBuilder {
            config: Config {
                default_long_poll: Duration::from_secs(10),
                with_8_10_fields: true,
                extra_jobs: 0,
                auth: FakeAuth::None,
                token_lifetime: Duration::from_secs(3600),
            },
        }
    }

    /// The cluster address to configure a client with (`CAMUNDA_REST_ADDRESS`), without `/v2`.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// assert!(!engine.base_url().ends_with("/v2"));
    /// # }
    /// ```
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The fake token endpoint (`CAMUNDA_OAUTH_URL`).
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// assert!(engine.token_url().ends_with("/oauth/token"));
    /// # }
    /// ```
    pub fn token_url(&self) -> String {
        format!("http://{}/oauth/token", self.addr)
    }

    /// Enqueues a job and returns its key.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// let key = engine.enqueue(FakeJob::new("t"));
    /// assert_eq!(engine.open_jobs(), 1);
    /// # let _ = key;
    /// # }
    /// ```
    pub fn enqueue(&self, job: FakeJob) -> String {
        let mut state = self.shared.lock();
        state.next_key += 1;
        let stored = job.into_stored(2_251_799_813_685_248 + state.next_key);
        let key = stored.key.clone();
        state.queued.push_back((stored, Instant::now()));
        drop(state);

        self.shared.changed.notify_waiters();
        key
    }

    /// Arms `fault` for the next `times` requests to `endpoint`.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::{Endpoint, FakeEngine, Fault};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// engine.inject(Endpoint::Activation, Fault::Backpressure, 3);
    /// # }
    /// ```
    pub fn inject(&self, endpoint: Endpoint, fault: Fault, times: usize) {
        self.shared.lock().faults.push(FaultRule {
            endpoint,
            fault,
            remaining: times,
        });
    }

    /// Disarms every fault not yet used.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::{Endpoint, FakeEngine, Fault};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// engine.inject(Endpoint::Any, Fault::Status(500), usize::MAX);
    /// engine.clear_faults();
    /// # }
    /// ```
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// Every command received, in order.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert!(FakeEngine::start().await.commands().is_empty());
    /// # }
    /// ```
    pub fn commands(&self) -> Vec<ReceivedCommand> {
        self.shared.lock().commands.clone()
    }

    /// The accepted commands on one job.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert!(FakeEngine::start().await.accepted_commands("1").is_empty());
    /// # }
    /// ```
    pub fn accepted_commands(&self, job_key: &str) -> Vec<ReceivedCommand> {
        self.shared
            .lock()
            .commands
            .iter()
            .filter(|c| c.job_key == job_key && c.outcome == CommandOutcome::Accepted)
            .cloned()
            .collect()
    }

    /// How many completions of this job were accepted (0 or 1 in a correct run).
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(FakeEngine::start().await.completions("1"), 0);
    /// # }
    /// ```
    pub fn completions(&self, job_key: &str) -> usize {
        self.accepted_commands(job_key)
            .iter()
            .filter(|c| c.kind == CommandKind::Complete)
            .count()
    }

    /// What became of a job, once it reached an end.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::{FakeEngine, FakeJob};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// let key = engine.enqueue(FakeJob::new("t"));
    /// assert_eq!(engine.outcome(&key), None);
    /// # }
    /// ```
    pub fn outcome(&self, job_key: &str) -> Option<JobOutcome> {
        self.shared.lock().finished.get(job_key).cloned()
    }

    /// Jobs not yet at an end: queued or activated.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(FakeEngine::start().await.open_jobs(), 0);
    /// # }
    /// ```
    pub fn open_jobs(&self) -> usize {
        let state = self.shared.lock();
        state.queued.len() + state.active.len()
    }

    /// How often each job was handed out (re-activations after timeouts and failures count).
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert!(FakeEngine::start().await.activations().is_empty());
    /// # }
    /// ```
    pub fn activations(&self) -> Vec<Activation> {
        self.shared.lock().activations.clone()
    }

    /// The message and process-instance requests received.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert!(FakeEngine::start().await.requests().is_empty());
    /// # }
    /// ```
    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.shared.lock().requests.clone()
    }

    /// How many activation requests arrived, answered or not (faults included).
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(FakeEngine::start().await.activation_requests(), 0);
    /// # }
    /// ```
    pub fn activation_requests(&self) -> usize {
        self.shared.lock().activation_requests
    }

    /// For each accepted completion, failure or error: the time since the job was activated.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert!(FakeEngine::start().await.command_latencies().is_empty());
    /// # }
    /// ```
    pub fn command_latencies(&self) -> Vec<Duration> {
        self.shared.lock().latencies.clone()
    }

    /// How many token requests the fake token endpoint received.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(FakeEngine::start().await.token_requests(), 0);
    /// # }
    /// ```
    pub fn token_requests(&self) -> usize {
        self.shared.lock().token_requests
    }

    /// Waits until `condition` holds.
    ///
    /// # Panics
    ///
    /// After 10 s, with `what` in the message.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// engine.wait_until("no open jobs", |e| e.open_jobs() == 0).await;
    /// # }
    /// ```
    pub async fn wait_until(&self, what: &str, condition: impl Fn(&FakeEngine) -> bool) {
        let started = Instant::now();
        while !condition(self) {
            assert!(
                started.elapsed() < WAIT_LIMIT,
                "the fake engine waited {WAIT_LIMIT:?} for {what}; commands: {:#?}",
                self.commands()
            );
            let changed = self.shared.changed.notified();
            let _ = tokio::time::timeout(Duration::from_millis(20), changed).await;
        }
    }

    /// Waits until every enqueued job reached an end, and returns the commands.
    ///
    /// # Panics
    ///
    /// After 10 s.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeEngine;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let engine = FakeEngine::start().await;
    /// assert!(engine.wait_for_all_jobs().await.is_empty());
    /// # }
    /// ```
    pub async fn wait_for_all_jobs(&self) -> Vec<ReceivedCommand> {
        self.wait_until("every job to reach an end", |e| e.open_jobs() == 0)
            .await;
        self.commands()
    }
}
