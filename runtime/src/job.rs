//! Activated jobs and the commands sent back to the engine.
//!
//! [`ActivatedJob`] is one job exactly as the Orchestration Cluster REST API's job activation
//! (`POST /v2/jobs/activation`) returns it. [`JobCommand`] is the one outcome the job pipeline
//! decides for it: complete, fail or throw a BPMN error.
//!
//! ```
//! use camunda_connector_runtime::job::{ActivatedJob, JobCommand};
//! use serde_json::json;
//!
//! let job: ActivatedJob = serde_json::from_value(json!({
//!     "jobKey": "2251799813685249",
//!     "type": "io.example:echo:1",
//!     "retries": 3,
//!     "variables": {"text": "hi"},
//!     "customHeaders": {"resultVariable": "echo"}
//! }))
//! .unwrap();
//! assert_eq!(job.header("resultVariable"), Some("echo"));
//!
//! let done = JobCommand::complete(json!({"echo": "hi"}).as_object().unwrap().clone());
//! assert_eq!(
//!     serde_json::to_value(&done).unwrap(),
//!     json!({"command": "complete", "variables": {"echo": "hi"}})
//! );
//! ```

use std::fmt;
use std::time::Duration;

use camunda_connector_sdk::JobFacts;
use jiff::fmt::temporal::{SpanParser, SpanPrinter};
use jiff::{SignedDuration, SpanRelativeTo};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

/// The tenant of jobs that belong to no particular tenant.
pub const DEFAULT_TENANT: &str = "<default>";

/// One job as Camunda's REST job activation returns it.
///
/// Keys are strings as the REST API writes them; numbers are accepted too. Fields that newer
/// server versions added are optional, and unknown fields are ignored, so one model reads the
/// answers of every 8.x server. `variables` is kept as any JSON value: a job whose variables are
/// not an object still deserialises, and the pipeline fails it with a clear message instead of
/// losing it.
///
/// ```
/// use camunda_connector_runtime::job::ActivatedJob;
///
/// let job: ActivatedJob = serde_json::from_str(
///     r#"{"jobKey": 42, "type": "io.example:echo:1", "retries": 3, "tenantId": "acme"}"#,
/// )
/// .unwrap();
/// assert_eq!(job.job_key, "42");
/// assert_eq!(job.facts().tenant_id, "acme");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ActivatedJob {
    /// The job key.
    #[serde(deserialize_with = "key")]
    pub job_key: String,
    /// The job type, the connector's type.
    #[serde(rename = "type")]
    pub job_type: String,
    /// The process instance key.
    #[serde(default, deserialize_with = "key")]
    pub process_instance_key: String,
    /// The BPMN process id.
    #[serde(default)]
    pub process_definition_id: String,
    /// The process definition version.
    #[serde(default)]
    pub process_definition_version: i32,
    /// The process definition key.
    #[serde(default, deserialize_with = "key")]
    pub process_definition_key: String,
    /// The id of the BPMN element.
    #[serde(default)]
    pub element_id: String,
    /// The element instance key.
    #[serde(default, deserialize_with = "key")]
    pub element_instance_key: String,
    /// The task headers: `resultVariable`, `resultExpression`, `errorExpression`,
    /// `retryBackoff`, `jobTimeout`, ...
    #[serde(default, deserialize_with = "headers")]
    pub custom_headers: Map<String, Value>,
    /// The worker that activated the job.
    #[serde(default)]
    pub worker: String,
    /// The retries left.
    pub retries: i32,
    /// When the job times out, in milliseconds since the UNIX epoch.
    #[serde(default)]
    pub deadline: Option<i64>,
    /// The variables the job fetched; an object unless the engine sent something odd.
    #[serde(default)]
    pub variables: Value,
    /// The tenant.
    #[serde(default = "default_tenant")]
    pub tenant_id: String,
    /// What the job belongs to: `BPMN_ELEMENT`, `EXECUTION_LISTENER`, `TASK_LISTENER`, ...
    #[serde(default)]
    pub kind: Option<String>,
    /// The listener event type of a listener job.
    #[serde(default)]
    pub listener_event_type: Option<String>,
    /// The user task facts of a task-listener job.
    #[serde(default)]
    pub user_task: Option<Value>,
    /// The process instance's tags.
    #[serde(default)]
    pub tags: Option<Vec<String>>,
    /// The root process instance key (8.10).
    #[serde(default, deserialize_with = "optional_key")]
    pub root_process_instance_key: Option<String>,
    /// The business id (8.10).
    #[serde(default)]
    pub business_id: Option<String>,
    /// The job priority (8.10).
    #[serde(default)]
    pub priority: Option<i64>,
    /// The lease token complete/fail/error requests echo (8.10, activation `withLease`).
    #[serde(default)]
    pub job_lease_token: Option<String>,
    /// The physical tenant (8.10).
    #[serde(default)]
    pub physical_tenant_id: Option<String>,
}

fn default_tenant() -> String {
    DEFAULT_TENANT.to_owned()
}

impl ActivatedJob {
    /// A job with `key`, `job_type` and `retries`, no variables and no headers, in the default
    /// tenant. Tests and tools fill in the rest.
    ///
    /// ```
    /// use camunda_connector_runtime::job::ActivatedJob;
    /// let job = ActivatedJob::new("1", "io.example:echo:1", 3);
    /// assert_eq!(job.tenant_id, "<default>");
    /// assert!(job.variables.as_object().unwrap().is_empty());
    /// ```
    pub fn new(key: impl Into<String>, job_type: impl Into<String>, retries: i32) -> Self {
        ActivatedJob {
            job_key: key.into(),
            job_type: job_type.into(),
            process_instance_key: String::new(),
            process_definition_id: String::new(),
            process_definition_version: 0,
            process_definition_key: String::new(),
            element_id: String::new(),
            element_instance_key: String::new(),
            custom_headers: Map::new(),
            worker: String::new(),
            retries,
            deadline: None,
            variables: Value::Object(Map::new()),
            tenant_id: default_tenant(),
            kind: None,
            listener_event_type: None,
            user_task: None,
            tags: None,
            root_process_instance_key: None,
            business_id: None,
            priority: None,
            job_lease_token: None,
            physical_tenant_id: None,
        }
    }

    /// One task header as text; `None` when absent or not a string.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::ActivatedJob;
    /// let mut job = ActivatedJob::new("1", "t", 3);
    /// job.custom_headers.insert("retryBackoff".into(), "PT5S".into());
    /// assert_eq!(job.header("retryBackoff"), Some("PT5S"));
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.custom_headers.get(name).and_then(Value::as_str)
    }

    /// The job's facts as the SDK hands them to a connector.
    ///
    /// Header values that are not strings are given as their JSON text.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::ActivatedJob;
    /// let mut job = ActivatedJob::new("7", "io.example:echo:1", 2);
    /// job.custom_headers.insert("limit".into(), serde_json::json!(5));
    /// let facts = job.facts();
    /// assert_eq!(facts.key, "7");
    /// assert_eq!(facts.custom_headers["limit"], "5");
    /// ```
    pub fn facts(&self) -> JobFacts {
        let mut facts = JobFacts::default();
        facts.key = self.job_key.clone();
        facts.job_type = self.job_type.clone();
        facts.process_instance_key = self.process_instance_key.clone();
        facts.process_definition_key = self.process_definition_key.clone();
        facts.bpmn_process_id = self.process_definition_id.clone();
        facts.process_definition_version = self.process_definition_version;
        facts.element_id = self.element_id.clone();
        facts.element_instance_key = self.element_instance_key.clone();
        facts.tenant_id = self.tenant_id.clone();
        facts.retries = self.retries;
        facts.deadline = self.deadline;
        facts.worker = self.worker.clone();
        facts.custom_headers = self
            .custom_headers
            .iter()
            .map(|(name, value)| (name.clone(), header_text(value)))
            .collect();
        facts
    }
}

impl From<&ActivatedJob> for JobFacts {
    fn from(job: &ActivatedJob) -> Self {
        job.facts()
    }
}

impl ActivatedJob {
    /// The facts, moved out of the job instead of copied: what the pipeline hands the
    /// connector once the job itself is no longer read. Leaves the moved fields empty.
    pub(crate) fn take_facts(&mut self) -> JobFacts {
        let take = std::mem::take::<String>;
        let mut facts = JobFacts::default();
        facts.key = take(&mut self.job_key);
        facts.job_type = take(&mut self.job_type);
        facts.process_instance_key = take(&mut self.process_instance_key);
        facts.process_definition_key = take(&mut self.process_definition_key);
        facts.bpmn_process_id = take(&mut self.process_definition_id);
        facts.process_definition_version = self.process_definition_version;
        facts.element_id = take(&mut self.element_id);
        facts.element_instance_key = take(&mut self.element_instance_key);
        facts.tenant_id = take(&mut self.tenant_id);
        facts.retries = self.retries;
        facts.deadline = self.deadline;
        facts.worker = take(&mut self.worker);
        facts.custom_headers = std::mem::take(&mut self.custom_headers)
            .into_iter()
            .map(|(name, value)| match value {
                Value::String(text) => (name, text),
                other => (name, other.to_string()),
            })
            .collect();
        facts
    }
}

fn header_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `key` can be a request path segment: not blank, `.` or `..`, which URL paths drop
/// or resolve, and free of control characters, which URL parsing strips (tab, CR, LF) and
/// which would break a log line; any of those and a command would reach another resource.
pub(crate) fn usable_key(key: &str) -> bool {
    !matches!(key.trim(), "" | "." | "..") && !key.contains(char::is_control)
}

/// Reads a key written as a string or as a number; `null`, an empty string, `.`, `..`, text
/// with bytes that were not UTF-8 and a negative number are errors, so a key can never turn
/// into a path segment that names another resource, or one the engine did not issue.
pub(crate) fn key<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(KeyVisitor)
}

fn optional_key<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(OptionalKeyVisitor)
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a key: a non-negative integer, or a string that is not empty, `.` or `..` and \
             has no control characters or undecodable bytes",
        )
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        if !usable_key(v) || v.contains(char::REPLACEMENT_CHARACTER) {
            return Err(E::invalid_value(de::Unexpected::Str(v), &self));
        }
        Ok(v.to_owned())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        if v < 0 {
            return Err(E::invalid_value(de::Unexpected::Signed(v), &self));
        }
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

struct OptionalKeyVisitor;

impl<'de> Visitor<'de> for OptionalKeyVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key as a string or an integer, or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<String>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        key(d).map(Some)
    }
}

/// Reads the headers object; `null` reads as no headers.
fn headers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    Ok(Option::<Map<String, Value>>::deserialize(deserializer)?.unwrap_or_default())
}

/// The one outcome of a job, as the engine receives it.
///
/// Serialised with a `command` tag and Camunda's key names; durations are ISO-8601 text:
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::job::JobCommand;
/// use serde_json::{json, Map};
///
/// let fail = JobCommand::Fail {
///     retries: 2,
///     retry_backoff: Duration::from_secs(30),
///     error_message: "upstream down".into(),
///     variables: Map::new(),
/// };
/// assert_eq!(
///     serde_json::to_value(&fail).unwrap(),
///     json!({"command": "fail", "retries": 2, "retryBackoff": "PT30S",
///            "errorMessage": "upstream down", "variables": {}})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum JobCommand {
    /// Complete the job, setting these variables.
    Complete {
        /// The variables set on the process instance.
        variables: Map<String, Value>,
    },
    /// Fail the job; with 0 retries the engine raises an incident.
    Fail {
        /// The retries the job has left.
        retries: u32,
        /// How long the engine waits before the job may be activated again.
        #[serde(with = "iso_duration")]
        retry_backoff: Duration,
        /// Why the job failed, as the incident shows it.
        error_message: String,
        /// Variables set with the failure (`error` with the failure's details).
        variables: Map<String, Value>,
    },
    /// Throw a BPMN error the process model may catch.
    ThrowError {
        /// The BPMN error code.
        error_code: String,
        /// The error message, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_message: Option<String>,
        /// Variables set with the error.
        variables: Map<String, Value>,
    },
}

impl JobCommand {
    /// A completion with `variables`.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// let cmd = JobCommand::complete(serde_json::Map::new());
    /// assert_eq!(cmd.name(), "complete");
    /// ```
    pub fn complete(variables: Map<String, Value>) -> Self {
        JobCommand::Complete { variables }
    }

    /// The command's name as serialised: `complete`, `fail` or `throwError`.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// let cmd = JobCommand::ThrowError {
    ///     error_code: "E".into(),
    ///     error_message: None,
    ///     variables: serde_json::Map::new(),
    /// };
    /// assert_eq!(cmd.name(), "throwError");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            JobCommand::Complete { .. } => "complete",
            JobCommand::Fail { .. } => "fail",
            JobCommand::ThrowError { .. } => "throwError",
        }
    }

    /// The variables the command carries.
    ///
    /// ```
    /// # use camunda_connector_runtime::job::JobCommand;
    /// let cmd = JobCommand::complete(serde_json::Map::new());
    /// assert!(cmd.variables().is_empty());
    /// ```
    pub fn variables(&self) -> &Map<String, Value> {
        match self {
            JobCommand::Complete { variables }
            | JobCommand::Fail { variables, .. }
            | JobCommand::ThrowError { variables, .. } => variables,
        }
    }
}

/// Parses an ISO-8601 duration such as `PT30S`, `PT5M`, `P1D` or `P1DT2H`.
///
/// Days count as 24 hours. Years, months and weeks have no fixed length and are rejected, as
/// are negative durations and jiff's friendly format (`30 seconds`): headers must be ISO-8601.
///
/// # Errors
///
/// A message saying what is wrong with `text`.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::job::parse_iso_duration;
///
/// assert_eq!(parse_iso_duration("PT30S").unwrap(), Duration::from_secs(30));
/// assert_eq!(parse_iso_duration("P1D").unwrap(), Duration::from_secs(86_400));
/// assert!(parse_iso_duration("30 seconds").is_err());
/// assert!(parse_iso_duration("P1M").is_err());
/// ```
pub fn parse_iso_duration(text: &str) -> Result<Duration, String> {
    static PARSER: SpanParser = SpanParser::new();

    let span = PARSER
        .parse_span(text.trim())
        .map_err(|err| format!("not an ISO-8601 duration ({err})"))?;
    if span.get_years() != 0 || span.get_months() != 0 || span.get_weeks() != 0 {
        return Err("years, months and weeks have no fixed length; use days or less".to_owned());
    }
    if span.is_negative() {
        return Err("the duration is negative".to_owned());
    }

    let signed = span
        .to_duration(SpanRelativeTo::days_are_24_hours())
        .map_err(|err| format!("the duration is out of range ({err})"))?;
    Duration::try_from(signed).map_err(|err| format!("the duration is out of range ({err})"))
}

/// Writes `duration` as ISO-8601 text in hours, minutes and seconds: 30 s is `PT30S`, one day
/// is `PT24H`, zero is `PT0S`.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::job::format_iso_duration;
///
/// assert_eq!(format_iso_duration(Duration::from_secs(86_400)), "PT24H");
/// assert_eq!(format_iso_duration(Duration::from_millis(1500)), "PT1.5S");
/// assert_eq!(format_iso_duration(Duration::ZERO), "PT0S");
/// ```
pub fn format_iso_duration(duration: Duration) -> String {
    static PRINTER: SpanPrinter = SpanPrinter::new();

    let signed = SignedDuration::try_from(duration).unwrap_or(SignedDuration::MAX);
    PRINTER.duration_to_string(&signed)
}

mod iso_duration {
    use super::*;

    pub(super) fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_iso_duration(*d))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        let text = String::deserialize(d)?;
        parse_iso_duration(&text).map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rest_activation_entry_deserialises_with_unknown_and_newer_fields() {
        let job: ActivatedJob = serde_json::from_value(json!({
            "jobKey": "2251799813685249",
            "type": "io.example:http:1",
            "processInstanceKey": "2251799813685250",
            "processDefinitionId": "order-process",
            "processDefinitionVersion": 4,
            "processDefinitionKey": 2251799813685100_i64,
            "elementId": "call-api",
            "elementInstanceKey": "2251799813685260",
            "customHeaders": {"resultVariable": "r", "retryBackoff": "PT5S"},
            "worker": "connectors",
            "retries": 3,
            "deadline": 1_700_000_000_000_i64,
            "variables": {"url": "https://example.test"},
            "tenantId": "acme",
            "kind": "BPMN_ELEMENT",
            "listenerEventType": "UNSPECIFIED",
            "tags": ["a"],
            "rootProcessInstanceKey": 1,
            "jobLeaseToken": "lease-1",
            "somethingNew": {"x": 1}
        }))
        .unwrap();

        assert_eq!(job.process_definition_key, "2251799813685100");
        assert_eq!(job.root_process_instance_key.as_deref(), Some("1"));
        assert_eq!(job.job_lease_token.as_deref(), Some("lease-1"));
        let facts = job.facts();
        assert_eq!(facts.bpmn_process_id, "order-process");
        assert_eq!(facts.custom_headers["retryBackoff"], "PT5S");
        assert_eq!(facts.deadline, Some(1_700_000_000_000));
    }

    #[test]
    fn null_headers_and_non_object_variables_still_deserialise() {
        let job: ActivatedJob = serde_json::from_value(json!({
            "jobKey": "1", "type": "t", "retries": 1, "customHeaders": null, "variables": [1, 2]
        }))
        .unwrap();
        assert!(job.custom_headers.is_empty());
        assert_eq!(job.variables, json!([1, 2]));
    }

    #[test]
    fn keys_must_be_present_and_non_empty() {
        let job = |fields: Value| {
            let mut job = json!({"jobKey": "1", "type": "t", "retries": 1});
            for (name, value) in fields.as_object().unwrap() {
                job[name] = value.clone();
            }
            serde_json::from_value::<ActivatedJob>(job)
        };
        let bad = [
            json!({"jobKey": null}),
            json!({"jobKey": ""}),
            json!({"jobKey": "  "}),
            json!({"jobKey": -1}),
            json!({"processInstanceKey": null}),
            json!({"processDefinitionKey": ""}),
            json!({"elementInstanceKey": null}),
            json!({"rootProcessInstanceKey": ""}),
        ];
        for fields in bad {
            assert!(job(fields.clone()).is_err(), "{fields} was accepted");
        }

        let missing = json!({"type": "t", "retries": 1});
        assert!(serde_json::from_value::<ActivatedJob>(missing).is_err());
        let fine = job(json!({"rootProcessInstanceKey": null, "processInstanceKey": 7})).unwrap();
        assert_eq!(fine.root_process_instance_key, None);
        assert_eq!(fine.process_instance_key, "7");
    }

    #[test]
    fn commands_serialise_to_the_documented_shapes() {
        let throw = JobCommand::ThrowError {
            error_code: "NOT_FOUND".into(),
            error_message: Some("gone".into()),
            variables: Map::new(),
        };
        assert_eq!(
            serde_json::to_value(&throw).unwrap(),
            json!({"command": "throwError", "errorCode": "NOT_FOUND", "errorMessage": "gone", "variables": {}})
        );

        let fail = JobCommand::Fail {
            retries: 0,
            retry_backoff: Duration::from_secs(86_400),
            error_message: "x".into(),
            variables: Map::new(),
        };
        let text = serde_json::to_string(&fail).unwrap();
        assert!(text.contains(r#""retryBackoff":"PT24H""#), "{text}");
        assert_eq!(serde_json::from_str::<JobCommand>(&text).unwrap(), fail);
    }

    #[test]
    fn iso_durations_follow_the_java_grammar() {
        assert_eq!(parse_iso_duration("PT0.5S"), Ok(Duration::from_millis(500)));
        assert_eq!(
            parse_iso_duration("P1DT1S"),
            Ok(Duration::from_secs(86_401))
        );
        assert!(parse_iso_duration("P1D1S").is_err());
        assert!(parse_iso_duration("P1W").is_err());
        assert!(parse_iso_duration("-PT1S").is_err());
        assert!(parse_iso_duration("").is_err());
    }
}
