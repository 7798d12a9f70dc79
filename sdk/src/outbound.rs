//! Outbound connectors: a job is activated, the connector calls the outside system and returns
//! a result or an error.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ConnectorError;
use crate::secrets::Secrets;
use crate::template::{ElementTemplate, InputTemplate, TemplateError};
use crate::validation::Validate;

/// A type a connector's input binds to. `#[derive(ConnectorInput)]` makes a struct one.
///
/// It is deserialisable, validated after binding and describes its own element-template
/// properties. `serde_json::Value` is one too, for connectors that read their variables raw.
pub trait ConnectorInput: DeserializeOwned + Validate + InputTemplate + Send + 'static {}

impl<T> ConnectorInput for T where T: DeserializeOwned + Validate + InputTemplate + Send + 'static {}

/// An outbound connector.
///
/// The runtime binds the job's variables to [`Input`](Self::Input) (secrets replaced, then
/// deserialised, then validated) before calling [`execute`](Self::execute); a job whose input
/// does not bind fails with 0 retries and the connector is not called. The returned output is
/// serialised to JSON and goes through the job's result and error expressions.
///
/// # Examples
///
/// ```
/// use async_trait::async_trait;
/// use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext};
/// use serde_json::{json, Value};
///
/// struct Echo;
///
/// #[async_trait]
/// impl OutboundConnector for Echo {
///     const NAME: &'static str = "echo";
///     const TYPE: &'static str = "io.example:echo:1";
///     type Input = Value;
///     type Output = Value;
///
///     async fn execute(&self, input: Value, ctx: &OutboundContext) -> Result<Value, ConnectorError> {
///         Ok(json!({"echo": input, "job": ctx.job().key}))
///     }
/// }
/// # let _ = Echo;
/// ```
#[async_trait]
pub trait OutboundConnector: Send + Sync + 'static {
    /// The logical name, used in logs and for configuration overrides.
    const NAME: &'static str;
    /// The job type the worker subscribes to, such as `io.example:http-json:1`.
    const TYPE: &'static str;
    /// The top-level variables to fetch with each job; empty fetches all of them.
    const INPUT_VARIABLES: &'static [&'static str] = &[];
    /// How long the engine lets the worker hold a job before handing it to another.
    const TIMEOUT: Option<Duration> = None;

    /// The input the job's variables bind to.
    type Input: ConnectorInput;
    /// The result, serialised to JSON for the result expression.
    type Output: Serialize + Send;

    /// Calls the outside system.
    ///
    /// # Errors
    ///
    /// A [`ConnectorError`]: a BPMN error, a retryable failure or an input error.
    async fn execute(
        &self,
        input: Self::Input,
        ctx: &OutboundContext,
    ) -> Result<Self::Output, ConnectorError>;
}

/// What the runtime needs to know of a connector to subscribe to its jobs.
///
/// ```
/// use camunda_connector_sdk::outbound::ConnectorMetadata;
/// let meta = ConnectorMetadata::new("echo", "io.example:echo:1");
/// assert!(meta.input_variables.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectorMetadata {
    /// The logical name.
    pub name: String,
    /// The job type.
    pub job_type: String,
    /// The variables to fetch; empty fetches all.
    pub input_variables: Vec<String>,
    /// The job timeout, if the connector sets one.
    pub timeout: Option<Duration>,
}

impl ConnectorMetadata {
    /// Metadata with no input variables and no timeout.
    ///
    /// ```
    /// # use camunda_connector_sdk::outbound::ConnectorMetadata;
    /// assert_eq!(ConnectorMetadata::new("a", "t").job_type, "t");
    /// ```
    pub fn new(name: impl Into<String>, job_type: impl Into<String>) -> Self {
        ConnectorMetadata {
            name: name.into(),
            job_type: job_type.into(),
            input_variables: Vec::new(),
            timeout: None,
        }
    }
}

/// An outbound connector with its types erased, as the runtime holds it.
///
/// Every [`OutboundConnector`] is one; implement that trait, not this one.
///
/// ```
/// # use camunda_connector_sdk::outbound::DynOutboundConnector;
/// fn registry(connectors: Vec<Box<dyn DynOutboundConnector>>) -> usize { connectors.len() }
/// assert_eq!(registry(Vec::new()), 0);
/// ```
#[async_trait]
pub trait DynOutboundConnector: Send + Sync + 'static {
    /// The connector's name, type, variables and timeout.
    fn metadata(&self) -> ConnectorMetadata;

    /// Binds the input, executes, and serialises the output.
    ///
    /// # Errors
    ///
    /// An input error when binding fails, else what the connector returned.
    async fn invoke(&self, ctx: &OutboundContext) -> Result<Value, ConnectorError>;

    /// The connector's element template (see [`crate::template::outbound_template`]).
    ///
    /// # Errors
    ///
    /// A [`TemplateError`] when the input type has no template metadata or its template is
    /// invalid.
    fn element_template(&self) -> Result<ElementTemplate, TemplateError>;
}

#[async_trait]
impl<C: OutboundConnector> DynOutboundConnector for C {
    fn metadata(&self) -> ConnectorMetadata {
        ConnectorMetadata {
            name: C::NAME.to_owned(),
            job_type: C::TYPE.to_owned(),
            input_variables: C::INPUT_VARIABLES.iter().map(|v| (*v).to_owned()).collect(),
            timeout: C::TIMEOUT,
        }
    }

    fn element_template(&self) -> Result<ElementTemplate, TemplateError> {
        crate::template::outbound_template::<C>()
    }

    async fn invoke(&self, ctx: &OutboundContext) -> Result<Value, ConnectorError> {
        let input = ctx.bind::<C::Input>()?;
        let output = self.execute(input, ctx).await?;
        serde_json::to_value(output).map_err(|err| {
            ConnectorError::input(format!("the connector's result is not valid JSON: {err}"))
                .with_code("INVALID_OUTPUT")
        })
    }
}

/// The facts of one activated job.
///
/// Keys are strings, as Camunda's REST API writes them.
///
/// ```
/// use camunda_connector_sdk::JobFacts;
/// let mut job = JobFacts::default();
/// job.key = "2251799813685249".into();
/// job.retries = 3;
/// assert_eq!(job.retries, 3);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobFacts {
    /// The job key.
    pub key: String,
    /// The job type.
    pub job_type: String,
    /// The process instance key.
    pub process_instance_key: String,
    /// The process definition key.
    pub process_definition_key: String,
    /// The BPMN process id.
    pub bpmn_process_id: String,
    /// The process definition version.
    pub process_definition_version: i32,
    /// The id of the BPMN element the job belongs to.
    pub element_id: String,
    /// The element instance key.
    pub element_instance_key: String,
    /// The tenant id.
    pub tenant_id: String,
    /// The retries left.
    pub retries: i32,
    /// When the job times out, in milliseconds since the UNIX epoch.
    pub deadline: Option<i64>,
    /// The worker that activated the job.
    pub worker: String,
    /// The task headers (`resultVariable`, `errorExpression`, `retryBackoff`, ...).
    pub custom_headers: BTreeMap<String, String>,
}

/// Everything a connector may read of its job.
///
/// # Examples
///
/// ```
/// use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
/// use serde_json::json;
///
/// #[derive(serde::Deserialize)]
/// struct In { token: String }
/// # impl camunda_connector_sdk::validation::Validate for In {
/// #     fn validate_at(&self, _: &str, _: &mut Vec<camunda_connector_sdk::validation::Violation>) {}
/// # }
///
/// let ctx = OutboundContext::new(
///     JobFacts::default(),
///     json!({"token": "{{secrets.TOKEN}}"}),
///     Secrets::from_values([("TOKEN", "t-1")]),
/// );
/// let input: In = ctx.bind().unwrap();
/// assert_eq!(input.token, "t-1");
/// ```
#[derive(Debug, Clone)]
pub struct OutboundContext {
    job: JobFacts,
    variables: Value,
    secrets: Secrets,
}

impl OutboundContext {
    /// A context for `job` with its raw `variables` and the secrets they reference.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// let ctx = OutboundContext::new(JobFacts::default(), serde_json::json!({}), Secrets::none());
    /// assert!(ctx.header("resultVariable").is_none());
    /// ```
    pub fn new(job: JobFacts, variables: Value, secrets: Secrets) -> Self {
        OutboundContext {
            job,
            variables,
            secrets,
        }
    }

    /// The job's facts.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// # let ctx = OutboundContext::new(JobFacts::default(), serde_json::json!({}), Secrets::none());
    /// assert_eq!(ctx.job().retries, 0);
    /// ```
    pub fn job(&self) -> &JobFacts {
        &self.job
    }

    /// One task header.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// let mut job = JobFacts::default();
    /// job.custom_headers.insert("operation".into(), "send".into());
    /// let ctx = OutboundContext::new(job, serde_json::json!({}), Secrets::none());
    /// assert_eq!(ctx.header("operation"), Some("send"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.job.custom_headers.get(name).map(String::as_str)
    }

    /// The variables as the job carried them, placeholders not replaced.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// # let ctx = OutboundContext::new(JobFacts::default(), serde_json::json!({"a": 1}), Secrets::none());
    /// assert_eq!(ctx.raw_variables()["a"], 1);
    /// ```
    pub fn raw_variables(&self) -> &Value {
        &self.variables
    }

    /// The variables with every secret placeholder replaced.
    ///
    /// # Errors
    ///
    /// An input error naming each referenced secret that is not available.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// let ctx = OutboundContext::new(
    ///     JobFacts::default(),
    ///     serde_json::json!({"k": "{{secrets.K}}"}),
    ///     Secrets::from_values([("K", "v")]),
    /// );
    /// assert_eq!(ctx.variables().unwrap()["k"], "v");
    /// ```
    pub fn variables(&self) -> Result<Value, ConnectorError> {
        Ok(self.secrets.replace(&self.variables)?)
    }

    /// Binds the variables into `T`: secrets replaced, then deserialised, then validated.
    ///
    /// # Errors
    ///
    /// An input error (never retried) for a missing secret, a field that does not deserialise
    /// (named by its path) or violated validation rules (all of them listed).
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// let ctx = OutboundContext::new(JobFacts::default(), serde_json::json!({"a": 1}), Secrets::none());
    /// let value: serde_json::Value = ctx.bind().unwrap();
    /// assert_eq!(value["a"], 1);
    /// ```
    pub fn bind<T: DeserializeOwned + Validate>(&self) -> Result<T, ConnectorError> {
        // Secrets are replaced leaf by leaf as the input is read: the same result as
        // `from_value(self.variables()?)`, without copying the whole document first.
        let input: T = crate::bind::from_variables(&self.variables, &self.secrets)?;
        input.validate().map_err(ConnectorError::validation)?;
        Ok(input)
    }

    /// The secrets this job referenced, for masking what leaves the job.
    ///
    /// ```
    /// # use camunda_connector_sdk::{JobFacts, OutboundContext, secrets::Secrets};
    /// let ctx = OutboundContext::new(JobFacts::default(), serde_json::json!({}), Secrets::from_values([("P", "pw")]));
    /// assert_eq!(ctx.secrets().mask("pw"), "***");
    /// ```
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }
}
