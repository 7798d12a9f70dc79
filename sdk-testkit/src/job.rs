//! Test jobs and the harness that runs them through the real job pipeline.

use std::collections::BTreeMap;
use std::sync::Arc;

use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::{ActivatedJob, JobCommand};
use camunda_connector_runtime::pipeline::{
    ERROR_EXPRESSION, JOB_TIMEOUT, JobPipeline, RESULT_EXPRESSION, RESULT_VARIABLE, RETRY_BACKOFF,
};
use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::secrets::{MemorySecretProvider, SecretProvider};
use camunda_connector_sdk::template::TemplateError;
use serde_json::{Map, Value};

use crate::context::{default_facts, insert_at_path};

/// An activated job as a test scripts it: variables, headers, secrets, retries and keys.
///
/// Unset facts take test defaults (key `1`, 3 retries, element `test-element`, process
/// `test-process`, the default tenant); the job type defaults to the connector's type.
///
/// ```
/// use camunda_connector_testkit::TestJob;
/// use serde_json::json;
///
/// let job = TestJob::new()
///     .variables(json!({"url": "https://example.test", "token": "{{secrets.TOKEN}}"}))
///     .secret("TOKEN", "t-1")
///     .result_expression("={status: response.status}")
///     .error_expression(r#"=if error.code = "404" then bpmnError("NOT_FOUND", error.message) else null"#)
///     .retry_backoff("PT30S")
///     .retries(5)
///     .into_activated_job();
/// assert_eq!(job.retries, 5);
/// assert_eq!(job.header("retryBackoff"), Some("PT30S"));
/// ```
#[derive(Debug, Clone)]
pub struct TestJob {
    job: ActivatedJob,
    job_type_set: bool,
    secrets: BTreeMap<String, String>,
}

impl Default for TestJob {
    fn default() -> Self {
        Self::new()
    }
}

impl TestJob {
    /// A job with no variables, no headers, no secrets and the test defaults.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().into_activated_job();
    /// assert_eq!(job.retries, 3);
    /// assert_eq!(job.element_id, "test-element");
    /// ```
    pub fn new() -> Self {
        let facts = default_facts();
        let mut job = ActivatedJob::new(facts.key, facts.job_type, facts.retries);
        job.process_instance_key = facts.process_instance_key;
        job.process_definition_key = facts.process_definition_key;
        job.process_definition_id = facts.bpmn_process_id;
        job.process_definition_version = facts.process_definition_version;
        job.element_id = facts.element_id;
        job.element_instance_key = facts.element_instance_key;
        job.worker = facts.worker;
        TestJob {
            job,
            job_type_set: false,
            secrets: BTreeMap::new(),
        }
    }

    /// Sets all variables. Any JSON is accepted, so tests can check how odd engine data
    /// (an array, a string) is handled.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().variables(serde_json::json!({"a": 1})).into_activated_job();
    /// assert_eq!(job.variables["a"], 1);
    /// ```
    #[must_use]
    pub fn variables(mut self, variables: Value) -> Self {
        self.job.variables = variables;
        self
    }

    /// Sets one variable at a dotted path, creating the objects on the way.
    ///
    /// # Panics
    ///
    /// When a value on the path is not an object.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().variable("auth.token", "t").into_activated_job();
    /// assert_eq!(job.variables, serde_json::json!({"auth": {"token": "t"}}));
    /// ```
    #[must_use]
    pub fn variable(mut self, path: &str, value: impl Into<Value>) -> Self {
        if self.job.variables.is_null() {
            self.job.variables = Value::Object(Map::new());
        }
        insert_at_path(&mut self.job.variables, path, value.into());
        self
    }

    /// Sets one task header.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().header("operation", "send").into_activated_job();
    /// assert_eq!(job.header("operation"), Some("send"));
    /// ```
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.job
            .custom_headers
            .insert(name.into(), Value::String(value.into()));
        self
    }

    /// Sets the `resultVariable` header.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().result_variable("order").into_activated_job();
    /// assert_eq!(job.header("resultVariable"), Some("order"));
    /// ```
    #[must_use]
    pub fn result_variable(self, name: impl Into<String>) -> Self {
        self.header(RESULT_VARIABLE, name)
    }

    /// Sets the `resultExpression` header.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().result_expression("={id: body.id}").into_activated_job();
    /// assert_eq!(job.header("resultExpression"), Some("={id: body.id}"));
    /// ```
    #[must_use]
    pub fn result_expression(self, expression: impl Into<String>) -> Self {
        self.header(RESULT_EXPRESSION, expression)
    }

    /// Sets the `errorExpression` header.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().error_expression("=null").into_activated_job();
    /// assert_eq!(job.header("errorExpression"), Some("=null"));
    /// ```
    #[must_use]
    pub fn error_expression(self, expression: impl Into<String>) -> Self {
        self.header(ERROR_EXPRESSION, expression)
    }

    /// Sets the `retryBackoff` header (ISO-8601, such as `PT30S`).
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().retry_backoff("PT1M").into_activated_job();
    /// assert_eq!(job.header("retryBackoff"), Some("PT1M"));
    /// ```
    #[must_use]
    pub fn retry_backoff(self, backoff: impl Into<String>) -> Self {
        self.header(RETRY_BACKOFF, backoff)
    }

    /// Sets the `jobTimeout` header (ISO-8601, such as `PT10M`).
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().job_timeout("PT10M").into_activated_job();
    /// assert_eq!(job.header("jobTimeout"), Some("PT10M"));
    /// ```
    #[must_use]
    pub fn job_timeout(self, timeout: impl Into<String>) -> Self {
        self.header(JOB_TIMEOUT, timeout)
    }

    /// Scripts one secret for the pipeline's secret provider.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().secret("TOKEN", "t-1");
    /// # let _ = job;
    /// ```
    #[must_use]
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.secrets.insert(name.into(), value.into());
        self
    }

    /// Sets the job's retries.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// assert_eq!(TestJob::new().retries(1).into_activated_job().retries, 1);
    /// ```
    #[must_use]
    pub fn retries(mut self, retries: i32) -> Self {
        self.job.retries = retries;
        self
    }

    /// Sets the job key.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// assert_eq!(TestJob::new().key("2251799813685249").into_activated_job().job_key, "2251799813685249");
    /// ```
    #[must_use]
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.job.job_key = key.into();
        self
    }

    /// Sets the job type; without it the harness uses the connector's type.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// assert_eq!(TestJob::new().job_type("io.example:a:1").into_activated_job().job_type, "io.example:a:1");
    /// ```
    #[must_use]
    pub fn job_type(mut self, job_type: impl Into<String>) -> Self {
        self.job.job_type = job_type.into();
        self.job_type_set = true;
        self
    }

    /// Sets the tenant.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// assert_eq!(TestJob::new().tenant("acme").into_activated_job().tenant_id, "acme");
    /// ```
    #[must_use]
    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.job.tenant_id = tenant_id.into();
        self
    }

    /// Changes any other field of the activated job (process id, element id, keys, ...).
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new()
    ///     .edit(|job| job.process_definition_id = "order-process".into())
    ///     .into_activated_job();
    /// assert_eq!(job.process_definition_id, "order-process");
    /// ```
    #[must_use]
    pub fn edit(mut self, edit: impl FnOnce(&mut ActivatedJob)) -> Self {
        edit(&mut self.job);
        self
    }

    /// The activated job as the engine would send it.
    ///
    /// ```
    /// # use camunda_connector_testkit::TestJob;
    /// let job = TestJob::new().into_activated_job();
    /// assert_eq!(job.job_key, "1");
    /// ```
    pub fn into_activated_job(self) -> ActivatedJob {
        self.job
    }

    /// Runs this job through `connector` with the real pipeline; see [`run`].
    ///
    /// ```
    /// # use camunda_connector_testkit::{CommandAssertions, TestJob};
    /// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
    /// # struct Hello;
    /// # #[async_trait]
    /// # impl OutboundConnector for Hello {
    /// #     const NAME: &'static str = "hello";
    /// #     const TYPE: &'static str = "io.example:hello:1";
    /// #     type Input = serde_json::Value;
    /// #     type Output = &'static str;
    /// #     async fn execute(&self, _: serde_json::Value, _: &OutboundContext) -> Result<&'static str, ConnectorError> { Ok("hi") }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let command = TestJob::new().result_variable("greeting").run(&Hello).await;
    /// command.assert_completed(serde_json::json!({"greeting": "hi"}));
    /// # });
    /// ```
    pub async fn run(self, connector: &dyn DynOutboundConnector) -> JobCommand {
        run(connector, self).await
    }
}

/// Runs `job` through `connector` with the real [`JobPipeline`]: headers, secrets (the job's
/// scripted ones, nothing else), binding, execution, result and error expressions in FEEL,
/// retries and masking. Returns the command the engine would receive.
///
/// It first builds the connector's element template, as `connectors templates` does, so every
/// harness test also checks the template: a connector whose template cannot be built (say
/// `feel = "static"` on a text field, or a condition on a property declared later) makes the
/// test fail with the template's problems. Connectors whose input carries no template metadata
/// (such as raw `serde_json::Value` input) have no template and are not checked.
///
/// # Panics
///
/// When the connector's element template is invalid.
///
/// ```
/// use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
/// use camunda_connector_testkit::{run, CommandAssertions, TestJob};
/// use serde_json::{json, Value};
///
/// struct Lookup;
///
/// #[async_trait]
/// impl OutboundConnector for Lookup {
///     const NAME: &'static str = "lookup";
///     const TYPE: &'static str = "io.example:lookup:1";
///     type Input = Value;
///     type Output = Value;
///
///     async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
///         Err(ConnectorError::failure("404", format!("item {} missing", input["id"])))
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let job = TestJob::new()
///     .variables(json!({"id": 7}))
///     .error_expression(r#"=if error.code = "404" then bpmnError("NOT_FOUND", error.message) else null"#);
///
/// run(&Lookup, job)
///     .await
///     .assert_bpmn_error("NOT_FOUND")
///     .assert_message_contains("item 7 missing");
/// # });
/// ```
pub async fn run(connector: &dyn DynOutboundConnector, job: TestJob) -> JobCommand {
    let TestJob {
        mut job,
        job_type_set,
        secrets,
    } = job;
    check_template(connector);
    if !job_type_set {
        job.job_type = connector.metadata().job_type;
    }

    let provider: Arc<dyn SecretProvider> = Arc::new(MemorySecretProvider::new(secrets));
    let pipeline = JobPipeline::new(FeelEngine::new(), provider);
    pipeline.run(connector, job).await
}

/// Panics with the template's problems when `connector`'s element template is invalid.
fn check_template(connector: &dyn DynOutboundConnector) {
    match connector.element_template() {
        Ok(_) | Err(TemplateError::MissingMetadata { .. }) => {}
        Err(error) => panic!(
            "the element template of connector `{}` cannot be built: {error}",
            connector.metadata().name
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CommandAssertions;
    use camunda_connector_sdk::{ConnectorError, OutboundConnector, OutboundContext, async_trait};
    use serde_json::json;

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
            ctx: &OutboundContext,
        ) -> Result<Value, ConnectorError> {
            if input["fail"] == true {
                return Err(ConnectorError::failure(
                    "E1",
                    format!("failed for {}", input["token"]),
                ));
            }
            Ok(json!({"input": input, "type": ctx.job().job_type, "tenant": ctx.job().tenant_id}))
        }
    }

    #[tokio::test]
    async fn the_harness_runs_the_real_pipeline_with_scripted_secrets() {
        let command = TestJob::new()
            .variables(json!({"token": "{{secrets.TOKEN}}"}))
            .secret("TOKEN", "t-1")
            .tenant("acme")
            .result_expression("={token: input.token, type: type, tenant: tenant}")
            .run(&Echo)
            .await;
        command.assert_completed(json!({"token": "t-1", "type": Echo::TYPE, "tenant": "acme"}));
    }

    #[tokio::test]
    async fn an_unscripted_secret_fails_the_job_naming_it() {
        TestJob::new()
            .variable("auth.token", "{{secrets.MISSING}}")
            .run(&Echo)
            .await
            .assert_failed(0)
            .assert_message_contains("MISSING")
            .assert_error_code("SECRET_NOT_FOUND");
    }

    #[tokio::test]
    async fn failures_are_masked_and_follow_the_retry_rules() {
        TestJob::new()
            .variables(json!({"fail": true, "token": "{{secrets.TOKEN}}"}))
            .secret("TOKEN", "t-1")
            .retries(5)
            .retry_backoff("PT10S")
            .run(&Echo)
            .await
            .assert_failed(4)
            .assert_backoff(std::time::Duration::from_secs(10))
            .assert_message_contains("failed for \"***\"");
    }

    #[derive(serde::Deserialize, camunda_connector_sdk::ConnectorInput)]
    #[template(id = "io.example.fine", name = "Fine")]
    struct FineInput {
        name: String,
    }

    struct Fine;

    #[async_trait]
    impl OutboundConnector for Fine {
        const NAME: &'static str = "fine";
        const TYPE: &'static str = "io.example:fine:1";
        type Input = FineInput;
        type Output = String;

        async fn execute(
            &self,
            input: FineInput,
            _: &OutboundContext,
        ) -> Result<String, ConnectorError> {
            Ok(input.name)
        }
    }

    #[tokio::test]
    async fn a_connector_with_a_valid_template_runs() {
        TestJob::new()
            .variables(json!({"name": "x"}))
            .result_variable("name")
            .run(&Fine)
            .await
            .assert_completed(json!({"name": "x"}));
    }

    /// An input whose template cannot be built: its condition names no property.
    #[derive(Debug, serde::Deserialize)]
    struct BrokenInput {}

    impl camunda_connector_sdk::validation::Validate for BrokenInput {
        fn validate_at(&self, _: &str, _: &mut Vec<camunda_connector_sdk::validation::Violation>) {}
    }

    impl camunda_connector_sdk::template::InputTemplate for BrokenInput {
        fn shape() -> camunda_connector_sdk::template::spec::Shape {
            use camunda_connector_sdk::template::Condition;
            use camunda_connector_sdk::template::spec::{FieldSpec, ObjectShape, Shape};

            Shape::Object(ObjectShape::new(
                "BrokenInput",
                vec![
                    FieldSpec::of::<String>("user", "user")
                        .condition(Condition::equals("authKind", "basic")),
                ],
            ))
        }

        fn metadata() -> Option<camunda_connector_sdk::template::spec::TemplateMetadata> {
            Some(
                camunda_connector_sdk::template::spec::TemplateMetadata::new(
                    "io.example.broken.v1",
                    "Broken",
                ),
            )
        }
    }

    struct Broken;

    #[async_trait]
    impl OutboundConnector for Broken {
        const NAME: &'static str = "broken";
        const TYPE: &'static str = "io.example:broken:1";
        type Input = BrokenInput;
        type Output = Value;

        async fn execute(
            &self,
            _: BrokenInput,
            _: &OutboundContext,
        ) -> Result<Value, ConnectorError> {
            Ok(json!({}))
        }
    }

    #[tokio::test]
    #[should_panic(expected = "authKind")]
    async fn a_connector_whose_template_cannot_be_built_fails_the_test() {
        TestJob::new().run(&Broken).await;
    }

    #[tokio::test]
    async fn an_explicit_job_type_is_kept() {
        TestJob::new()
            .job_type("io.example:other:2")
            .result_expression("={type: type}")
            .run(&Echo)
            .await
            .assert_completed(json!({"type": "io.example:other:2"}));
    }
}
