//! The task headers the pipeline acts on, parsed once before the connector runs.

use std::time::Duration;

use crate::job::{ActivatedJob, parse_iso_duration};

/// Header naming the variable that receives the whole response.
pub const RESULT_VARIABLE: &str = "resultVariable";
/// Header holding the FEEL expression that maps the response to variables.
pub const RESULT_EXPRESSION: &str = "resultExpression";
/// Header holding the FEEL expression that decides BPMN errors, job errors and ignored errors.
pub const ERROR_EXPRESSION: &str = "errorExpression";
/// Header holding the ISO-8601 backoff between retries.
pub const RETRY_BACKOFF: &str = "retryBackoff";
/// Header holding the ISO-8601 job timeout the worker requests before execution.
pub const JOB_TIMEOUT: &str = "jobTimeout";

/// How much of a rejected header value an error message repeats.
const MAX_QUOTED_CHARS: usize = 200;

/// The headers of one job that drive the pipeline. Blank headers count as absent.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_runtime::job::ActivatedJob;
/// use camunda_connector_runtime::pipeline::JobHeaders;
///
/// let mut job = ActivatedJob::new("1", "io.example:echo:1", 3);
/// job.custom_headers.insert("retryBackoff".into(), "PT30S".into());
/// job.custom_headers.insert("resultVariable".into(), "  ".into());
///
/// let headers = JobHeaders::parse(&job).unwrap();
/// assert_eq!(headers.retry_backoff, Some(Duration::from_secs(30)));
/// assert_eq!(headers.result_variable, None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct JobHeaders {
    /// `resultVariable`: the variable that receives the whole response.
    pub result_variable: Option<String>,
    /// `resultExpression`: maps the response to variables.
    pub result_expression: Option<String>,
    /// `errorExpression`: turns a result or a failure into a BPMN error, job error or nothing.
    pub error_expression: Option<String>,
    /// `retryBackoff`: the backoff of retryable failures.
    pub retry_backoff: Option<Duration>,
    /// `jobTimeout`: the timeout the worker asks the engine for before execution.
    pub job_timeout: Option<Duration>,
}

/// A header the pipeline cannot use; the job fails with 0 retries before the connector runs.
///
/// ```
/// use camunda_connector_runtime::job::ActivatedJob;
/// use camunda_connector_runtime::pipeline::{HeaderError, JobHeaders};
///
/// let mut job = ActivatedJob::new("1", "t", 3);
/// job.custom_headers.insert("retryBackoff".into(), "30 seconds".into());
/// let err = JobHeaders::parse(&job).unwrap_err();
/// assert!(matches!(err, HeaderError::RetryBackoff { .. }));
/// assert!(err.to_string().contains("ISO-8601"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderError {
    /// `retryBackoff` is not an ISO-8601 duration.
    #[error(
        "the `retryBackoff` header must be an ISO-8601 duration such as `PT30S`, `PT5M` or `P1D`, but it is `{value}`: {reason}"
    )]
    RetryBackoff {
        /// The header's value (shortened when long).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `jobTimeout` is not a positive ISO-8601 duration.
    #[error(
        "the `jobTimeout` header must be a positive ISO-8601 duration such as `PT30S` or `PT10M`, but it is `{value}`: {reason}"
    )]
    JobTimeout {
        /// The header's value (shortened when long).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl JobHeaders {
    /// Reads and checks the headers of `job`.
    ///
    /// # Errors
    ///
    /// A [`HeaderError`] when `retryBackoff` or `jobTimeout` is set but not a valid duration.
    ///
    /// ```
    /// use camunda_connector_runtime::job::ActivatedJob;
    /// use camunda_connector_runtime::pipeline::JobHeaders;
    ///
    /// let mut job = ActivatedJob::new("1", "t", 3);
    /// job.custom_headers.insert("jobTimeout".into(), "PT0S".into());
    /// assert!(JobHeaders::parse(&job).is_err());
    /// ```
    pub fn parse(job: &ActivatedJob) -> Result<Self, HeaderError> {
        let retry_backoff = text(job, RETRY_BACKOFF)
            .map(|value| {
                parse_iso_duration(&value).map_err(|reason| HeaderError::RetryBackoff {
                    value: quote(&value),
                    reason,
                })
            })
            .transpose()?;
        let job_timeout = text(job, JOB_TIMEOUT)
            .map(|value| parse_job_timeout(&value))
            .transpose()?;

        Ok(JobHeaders {
            result_variable: text(job, RESULT_VARIABLE).map(|v| v.trim().to_owned()),
            result_expression: text(job, RESULT_EXPRESSION),
            error_expression: text(job, ERROR_EXPRESSION),
            retry_backoff,
            job_timeout,
        })
    }
}

fn parse_job_timeout(value: &str) -> Result<Duration, HeaderError> {
    let error = |reason: String| HeaderError::JobTimeout {
        value: quote(value),
        reason,
    };

    let timeout = parse_iso_duration(value).map_err(error)?;
    if timeout.as_millis() == 0 {
        return Err(error("it must be at least one millisecond".to_owned()));
    }
    if i64::try_from(timeout.as_millis()).is_err() {
        return Err(error("it is too long".to_owned()));
    }
    Ok(timeout)
}

/// The header's text, `None` when absent or blank. Non-string values are read as JSON text.
fn text(job: &ActivatedJob, name: &str) -> Option<String> {
    let value = job.custom_headers.get(name)?;
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => return None,
        other => other.to_string(),
    };
    (!text.trim().is_empty()).then_some(text)
}

fn quote(value: &str) -> String {
    match value.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(headers: &[(&str, &str)]) -> ActivatedJob {
        let mut job = ActivatedJob::new("1", "t", 3);
        for (name, value) in headers {
            job.custom_headers.insert((*name).into(), (*value).into());
        }
        job
    }

    #[test]
    fn blank_headers_are_absent() {
        let headers = JobHeaders::parse(&job(&[
            (RETRY_BACKOFF, " "),
            (JOB_TIMEOUT, ""),
            (ERROR_EXPRESSION, "\n"),
        ]))
        .unwrap();
        assert_eq!(headers, JobHeaders::default());
    }

    #[test]
    fn job_timeout_must_be_positive() {
        assert!(JobHeaders::parse(&job(&[(JOB_TIMEOUT, "PT0.0001S")])).is_err());
        let ok = JobHeaders::parse(&job(&[(JOB_TIMEOUT, "PT5M")])).unwrap();
        assert_eq!(ok.job_timeout, Some(Duration::from_secs(300)));
    }

    #[test]
    fn a_long_rejected_value_is_shortened_in_the_message() {
        let long = "x".repeat(10_000);
        let err = JobHeaders::parse(&job(&[(RETRY_BACKOFF, &long)])).unwrap_err();
        assert!(err.to_string().len() < 1_000);
    }
}
