//! Reading a job activation answer one job at a time, so one job this runtime cannot read
//! never hides the others.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::EngineError;
use crate::job::ActivatedJob;
use crate::text::truncate;

/// The most characters of a parse error kept in a reason.
const MAX_REASON: usize = 500;

/// What one activation returned: the jobs that could be read, and those that could not.
///
/// ```
/// use camunda_connector_runtime::engine::ActivatedJobs;
/// let batch = ActivatedJobs::default();
/// assert!(batch.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct ActivatedJobs {
    /// The jobs to run.
    pub jobs: Vec<ActivatedJob>,
    /// The jobs the engine activated but this runtime cannot read. Fail those with a key
    /// ([`UnreadableJob::failure_message`], 0 retries); the others time out.
    pub unreadable: Vec<UnreadableJob>,
}

impl ActivatedJobs {
    /// Whether the engine returned no job at all, readable or not.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::ActivatedJobs;
    /// assert!(ActivatedJobs::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.unreadable.is_empty()
    }

    /// How many jobs the engine returned, readable or not.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::ActivatedJobs;
    /// assert_eq!(ActivatedJobs::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.jobs.len() + self.unreadable.len()
    }
}

/// A job the engine activated whose JSON this runtime cannot read: a field of an unexpected
/// type, a missing or empty key, or variables nested deeper than the JSON parser reads.
///
/// ```
/// use camunda_connector_runtime::engine::ActivatedJobs;
/// # fn demo(batch: ActivatedJobs) {
/// for job in &batch.unreadable {
///     match &job.job_key {
///         Some(key) => println!("fail {key}: {}", job.failure_message()),
///         None => println!("cannot answer: {}", job.reason),
///     }
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnreadableJob {
    /// The job key, when it could be recovered; without it the job can only time out.
    pub job_key: Option<String>,
    /// The lease token to echo, when the job has one.
    pub job_lease_token: Option<String>,
    /// The job type, when it could be read; a worker leaves a job of another type alone.
    pub job_type: Option<String>,
    /// What is wrong, naming the field; never the variables' values.
    pub reason: String,
}

impl UnreadableJob {
    /// The message to fail the job with; it becomes the incident's message.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::UnreadableJob;
    /// # fn demo(job: UnreadableJob) {
    /// assert!(job.failure_message().contains(&job.reason));
    /// # }
    /// ```
    pub fn failure_message(&self) -> String {
        format!(
            "the connector runtime could not read this job, so it was not run: {}",
            self.reason
        )
    }
}

#[derive(Deserialize)]
struct Batch<'a> {
    #[serde(default, borrow)]
    jobs: Vec<&'a RawValue>,
}

/// The key (and lease) of a job that does not parse as a whole.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identity {
    #[serde(deserialize_with = "crate::job::key")]
    job_key: String,
    #[serde(default)]
    job_lease_token: Option<String>,
}

#[derive(Deserialize)]
struct TypeOnly {
    #[serde(rename = "type")]
    job_type: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyOnly {
    #[serde(deserialize_with = "crate::job::key")]
    job_key: String,
}

/// An answer split into its jobs' JSON texts, each owned, to be read where the job runs.
#[derive(Deserialize)]
struct Owned {
    #[serde(default)]
    jobs: Vec<Box<RawValue>>,
}

/// Splits an activation answer into one JSON text per job, without reading the jobs.
pub(crate) fn split_owned(text: &str) -> Result<Vec<Box<RawValue>>, EngineError> {
    serde_json::from_str::<Owned>(text)
        .map(|answer| answer.jobs)
        .map_err(|err| EngineError::InvalidResponse(format!("job activation: {err}")))
}

/// The answer, when every job in it can be read.
#[derive(Deserialize)]
struct Readable {
    #[serde(default)]
    jobs: Vec<ActivatedJob>,
}

/// Reads an activation answer. The whole answer is parsed in one pass first, the common case;
/// only when that fails is it split, so that the jobs at fault are named and the others run.
pub(crate) fn parse(text: &str) -> Result<ActivatedJobs, EngineError> {
    match serde_json::from_str::<Readable>(text) {
        Ok(answer) => Ok(ActivatedJobs {
            jobs: answer.jobs,
            unreadable: Vec::new(),
        }),
        Err(_) => split(text),
    }
}

/// Splits the answer into jobs and parses each on its own. Splitting does not recurse, so a
/// deeply nested job still yields its key.
fn split(text: &str) -> Result<ActivatedJobs, EngineError> {
    let batch: Batch<'_> = serde_json::from_str(text)
        .map_err(|err| EngineError::InvalidResponse(format!("job activation: {err}")))?;

    let mut parsed = ActivatedJobs::default();
    for raw in batch.jobs {
        match parse_job(raw.get()) {
            Ok(job) => parsed.jobs.push(job),
            Err(unreadable) => parsed.unreadable.push(unreadable),
        }
    }
    Ok(parsed)
}

pub(crate) fn parse_job(text: &str) -> Result<ActivatedJob, UnreadableJob> {
    // The plain parser is the fast path; tracking the failing field costs on every value,
    // so it runs only for a job that failed to parse, to name that field.
    if let Ok(job) = serde_json::from_str::<ActivatedJob>(text) {
        return Ok(job);
    }

    let mut deserializer = serde_json::Deserializer::from_str(text);
    let err = match serde_path_to_error::deserialize::<_, ActivatedJob>(&mut deserializer) {
        Ok(job) => return Ok(job),
        Err(err) => err,
    };

    let (job_key, job_lease_token) = identity(text);
    let job_type = serde_json::from_str::<TypeOnly>(text).ok();
    Err(UnreadableJob {
        job_key,
        job_lease_token,
        job_type: job_type.map(|found| found.job_type),
        reason: reason(&err),
    })
}

fn identity(text: &str) -> (Option<String>, Option<String>) {
    if let Ok(found) = serde_json::from_str::<Identity>(text) {
        return (Some(found.job_key), found.job_lease_token);
    }
    let key = serde_json::from_str::<KeyOnly>(text).ok();
    (key.map(|found| found.job_key), None)
}

/// Names the top-level field and the problem, without the position or nested values.
fn reason(err: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let field = err.path().iter().find_map(|segment| match segment {
        serde_path_to_error::Segment::Map { key } => Some(key.clone()),
        _ => None,
    });
    let message = err.inner().to_string();
    let message = message
        .rsplit_once(" at line ")
        .map_or(message.as_str(), |(head, _)| head);

    let problem = if message.starts_with("recursion limit exceeded") {
        "it nests JSON values more than 128 levels deep, deeper than the runtime reads; \
         flatten the data or fetch fewer variables"
            .to_owned()
    } else {
        truncate(message, MAX_REASON)
    };
    match field {
        Some(field) => format!("`{field}`: {problem}"),
        None => problem,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn nested(depth: usize) -> String {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }

    fn batch(jobs: &[String]) -> String {
        format!(r#"{{"jobs": [{}]}}"#, jobs.join(","))
    }

    fn job(key: &str, extra: &str) -> String {
        format!(r#"{{"jobKey": {key}, "type": "t"{extra}}}"#)
    }

    #[test]
    fn a_readable_answer_is_read_whole_and_in_order() {
        let text = batch(&[
            job("\"101\"", r#", "retries": 3, "variables": {"a": 1}"#),
            job("102", r#", "retries": 2"#),
        ]);

        let parsed = parse(&text).unwrap();

        let keys: Vec<&str> = parsed.jobs.iter().map(|j| j.job_key.as_str()).collect();
        assert_eq!(keys, ["101", "102"]);
        assert!(parsed.unreadable.is_empty());
        assert_eq!(parsed.jobs[0].variables, json!({"a": 1}));
    }

    #[test]
    fn one_unreadable_job_leaves_the_others_readable() {
        let text = batch(&[
            job("\"101\"", r#", "retries": 3"#),
            job("\"102\"", r#", "retries": 1.5"#),
            job("\"103\"", r#", "retries": 3"#),
        ]);

        let parsed = parse(&text).unwrap();

        let keys: Vec<&str> = parsed.jobs.iter().map(|j| j.job_key.as_str()).collect();
        assert_eq!(keys, ["101", "103"]);
        assert_eq!(parsed.unreadable.len(), 1);
        let bad = &parsed.unreadable[0];
        assert_eq!(bad.job_key.as_deref(), Some("102"));
        assert!(bad.reason.starts_with("`retries`:"), "{}", bad.reason);
        assert!(!bad.reason.contains("line 1"), "{}", bad.reason);
    }

    #[test]
    fn variables_nested_past_the_parser_limit_name_the_depth_and_keep_the_key() {
        let deep = format!(
            r#", "retries": 1, "variables": {{"a": {}}}, "jobLeaseToken": "l-1""#,
            nested(200)
        );
        let parsed = parse(&batch(&[
            job("102", &deep),
            job("103", r#", "retries": 1"#),
        ]))
        .unwrap();

        assert_eq!(parsed.jobs.len(), 1);
        let bad = &parsed.unreadable[0];
        assert_eq!(bad.job_key.as_deref(), Some("102"));
        assert_eq!(bad.job_lease_token.as_deref(), Some("l-1"));
        assert!(bad.reason.starts_with("`variables`: "), "{}", bad.reason);
        assert!(bad.reason.contains("128 levels"), "{}", bad.reason);
        assert!(bad.failure_message().contains(&bad.reason));
    }

    #[test]
    fn a_job_without_a_usable_key_is_reported_without_one() {
        let parsed = parse(&batch(&[
            job("null", r#", "retries": 1"#),
            job("\"\"", r#", "retries": 1"#),
            "17".to_owned(),
            job("\"5\"", r#", "retries": 1"#),
            job("\".\"", r#", "retries": 1"#),
            job("\"..\"", r#", "retries": 1"#),
            job("\"u2\u{fffd}\"", r#", "retries": 1"#),
            job(r#""22517998\n13685250""#, r#", "retries": 1"#),
            job(r#""2251799813685249\t""#, r#", "retries": 1"#),
        ]))
        .unwrap();

        assert_eq!(parsed.jobs.len(), 1);
        assert_eq!(parsed.len(), 9);
        assert!(parsed.unreadable.iter().all(|job| job.job_key.is_none()));
        assert!(
            parsed.unreadable[0].reason.contains("`jobKey`"),
            "{}",
            parsed.unreadable[0].reason
        );
    }

    #[test]
    fn a_lease_token_of_the_wrong_type_still_yields_the_key() {
        let parsed = parse(&batch(&[job(
            "\"9\"",
            r#", "retries": 1, "jobLeaseToken": 5"#,
        )]))
        .unwrap();

        let bad = &parsed.unreadable[0];
        assert_eq!(bad.job_key.as_deref(), Some("9"));
        assert_eq!(bad.job_lease_token, None);
    }

    #[test]
    fn an_answer_that_is_not_a_batch_is_an_invalid_response() {
        for text in ["", "null", r#"{"jobs": 5}"#, r#"{"jobs": [1, "#] {
            let err = parse(text).unwrap_err();
            assert!(
                matches!(err, EngineError::InvalidResponse(_)),
                "{text}: {err}"
            );
        }
        assert!(parse(&json!({}).to_string()).unwrap().is_empty());
    }
}
