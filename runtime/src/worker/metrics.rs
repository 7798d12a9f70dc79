//! Prometheus metrics and the health state, served on the management port.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use serde_json::json;

use crate::text::truncate;

type Labels = Vec<(&'static str, String)>;

/// The worker's metrics, labelled by job type.
pub(crate) struct Metrics {
    registry: Registry,
    activated: Family<Labels, Counter>,
    completed: Family<Labels, Counter>,
    failed: Family<Labels, Counter>,
    bpmn_errors: Family<Labels, Counter>,
    dropped: Family<Labels, Counter>,
    poll_errors: Family<Labels, Counter>,
    active: Family<Labels, Gauge>,
    duration: Family<Labels, Histogram>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

/// What became of a job, for the counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivered {
    Completed,
    Failed,
    BpmnError,
    /// The command could not be delivered; the engine re-activates the job after its timeout.
    Dropped,
}

impl Metrics {
    pub(crate) fn new() -> Self {
        let mut registry = Registry::with_prefix("camunda_connector");
        let activated = Family::default();
        let completed = Family::default();
        let failed = Family::default();
        let bpmn_errors = Family::default();
        let dropped = Family::default();
        let poll_errors = Family::default();
        let active = Family::default();
        let duration = Family::<Labels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.5, 14))
        });
        registry.register("jobs_activated", "Jobs activated", activated.clone());
        registry.register("jobs_completed", "Jobs completed", completed.clone());
        registry.register("jobs_failed", "Jobs failed", failed.clone());
        registry.register(
            "jobs_bpmn_errors",
            "BPMN errors thrown",
            bpmn_errors.clone(),
        );
        registry.register(
            "jobs_dropped",
            "Commands that could not be delivered (the job times out and is re-activated)",
            dropped.clone(),
        );
        registry.register("poll_errors", "Failed job activations", poll_errors.clone());
        registry.register("jobs_active", "Jobs being executed now", active.clone());
        registry.register(
            "job_duration_seconds",
            "Time from activation to the engine accepting the command",
            duration.clone(),
        );
        Metrics {
            registry,
            activated,
            completed,
            failed,
            bpmn_errors,
            dropped,
            poll_errors,
            active,
            duration,
        }
    }

    fn labels(job_type: &str) -> Labels {
        vec![("job_type", job_type.to_owned())]
    }

    /// The metric handles of one job type, resolved once so a job touches no label map.
    pub(crate) fn for_type(&self, job_type: &str) -> TypeMetrics {
        let labels = Self::labels(job_type);
        TypeMetrics {
            activated: self.activated.get_or_create(&labels).clone(),
            completed: self.completed.get_or_create(&labels).clone(),
            failed: self.failed.get_or_create(&labels).clone(),
            bpmn_errors: self.bpmn_errors.get_or_create(&labels).clone(),
            dropped: self.dropped.get_or_create(&labels).clone(),
            active: self.active.get_or_create(&labels).clone(),
            duration: self.duration.get_or_create(&labels).clone(),
        }
    }

    pub(crate) fn poll_failed(&self, job_type: &str) {
        self.poll_errors
            .get_or_create(&Self::labels(job_type))
            .inc();
    }

    /// The metrics as OpenMetrics text.
    pub(crate) fn render(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        encode(&mut text, &self.registry)?;
        Ok(text)
    }
}

/// The metrics of one job type.
#[derive(Debug, Clone)]
pub(crate) struct TypeMetrics {
    activated: Counter,
    completed: Counter,
    failed: Counter,
    bpmn_errors: Counter,
    dropped: Counter,
    active: Gauge,
    duration: Histogram,
}

impl TypeMetrics {
    /// Counts a job as activated and active until the returned guard is finished or dropped.
    pub(crate) fn job_started(&self) -> ActiveJob<'_> {
        self.activated.inc();
        self.active.inc();
        ActiveJob {
            metrics: self,
            started: Instant::now(),
            finished: false,
        }
    }

    fn job_finished(&self, delivered: Delivered, took: Duration) {
        self.active.dec();
        let counter = match delivered {
            Delivered::Completed => &self.completed,
            Delivered::Failed => &self.failed,
            Delivered::BpmnError => &self.bpmn_errors,
            Delivered::Dropped => &self.dropped,
        };
        counter.inc();
        self.duration.observe(took.as_secs_f64());
    }
}

/// A job counted as active. Finishing it records how it ended; dropping it unfinished (its
/// task panicked) counts it as dropped, so the active gauge never drifts.
pub(crate) struct ActiveJob<'a> {
    metrics: &'a TypeMetrics,
    started: Instant,
    finished: bool,
}

impl ActiveJob<'_> {
    pub(crate) fn finish(mut self, delivered: Delivered) {
        self.finished = true;
        self.metrics.job_finished(delivered, self.started.elapsed());
    }
}

impl Drop for ActiveJob<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.metrics
                .job_finished(Delivered::Dropped, self.started.elapsed());
        }
    }
}

/// The most characters of an engine error that `/health` shows; longer text is cut there.
pub(crate) const HEALTH_ERROR_LIMIT: usize = 300;

/// What `/health` and `/health/liveness` report: each worker's last activation, and whether
/// the runtime is stopping.
///
/// A worker is `STARTING` until its first activation request is answered, `UP` while its
/// last one was answered and `DOWN` (with the error, cut to [`HEALTH_ERROR_LIMIT`]
/// characters) while its last one failed.
#[derive(Debug, Default)]
pub(crate) struct Health {
    state: Mutex<HealthState>,
}

#[derive(Debug, Default)]
struct HealthState {
    stopping: Option<Stopping>,
    workers: BTreeMap<String, WorkerState>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum WorkerState {
    Starting,
    Up,
    Down(String),
}

/// Why the runtime is stopping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stopping {
    /// A stop was asked for (a signal, or `RunningRuntime::shutdown`).
    Requested,
    /// A worker failed, so the runtime stops the others.
    WorkerFailed,
}

impl Stopping {
    fn reason(self) -> &'static str {
        match self {
            Stopping::Requested => "shutting down",
            Stopping::WorkerFailed => "a worker failed; the runtime is stopping",
        }
    }
}

impl Health {
    fn lock(&self) -> std::sync::MutexGuard<'_, HealthState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a worker that has not been answered yet.
    pub(crate) fn starting(&self, job_type: &str) {
        self.lock()
            .workers
            .insert(job_type.to_owned(), WorkerState::Starting);
    }

    pub(crate) fn poll_succeeded(&self, job_type: &str) {
        self.set(job_type, WorkerState::Up);
    }

    pub(crate) fn poll_failed(&self, job_type: &str, error: String) {
        self.set(
            job_type,
            WorkerState::Down(truncate(&error, HEALTH_ERROR_LIMIT)),
        );
    }

    fn set(&self, job_type: &str, worker: WorkerState) {
        let mut state = self.lock();
        match state.workers.get_mut(job_type) {
            Some(known) => *known = worker,
            None => {
                state.workers.insert(job_type.to_owned(), worker);
            }
        }
    }

    /// Marks the runtime as stopping; the first reason given stays.
    pub(crate) fn stopping(&self, why: Stopping) {
        self.lock().stopping.get_or_insert(why);
    }

    /// `/health`: `200 UP` only while every worker's last activation was answered.
    pub(crate) fn readiness(&self) -> (StatusCode, serde_json::Value) {
        let state = self.lock();
        if let Some(why) = state.stopping {
            return down(why);
        }
        let overall = state
            .workers
            .values()
            .map(WorkerState::label)
            .max_by_key(|label| match *label {
                "DOWN" => 2,
                "STARTING" => 1,
                _ => 0,
            })
            .unwrap_or("UP");
        if overall == "UP" {
            return (StatusCode::OK, json!({"status": "UP"}));
        }

        let workers: serde_json::Map<_, _> = state
            .workers
            .iter()
            .map(|(job_type, worker)| (job_type.clone(), worker.to_json()))
            .collect();
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": overall, "workers": workers}),
        )
    }

    /// `/health/liveness`: `200 UP` until the runtime stops, whatever the engine does.
    pub(crate) fn liveness(&self) -> (StatusCode, serde_json::Value) {
        match self.lock().stopping {
            Some(why) => down(why),
            None => (StatusCode::OK, json!({"status": "UP"})),
        }
    }
}

fn down(why: Stopping) -> (StatusCode, serde_json::Value) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        json!({"status": "DOWN", "reason": why.reason()}),
    )
}

impl WorkerState {
    fn label(&self) -> &'static str {
        match self {
            WorkerState::Starting => "STARTING",
            WorkerState::Up => "UP",
            WorkerState::Down(_) => "DOWN",
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            WorkerState::Down(error) => json!({"status": "DOWN", "error": error}),
            other => json!({"status": other.label()}),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readiness(health: &Health) -> (u16, serde_json::Value) {
        let (status, body) = health.readiness();
        (status.as_u16(), body)
    }

    fn sample<'a>(text: &'a str, name: &str) -> &'a str {
        text.lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.rsplit(' ').next())
            .unwrap_or_else(|| panic!("{name} missing from {text}"))
    }

    #[test]
    fn a_job_whose_task_ends_unfinished_counts_as_dropped_and_is_no_longer_active() {
        let metrics = Metrics::new();
        let jobs = metrics.for_type("t");

        let finished = jobs.job_started();
        let abandoned = jobs.job_started();
        finished.finish(Delivered::Completed);
        drop(abandoned);

        let text = metrics.render().unwrap();
        assert_eq!(sample(&text, "camunda_connector_jobs_active{"), "0");
        assert_eq!(
            sample(&text, "camunda_connector_jobs_completed_total{"),
            "1"
        );
        assert_eq!(sample(&text, "camunda_connector_jobs_dropped_total{"), "1");
    }

    #[test]
    fn a_worker_is_starting_until_its_first_activation_is_answered() {
        let health = Health::default();
        health.starting("a");
        health.starting("b");
        health.poll_succeeded("a");

        let (status, body) = readiness(&health);
        assert_eq!(status, 503);
        assert_eq!(
            body,
            json!({"status": "STARTING", "workers": {"a": {"status": "UP"}, "b": {"status": "STARTING"}}})
        );
        assert_eq!(health.liveness().0, StatusCode::OK);

        health.poll_succeeded("b");
        assert_eq!(readiness(&health), (200, json!({"status": "UP"})));
    }

    #[test]
    fn a_failing_worker_is_down_even_while_another_starts() {
        let health = Health::default();
        health.starting("a");
        health.starting("b");
        health.poll_failed("b", "the token endpoint could not be reached".into());

        let (status, body) = readiness(&health);
        assert_eq!(status, 503);
        assert_eq!(body["status"], "DOWN");
        assert_eq!(body["workers"]["a"], json!({"status": "STARTING"}));
        assert_eq!(
            body["workers"]["b"]["error"],
            "the token endpoint could not be reached"
        );
        assert_eq!(health.liveness().0, StatusCode::OK);
    }

    #[test]
    fn a_long_error_is_cut_on_a_character_boundary() {
        let health = Health::default();
        health.starting("a");
        health.poll_failed("a", "é".repeat(HEALTH_ERROR_LIMIT * 10));

        let (_, body) = readiness(&health);
        let error = body["workers"]["a"]["error"].as_str().unwrap();
        assert_eq!(error.chars().count(), HEALTH_ERROR_LIMIT + 1);
        assert!(error.ends_with("é…"), "{error}");
    }

    #[test]
    fn a_stopping_runtime_is_down_for_both_probes_with_the_first_reason() {
        let health = Health::default();
        health.starting("a");
        health.poll_succeeded("a");
        health.stopping(Stopping::WorkerFailed);
        health.stopping(Stopping::Requested);

        let expected =
            json!({"status": "DOWN", "reason": "a worker failed; the runtime is stopping"});
        assert_eq!(readiness(&health), (503, expected.clone()));
        let (status, body) = health.liveness();
        assert_eq!((status.as_u16(), body), (503, expected));
    }
}
