//! One connector's job worker: activate with long polling while slots are free, execute each
//! job concurrently, send its one command.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use camunda_connector_sdk::outbound::DynOutboundConnector;
use futures_util::FutureExt;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing::Instrument;

use super::backoff::Backoff;
use super::metrics::{Delivered, Health, Metrics, TypeMetrics};
use crate::engine::{
    ActivateJobsRequest, CompleteJobRequest, EngineClient, EngineError, FailJobRequest,
    ThrowErrorRequest, UnreadableJob, parse_job,
};
use crate::job::{ActivatedJob, JobCommand};
use crate::pipeline::JobPipeline;
use crate::text::Printable;

/// An empty activation that returned faster than this is followed by a pause, so a server
/// without long polling is not polled in a hot loop.
const MIN_EMPTY_POLL: Duration = Duration::from_millis(100);
/// How long a command is retried when the job carries no deadline.
const COMMAND_RETRY_LIMIT: Duration = Duration::from_secs(60);

/// What every job task of one worker shares.
pub(crate) struct Shared {
    pub(crate) client: EngineClient,
    pub(crate) pipeline: JobPipeline,
    pub(crate) connector: Arc<dyn DynOutboundConnector>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) type_metrics: TypeMetrics,
    pub(crate) type_name: String,
    pub(crate) health: Arc<Health>,
    pub(crate) poll_backoff: (Duration, Duration),
    pub(crate) command_backoff: (Duration, Duration),
}

impl Shared {
    fn connector_type(&self) -> &str {
        self.type_name.as_str()
    }
}

/// What one worker's job tasks share with its activation loop: the keys of the jobs running,
/// and a count of the jobs left unanswered.
#[derive(Default)]
struct Running {
    keys: Mutex<HashSet<Arc<str>>>,
    /// Jobs left to the engine's timeout because no command could answer them: no usable key,
    /// another job type, a lock that ran out while the job waited for a slot, or a job that
    /// is already running. The loop backs off while this grows, so an engine that keeps
    /// handing out such jobs is not asked again in a tight loop.
    unanswered: AtomicU64,
}

impl Running {
    /// Marks `key` as running until the claim is dropped; `None` when it already is.
    fn claim(self: &Arc<Self>, key: &str) -> Option<Claim> {
        let key: Arc<str> = key.into();
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        keys.insert(key.clone()).then(|| Claim {
            running: self.clone(),
            key,
        })
    }

    fn left_unanswered(&self) {
        self.unanswered.fetch_add(1, Ordering::Relaxed);
    }
}

/// A job key marked as running; dropping it unmarks the key.
struct Claim {
    running: Arc<Running>,
    key: Arc<str>,
}

impl Drop for Claim {
    fn drop(&mut self) {
        let mut keys = self
            .running
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        keys.remove(&self.key);
    }
}

/// The activation loop of one connector.
pub(crate) struct Poller {
    pub(crate) shared: Arc<Shared>,
    pub(crate) request: ActivateJobsRequest,
    pub(crate) max_active: usize,
    pub(crate) tracker: TaskTracker,
    pub(crate) shutdown: CancellationToken,
}

impl Poller {
    /// Polls until shutdown; in-flight jobs are left running on the tracker.
    pub(crate) async fn run(self) {
        let slots = Arc::new(Semaphore::new(self.max_active));
        let running = Arc::new(Running::default());
        let mut unanswered = 0;
        let (base, max) = self.shared.poll_backoff;
        let mut backoff = Backoff::new(base, max);
        let job_type = self.request.job_type.clone();
        tracing::info!(job.type = %job_type, max_active = self.max_active, "worker started");

        while let Some(mut permits) = self.free_slots(&slots).await {
            let started = Instant::now();
            let mut request = self.request.clone();
            request.max_jobs_to_activate = i32::try_from(permits.len()).unwrap_or(i32::MAX);
            let result = tokio::select! {
                () = self.shutdown.cancelled() => break,
                result = self.shared.client.activate_raw(&request) => result,
            };

            match result {
                Ok(batch) => {
                    self.shared.health.poll_succeeded(&job_type);
                    let empty = batch.is_empty();
                    for job in batch {
                        self.spawn_job(job, permits.pop(), &slots, &running);
                    }
                    drop(permits);

                    let now_unanswered = running.unanswered.load(Ordering::Relaxed);
                    if now_unanswered != unanswered {
                        unanswered = now_unanswered;
                        let delay = backoff.next_delay();
                        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                        tracing::warn!(job.type = %job_type, retry_in.ms = delay_ms, "the engine handed out jobs that cannot be answered; activating again after a backoff");
                        self.pause(delay).await;
                    } else {
                        backoff.reset();
                        if empty && started.elapsed() < MIN_EMPTY_POLL {
                            self.pause(MIN_EMPTY_POLL).await;
                        }
                    }
                }
                Err(err) => {
                    drop(permits);
                    let delay = backoff.next_delay();
                    self.poll_failed(&err, delay);
                    self.pause(delay).await;
                }
            }
        }
        tracing::info!(job.type = %job_type, "worker stopped activating jobs");
    }

    /// Waits for at least one free slot and takes every free one; `None` on shutdown.
    async fn free_slots(&self, slots: &Arc<Semaphore>) -> Option<Vec<OwnedSemaphorePermit>> {
        let first = tokio::select! {
            () = self.shutdown.cancelled() => return None,
            permit = slots.clone().acquire_owned() => permit.ok()?,
        };
        let mut permits = vec![first];
        while let Ok(permit) = slots.clone().try_acquire_owned() {
            permits.push(permit);
        }
        Some(permits)
    }

    async fn pause(&self, delay: Duration) {
        tokio::select! {
            () = self.shutdown.cancelled() => {}
            () = tokio::time::sleep(delay) => {}
        }
    }

    fn poll_failed(&self, err: &EngineError, delay: Duration) {
        let job_type = &self.request.job_type;
        self.shared.metrics.poll_failed(job_type);
        self.shared.health.poll_failed(job_type, err.to_string());
        let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        if err.is_transient() {
            tracing::warn!(job.type = %job_type, error = %err, retry_in.ms = delay_ms, "job activation failed; retrying after a backoff");
        } else {
            tracing::error!(job.type = %job_type, error = %err, retry_in.ms = delay_ms, "job activation was rejected; retrying after a backoff");
        }
    }

    /// Reads and runs one job on its own task, so that reading a batch's jobs is shared
    /// between threads instead of holding up the activation loop. The permit is released
    /// when the job's command is delivered. A job the engine sent beyond what was asked for
    /// comes without one and waits for a free slot first (ahead of the next activation, as
    /// the slots are handed out in order), so no more than the maximum run at once.
    fn spawn_job(
        &self,
        job: Box<RawValue>,
        permit: Option<Permit>,
        slots: &Arc<Semaphore>,
        running: &Arc<Running>,
    ) {
        let task = JobTask {
            shared: self.shared.clone(),
            running: running.clone(),
            slots: slots.clone(),
            lock: Duration::from_millis(self.request.timeout.max(0).unsigned_abs()),
            received: Instant::now(),
        };
        self.tracker.spawn(async move {
            let parsed = parse_job(job.get());
            drop(job);
            // The pipeline already turns a connector's panic into a failed job; this catches
            // one anywhere else (a secret provider, say), so it is logged like every other
            // problem. Not its message, which may quote a secret.
            let work = AssertUnwindSafe(task.run(parsed, permit));
            if work.catch_unwind().await.is_err() {
                tracing::error!(job.type = %task.shared.connector_type(), "a job's task panicked; the job is left to the engine, which hands it out again after its timeout");
            }
        });
    }
}

type Permit = OwnedSemaphorePermit;

/// One activated job's task, and what it shares with the worker.
struct JobTask {
    shared: Arc<Shared>,
    running: Arc<Running>,
    slots: Arc<Semaphore>,
    /// How long the engine keeps the job locked to this worker from activation.
    lock: Duration,
    received: Instant,
}

impl JobTask {
    /// Runs the job unless it must be left to the engine: a job of another type would run
    /// with the wrong connector, a job already running would get a second command, and an
    /// extra job whose lock ran out while it waited for a slot has been handed out again.
    /// The key is claimed before waiting, so a copy of a waiting job is caught too.
    async fn run(&self, parsed: Result<ActivatedJob, UnreadableJob>, permit: Option<Permit>) {
        let job = match parsed {
            Ok(job) => job,
            Err(unreadable) => return self.run_unreadable(unreadable, permit).await,
        };
        if !self.of_our_type(&job.job_key, &job.job_type) {
            return;
        }
        let Some(claim) = self.running.claim(&job.job_key) else {
            fallback_span(&job.job_key, &job.job_type).in_scope(|| {
                tracing::warn!("the engine handed out a job that is already running; the running one sends its command");
            });
            return self.running.left_unanswered();
        };
        let Some(_permit) = self.slot(permit).await else {
            return;
        };
        if handle_job(&self.shared, Box::new(job), claim).await == Outcome::LeftToEngine {
            self.running.left_unanswered();
        }
    }

    async fn run_unreadable(&self, job: UnreadableJob, permit: Option<Permit>) {
        if let (Some(key), Some(job_type)) = (&job.job_key, &job.job_type)
            && !self.of_our_type(key, job_type)
        {
            return;
        }
        if job.job_key.is_none() {
            self.running.left_unanswered();
        }
        let Some(_permit) = self.slot(permit).await else {
            return;
        };
        Box::pin(handle_unreadable(&self.shared, job)).await;
    }

    /// Whether the job is of the type this worker asked for; logs and counts it if not.
    fn of_our_type(&self, key: &str, job_type: &str) -> bool {
        if job_type == self.shared.type_name {
            return true;
        }
        fallback_span(key, job_type).in_scope(|| {
            tracing::error!(worker.type = %self.shared.connector_type(), "the engine handed out a job of another type; it is left to the engine, which hands it out again after its timeout");
        });
        self.running.left_unanswered();
        false
    }

    /// The job's slot: the one it came with, or a free one it waits for. `None` on shutdown,
    /// or when the lock ran out while it waited.
    async fn slot(&self, permit: Option<Permit>) -> Option<Permit> {
        if let Some(permit) = permit {
            return Some(permit);
        }
        let permit = self.slots.clone().acquire_owned().await.ok()?;
        if self.received.elapsed() >= self.lock {
            tracing::warn!(job.type = %self.shared.connector_type(), "a job sent beyond what was asked for waited longer than its lock for a free slot; it is left to the engine, which hands it out again");
            self.running.left_unanswered();
            return None;
        }
        Some(permit)
    }
}

/// How a job's handling ended.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// A command was sent, or given up on.
    Answered,
    /// The job was left to the engine without a command.
    LeftToEngine,
}

/// A job that cannot be read cannot be run: fail it without retries so an incident shows
/// why, or, without a key to answer on, leave it to time out.
async fn handle_unreadable(shared: &Shared, job: UnreadableJob) {
    let Some(key) = job.job_key.as_deref() else {
        tracing::error!(job.type = %shared.connector_type(), reason = %job.reason, "an activated job could not be read and has no usable key; it is re-activated after its timeout");
        return;
    };
    let span = fallback_span(key, shared.connector_type());
    let active = shared.type_metrics.job_started();
    span.in_scope(|| {
        tracing::error!(reason = %job.reason, "an activated job could not be read; failing it without retries");
    });

    let command = JobCommand::Fail {
        retries: 0,
        retry_backoff: Duration::ZERO,
        error_message: job.failure_message(),
        variables: Map::new(),
    };
    let lease = job.job_lease_token.as_deref();
    let delivered = Box::pin(deliver(shared, key, lease, None, &command))
        .instrument(span)
        .await;
    active.finish(delivered);
}

/// One job: prepare, extend the timeout if asked, execute, deliver the command. The claim on
/// its key ends before the command goes out: once the engine has the command, it may hand the
/// job out again at once (a failure with retries left), and that copy must run.
async fn handle_job(shared: &Shared, job: Box<ActivatedJob>, claim: Claim) -> Outcome {
    let active = shared.type_metrics.job_started();
    let key = job.job_key.clone();
    let lease = job.job_lease_token.clone();
    let mut deadline = job.deadline.and_then(from_epoch_ms);

    let (command, span) = match shared.pipeline.prepare_boxed(job) {
        Err(command) => (command, fallback_span(&key, shared.connector_type())),
        Ok(prepared) => {
            let span = prepared.span().clone();
            if let Some(timeout) = prepared.job_timeout() {
                let extension = Box::pin(extend_timeout(shared, &key, timeout))
                    .instrument(span.clone())
                    .await;
                match extension {
                    Extension::Extended(until) => deadline = Some(until),
                    Extension::Kept => {}
                    Extension::Gone => {
                        active.finish(Delivered::Dropped);
                        return Outcome::LeftToEngine;
                    }
                }
            }
            let execution = shared.pipeline.execute(shared.connector.as_ref(), prepared);
            (execution.await, span)
        }
    };

    drop(claim);
    let delivered = deliver(shared, &key, lease.as_deref(), deadline, &command)
        .instrument(span)
        .await;
    active.finish(delivered);
    Outcome::Answered
}

fn fallback_span(key: &str, job_type: &str) -> tracing::Span {
    tracing::info_span!("connector.job", job.key = %Printable(key), job.type = %Printable(job_type))
}

/// What became of a request to keep a job locked for longer.
enum Extension {
    /// The job is locked until then.
    Extended(Instant),
    /// The request failed; the job keeps the lock it was activated with.
    Kept,
    /// The job no longer exists: it timed out, was cancelled or was completed elsewhere.
    Gone,
}

/// Asks the engine to keep the job locked for `timeout` from now.
async fn extend_timeout(shared: &Shared, key: &str, timeout: Duration) -> Extension {
    let requested = Instant::now();
    match shared.client.update_job_timeout(key, timeout).await {
        Ok(()) => {
            let timeout_ms = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
            tracing::debug!(timeout.ms = timeout_ms, "job timeout extended");
            requested
                .checked_add(timeout)
                .map_or(Extension::Kept, Extension::Extended)
        }
        Err(err) if err.is_not_found() => {
            tracing::warn!(error = %err, "the job no longer exists; it is not executed");
            Extension::Gone
        }
        Err(err) => {
            tracing::warn!(error = %err, "the job timeout could not be extended; executing with the activation timeout");
            Extension::Kept
        }
    }
}

fn from_epoch_ms(deadline_ms: i64) -> Option<Instant> {
    let now_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    let left = i128::from(deadline_ms) - i128::try_from(now_ms).unwrap_or(i128::MAX);
    let left = u64::try_from(left.max(0)).unwrap_or(u64::MAX);
    Instant::now().checked_add(Duration::from_millis(left))
}

/// Sends the command, retrying transient errors while the job is still locked to us.
async fn deliver(
    shared: &Shared,
    key: &str,
    lease: Option<&str>,
    deadline: Option<Instant>,
    command: &JobCommand,
) -> Delivered {
    let give_up = deadline.unwrap_or_else(|| Instant::now() + COMMAND_RETRY_LIMIT);
    let (base, max) = shared.command_backoff;
    let mut backoff = Backoff::new(base, max);
    loop {
        let err = match send(&shared.client, key, lease, command).await {
            Ok(delivered) => return delivered,
            Err(err) => err,
        };
        if err.is_not_found() {
            tracing::warn!(command = command.name(), error = %err, "the job no longer exists (completed, cancelled or timed out); its command was dropped");
            return Delivered::Dropped;
        }
        let delay = backoff.next_delay();
        // A command held up only by the token endpoint is worth retrying whatever it said:
        // the job stays locked to this worker, and dropping the command runs it again.
        let retryable = err.is_transient() || matches!(err, EngineError::Auth(_));
        if !retryable || Instant::now() + delay >= give_up {
            tracing::error!(command = command.name(), error = %err, "the command could not be delivered; the engine re-activates the job after its timeout");
            return Delivered::Dropped;
        }
        tracing::warn!(command = command.name(), error = %err, retry_in.ms = delay.as_millis() as u64, "the command failed; retrying");
        tokio::time::sleep(delay).await;
    }
}

async fn send(
    client: &EngineClient,
    key: &str,
    lease: Option<&str>,
    command: &JobCommand,
) -> Result<Delivered, EngineError> {
    let variables = |vars: &Map<String, Value>| (!vars.is_empty()).then(|| vars.clone());
    match command {
        JobCommand::Complete { variables: vars } => {
            let body = variables(vars).map(CompleteJobRequest::with_variables);
            client
                .job_command(key, "completion", body.as_ref(), lease)
                .await?;
            Ok(Delivered::Completed)
        }
        JobCommand::Fail {
            retries,
            retry_backoff,
            error_message,
            variables: vars,
        } => {
            let mut body = fail_body(*retries, *retry_backoff, error_message);
            body.variables = variables(vars);
            client
                .job_command(key, "failure", Some(&body), lease)
                .await?;
            Ok(Delivered::Failed)
        }
        JobCommand::ThrowError {
            error_code,
            error_message,
            variables: vars,
        } => {
            let mut body = ThrowErrorRequest::new(error_code.clone(), String::new());
            body.error_message = error_message.clone();
            body.variables = variables(vars);
            client.job_command(key, "error", Some(&body), lease).await?;
            Ok(Delivered::BpmnError)
        }
    }
}

/// The engine counts retries in an i32 and backoffs in i64 milliseconds: larger values are
/// clamped to the most the engine takes, as the pipeline's own bounds do.
fn fail_body(retries: u32, retry_backoff: Duration, message: &str) -> FailJobRequest {
    let retries = i32::try_from(retries).unwrap_or(i32::MAX);
    let backoff_ms = i64::try_from(retry_backoff.as_millis()).unwrap_or(i64::MAX);
    FailJobRequest::new(retries, message).with_retry_back_off(backoff_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_and_backoffs_beyond_the_engine_range_are_clamped() {
        let body = fail_body(u32::MAX, Duration::MAX, "m");
        assert_eq!(body.retries, i32::MAX);
        assert_eq!(body.retry_back_off, Some(i64::MAX));

        let body = fail_body(2, Duration::from_secs(5), "m");
        assert_eq!((body.retries, body.retry_back_off), (2, Some(5_000)));
    }
}
