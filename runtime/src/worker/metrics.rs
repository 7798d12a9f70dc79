//! Prometheus metrics and the health state, served on the management port.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::http::StatusCode;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use serde_json::json;

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
    pub(crate) fn job_started(&self) {
        self.activated.inc();
        self.active.inc();
    }

    pub(crate) fn job_finished(&self, delivered: Delivered, took: Duration) {
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

/// Whether the engine answered the last activation of every worker.
#[derive(Debug, Default)]
pub(crate) struct Health {
    stopping: AtomicBool,
    failing: Mutex<Vec<(String, String)>>,
}

impl Health {
    pub(crate) fn poll_succeeded(&self, job_type: &str) {
        let mut failing = self.failing.lock().unwrap_or_else(|e| e.into_inner());
        failing.retain(|(failed, _)| failed != job_type);
    }

    pub(crate) fn poll_failed(&self, job_type: &str, error: String) {
        let mut failing = self.failing.lock().unwrap_or_else(|e| e.into_inner());
        failing.retain(|(failed, _)| failed != job_type);
        failing.push((job_type.to_owned(), error));
    }

    pub(crate) fn stopping(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    /// `/health`: `200 UP`, or `503 DOWN` while stopping or while an activation fails.
    pub(crate) fn report(&self) -> (StatusCode, serde_json::Value) {
        if self.stopping.load(Ordering::SeqCst) {
            return (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"status": "DOWN", "reason": "shutting down"}),
            );
        }
        let failing = self.failing.lock().unwrap_or_else(|e| e.into_inner());
        if failing.is_empty() {
            return (StatusCode::OK, json!({"status": "UP"}));
        }
        let details: serde_json::Map<_, _> = failing
            .iter()
            .map(|(job_type, error)| (job_type.clone(), json!(error)))
            .collect();
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({"status": "DOWN", "engine": details}),
        )
    }
}
