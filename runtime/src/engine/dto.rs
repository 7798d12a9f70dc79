//! Request and response bodies of the REST endpoints this client calls.
//!
//! Written from the documented field names of the Orchestration Cluster API. Fields added
//! after Camunda 8.8 are optional, so older and newer servers both accept what is sent and
//! both answers parse.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /jobs/activation`: ask for up to `max_jobs_to_activate` jobs of one type.
///
/// ```
/// use camunda_connector_runtime::engine::ActivateJobsRequest;
/// let request = ActivateJobsRequest::new("io.example:echo:1", "worker-1", 60_000, 8);
/// let json = serde_json::to_value(&request).unwrap();
/// assert_eq!(json["maxJobsToActivate"], 8);
/// assert!(json.get("fetchVariable").is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActivateJobsRequest {
    /// The job type.
    #[serde(rename = "type")]
    pub job_type: String,
    /// The worker name, recorded on the jobs.
    pub worker: String,
    /// How long the jobs stay locked to this worker, in milliseconds.
    pub timeout: i64,
    /// The most jobs to return.
    pub max_jobs_to_activate: i32,
    /// The variables to fetch; `None` fetches all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fetch_variable: Option<Vec<String>>,
    /// How long the engine may hold the request open waiting for jobs, in milliseconds
    /// (0: the engine's default, negative: no long polling).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<i64>,
    /// The tenants to activate jobs for; `None` for the default tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_ids: Option<Vec<String>>,
}

impl ActivateJobsRequest {
    /// A request fetching all variables, with the engine's default long-poll timeout.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::ActivateJobsRequest;
    /// assert_eq!(ActivateJobsRequest::new("t", "w", 1000, 1).job_type, "t");
    /// ```
    pub fn new(
        job_type: impl Into<String>,
        worker: impl Into<String>,
        timeout_ms: i64,
        max: i32,
    ) -> Self {
        ActivateJobsRequest {
            job_type: job_type.into(),
            worker: worker.into(),
            timeout: timeout_ms,
            max_jobs_to_activate: max,
            fetch_variable: None,
            request_timeout: None,
            tenant_ids: None,
        }
    }
}

/// `POST /jobs/{jobKey}/completion`.
///
/// ```
/// use camunda_connector_runtime::engine::CompleteJobRequest;
/// let json = serde_json::to_value(CompleteJobRequest::default()).unwrap();
/// assert_eq!(json, serde_json::json!({}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CompleteJobRequest {
    /// The variables to merge into the process instance.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
}

impl CompleteJobRequest {
    /// Completes with these variables.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::CompleteJobRequest;
    /// let request = CompleteJobRequest::with_variables(serde_json::Map::new());
    /// assert!(request.variables.is_some());
    /// ```
    pub fn with_variables(variables: Map<String, Value>) -> Self {
        CompleteJobRequest {
            variables: Some(variables),
        }
    }
}

/// `POST /jobs/{jobKey}/failure`.
///
/// ```
/// use camunda_connector_runtime::engine::FailJobRequest;
/// let request = FailJobRequest::new(2, "timed out").with_retry_back_off(5_000);
/// let json = serde_json::to_value(&request).unwrap();
/// assert_eq!(json["retryBackOff"], 5000);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FailJobRequest {
    /// The retries left; at 0 the engine raises an incident.
    pub retries: i32,
    /// Why the job failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// How long the engine waits before the job can be activated again, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_back_off: Option<i64>,
    /// Variables to set on the job's scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
}

impl FailJobRequest {
    /// A failure with `retries` left and a message.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::FailJobRequest;
    /// assert_eq!(FailJobRequest::new(0, "boom").retries, 0);
    /// ```
    pub fn new(retries: i32, message: impl Into<String>) -> Self {
        FailJobRequest {
            retries,
            error_message: Some(message.into()),
            retry_back_off: None,
            variables: None,
        }
    }

    /// Sets the retry backoff in milliseconds.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::FailJobRequest;
    /// assert_eq!(FailJobRequest::new(1, "m").with_retry_back_off(10).retry_back_off, Some(10));
    /// ```
    pub fn with_retry_back_off(mut self, millis: i64) -> Self {
        self.retry_back_off = Some(millis);
        self
    }
}

/// `POST /jobs/{jobKey}/error`: throw a BPMN error.
///
/// ```
/// use camunda_connector_runtime::engine::ThrowErrorRequest;
/// let json = serde_json::to_value(ThrowErrorRequest::new("NOT_FOUND", "no such order")).unwrap();
/// assert_eq!(json["errorCode"], "NOT_FOUND");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ThrowErrorRequest {
    /// The error code that catch events match.
    pub error_code: String,
    /// The error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_message: Option<String>,
    /// Variables to set on the catching scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
}

impl ThrowErrorRequest {
    /// A BPMN error with a code and a message.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::ThrowErrorRequest;
    /// assert_eq!(ThrowErrorRequest::new("C", "m").error_code, "C");
    /// ```
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ThrowErrorRequest {
            error_code: code.into(),
            error_message: Some(message.into()),
            variables: None,
        }
    }
}

/// `PATCH /jobs/{jobKey}`: change a job's retries or timeout.
///
/// ```
/// use camunda_connector_runtime::engine::UpdateJobRequest;
/// let json = serde_json::to_value(UpdateJobRequest::timeout(30_000)).unwrap();
/// assert_eq!(json, serde_json::json!({"changeset": {"timeout": 30000}}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UpdateJobRequest {
    /// What to change.
    pub changeset: JobChangeset,
}

impl UpdateJobRequest {
    /// Sets the job's timeout, in milliseconds from now.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::UpdateJobRequest;
    /// assert_eq!(UpdateJobRequest::timeout(5).changeset.timeout, Some(5));
    /// ```
    pub fn timeout(millis: i64) -> Self {
        UpdateJobRequest {
            changeset: JobChangeset {
                timeout: Some(millis),
                retries: None,
            },
        }
    }
}

/// The fields of a job that an update changes.
///
/// ```
/// use camunda_connector_runtime::engine::JobChangeset;
/// assert!(JobChangeset::default().retries.is_none());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct JobChangeset {
    /// The new retries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retries: Option<i32>,
    /// The new timeout in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
}

/// `POST /messages/publication`: publish a message, buffered for `time_to_live`.
///
/// ```
/// use camunda_connector_runtime::engine::PublishMessageRequest;
/// let mut request = PublishMessageRequest::new("order-paid", "order-42");
/// request.message_id = Some("d-1".into());
/// let json = serde_json::to_value(&request).unwrap();
/// assert_eq!(json["correlationKey"], "order-42");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishMessageRequest {
    /// The message name.
    pub name: String,
    /// The correlation key.
    pub correlation_key: String,
    /// How long the message is buffered, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_to_live: Option<i64>,
    /// A unique id; the engine rejects a second message with the same id while the first
    /// is buffered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The message's variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// The tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

impl PublishMessageRequest {
    /// A message with a name and a correlation key.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::PublishMessageRequest;
    /// assert_eq!(PublishMessageRequest::new("m", "k").name, "m");
    /// ```
    pub fn new(name: impl Into<String>, correlation_key: impl Into<String>) -> Self {
        PublishMessageRequest {
            name: name.into(),
            correlation_key: correlation_key.into(),
            ..PublishMessageRequest::default()
        }
    }
}

/// The answer to a message publication.
///
/// ```
/// use camunda_connector_runtime::engine::PublishMessageResponse;
/// let r: PublishMessageResponse = serde_json::from_str(r#"{"messageKey":"1","tenantId":"<default>"}"#).unwrap();
/// assert_eq!(r.message_key, "1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PublishMessageResponse {
    /// The message's key.
    pub message_key: String,
    /// The tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// `POST /messages/correlation`: correlate a message now, or fail when nothing waits for it.
///
/// ```
/// use camunda_connector_runtime::engine::CorrelateMessageRequest;
/// let json = serde_json::to_value(CorrelateMessageRequest::new("m", "k")).unwrap();
/// assert_eq!(json["name"], "m");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CorrelateMessageRequest {
    /// The message name.
    pub name: String,
    /// The correlation key.
    pub correlation_key: String,
    /// The message's variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// The tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

impl CorrelateMessageRequest {
    /// A message with a name and a correlation key.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::CorrelateMessageRequest;
    /// assert_eq!(CorrelateMessageRequest::new("m", "k").correlation_key, "k");
    /// ```
    pub fn new(name: impl Into<String>, correlation_key: impl Into<String>) -> Self {
        CorrelateMessageRequest {
            name: name.into(),
            correlation_key: correlation_key.into(),
            ..CorrelateMessageRequest::default()
        }
    }
}

/// The answer to a message correlation.
///
/// ```
/// use camunda_connector_runtime::engine::CorrelateMessageResponse;
/// let r: CorrelateMessageResponse =
///     serde_json::from_str(r#"{"messageKey":"1","processInstanceKey":"2"}"#).unwrap();
/// assert_eq!(r.process_instance_key, "2");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CorrelateMessageResponse {
    /// The message's key.
    pub message_key: String,
    /// The process instance the message was correlated to.
    pub process_instance_key: String,
    /// The tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

/// `POST /process-instances`: start a process by its BPMN process id (latest version unless
/// `process_definition_version` is set) or by its definition key.
///
/// ```
/// use camunda_connector_runtime::engine::CreateProcessInstanceRequest;
/// let json = serde_json::to_value(CreateProcessInstanceRequest::by_id("order-process")).unwrap();
/// assert_eq!(json, serde_json::json!({"processDefinitionId": "order-process"}));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateProcessInstanceRequest {
    /// The BPMN process id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_definition_id: Option<String>,
    /// The version of that process (-1: latest).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_definition_version: Option<i32>,
    /// The process definition key, instead of the id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub process_definition_key: Option<String>,
    /// The instance's initial variables.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<Map<String, Value>>,
    /// The tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
}

impl CreateProcessInstanceRequest {
    /// Starts the latest version of the process with this BPMN process id.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::CreateProcessInstanceRequest;
    /// assert!(CreateProcessInstanceRequest::by_id("p").process_definition_key.is_none());
    /// ```
    pub fn by_id(process_definition_id: impl Into<String>) -> Self {
        CreateProcessInstanceRequest {
            process_definition_id: Some(process_definition_id.into()),
            ..CreateProcessInstanceRequest::default()
        }
    }
}

/// The answer to a process instance creation.
///
/// ```
/// use camunda_connector_runtime::engine::CreateProcessInstanceResponse;
/// let r: CreateProcessInstanceResponse =
///     serde_json::from_str(r#"{"processInstanceKey":"7","processDefinitionKey":"3"}"#).unwrap();
/// assert_eq!(r.process_instance_key, "7");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CreateProcessInstanceResponse {
    /// The new instance's key.
    pub process_instance_key: String,
    /// The definition's key.
    #[serde(default)]
    pub process_definition_key: Option<String>,
    /// The BPMN process id.
    #[serde(default)]
    pub process_definition_id: Option<String>,
    /// The definition's version.
    #[serde(default)]
    pub process_definition_version: Option<i32>,
    /// The tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
}
