//! Errors the engine returns, parsed from RFC 7807 problem details and classified.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::{Printable, truncate};

/// The most characters of an engine's explanation kept in an error, so a huge answer does not
/// become a huge log line.
const MAX_TEXT: usize = 1024;

/// An RFC 7807 problem detail, as the Orchestration Cluster REST API returns it.
///
/// ```
/// use camunda_connector_runtime::engine::ProblemDetail;
/// let problem: ProblemDetail =
///     serde_json::from_str(r#"{"title":"NOT_FOUND","status":404,"detail":"no job"}"#).unwrap();
/// assert_eq!(problem.status, Some(404));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ProblemDetail {
    /// A URI identifying the problem type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    /// A short summary, such as `NOT_FOUND` or `RESOURCE_EXHAUSTED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The explanation of this occurrence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path the problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
}

impl ProblemDetail {
    /// Parses a response body; a body that is not a problem detail keeps its text as `detail`.
    ///
    /// ```
    /// use camunda_connector_runtime::engine::ProblemDetail;
    /// let problem = ProblemDetail::from_body(502, "bad gateway");
    /// assert_eq!(problem.detail.as_deref(), Some("bad gateway"));
    /// assert_eq!(problem.status, Some(502));
    /// ```
    pub fn from_body(status: u16, body: &str) -> Self {
        let mut problem = serde_json::from_str::<ProblemDetail>(body).unwrap_or_else(|_| {
            let detail = body.trim();
            ProblemDetail {
                detail: (!detail.is_empty()).then(|| truncate(detail, MAX_TEXT)),
                ..ProblemDetail::default()
            }
        });
        problem.status.get_or_insert(status);
        for text in [&mut problem.title, &mut problem.detail]
            .into_iter()
            .flatten()
        {
            if text.len() > MAX_TEXT {
                *text = truncate(text, MAX_TEXT);
            }
            if text.contains(char::is_control) {
                *text = Printable(text).to_string();
            }
        }
        problem
    }

    fn mentions(&self, needle: &str) -> bool {
        [&self.title, &self.detail, &self.problem_type]
            .into_iter()
            .flatten()
            .any(|text| text.contains(needle))
    }
}

impl fmt::Display for ProblemDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let title = self.title.as_deref().unwrap_or("no explanation given");
        match &self.detail {
            Some(detail) => write!(f, "{title}: {detail}"),
            None => f.write_str(title),
        }
    }
}

/// Why a request to the engine failed.
///
/// [`is_transient`](Self::is_transient) tells whether repeating the same request later may
/// succeed.
///
/// ```
/// use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
/// let err = EngineError::from_status(503, ProblemDetail::default());
/// assert!(err.is_backpressure());
/// assert!(err.is_transient());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The engine is overloaded (503 or 429, or 500 with `RESOURCE_EXHAUSTED`); back off and
    /// retry.
    #[error("the engine applies backpressure ({status}): {problem}")]
    Backpressure {
        /// The HTTP status.
        status: u16,
        /// The engine's explanation.
        problem: ProblemDetail,
    },
    /// The job, message or process does not exist (any more).
    #[error("not found: {0}")]
    NotFound(ProblemDetail),
    /// The resource is in a state that does not allow the request, such as a job that is no
    /// longer activated.
    #[error("conflict: {0}")]
    Conflict(ProblemDetail),
    /// The credentials were refused (401 or 403).
    #[error("the engine refused the credentials ({status}): {problem}")]
    Unauthorized {
        /// The HTTP status.
        status: u16,
        /// The engine's explanation.
        problem: ProblemDetail,
    },
    /// The engine rejected the request as invalid (another 4xx).
    #[error("the engine rejected the request ({status}): {problem}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The engine's explanation.
        problem: ProblemDetail,
    },
    /// The engine failed (another 5xx).
    #[error("the engine failed ({status}): {problem}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The engine's explanation.
        problem: ProblemDetail,
    },
    /// The engine could not be reached, the connection broke or the request timed out.
    #[error("the engine could not be reached: {}", describe(.0))]
    Network(#[source] reqwest::Error),
    /// The engine answered with a status this client does not act on (1xx, or a redirect it
    /// did not follow).
    #[error("the engine answered with status {status}, which this client cannot use: {problem}")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// The engine's explanation.
        problem: ProblemDetail,
    },
    /// No access token could be obtained.
    #[error(transparent)]
    Auth(#[from] super::auth::AuthError),
    /// The engine answered with a body this client does not understand.
    #[error("the engine's response could not be read: {0}")]
    InvalidResponse(String),
    /// A key that cannot name a resource in a request path (empty, `.`, `..`, or with
    /// control characters); nothing was sent.
    #[error("{0:?} is not a usable key; nothing was sent")]
    InvalidKey(String),
}

impl EngineError {
    /// Classifies an error response by its status and problem detail.
    ///
    /// ```
    /// use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
    /// let problem = ProblemDetail::from_body(500, r#"{"title":"RESOURCE_EXHAUSTED"}"#);
    /// assert!(EngineError::from_status(500, problem).is_backpressure());
    /// assert!(EngineError::from_status(404, ProblemDetail::default()).is_not_found());
    /// ```
    pub fn from_status(status: u16, problem: ProblemDetail) -> Self {
        match status {
            429 | 503 => EngineError::Backpressure { status, problem },
            500 if problem.mentions("RESOURCE_EXHAUSTED") => {
                EngineError::Backpressure { status, problem }
            }
            404 => EngineError::NotFound(problem),
            409 => EngineError::Conflict(problem),
            401 | 403 => EngineError::Unauthorized { status, problem },
            400..=499 => EngineError::Rejected { status, problem },
            500..=599 => EngineError::Server { status, problem },
            _ => EngineError::UnexpectedStatus { status, problem },
        }
    }

    /// Whether the engine asked the client to slow down.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
    /// assert!(!EngineError::from_status(400, ProblemDetail::default()).is_backpressure());
    /// ```
    pub fn is_backpressure(&self) -> bool {
        matches!(self, EngineError::Backpressure { .. })
    }

    /// Whether the job (or other resource) no longer exists.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
    /// assert!(!EngineError::from_status(409, ProblemDetail::default()).is_not_found());
    /// ```
    pub fn is_not_found(&self) -> bool {
        matches!(self, EngineError::NotFound(_))
    }

    /// Whether the same request may succeed later: backpressure, network errors, gateway
    /// errors (502, 504) and token endpoint outages.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
    /// assert!(EngineError::from_status(504, ProblemDetail::default()).is_transient());
    /// assert!(!EngineError::from_status(409, ProblemDetail::default()).is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        match self {
            EngineError::Backpressure { .. } | EngineError::Network(_) => true,
            EngineError::Server { status, .. } => matches!(status, 500 | 502 | 504),
            EngineError::Auth(err) => err.is_transient(),
            _ => false,
        }
    }

    /// The HTTP status the engine answered with, if it answered.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineError, ProblemDetail};
    /// assert_eq!(EngineError::from_status(409, ProblemDetail::default()).status(), Some(409));
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            EngineError::Backpressure { status, .. }
            | EngineError::Unauthorized { status, .. }
            | EngineError::Rejected { status, .. }
            | EngineError::Server { status, .. }
            | EngineError::UnexpectedStatus { status, .. } => Some(*status),
            EngineError::NotFound(_) => Some(404),
            EngineError::Conflict(_) => Some(409),
            _ => None,
        }
    }
}

/// A network error with its causes, which reqwest's own text leaves out ("connection
/// refused"), and a timeout said as one.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        let what = if err.is_body() || err.is_decode() {
            "the answer did not arrive in time"
        } else {
            "the request timed out"
        };
        return what.to_owned();
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_resource_exhausted_500_as_backpressure_and_plain_500_as_server_error() {
        let exhausted = ProblemDetail::from_body(
            500,
            r#"{"type":"about:blank","title":"RESOURCE_EXHAUSTED","status":500,"detail":"busy"}"#,
        );
        let plain = ProblemDetail::from_body(500, r#"{"title":"INTERNAL","status":500}"#);

        assert!(EngineError::from_status(500, exhausted).is_backpressure());
        assert!(!EngineError::from_status(500, plain).is_backpressure());
    }

    #[test]
    fn keeps_a_non_json_body_as_detail_and_truncates_it() {
        let problem = ProblemDetail::from_body(502, &"x".repeat(5000));

        assert_eq!(problem.status, Some(502));
        assert!(problem.detail.unwrap().chars().count() <= 1025);
    }

    #[test]
    fn a_long_explanation_in_a_problem_detail_is_truncated() {
        let body = serde_json::json!({"title": "INTERNAL", "detail": "d".repeat(20_000)});
        let problem = ProblemDetail::from_body(500, &body.to_string());

        assert_eq!(problem.title.as_deref(), Some("INTERNAL"));
        assert!(problem.detail.unwrap().chars().count() <= MAX_TEXT + 1);
    }

    #[test]
    fn control_characters_in_an_explanation_are_escaped() {
        let body = r#"{"title":"INTERNAL","detail":"a\n2026-01-01 ERROR forged\u001b[2J"}"#;
        let problem = ProblemDetail::from_body(500, body);

        assert_eq!(
            problem.detail.as_deref(),
            Some(r"a\n2026-01-01 ERROR forged\u{1b}[2J")
        );
    }

    #[test]
    fn a_status_outside_4xx_and_5xx_says_so() {
        let err = EngineError::from_status(301, ProblemDetail::from_body(301, ""));

        assert!(!err.is_transient());
        assert_eq!(err.status(), Some(301));
        assert_eq!(
            err.to_string(),
            "the engine answered with status 301, which this client cannot use: no explanation given"
        );
    }

    #[test]
    fn not_found_and_conflict_are_not_transient() {
        assert!(!EngineError::from_status(404, ProblemDetail::default()).is_transient());
        assert!(!EngineError::from_status(400, ProblemDetail::default()).is_transient());
        assert!(EngineError::from_status(503, ProblemDetail::default()).is_transient());
        assert!(EngineError::from_status(429, ProblemDetail::default()).is_backpressure());
    }
}
