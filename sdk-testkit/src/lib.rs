//! Test connectors without a cluster: strict fake contexts, a harness that runs jobs through
//! the real job pipeline, and assertions on the command the engine would receive.
//!
//! - [`OutboundContextBuilder`] builds the context a connector's `execute` receives, and
//!   [`execute()`] binds its variables into the connector's input and calls `execute`, for the
//!   simplest test: build a context, await the connector, assert on its typed output.
//! - [`TestJob`] and [`run`] push a scripted job through the same pipeline the worker uses,
//!   headers, secrets, binding, result and error expressions (FEEL) included, so result and
//!   error expressions are unit-tested with the connector.
//! - [`CommandAssertions`] checks the resulting [`JobCommand`].
//!
//! [`JobCommand`] and [`ActivatedJob`] are re-exported from the runtime, so tests need no
//! dependency on `camunda-connector-runtime` of their own.
//!
//! # Example
//!
//! ```
//! use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
//! use camunda_connector_testkit::{CommandAssertions, TestJob};
//! use serde_json::{json, Value};
//!
//! struct Orders;
//!
//! #[async_trait]
//! impl OutboundConnector for Orders {
//!     const NAME: &'static str = "orders";
//!     const TYPE: &'static str = "io.example:orders:1";
//!     type Input = Value;
//!     type Output = Value;
//!
//!     async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
//!         match input["id"].as_i64() {
//!             Some(7) => Ok(json!({"status": 200, "body": {"id": 7, "state": "shipped"}})),
//!             _ => Err(ConnectorError::failure("404", "no such order")),
//!         }
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! // The result expression maps the response.
//! TestJob::new()
//!     .variables(json!({"id": 7}))
//!     .result_expression("={state: body.state}")
//!     .run(&Orders)
//!     .await
//!     .assert_completed(json!({"state": "shipped"}));
//!
//! // The error expression turns a 404 into a BPMN error.
//! TestJob::new()
//!     .variables(json!({"id": 8}))
//!     .error_expression(r#"=if error.code = "404" then bpmnError("NO_ORDER", error.message) else null"#)
//!     .run(&Orders)
//!     .await
//!     .assert_bpmn_error("NO_ORDER")
//!     .assert_message_contains("no such order");
//!
//! // Without one, the failure is retried: 3 retries become 2.
//! TestJob::new()
//!     .variables(json!({"id": 8}))
//!     .run(&Orders)
//!     .await
//!     .assert_failed(2)
//!     .assert_error_code("404");
//! # });
//! ```

#![doc(test(attr(deny(warnings))))]
#![warn(missing_docs)]

mod assert;
mod context;
mod execute;
pub mod fake_engine;
mod job;

pub use assert::CommandAssertions;
pub use context::OutboundContextBuilder;
pub use execute::execute;
pub use job::{TestJob, run};

/// The activated job the harness runs, as Camunda's REST job activation returns it; see
/// [`TestJob::edit`] and [`TestJob::into_activated_job`].
///
/// ```
/// use camunda_connector_testkit::{ActivatedJob, TestJob};
/// let job: ActivatedJob = TestJob::new().retries(2).into_activated_job();
/// assert_eq!(job.retries, 2);
/// ```
pub use camunda_connector_runtime::job::ActivatedJob;

/// The one command the engine receives for a job: what [`run`] returns and
/// [`CommandAssertions`] checks.
///
/// ```
/// use camunda_connector_testkit::{CommandAssertions, JobCommand};
/// let command = JobCommand::complete(serde_json::Map::new());
/// command.assert_completed(serde_json::json!({}));
/// assert!(matches!(command, JobCommand::Complete { .. }));
/// ```
pub use camunda_connector_runtime::job::JobCommand;
