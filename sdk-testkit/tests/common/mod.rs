//! Shared by the worker tests: a way to make a worker task panic, as a bug would, and the
//! connector whose worker the tests make panic.

use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Echoes its input; its worker is the one the tests make panic with
/// [`PanicOnFailedActivation`].
pub(crate) struct Doomed;

#[async_trait]
impl OutboundConnector for Doomed {
    const NAME: &'static str = "doomed";
    const TYPE: &'static str = "io.example:doomed:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(input)
    }
}

/// The target of the worker's activation loop, whose task the layer makes panic.
const ACTIVATION_LOOP: &str = "camunda_connector_runtime::worker::poller";

/// A tracing layer that panics inside the activation loop of one job type when the loop logs
/// a warning or an error (a failed activation does): the panic unwinds the loop's task, as a
/// bug in the engine client would.
#[derive(Debug)]
pub(crate) struct PanicOnFailedActivation {
    /// The job type whose worker panics.
    pub(crate) job_type: &'static str,
}

/// The message of the panic.
pub(crate) const PANIC_MESSAGE: &str = "a bug in the worker, made by the test";

impl<S: Subscriber> Layer<S> for PanicOnFailedActivation {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        if meta.target() != ACTIVATION_LOOP || *meta.level() > Level::WARN {
            return;
        }
        let mut job_type = JobType(None);
        event.record(&mut job_type);
        if job_type.0.as_deref() == Some(self.job_type) {
            panic!("{PANIC_MESSAGE}");
        }
    }
}

/// Reads an event's `job.type` field.
struct JobType(Option<String>);

impl Visit for JobType {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "job.type" {
            self.0 = Some(value.to_owned());
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "job.type" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}
