//! The outbound job pipeline: one activated job in, one engine command out.
//!
//! Every way of running a connector (the worker, `invoke` and the testkit harness) goes
//! through [`JobPipeline`], in this order:
//!
//! 1. **Headers** ([`JobPipeline::prepare`]): `retryBackoff` and `jobTimeout` are parsed; an
//!    invalid one fails the job with 0 retries and the connector never runs. Blank headers
//!    count as absent.
//! 2. **Secrets**: every secret the variables reference is fetched for the job's tenant and
//!    process. A provider that cannot answer is a retryable failure; an unknown secret fails
//!    the binding with 0 retries, naming the secret.
//! 3. **Connector** ([`DynOutboundConnector::invoke`]): binding (secrets, serde, validation)
//!    then execution. Binding errors are input errors (0 retries, the connector body never
//!    runs). A panic fails that job only.
//! 4. **Result mapping**: `resultVariable` receives the whole response, then the keys of the
//!    `resultExpression` result are merged in (they win). The expression sees the response's
//!    keys and `response`. A null result adds nothing; a non-object result and output over
//!    1.5 MiB are input errors.
//! 5. **Error expression** (`errorExpression`), after success and after failure alike. After a
//!    failure it sees `error` (`{type, message, code, variables?}`), `response` (the same
//!    `{error}` object) and `job.retries`; after a success the mapped output (or the response
//!    when nothing was mapped), `response` and `job.retries`. `bpmnError(...)` throws a BPMN
//!    error, `jobError(...)` fails the job with its retries and backoff (zero unless given),
//!    `ignoreError(...)` completes with exactly its variables; `null`, `{}` and a `bpmnError`
//!    without code change nothing. Any other value, or an evaluation failure, fails the job with
//!    0 retries.
//! 6. **Command**: success completes with the output. A connector BPMN error throws it. Any
//!    other failure fails the job: input errors with 0 retries, a connector's retry count as
//!    given, else the job's retries minus one; the backoff is the connector's, else the
//!    `retryBackoff` header, else zero. The fail variables are `{"error": {...}}`.
//!
//! The pipeline runs inside a Tokio runtime with its time driver enabled (`#[tokio::main]`,
//! `#[tokio::test]` and `Builder::enable_all()` all enable it): expressions are evaluated on
//! their own thread under a time budget.
//!
//! Secret values are masked (`***`) in every failure message, error variable and BPMN error
//! code, message and variables, and in every log line; values are masked before they are
//! quoted into a message. Messages are at most [`MAX_MESSAGE_CHARS`] characters and never
//! empty; a value a message repeats is cut to [`MAX_EMBEDDED_CHARS`] first, so the reason
//! after it survives. A BPMN error code longer than [`MAX_ERROR_CODE_CHARS`] is not thrown:
//! the job fails with 0 retries. Retries are capped at `i32::MAX`, the engine's type.
//!
//! Expressions are evaluated off the async runtime's threads with
//! [`FeelEngine::evaluate_async`], within the engine's time budget; an expression that runs
//! out of time fails the job with 0 retries.
//!
//! # Running a job
//!
//! ```
//! use std::sync::Arc;
//! use camunda_connector_runtime::feel::FeelEngine;
//! use camunda_connector_runtime::job::{ActivatedJob, JobCommand};
//! use camunda_connector_runtime::pipeline::JobPipeline;
//! use camunda_connector_sdk::secrets::MemorySecretProvider;
//! use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
//! use serde_json::{json, Value};
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
//!         Ok(json!({"said": input["text"]}))
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(MemorySecretProvider::default()));
//! let mut job = ActivatedJob::new("1", Echo::TYPE, 3);
//! job.variables = json!({"text": "hi"});
//! job.custom_headers.insert("resultExpression".into(), "={greeting: said}".into());
//!
//! let command = pipeline.run(&Echo, job).await;
//! assert_eq!(command, JobCommand::complete(json!({"greeting": "hi"}).as_object().unwrap().clone()));
//! # });
//! ```
//!
//! # Two steps, for workers
//!
//! A worker that honours `jobTimeout` calls [`prepare`](JobPipeline::prepare), sends the
//! timeout update for [`PreparedJob::job_timeout`] and then calls
//! [`execute`](JobPipeline::execute); [`run`](JobPipeline::run) does both steps at once.

mod expressions;
mod headers;
mod report;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use camunda_connector_sdk::ConnectorError;
use camunda_connector_sdk::error::ErrorKind;
use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::secrets::{SecretContext, SecretProvider, Secrets};
use camunda_connector_sdk::{JobFacts, OutboundContext};
use futures_util::FutureExt;
use serde_json::{Map, Value};
use tracing::Instrument;

use self::expressions::Decision;
pub use self::headers::{
    ERROR_EXPRESSION, HeaderError, JOB_TIMEOUT, JobHeaders, RESULT_EXPRESSION, RESULT_VARIABLE,
    RETRY_BACKOFF,
};
pub use self::report::{
    MAX_EMBEDDED_CHARS, MAX_ERROR_CODE_CHARS, MAX_MESSAGE_CHARS, MAX_VARIABLES_BYTES,
    TRUNCATION_MARKER,
};
use crate::feel::FeelEngine;
use crate::job::{ActivatedJob, JobCommand};
use crate::text::{Printable, panic_message};

/// Runs activated jobs through a connector and decides the one command for each.
///
/// It is cheap to clone and safe to share between tasks: clones share the FEEL engine's
/// expression cache and the secret provider.
///
/// ```
/// use std::sync::Arc;
/// use camunda_connector_runtime::feel::FeelEngine;
/// use camunda_connector_runtime::pipeline::JobPipeline;
/// use camunda_connector_sdk::secrets::EnvSecretProvider;
///
/// let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(EnvSecretProvider::new()));
/// let shared = pipeline.clone();
/// # let _ = shared;
/// ```
#[derive(Clone)]
pub struct JobPipeline {
    feel: FeelEngine,
    secrets: Arc<dyn SecretProvider>,
}

impl fmt::Debug for JobPipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobPipeline")
            .field("feel", &self.feel)
            .field("secrets", &self.secrets)
            .finish()
    }
}

/// A job whose headers passed: ready for [`JobPipeline::execute`].
///
/// Holds the job, its parsed headers and the job's tracing span.
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use camunda_connector_runtime::feel::FeelEngine;
/// use camunda_connector_runtime::job::ActivatedJob;
/// use camunda_connector_runtime::pipeline::JobPipeline;
/// use camunda_connector_sdk::secrets::MemorySecretProvider;
///
/// let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(MemorySecretProvider::default()));
/// let mut job = ActivatedJob::new("1", "io.example:echo:1", 3);
/// job.custom_headers.insert("jobTimeout".into(), "PT10M".into());
///
/// let prepared = pipeline.prepare(job).unwrap();
/// assert_eq!(prepared.job_timeout(), Some(Duration::from_secs(600)));
/// ```
#[derive(Debug)]
pub struct PreparedJob {
    /// Boxed so that moving a prepared job, and every future holding one, copies a pointer,
    /// not the job.
    job: Box<ActivatedJob>,
    headers: JobHeaders,
    span: tracing::Span,
}

impl PreparedJob {
    /// The job.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::ActivatedJob, pipeline::JobPipeline};
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let prepared = pipeline.prepare(ActivatedJob::new("7", "t", 3)).unwrap();
    /// assert_eq!(prepared.job().job_key, "7");
    /// ```
    pub fn job(&self) -> &ActivatedJob {
        &self.job
    }

    /// The parsed headers.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::ActivatedJob, pipeline::JobPipeline};
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let prepared = pipeline.prepare(ActivatedJob::new("7", "t", 3)).unwrap();
    /// assert_eq!(prepared.headers().retry_backoff, None);
    /// ```
    pub fn headers(&self) -> &JobHeaders {
        &self.headers
    }

    /// The `jobTimeout` header: the worker asks the engine to extend the job's deadline to now
    /// plus this before execution. `None` when the header is absent.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::ActivatedJob, pipeline::JobPipeline};
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let prepared = pipeline.prepare(ActivatedJob::new("7", "t", 3)).unwrap();
    /// assert_eq!(prepared.job_timeout(), None);
    /// ```
    pub fn job_timeout(&self) -> Option<Duration> {
        self.headers.job_timeout
    }

    /// The job's span (`connector.job`), for the worker's own events about this job.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::ActivatedJob, pipeline::JobPipeline};
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let prepared = pipeline.prepare(ActivatedJob::new("7", "t", 3)).unwrap();
    /// prepared.span().in_scope(|| tracing::debug!("job timeout extended"));
    /// ```
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }
}

/// What the connector produced, before the error expression.
enum Outcome {
    /// The response and the output variables mapped from it.
    Success {
        response: Value,
        output: Map<String, Value>,
    },
    /// The connector, its binding or the result mapping failed.
    Failure(ConnectorError),
}

impl JobPipeline {
    /// A pipeline evaluating expressions with `feel` and fetching secrets from `secrets`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use camunda_connector_runtime::{feel::FeelEngine, pipeline::JobPipeline};
    /// use camunda_connector_sdk::secrets::MemorySecretProvider;
    ///
    /// let provider = MemorySecretProvider::new([("TOKEN", "t-1")]);
    /// let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(provider));
    /// # let _ = pipeline;
    /// ```
    pub fn new(feel: FeelEngine, secrets: Arc<dyn SecretProvider>) -> Self {
        JobPipeline { feel, secrets }
    }

    /// Runs `job` through `connector`: [`prepare`](Self::prepare), then
    /// [`execute`](Self::execute). Never panics; every path ends in one command.
    ///
    /// Cancelling the future before it finishes leaves the job untouched: the engine hands it
    /// out again after its timeout.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::{ActivatedJob, JobCommand}, pipeline::JobPipeline};
    /// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
    /// struct Down;
    /// #[async_trait]
    /// impl OutboundConnector for Down {
    ///     const NAME: &'static str = "down";
    ///     const TYPE: &'static str = "io.example:down:1";
    ///     type Input = serde_json::Value;
    ///     type Output = ();
    ///     async fn execute(&self, _: serde_json::Value, _: &OutboundContext) -> Result<(), ConnectorError> {
    ///         Err(ConnectorError::failure("503", "upstream down"))
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let command = pipeline.run(&Down, ActivatedJob::new("1", Down::TYPE, 3)).await;
    /// assert!(matches!(command, JobCommand::Fail { retries: 2, .. }));
    /// # });
    /// ```
    pub async fn run(&self, connector: &dyn DynOutboundConnector, job: ActivatedJob) -> JobCommand {
        match self.prepare(job) {
            Ok(prepared) => self.execute(connector, prepared).await,
            Err(command) => command,
        }
    }

    /// Step one: parses the headers the pipeline acts on before anything runs.
    ///
    /// # Errors
    ///
    /// The fail command (0 retries, no backoff) for a job whose `retryBackoff` or `jobTimeout`
    /// header is invalid; send it, the connector must not run.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::{ActivatedJob, JobCommand}, pipeline::JobPipeline};
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let mut job = ActivatedJob::new("1", "t", 3);
    /// job.custom_headers.insert("retryBackoff".into(), "soon".into());
    /// let command = pipeline.prepare(job).unwrap_err();
    /// assert!(matches!(command, JobCommand::Fail { retries: 0, .. }));
    /// ```
    pub fn prepare(&self, job: ActivatedJob) -> Result<PreparedJob, JobCommand> {
        self.prepare_boxed(Box::new(job))
    }

    /// [`prepare`](Self::prepare) for a job already on the heap, as the worker holds it.
    pub(crate) fn prepare_boxed(&self, job: Box<ActivatedJob>) -> Result<PreparedJob, JobCommand> {
        let span = job_span(&job);

        match JobHeaders::parse(&job) {
            Ok(headers) => Ok(PreparedJob { job, headers, span }),
            Err(err) => {
                let error = ConnectorError::input(err.to_string()).with_code("INVALID_HEADER");
                let value = report::error_value(&error, &Secrets::none());
                let command = report::fail(value, 0, Duration::ZERO);
                span.in_scope(|| log_command(&command, &Secrets::none()));
                Err(command)
            }
        }
    }

    /// Step two: secrets, connector, result mapping, error expression, command.
    ///
    /// Never panics, and a panicking connector fails only this job. Cancelling the future
    /// leaves the job untouched.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::{feel::FeelEngine, job::{ActivatedJob, JobCommand}, pipeline::JobPipeline};
    /// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
    /// struct Ping;
    /// #[async_trait]
    /// impl OutboundConnector for Ping {
    ///     const NAME: &'static str = "ping";
    ///     const TYPE: &'static str = "io.example:ping:1";
    ///     type Input = serde_json::Value;
    ///     type Output = &'static str;
    ///     async fn execute(&self, _: serde_json::Value, _: &OutboundContext) -> Result<&'static str, ConnectorError> {
    ///         Ok("pong")
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// # let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(camunda_connector_sdk::secrets::MemorySecretProvider::default()));
    /// let mut job = ActivatedJob::new("1", Ping::TYPE, 3);
    /// job.custom_headers.insert("resultVariable".into(), "answer".into());
    /// let prepared = pipeline.prepare(job).unwrap();
    /// let command = pipeline.execute(&Ping, prepared).await;
    /// assert_eq!(command.variables()["answer"], "pong");
    /// # });
    /// ```
    pub async fn execute(
        &self,
        connector: &dyn DynOutboundConnector,
        prepared: PreparedJob,
    ) -> JobCommand {
        let span = prepared.span.clone();
        self.execute_in_span(connector, prepared)
            .instrument(span)
            .await
    }

    async fn execute_in_span(
        &self,
        connector: &dyn DynOutboundConnector,
        mut prepared: PreparedJob,
    ) -> JobCommand {
        // Kept boxed and borrowed: moving the job out would copy it into this future. The
        // job is not read again, so its facts and variables are moved, not copied.
        let facts = prepared.job.take_facts();
        let variables = std::mem::take(&mut prepared.job.variables);
        let (headers, retries) = (&prepared.headers, prepared.job.retries);

        let (invoked, secrets) = self.invoke(connector, variables, facts).await;
        let outcome = self.map_output(headers, invoked, &secrets).await;

        let decided = self.examine(headers, &outcome, &secrets, retries).await;
        let command = match decided {
            Ok(Decision::NoError) => finish(outcome, headers, &secrets, retries),
            Ok(decision) => command_for(decision, &secrets),
            Err(reason) => expression_failure(&reason, &outcome, &secrets),
        };
        log_command(&command, &secrets);
        command
    }

    /// Resolves the job's secrets and invokes the connector, catching a panic.
    async fn invoke(
        &self,
        connector: &dyn DynOutboundConnector,
        variables: Value,
        facts: JobFacts,
    ) -> (Result<Value, ConnectorError>, Secrets) {
        let variables = match variables {
            Value::Object(map) => Value::Object(map),
            Value::Null => Value::Object(Map::new()),
            other => return (Err(non_object_variables(&other)), Secrets::none()),
        };
        let secrets = match self.resolve_secrets(&variables, &facts).await {
            Ok(secrets) => secrets,
            Err(err) => return (Err(err), Secrets::none()),
        };

        tracing::trace!(variables = %variables, "invoking the connector");
        let context = OutboundContext::new(facts, variables, secrets.clone());
        let invoked = std::panic::AssertUnwindSafe(connector.invoke(&context))
            .catch_unwind()
            .await;
        match invoked {
            Ok(outcome) => (outcome, secrets),
            Err(panic) => (Err(panicked(panic.as_ref())), secrets),
        }
    }

    async fn resolve_secrets(
        &self,
        variables: &Value,
        facts: &JobFacts,
    ) -> Result<Secrets, ConnectorError> {
        let mut context = SecretContext::default();
        context.tenant_id = Some(facts.tenant_id.clone());
        context.process_definition_id = Some(facts.bpmn_process_id.clone());

        Secrets::resolve(self.secrets.as_ref(), variables, &context)
            .await
            .map_err(|err| {
                tracing::warn!(error = %err, "the secret provider could not answer");
                ConnectorError::from(err)
            })
    }

    /// Maps a response to its output variables.
    async fn map_output(
        &self,
        headers: &JobHeaders,
        invoked: Result<Value, ConnectorError>,
        secrets: &Secrets,
    ) -> Outcome {
        let response = match invoked {
            Ok(response) => response,
            Err(error) => return Outcome::Failure(error),
        };

        tracing::trace!(response = %secrets.mask_value(&response), "the connector returned");
        match expressions::map_output(&self.feel, headers, &response, secrets).await {
            Ok(output) => Outcome::Success { response, output },
            Err(error) => Outcome::Failure(error),
        }
    }

    /// Evaluates the error expression, if any, on the outcome.
    async fn examine(
        &self,
        headers: &JobHeaders,
        outcome: &Outcome,
        secrets: &Secrets,
        job_retries: i32,
    ) -> Result<Decision, String> {
        let Some(expression) = &headers.error_expression else {
            return Ok(Decision::NoError);
        };

        let input = match outcome {
            Outcome::Success { output, .. } if !output.is_empty() => Value::Object(output.clone()),
            Outcome::Success { response, .. } => response.clone(),
            Outcome::Failure(error) => {
                let mut input = Map::new();
                let value = report::error_value(error, secrets);
                input.insert("error".into(), Value::Object(value));
                Value::Object(input)
            }
        };
        let context = expressions::context(&input, Some(job_retries));
        let value = expressions::evaluate(&self.feel, expression, context)
            .await
            .map_err(|reason| secrets.mask(&reason))?;
        tracing::trace!(result = %secrets.mask_value(&value), "error expression evaluated");
        expressions::decide(value, secrets)
    }
}

/// The command when no error expression decided: complete, throw the connector's BPMN error,
/// or fail by the retry rules.
fn finish(
    outcome: Outcome,
    headers: &JobHeaders,
    secrets: &Secrets,
    job_retries: i32,
) -> JobCommand {
    match outcome {
        Outcome::Success { output, .. } => JobCommand::Complete { variables: output },
        Outcome::Failure(error) if error.kind() == ErrorKind::Bpmn => {
            let length = error.code().chars().count();
            if length > report::MAX_ERROR_CODE_CHARS {
                return absurd_error_code(&error, length, secrets);
            }
            JobCommand::ThrowError {
                error_code: secrets.mask(error.code()),
                error_message: Some(report::error_message(&error, secrets)),
                variables: bpmn_variables(&error, secrets),
            }
        }
        Outcome::Failure(error) => {
            let retries = report::retries_after(&error, job_retries);
            let backoff = error
                .backoff()
                .or(headers.retry_backoff)
                .unwrap_or(Duration::ZERO);
            report::fail(report::error_value(&error, secrets), retries, backoff)
        }
    }
}

/// The fail command (0 retries) for a connector BPMN error whose code is too long to throw.
fn absurd_error_code(error: &ConnectorError, length: usize, secrets: &Secrets) -> JobCommand {
    let message = format!(
        "the connector threw a BPMN error whose code is {length} characters long, more than \
         the {} an error code may have, so it was not thrown; its code starts with `{}` and \
         its message is: {}",
        report::MAX_ERROR_CODE_CHARS,
        report::shorten(&secrets.mask(error.code())),
        report::error_message(error, secrets)
    );
    let failure = ConnectorError::input(message).with_code("INVALID_ERROR_CODE");
    report::fail(report::error_value(&failure, secrets), 0, Duration::ZERO)
}

fn bpmn_variables(error: &ConnectorError, secrets: &Secrets) -> Map<String, Value> {
    match error.variables().map(|v| secrets.mask_value(v)) {
        Some(Value::Object(map)) => map,
        Some(Value::Null) | None => Map::new(),
        Some(other) => {
            let mut map = Map::new();
            map.insert("variables".into(), other);
            map
        }
    }
}

/// The command an error expression decided on.
fn command_for(decision: Decision, secrets: &Secrets) -> JobCommand {
    let command = match decision {
        Decision::NoError => JobCommand::complete(Map::new()),
        Decision::Bpmn {
            code,
            message,
            variables,
        } => JobCommand::ThrowError {
            error_code: secrets.mask(&code),
            error_message: message.map(|m| report::truncate(secrets.mask(&m))),
            variables: mask_map(&variables, secrets),
        },
        Decision::Job {
            message,
            variables,
            retries,
            backoff,
        } => JobCommand::Fail {
            retries,
            retry_backoff: backoff,
            error_message: report::truncate(secrets.mask(&message)),
            variables: mask_map(&variables, secrets),
        },
        Decision::Ignore { variables } => JobCommand::Complete { variables },
    };
    guard_size(command)
}

fn mask_map(map: &Map<String, Value>, secrets: &Secrets) -> Map<String, Value> {
    match secrets.mask_value(&Value::Object(map.clone())) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Fails a command whose variables are too large for the engine.
fn guard_size(command: JobCommand) -> JobCommand {
    let size = report::serialized_len(command.variables());
    if size <= MAX_VARIABLES_BYTES {
        return command;
    }

    let error = ConnectorError::input(format!(
        "the error expression's `{}` command would carry {size} bytes of variables, more than \
         the {MAX_VARIABLES_BYTES} bytes the engine safely accepts; pass fewer variables",
        command.name()
    ))
    .with_code("OUTPUT_TOO_LARGE");
    report::fail(
        report::error_value(&error, &Secrets::none()),
        0,
        Duration::ZERO,
    )
}

/// The fail command (0 retries, no backoff) when the error expression could not be used.
fn expression_failure(reason: &str, outcome: &Outcome, secrets: &Secrets) -> JobCommand {
    let mut message = format!("the `{ERROR_EXPRESSION}` header could not be applied: {reason}");
    if let Outcome::Failure(original) = outcome {
        message.push_str(&format!(
            " (the job had failed with: {})",
            report::error_message(original, secrets)
        ));
    }

    let error = ConnectorError::input(secrets.mask(&message)).with_code("ERROR_EXPRESSION_FAILED");
    report::fail(report::error_value(&error, secrets), 0, Duration::ZERO)
}

fn non_object_variables(value: &Value) -> ConnectorError {
    let kind = match value {
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null | Value::Object(_) => "an object",
    };
    ConnectorError::input(format!(
        "the job's variables must be a JSON object, but the engine sent {kind}"
    ))
    .with_code("INVALID_VARIABLES")
}

fn panicked(payload: &(dyn std::any::Any + Send)) -> ConnectorError {
    let detail = panic_message(payload).unwrap_or("no panic message");
    // The detail may hold a secret: it is logged with the masked fail command only.
    tracing::error!("the connector panicked; failing this job only");
    ConnectorError::failure(
        "CONNECTOR_PANICKED",
        format!("the connector panicked: {detail}"),
    )
}

fn job_span(job: &ActivatedJob) -> tracing::Span {
    tracing::info_span!(
        "connector.job",
        job.key = %Printable(&job.job_key),
        job.type = %Printable(&job.job_type),
        element.id = %Printable(&job.element_id),
        process_instance.key = %Printable(&job.process_instance_key),
        job.retries = job.retries,
    )
}

/// States the outcome; variables only at TRACE, with secrets masked.
fn log_command(command: &JobCommand, secrets: &Secrets) {
    match command {
        JobCommand::Complete { variables } => {
            tracing::info!(variables.count = variables.len(), "job completed");
            if tracing::enabled!(tracing::Level::TRACE) {
                let masked = secrets.mask_value(&serde_json::Value::Object(variables.clone()));
                tracing::trace!(variables = %masked, "completion variables");
            }
        }
        JobCommand::Fail {
            retries,
            retry_backoff,
            error_message,
            ..
        } => {
            let backoff_ms = u64::try_from(retry_backoff.as_millis()).unwrap_or(u64::MAX);
            let error = short(error_message);
            if *retries == 0 {
                tracing::warn!(
                    retries,
                    error,
                    "job failed with no retries left; the engine raises an incident"
                );
            } else {
                tracing::warn!(
                    retries,
                    backoff.ms = backoff_ms,
                    error,
                    "job failed; the engine retries it after the backoff"
                );
            }
        }
        JobCommand::ThrowError { error_code, .. } => {
            // Codes are masked when the command is built; masking again costs little and keeps
            // this line safe whatever builds the command.
            let code = secrets.mask(short(error_code));
            tracing::info!(error.code = %code, "job ended with a BPMN error for the process to handle");
        }
    }
}

/// A message shortened for log lines.
fn short(message: &str) -> &str {
    match message.char_indices().nth(500) {
        Some((end, _)) => &message[..end],
        None => message,
    }
}
