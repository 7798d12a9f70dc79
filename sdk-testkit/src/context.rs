//! A strict builder for the [`OutboundContext`] a connector's `execute` receives.

use std::collections::BTreeMap;

use camunda_connector_sdk::secrets::Secrets;
use camunda_connector_sdk::{JobFacts, OutboundContext};
use serde_json::{Map, Value};

/// Builds an [`OutboundContext`] from JSON variables, scripted secrets, headers and job facts,
/// so a test can call a connector's `execute` directly.
///
/// It is strict: a secret the variables reference but the test did not script fails the
/// binding with an input error naming the secret, exactly as an unknown secret fails a real job.
///
/// ```
/// use camunda_connector_testkit::OutboundContextBuilder;
/// use serde_json::{json, Value};
///
/// let ctx = OutboundContextBuilder::new()
///     .variables(json!({"auth": {"token": "{{secrets.TOKEN}}"}, "url": "https://example.test"}))
///     .secret("TOKEN", "t-1")
///     .header("resultVariable", "result")
///     .retries(2)
///     .build();
///
/// let input: Value = ctx.bind().unwrap();
/// assert_eq!(input["auth"]["token"], "t-1");
/// assert_eq!(ctx.header("resultVariable"), Some("result"));
/// assert_eq!(ctx.job().retries, 2);
///
/// // Unscripted secrets fail, naming the secret.
/// let strict = OutboundContextBuilder::new()
///     .variables(json!({"key": "{{secrets.API_KEY}}"}))
///     .build();
/// let err = strict.bind::<Value>().unwrap_err();
/// assert!(err.message().contains("API_KEY"));
/// ```
#[derive(Debug, Clone)]
pub struct OutboundContextBuilder {
    variables: Option<Value>,
    secrets: BTreeMap<String, String>,
    job: JobFacts,
}

impl Default for OutboundContextBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl OutboundContextBuilder {
    /// A builder with no variables, no secrets, no headers and the default test job facts
    /// (key `1`, element `test-element`, process `test-process`, 3 retries).
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new().build();
    /// assert_eq!(ctx.job().element_id, "test-element");
    /// assert_eq!(ctx.raw_variables(), &serde_json::json!({}));
    /// ```
    pub fn new() -> Self {
        OutboundContextBuilder {
            variables: None,
            secrets: BTreeMap::new(),
            job: default_facts(),
        }
    }

    /// Sets all variables at once, as the job would carry them (placeholders unreplaced).
    ///
    /// # Panics
    ///
    /// When variables were already set, by this method or by [`variable`](Self::variable):
    /// a test that sets them twice hides one of its inputs.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new().variables(serde_json::json!({"a": 1})).build();
    /// assert_eq!(ctx.raw_variables()["a"], 1);
    /// ```
    #[must_use]
    pub fn variables(mut self, variables: Value) -> Self {
        assert!(
            self.variables.is_none(),
            "OutboundContextBuilder: variables are already set; set them once, with `variables` \
             or with `variable` calls"
        );
        self.variables = Some(variables);
        self
    }

    /// Sets one variable at a dotted path, creating the objects on the way: `"auth.token"`.
    ///
    /// # Panics
    ///
    /// When [`variables`](Self::variables) set something other than an object, or a path
    /// segment on the way holds a non-object value.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new()
    ///     .variable("auth.token", "{{secrets.T}}")
    ///     .variable("auth.kind", "bearer")
    ///     .secret("T", "t-1")
    ///     .build();
    /// let input: serde_json::Value = ctx.bind().unwrap();
    /// assert_eq!(input, serde_json::json!({"auth": {"token": "t-1", "kind": "bearer"}}));
    /// ```
    #[must_use]
    pub fn variable(mut self, path: &str, value: impl Into<Value>) -> Self {
        let root = self
            .variables
            .get_or_insert_with(|| Value::Object(Map::new()));
        insert_at_path(root, path, value.into());
        self
    }

    /// Scripts one secret.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new().secret("PW", "hunter2").build();
    /// assert_eq!(ctx.secrets().mask("pw is hunter2"), "pw is ***");
    /// ```
    #[must_use]
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.secrets.insert(name.into(), value.into());
        self
    }

    /// Sets one task header.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new().header("operation", "send").build();
    /// assert_eq!(ctx.header("operation"), Some("send"));
    /// ```
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.job.custom_headers.insert(name.into(), value.into());
        self
    }

    /// Sets the job's retries.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// assert_eq!(OutboundContextBuilder::new().retries(1).build().job().retries, 1);
    /// ```
    #[must_use]
    pub fn retries(mut self, retries: i32) -> Self {
        self.job.retries = retries;
        self
    }

    /// Sets the job's tenant.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// assert_eq!(OutboundContextBuilder::new().tenant("acme").build().job().tenant_id, "acme");
    /// ```
    #[must_use]
    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.job.tenant_id = tenant_id.into();
        self
    }

    /// Changes any job fact (keys, element, process, ...); headers and retries set before are
    /// kept unless `edit` changes them.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new()
    ///     .job(|job| {
    ///         job.key = "2251799813685249".into();
    ///         job.bpmn_process_id = "order-process".into();
    ///     })
    ///     .build();
    /// assert_eq!(ctx.job().key, "2251799813685249");
    /// ```
    #[must_use]
    pub fn job(mut self, edit: impl FnOnce(&mut camunda_connector_sdk::JobFacts)) -> Self {
        edit(&mut self.job);
        self
    }

    /// The context: raw variables (an empty object when none were set), the scripted secrets
    /// and the job facts.
    ///
    /// ```
    /// # use camunda_connector_testkit::OutboundContextBuilder;
    /// let ctx = OutboundContextBuilder::new().build();
    /// assert!(ctx.variables().unwrap().as_object().unwrap().is_empty());
    /// ```
    pub fn build(self) -> OutboundContext {
        let variables = self.variables.unwrap_or_else(|| Value::Object(Map::new()));
        OutboundContext::new(self.job, variables, Secrets::from_values(self.secrets))
    }
}

/// The job facts of test contexts and test jobs.
pub(crate) fn default_facts() -> JobFacts {
    let mut job = JobFacts::default();
    job.key = "1".into();
    job.job_type = "io.camunda.testkit:test:1".into();
    job.process_instance_key = "2".into();
    job.process_definition_key = "3".into();
    job.bpmn_process_id = "test-process".into();
    job.process_definition_version = 1;
    job.element_id = "test-element".into();
    job.element_instance_key = "4".into();
    job.tenant_id = "<default>".into();
    job.retries = 3;
    job.worker = "testkit".into();
    job
}

/// Inserts `value` at the dotted `path` of `root`.
pub(crate) fn insert_at_path(root: &mut Value, path: &str, value: Value) {
    let mut current = root;
    let mut segments = path.split('.').peekable();
    while let Some(segment) = segments.next() {
        let Value::Object(map) = current else {
            panic!("cannot set variable `{path}`: the value above `{segment}` is not an object");
        };
        if segments.peek().is_none() {
            map.insert(segment.to_owned(), value);
            return;
        }
        current = map
            .entry(segment.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_unscripted_secret_names_itself() {
        let ctx = OutboundContextBuilder::new()
            .variables(json!({"a": "{{secrets.ONE}}", "b": "secrets.TWO"}))
            .secret("ONE", "1")
            .build();
        let err = ctx.bind::<Value>().unwrap_err();
        assert!(err.message().contains("`TWO`"), "{}", err.message());
        assert!(!err.message().contains("`ONE`"), "{}", err.message());
    }

    #[test]
    #[should_panic(expected = "variables are already set")]
    fn variables_are_set_once() {
        let _ = OutboundContextBuilder::new()
            .variable("a", 1)
            .variables(json!({"b": 2}));
    }

    #[test]
    #[should_panic(expected = "cannot set variable `a.b`")]
    fn a_path_through_a_scalar_is_refused() {
        let _ = OutboundContextBuilder::new()
            .variable("a", 1)
            .variable("a.b", 2);
    }
}
