//! Our client for Camunda 8's Orchestration Cluster REST API (v2).
//!
//! [`EngineClient`] activates jobs with long polling, completes, fails and errors them,
//! updates their timeout, publishes and correlates messages and creates process instances.
//! Errors come back as [`EngineError`], parsed from RFC 7807 problem details and classified
//! into backpressure, not-found, conflicts and transient network errors. [`EngineArgs`] reads
//! the standard `CAMUNDA_*` (and legacy `ZEEBE_*`) settings.
//!
//! ```no_run
//! use camunda_connector_runtime::engine::{
//!     ActivateJobsRequest, EngineClient, EngineConfig, FailJobRequest,
//! };
//!
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = EngineClient::new(EngineConfig::from_env()?)?;
//! let batch = client
//!     .activate_jobs(&ActivateJobsRequest::new("io.example:echo:1", "me", 60_000, 10))
//!     .await?;
//! for job in batch.jobs {
//!     client.complete_job(&job.job_key, &Default::default()).await?;
//! }
//! for job in batch.unreadable {
//!     if let Some(key) = &job.job_key {
//!         client.fail_job(key, &FailJobRequest::new(0, job.failure_message())).await?;
//!     }
//! }
//! # Ok(()) }
//! ```

mod activation;
mod auth;
mod config;
mod dto;
mod error;

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub(crate) use activation::parse_job;
pub use activation::{ActivatedJobs, UnreadableJob};
pub use auth::{Auth, AuthError, OAuthConfig, Secret};
pub use config::{
    ConfigError, DEFAULT_REST_ADDRESS, EngineArgs, EngineConfig, SAAS_OAUTH_URL,
    SAAS_TOKEN_AUDIENCE,
};
pub use dto::{
    ActivateJobsRequest, CompleteJobRequest, CorrelateMessageRequest, CorrelateMessageResponse,
    CreateProcessInstanceRequest, CreateProcessInstanceResponse, FailJobRequest, JobChangeset,
    PublishMessageRequest, PublishMessageResponse, ThrowErrorRequest, UpdateJobRequest,
};
pub use error::{EngineError, ProblemDetail};

/// How much longer than the long-poll timeout the HTTP request may take before it is abandoned.
const LONG_POLL_SLACK: Duration = Duration::from_secs(10);
/// The long-poll timeout the engine applies when the request leaves it at 0.
const ENGINE_DEFAULT_LONG_POLL: Duration = Duration::from_secs(10);
/// The most an activation answer may hold. The engine keeps a batch within its message size
/// (4 MiB unless configured otherwise), so this leaves room for clusters that raise it.
const MAX_ACTIVATION_BODY: usize = 64 << 20;
/// The most any other answer may hold (a process created with its result variables, say).
const MAX_BODY: usize = 16 << 20;
/// The most of an error answer that is read; only its start is quoted in the error.
const MAX_ERROR_BODY: usize = 64 << 10;

/// A client for one cluster; cheap to clone and safe to share between tasks.
///
/// ```
/// use camunda_connector_runtime::engine::{EngineClient, EngineConfig};
/// let client = EngineClient::new(EngineConfig::new("http://127.0.0.1:8080").unwrap()).unwrap();
/// assert_eq!(client.base_url().as_str(), "http://127.0.0.1:8080/v2");
/// ```
#[derive(Debug, Clone)]
pub struct EngineClient {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    config: EngineConfig,
    tokens: Option<auth::TokenSource>,
}

/// A completion, failure or error body with the job's lease token, when the job has one.
#[derive(Serialize)]
struct WithLease<'a, T> {
    #[serde(flatten)]
    body: &'a T,
    #[serde(rename = "jobLeaseToken", skip_serializing_if = "Option::is_none")]
    lease: Option<&'a str>,
}

impl EngineClient {
    /// A client for the cluster `config` describes.
    ///
    /// # Errors
    ///
    /// [`EngineError::Network`] when the HTTP client cannot be built (no TLS roots).
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineClient, EngineConfig};
    /// let client = EngineClient::new(EngineConfig::new("http://localhost:8080").unwrap());
    /// assert!(client.is_ok());
    /// ```
    pub fn new(config: EngineConfig) -> Result<Self, EngineError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_nodelay(true)
            // The worker retries on its own terms (backoff, the job's deadline); reqwest's
            // hidden retries would also copy every request before sending it.
            .retry(reqwest::retry::never().max_retries_per_request(0))
            // The API never redirects; following one would turn a POST into a GET (302) and
            // send credentials on to wherever it points.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(EngineError::Network)?;
        let tokens = match &config.auth {
            Auth::OAuth(oauth) => {
                Some(auth::TokenSource::new(oauth.clone()).map_err(EngineError::Network)?)
            }
            _ => None,
        };
        Ok(EngineClient {
            inner: Arc::new(Inner {
                http,
                config,
                tokens,
            }),
        })
    }

    /// The API base every path is appended to, ending in `/v2`.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{EngineClient, EngineConfig};
    /// # let client = EngineClient::new(EngineConfig::new("http://h:1/v2").unwrap()).unwrap();
    /// assert!(client.base_url().path().ends_with("/v2"));
    /// ```
    pub fn base_url(&self) -> &url::Url {
        &self.inner.config.rest_address
    }

    /// Activates up to `request.max_jobs_to_activate` jobs, waiting (long polling) up to the
    /// request's timeout when none is available.
    ///
    /// Each job is read on its own: one this runtime cannot read (a field of an unexpected
    /// type, no usable key, variables nested too deeply) is returned in
    /// [`ActivatedJobs::unreadable`] and never hides the others. Fail it, or it comes back
    /// after its timeout.
    ///
    /// Dropping the returned future abandons the request; jobs the engine activated for it
    /// are re-activated after their timeout.
    ///
    /// # Errors
    ///
    /// An [`EngineError`]; back off on [`EngineError::is_transient`] ones.
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// let batch = client.activate_jobs(&ActivateJobsRequest::new("t", "w", 30_000, 5)).await?;
    /// println!("{} jobs to run", batch.jobs.len());
    /// # Ok(()) }
    /// ```
    pub async fn activate_jobs(
        &self,
        request: &ActivateJobsRequest,
    ) -> Result<ActivatedJobs, EngineError> {
        let response = self.activation_response(request).await?;
        read_body(response, MAX_ACTIVATION_BODY, |body| {
            read_text(body, activation::parse)
        })
        .await?
    }

    /// Like [`activate_jobs`](Self::activate_jobs), but returns each job's JSON text unread,
    /// so that each job is read on its own task, off the activation loop.
    pub(crate) async fn activate_raw(
        &self,
        request: &ActivateJobsRequest,
    ) -> Result<Vec<Box<serde_json::value::RawValue>>, EngineError> {
        let response = self.activation_response(request).await?;
        read_body(response, MAX_ACTIVATION_BODY, |body| {
            read_text(body, activation::split_owned)
        })
        .await?
    }

    /// Sends the activation request with a timeout that outlasts its long polling. The
    /// answer is read as bytes and decoded in place: `text()` would copy the batch once more.
    async fn activation_response(
        &self,
        request: &ActivateJobsRequest,
    ) -> Result<Response, EngineError> {
        let long_poll = match request.request_timeout {
            Some(ms) if ms > 0 => Duration::from_millis(ms.unsigned_abs()),
            Some(ms) if ms < 0 => Duration::ZERO,
            _ => ENGINE_DEFAULT_LONG_POLL,
        };
        let timeout = self
            .inner
            .config
            .request_timeout
            .max(long_poll + LONG_POLL_SLACK);
        self.send(
            Method::POST,
            &["jobs", "activation"],
            Some(request),
            timeout,
        )
        .await
    }

    /// Completes a job.
    ///
    /// # Errors
    ///
    /// [`EngineError::NotFound`] when the job no longer exists (already completed, timed out
    /// and re-activated elsewhere, or cancelled), [`EngineError::Conflict`] when it is not
    /// activated, or another [`EngineError`].
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// client.complete_job("2251799813685249", &CompleteJobRequest::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn complete_job(
        &self,
        job_key: &str,
        request: &CompleteJobRequest,
    ) -> Result<(), EngineError> {
        self.job_command(job_key, "completion", Some(request), None)
            .await
    }

    /// Fails a job; with retries left the engine offers it again after the backoff.
    ///
    /// # Errors
    ///
    /// As for [`complete_job`](Self::complete_job).
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// client.fail_job("1", &FailJobRequest::new(2, "upstream down").with_retry_back_off(5_000)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fail_job(
        &self,
        job_key: &str,
        request: &FailJobRequest,
    ) -> Result<(), EngineError> {
        self.job_command(job_key, "failure", Some(request), None)
            .await
    }

    /// Throws a BPMN error for a job.
    ///
    /// # Errors
    ///
    /// As for [`complete_job`](Self::complete_job).
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// client.throw_error("1", &ThrowErrorRequest::new("NOT_FOUND", "no order")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn throw_error(
        &self,
        job_key: &str,
        request: &ThrowErrorRequest,
    ) -> Result<(), EngineError> {
        self.job_command(job_key, "error", Some(request), None)
            .await
    }

    /// Sends a completion, failure or error for an activated job, echoing its lease token
    /// when it has one (Camunda 8.10 leases). Without body and lease the request has no body,
    /// as a completion without variables needs none.
    ///
    /// # Errors
    ///
    /// As for [`complete_job`](Self::complete_job).
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// client.job_command("1", "completion", Some(&CompleteJobRequest::default()), Some("lease-1")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn job_command<T: Serialize + Sync>(
        &self,
        job_key: &str,
        action: &str,
        body: Option<&T>,
        lease: Option<&str>,
    ) -> Result<(), EngineError> {
        check_key(job_key)?;
        let path = ["jobs", job_key, action];
        match (body, lease) {
            (None, None) => self.send_empty::<()>(Method::POST, &path, None).await,
            (Some(body), lease) => {
                let body = WithLease { body, lease };
                self.send_empty(Method::POST, &path, Some(&body)).await
            }
            (None, lease) => {
                let body = WithLease {
                    body: &serde_json::Map::new(),
                    lease,
                };
                self.send_empty(Method::POST, &path, Some(&body)).await
            }
        }
    }

    /// Sets how long the job stays locked to this worker, counted from now.
    ///
    /// # Errors
    ///
    /// As for [`complete_job`](Self::complete_job).
    ///
    /// ```no_run
    /// # use std::time::Duration;
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// client.update_job_timeout("1", Duration::from_secs(600)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_job_timeout(
        &self,
        job_key: &str,
        timeout: Duration,
    ) -> Result<(), EngineError> {
        check_key(job_key)?;
        let millis = i64::try_from(timeout.as_millis()).unwrap_or(i64::MAX);
        let path = ["jobs", job_key];
        self.send_empty(
            Method::PATCH,
            &path,
            Some(&UpdateJobRequest::timeout(millis)),
        )
        .await
    }

    /// Publishes a message, buffered for its time to live.
    ///
    /// # Errors
    ///
    /// [`EngineError::Conflict`] for a duplicate message id, or another [`EngineError`].
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// let published = client.publish_message(&PublishMessageRequest::new("paid", "order-1")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn publish_message(
        &self,
        request: &PublishMessageRequest,
    ) -> Result<PublishMessageResponse, EngineError> {
        let timeout = self.inner.config.request_timeout;
        self.send_json(
            Method::POST,
            &["messages", "publication"],
            Some(request),
            timeout,
        )
        .await
    }

    /// Correlates a message to a waiting process instance, now.
    ///
    /// # Errors
    ///
    /// [`EngineError::NotFound`] when no subscription matches, or another [`EngineError`].
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// let done = client.correlate_message(&CorrelateMessageRequest::new("paid", "order-1")).await?;
    /// println!("{}", done.process_instance_key);
    /// # Ok(()) }
    /// ```
    pub async fn correlate_message(
        &self,
        request: &CorrelateMessageRequest,
    ) -> Result<CorrelateMessageResponse, EngineError> {
        let timeout = self.inner.config.request_timeout;
        self.send_json(
            Method::POST,
            &["messages", "correlation"],
            Some(request),
            timeout,
        )
        .await
    }

    /// Starts a process instance.
    ///
    /// # Errors
    ///
    /// [`EngineError::NotFound`] when the process is not deployed, or another [`EngineError`].
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::*;
    /// # async fn demo(client: EngineClient) -> Result<(), EngineError> {
    /// let created = client
    ///     .create_process_instance(&CreateProcessInstanceRequest::by_id("order-process"))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_process_instance(
        &self,
        request: &CreateProcessInstanceRequest,
    ) -> Result<CreateProcessInstanceResponse, EngineError> {
        let timeout = self.inner.config.request_timeout;
        self.send_json(Method::POST, &["process-instances"], Some(request), timeout)
            .await
    }

    async fn send_json<B: Serialize + Sync, R: DeserializeOwned>(
        &self,
        method: Method,
        path: &[&str],
        body: Option<&B>,
        timeout: Duration,
    ) -> Result<R, EngineError> {
        let response = self.send(method, path, body, timeout).await?;
        read_body(response, MAX_BODY, |body| {
            serde_json::from_slice(body)
                .map_err(|err| EngineError::InvalidResponse(err.to_string()))
        })
        .await?
    }

    async fn send_empty<B: Serialize + Sync>(
        &self,
        method: Method,
        path: &[&str],
        body: Option<&B>,
    ) -> Result<(), EngineError> {
        let timeout = self.inner.config.request_timeout;
        let response = self.send(method, path, body, timeout).await?;
        // The status says the command was applied; a body that fails to arrive, or is
        // longer than any answer should be, changes nothing about that.
        let _ = read_limited(response, MAX_BODY, |_| ()).await;
        Ok(())
    }

    /// Sends one request; a 401 with an OAuth token drops the token and retries once.
    async fn send<B: Serialize + Sync>(
        &self,
        method: Method,
        path: &[&str],
        body: Option<&B>,
        timeout: Duration,
    ) -> Result<Response, EngineError> {
        let url = self.endpoint(path);
        let mut retried = false;
        loop {
            let token = self.token().await?;
            let mut request = self
                .inner
                .http
                .request(method.clone(), url.clone())
                .timeout(timeout);
            if let Some(body) = body {
                request = request.json(body);
            }
            let request = self.authenticate(request, token.as_ref());

            tracing::trace!(%method, %url, "engine request");
            let response = request.send().await.map_err(EngineError::Network)?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            if let (StatusCode::UNAUTHORIZED, Some(token), false) = (status, &token, retried) {
                self.invalidate(token).await;
                retried = true;
                continue;
            }
            // Boxed: reading an error body is rare, and its future would otherwise double the
            // size of every request's future.
            return Err(Box::pin(error_from(response)).await);
        }
    }

    /// The base URL with `segments` appended, each percent-encoded as one path segment, so
    /// a key can never change the path and the base's path is kept.
    fn endpoint(&self, segments: &[&str]) -> url::Url {
        let base = self.base_url();
        let plain = base.query().is_none()
            && base.fragment().is_none()
            && segments.iter().all(|segment| is_plain_segment(segment));
        if plain {
            // The common case (numeric job keys): one exact-size text parsed once is cheaper
            // than growing a copy of the base one escaped segment at a time.
            // Like `pop_if_empty` below: one trailing slash goes, any before it stays.
            let base = base.as_str();
            let base = base.strip_suffix('/').unwrap_or(base);
            let length = base.len() + segments.iter().map(|s| s.len() + 1).sum::<usize>();
            let mut text = String::with_capacity(length);
            text.push_str(base);
            for segment in segments {
                text.push('/');
                text.push_str(segment);
            }
            if let Ok(url) = url::Url::parse(&text) {
                return url;
            }
        }

        let mut url = base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        url
    }

    /// The OAuth token to send, when the client uses OAuth.
    async fn token(&self) -> Result<Option<Secret>, EngineError> {
        match &self.inner.tokens {
            // Boxed: fetching a token is a rare, large future that every request's future
            // would otherwise carry.
            Some(tokens) => Ok(Some(Box::pin(tokens.token()).await?)),
            None => Ok(None),
        }
    }

    fn authenticate(&self, request: RequestBuilder, token: Option<&Secret>) -> RequestBuilder {
        match (&self.inner.config.auth, token) {
            (Auth::Basic { username, password }, _) => {
                request.basic_auth(username, Some(password.expose()))
            }
            (Auth::OAuth(_), Some(token)) => request.bearer_auth(token.expose()),
            _ => request,
        }
    }

    async fn invalidate(&self, token: &Secret) {
        if let Some(tokens) = &self.inner.tokens {
            tokens.invalidate(token).await;
        }
    }
}

/// Refuses a key that would not stay one path segment under `jobs/`.
fn check_key(key: &str) -> Result<(), EngineError> {
    if crate::job::usable_key(key) {
        Ok(())
    } else {
        Err(EngineError::InvalidKey(key.to_owned()))
    }
}

/// Reads `body` as text in place; only a body that is not valid UTF-8 is copied, with the bad
/// bytes replaced.
fn read_text<T>(body: &[u8], read: impl FnOnce(&str) -> T) -> T {
    match std::str::from_utf8(body) {
        Ok(text) => read(text),
        Err(_) => read(&String::from_utf8_lossy(body)),
    }
}

/// A path segment that needs no escaping and is not `.` or `..`.
fn is_plain_segment(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A redirect, which the client does not follow, explained with where it points.
fn redirected(response: &Response) -> EngineError {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let detail = match location {
        Some(location) => format!(
            "a redirect to {location}; redirects are not followed, so set the REST address to \
             where the API is served"
        ),
        None => "a redirect without a location".to_owned(),
    };
    let body = serde_json::json!({"title": "REDIRECT", "detail": detail}).to_string();
    EngineError::from_status(status, ProblemDetail::from_body(status, &body))
}

/// Reads an answer of at most `limit` bytes and hands it to `read`; a longer one is an
/// error, so a broken or hostile server cannot make the client hold gigabytes.
async fn read_body<T>(
    response: Response,
    limit: usize,
    read: impl FnOnce(&[u8]) -> T,
) -> Result<T, EngineError> {
    read_limited(response, limit, read)
        .await
        .map_err(|err| match err {
            ReadError::Network(err) => EngineError::Network(err),
            ReadError::TooLarge(length) => EngineError::InvalidResponse(format!(
                "the answer holds {length} bytes or more, over the {limit} this client reads"
            )),
        })
}

/// Why an answer could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed or timed out while the body arrived.
    Network(reqwest::Error),
    /// The body holds at least this many bytes, over the limit.
    TooLarge(u64),
}

/// Reads an answer's body of at most `limit` bytes, refusing an announced longer one unread.
pub(crate) async fn read_limited<T>(
    mut response: Response,
    limit: usize,
    read: impl FnOnce(&[u8]) -> T,
) -> Result<T, ReadError> {
    if let Some(length) = response.content_length() {
        if length > limit as u64 {
            return Err(ReadError::TooLarge(length));
        }
        let body = response.bytes().await.map_err(ReadError::Network)?;
        return Ok(read(&body));
    }

    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Network)? {
        if body.len() + chunk.len() > limit {
            return Err(ReadError::TooLarge((body.len() + chunk.len()) as u64));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(read(&body))
}

/// Classifies an error answer by its status and at most the first [`MAX_ERROR_BODY`] bytes
/// of its body.
async fn error_from(mut response: Response) -> EngineError {
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        return redirected(&response);
    }
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BODY {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(MAX_ERROR_BODY);
    let text = String::from_utf8_lossy(&body);
    EngineError::from_status(status, ProblemDetail::from_body(status, &text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_path_segments_under_the_base_path() {
        let client =
            EngineClient::new(EngineConfig::new("http://h:1/cluster-1/").unwrap()).unwrap();

        assert_eq!(
            client.endpoint(&["jobs", "activation"]).as_str(),
            "http://h:1/cluster-1/v2/jobs/activation"
        );
        assert_eq!(
            client
                .endpoint(&["jobs", "1/../x?y#z", "completion"])
                .as_str(),
            "http://h:1/cluster-1/v2/jobs/1%2F..%2Fx%3Fy%23z/completion"
        );
    }

    #[test]
    fn an_answer_that_is_not_utf8_is_read_with_the_bad_bytes_replaced() {
        let mut body =
            br#"{"jobs": [{"jobKey": "1", "type": "t", "retries": 1, "variables": {"s": "a"#
                .to_vec();
        body.push(0xff);
        body.extend_from_slice(br#""}}]}"#);

        let batch = read_text(&body, activation::parse).unwrap();
        assert_eq!(batch.jobs[0].variables["s"], "a\u{fffd}");

        let raw = read_text(&body, activation::split_owned).unwrap();
        let job = parse_job(raw[0].get()).unwrap();
        assert_eq!(job.variables["s"], "a\u{fffd}");
        assert_eq!(
            read_text(b"{\"jobs\": []}", activation::split_owned)
                .unwrap()
                .len(),
            0
        );
    }

    #[tokio::test]
    async fn keys_that_would_leave_their_path_segment_are_refused_unsent() {
        let client = EngineClient::new(EngineConfig::new("http://127.0.0.1:9").unwrap()).unwrap();
        for key in ["", " ", ".", "..", "1\n2", "1\t", "\r1", "1\u{7f}"] {
            let completed = client
                .complete_job(key, &CompleteJobRequest::default())
                .await;
            assert!(
                matches!(completed, Err(EngineError::InvalidKey(_))),
                "{key:?}: {completed:?}"
            );
            let updated = client.update_job_timeout(key, Duration::from_secs(1)).await;
            assert!(
                matches!(updated, Err(EngineError::InvalidKey(_))),
                "{key:?}"
            );
        }
    }

    /// Serves one connection on 127.0.0.1: reads the request head, writes `head`, then
    /// `chunks` 1 MiB chunks of spaces in chunked encoding until the client goes away. The
    /// task ends with the number of chunks the socket took.
    async fn serve_once(
        head: &'static str,
        chunks: usize,
    ) -> (String, tokio::task::JoinHandle<usize>) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = vec![0; 64 * 1024];
            let _ = socket.read(&mut request).await;
            if socket.write_all(head.as_bytes()).await.is_err() {
                return 0;
            }
            let chunk = format!("100000\r\n{}\r\n", " ".repeat(1 << 20));
            for sent in 0..chunks {
                if socket.write_all(chunk.as_bytes()).await.is_err() {
                    return sent;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
            chunks
        });
        (address, server)
    }

    fn activation() -> ActivateJobsRequest {
        ActivateJobsRequest::new("t", "w", 1_000, 1)
    }

    #[tokio::test]
    async fn an_answer_over_the_size_limit_is_refused_unread() {
        let announced = serve_once(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n",
            0,
        )
        .await;
        let streamed = serve_once(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
            100,
        )
        .await;

        for (address, _) in [announced, streamed] {
            let client = EngineClient::new(EngineConfig::new(&address).unwrap()).unwrap();
            let answer = client.activate_jobs(&activation()).await;
            match answer {
                Err(EngineError::InvalidResponse(reason)) => {
                    assert!(reason.contains("over the 67108864"), "{reason}")
                }
                other => panic!("{address}: {other:?}"),
            }
        }
    }

    #[tokio::test]
    async fn a_huge_error_answer_is_read_only_in_part() {
        let (address, server) = serve_once(
            "HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n",
            100,
        )
        .await;
        let client = EngineClient::new(EngineConfig::new(&address).unwrap()).unwrap();

        let err = client.activate_jobs(&activation()).await.unwrap_err();
        drop(client);
        let sent = server.await.unwrap();

        assert_eq!(err.status(), Some(500));
        assert!(err.to_string().len() < 2_000, "{}", err.to_string().len());
        // Socket buffers take a few MiB; reading all 100 would let every chunk through.
        assert!(sent < 50, "the client took {sent} of 100 MiB");
    }

    #[tokio::test]
    async fn a_redirect_is_not_followed_and_says_where_it_points() {
        let (address, _) = serve_once(
            "HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:9/elsewhere\r\ncontent-length: 0\r\n\r\n",
            0,
        )
        .await;
        let client = EngineClient::new(EngineConfig::new(&address).unwrap()).unwrap();

        let err = client.activate_jobs(&activation()).await.unwrap_err();

        assert_eq!(err.status(), Some(302));
        assert!(!err.is_transient());
        assert!(
            err.to_string()
                .contains("a redirect to http://127.0.0.1:9/elsewhere"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_network_error_says_why() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let client = EngineClient::new(EngineConfig::new(&address).unwrap()).unwrap();

        let err = client.activate_jobs(&activation()).await.unwrap_err();

        assert!(err.is_transient());
        assert!(
            err.to_string()
                .to_lowercase()
                .contains("connection refused"),
            "{err}"
        );
    }

    #[test]
    fn plain_and_escaped_endpoints_agree() {
        for base in [
            "http://h:1",
            "http://h:1/",
            "https://u:p@h/a/b/v2/",
            "http://[::1]:8080",
            "http://h:1/v2//",
        ] {
            // Set directly, as code may, so the base is not normalised first.
            let mut config = EngineConfig::new("http://h:1").unwrap();
            config.rest_address = url::Url::parse(base).unwrap();
            let client = EngineClient::new(config).unwrap();
            for segments in [
                &["jobs", "2251799813685249", "completion"][..],
                &["jobs", "activation"],
                &["jobs", "..", "x"],
                &["jobs", "", "x"],
                &["process-instances"],
                &["jobs", "ä b", "error"],
            ] {
                let mut slow = client.base_url().clone();
                slow.path_segments_mut()
                    .unwrap()
                    .pop_if_empty()
                    .extend(segments);
                assert_eq!(client.endpoint(segments), slow, "{base} {segments:?}");
            }
        }
    }
}
