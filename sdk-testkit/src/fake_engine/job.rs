//! Jobs as the fake engine hands them out.

use serde_json::{Map, Value, json};

/// A job to enqueue on the fake engine; it becomes the JSON the REST activation returns.
///
/// ```
/// use camunda_connector_testkit::fake_engine::FakeJob;
/// use serde_json::json;
/// let job = FakeJob::new("io.example:echo:1")
///     .variables(json!({"text": "hi"}))
///     .header("resultVariable", "echo")
///     .retries(5);
/// assert_eq!(job.job_type(), "io.example:echo:1");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FakeJob {
    job_type: String,
    variables: Map<String, Value>,
    headers: Map<String, Value>,
    retries: i32,
    element_id: String,
    process_definition_id: String,
    tenant_id: String,
    raw_fields: Map<String, Value>,
}

impl FakeJob {
    /// A job of `job_type` with 3 retries, no variables and no headers.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// assert_eq!(FakeJob::new("t").job_type(), "t");
    /// ```
    pub fn new(job_type: impl Into<String>) -> Self {
        FakeJob {
            job_type: job_type.into(),
            variables: Map::new(),
            headers: Map::new(),
            retries: 3,
            element_id: "ServiceTask_1".to_owned(),
            process_definition_id: "fake-process".to_owned(),
            tenant_id: "<default>".to_owned(),
            raw_fields: Map::new(),
        }
    }

    /// Sets the variables; a non-object value is ignored.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// let job = FakeJob::new("t").variables(serde_json::json!({"a": 1}));
    /// # let _ = job;
    /// ```
    pub fn variables(mut self, variables: Value) -> Self {
        if let Value::Object(map) = variables {
            self.variables = map;
        }
        self
    }

    /// Adds a task header.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// let job = FakeJob::new("t").header("retryBackoff", "PT1S");
    /// # let _ = job;
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .insert(name.into(), Value::String(value.into()));
        self
    }

    /// Sets the retries left.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// let job = FakeJob::new("t").retries(1);
    /// # let _ = job;
    /// ```
    pub fn retries(mut self, retries: i32) -> Self {
        self.retries = retries;
        self
    }

    /// Sets the BPMN element id.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// let job = FakeJob::new("t").element_id("Task_Send");
    /// # let _ = job;
    /// ```
    pub fn element_id(mut self, element_id: impl Into<String>) -> Self {
        self.element_id = element_id.into();
        self
    }

    /// Sets one field of the activation JSON to `value` exactly, even one no engine would
    /// send (`"retries": 1.5`, `"jobKey": null`, variables nested 200 levels deep), to test
    /// how a worker copes with a job it cannot read. The engine still tracks the job under
    /// its own key: commands on that key are applied as usual.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// let job = FakeJob::new("t").raw_field("retries", serde_json::json!(1.5));
    /// # let _ = job;
    /// ```
    pub fn raw_field(mut self, name: impl Into<String>, value: Value) -> Self {
        self.raw_fields.insert(name.into(), value);
        self
    }

    /// The job type.
    ///
    /// ```
    /// # use camunda_connector_testkit::fake_engine::FakeJob;
    /// assert_eq!(FakeJob::new("t").job_type(), "t");
    /// ```
    pub fn job_type(&self) -> &str {
        &self.job_type
    }

    /// The stored job: keys assigned, nothing activated yet.
    pub(crate) fn into_stored(self, key: u64) -> StoredJob {
        StoredJob {
            key: key.to_string(),
            job_type: self.job_type,
            variables: self.variables,
            headers: self.headers,
            retries: self.retries,
            element_id: self.element_id,
            process_definition_id: self.process_definition_id,
            tenant_id: self.tenant_id,
            raw_fields: self.raw_fields,
            process_instance_key: (key + 1_000_000).to_string(),
            activations: 0,
            activated_at: None,
        }
    }
}

/// A job held by the fake engine.
#[derive(Debug, Clone)]
pub(crate) struct StoredJob {
    pub(crate) key: String,
    pub(crate) job_type: String,
    pub(crate) variables: Map<String, Value>,
    pub(crate) headers: Map<String, Value>,
    pub(crate) retries: i32,
    pub(crate) element_id: String,
    pub(crate) process_definition_id: String,
    pub(crate) tenant_id: String,
    pub(crate) raw_fields: Map<String, Value>,
    pub(crate) process_instance_key: String,
    pub(crate) activations: u32,
    pub(crate) activated_at: Option<std::time::Instant>,
}

impl StoredJob {
    /// The job as the REST activation returns it. `with_8_10_fields` adds the fields Camunda
    /// 8.10 introduced (and marks required); an 8.8 server leaves them out.
    pub(crate) fn to_json(
        &self,
        worker: &str,
        deadline_ms: i64,
        fetch: Option<&[String]>,
        with_8_10_fields: bool,
    ) -> Value {
        let variables: Map<String, Value> = match fetch {
            Some(names) if !names.is_empty() => self
                .variables
                .iter()
                .filter(|(name, _)| names.contains(name))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => self.variables.clone(),
        };
        let mut job = json!({
            "jobKey": self.key,
            "type": self.job_type,
            "processInstanceKey": self.process_instance_key,
            "processDefinitionId": self.process_definition_id,
            "processDefinitionVersion": 1,
            "processDefinitionKey": "2251799813685000",
            "elementId": self.element_id,
            "elementInstanceKey": format!("{}1", self.key),
            "customHeaders": self.headers,
            "worker": worker,
            "retries": self.retries,
            "deadline": deadline_ms,
            "variables": variables,
            "tenantId": self.tenant_id,
            "kind": "BPMN_ELEMENT",
            "listenerEventType": "UNSPECIFIED",
            "tags": [],
            "userTask": null,
        });
        if with_8_10_fields && let Value::Object(map) = &mut job {
            map.insert(
                "rootProcessInstanceKey".into(),
                json!(self.process_instance_key),
            );
            map.insert("priority".into(), json!(0));
            map.insert("physicalTenantId".into(), json!("default"));
        }
        if let Value::Object(map) = &mut job {
            for (name, value) in &self.raw_fields {
                map.insert(name.clone(), value.clone());
            }
        }
        job
    }
}
