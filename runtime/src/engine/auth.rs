//! Authentication against the engine: none, HTTP basic, or OAuth 2 client credentials with a
//! cached, single-flight token.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::sync::Mutex;

/// A secret string whose `Debug` and `Display` never show the value.
///
/// ```
/// use camunda_connector_runtime::engine::Secret;
/// let secret = Secret::new("hunter2");
/// assert_eq!(format!("{secret:?}"), "Secret(***)");
/// assert_eq!(secret.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a value.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::Secret;
    /// assert!(!Secret::new("x").expose().is_empty());
    /// ```
    pub fn new(value: impl Into<Arc<str>>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place it is sent.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::Secret;
    /// assert_eq!(Secret::new("v").expose(), "v");
    /// ```
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How requests to the engine are authenticated.
///
/// ```
/// use camunda_connector_runtime::engine::{Auth, Secret};
/// let auth = Auth::Basic { username: "demo".into(), password: Secret::new("pa55word") };
/// assert!(!format!("{auth:?}").contains("pa55word"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Auth {
    /// No authentication (Camunda 8 Run, a local cluster without identity).
    None,
    /// HTTP basic authentication.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
    /// OAuth 2 client credentials.
    OAuth(OAuthConfig),
}

/// The OAuth 2 client-credentials settings.
///
/// ```
/// use camunda_connector_runtime::engine::{OAuthConfig, Secret};
/// let config = OAuthConfig::new("https://login.example/oauth/token", "id", Secret::new("s"));
/// assert_eq!(config.client_id, "id");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthConfig {
    /// The token endpoint.
    pub token_url: String,
    /// The client id.
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// The audience to request, if any.
    pub audience: Option<String>,
    /// The scope to request, if any.
    pub scope: Option<String>,
    /// How long one token request may take before it is abandoned and retried.
    pub request_timeout: Duration,
}

impl OAuthConfig {
    /// Settings without audience or scope.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{OAuthConfig, Secret};
    /// assert!(OAuthConfig::new("u", "i", Secret::new("s")).audience.is_none());
    /// ```
    pub fn new(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: Secret,
    ) -> Self {
        OAuthConfig {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret,
            audience: None,
            scope: None,
            request_timeout: TOKEN_REQUEST_TIMEOUT,
        }
    }
}

/// Why no access token could be obtained.
///
/// ```
/// use camunda_connector_runtime::engine::AuthError;
/// let err = AuthError::Rejected { status: 401, body: "invalid_client".into() };
/// assert!(!err.is_transient());
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint could not be reached or did not answer in time.
    #[error("the token endpoint could not be reached: {0}")]
    Unreachable(#[source] reqwest::Error),
    /// The token endpoint refused the credentials.
    #[error("the token endpoint refused the client credentials ({status}): {body}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The start of the response body.
        body: String,
    },
    /// The token endpoint failed (5xx or 429).
    #[error("the token endpoint failed ({status})")]
    Unavailable {
        /// The HTTP status.
        status: u16,
    },
    /// The token endpoint answered with something that is not a token.
    #[error("the token endpoint's response is not a token: {0}")]
    InvalidResponse(String),
}

impl AuthError {
    /// Whether asking again later may succeed.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::AuthError;
    /// assert!(AuthError::Unavailable { status: 503 }.is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            AuthError::Unreachable(_) | AuthError::Unavailable { .. }
        )
    }
}

/// Refresh this long before the token expires, so no request carries a token about to lapse.
const REFRESH_MARGIN: Duration = Duration::from_secs(30);
/// The lifetime assumed when the token endpoint sends no usable `expires_in` (missing,
/// negative or not a number). A token that lapses sooner is replaced after the engine refuses
/// it (see [`MIN_TOKEN_REUSE`]).
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(300);
/// Longer lifetimes are cut to one day: refreshing a long-lived token daily costs one request,
/// and the refresh time computed from any `expires_in` stays far from `Instant`'s limits.
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);
/// A token is reused for at least this long, whatever its lifetime, so that `expires_in: 0`
/// or a lifetime of a second cannot make every engine request fetch a token first.
///
/// Shortcoming: a token that really lapses within this period (an `expires_in` under 5 s)
/// is still sent until the period ends. The engine answers such a request with 401, and the
/// client then drops the token, fetches a fresh one and sends the request once more, so each
/// of those requests costs one refused request and one token request.
const MIN_TOKEN_REUSE: Duration = Duration::from_secs(5);
/// One token request may take this long before it is abandoned.
pub(crate) const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts per refresh before the error is handed to the caller, who backs off.
const TOKEN_ATTEMPTS: u32 = 3;

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    /// Kept unread for [`token_lifetime`], which reads it leniently: the standard says a
    /// number, some endpoints send a string, and a number too large for a float must not make
    /// the whole answer unreadable.
    #[serde(default)]
    expires_in: Option<Box<RawValue>>,
}

struct CachedToken {
    value: Secret,
    refresh_at: Instant,
}

/// Fetches and caches OAuth access tokens; one refresh runs at a time.
pub(crate) struct TokenSource {
    http: reqwest::Client,
    config: OAuthConfig,
    cached: Mutex<Option<CachedToken>>,
}

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSource")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl TokenSource {
    pub(crate) fn new(http: reqwest::Client, config: OAuthConfig) -> Self {
        TokenSource {
            http,
            config,
            cached: Mutex::new(None),
        }
    }

    /// A valid token, from the cache or freshly fetched. Concurrent callers wait for the one
    /// refresh in progress instead of each asking the token endpoint.
    pub(crate) async fn token(&self) -> Result<Secret, AuthError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.value.clone());
        }

        let fresh = self.fetch_with_retries().await?;
        let value = fresh.value.clone();
        *cached = Some(fresh);
        Ok(value)
    }

    /// Forgets the cached token, after the engine refused it.
    pub(crate) async fn invalidate(&self, rejected: &Secret) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|t| &t.value == rejected) {
            *cached = None;
        }
    }

    async fn fetch_with_retries(&self) -> Result<CachedToken, AuthError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.fetch().await {
                Err(err) if err.is_transient() && attempt < TOKEN_ATTEMPTS => {
                    tracing::warn!(error = %err, attempt, "token request failed, retrying");
                    let base = Duration::from_millis(100 * 2u64.pow(attempt - 1));
                    tokio::time::sleep(base + base.mul_f64(fastrand::f64())).await;
                }
                other => return other,
            }
        }
    }

    async fn fetch(&self) -> Result<CachedToken, AuthError> {
        let config = &self.config;
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", config.client_id.as_str()),
            ("client_secret", config.client_secret.expose()),
        ];
        form.extend(config.audience.as_deref().map(|a| ("audience", a)));
        form.extend(config.scope.as_deref().map(|s| ("scope", s)));

        let started = Instant::now();
        let response = self
            .http
            .post(&config.token_url)
            .form(&form)
            .timeout(config.request_timeout)
            .send()
            .await
            .map_err(AuthError::Unreachable)?;
        let status = response.status().as_u16();
        let body = response.text().await.map_err(AuthError::Unreachable)?;
        check_token_status(status, &body)?;

        let (value, lifetime) = read_token(&body)?;
        tracing::debug!(expires_in.s = lifetime.as_secs(), "fetched an access token");
        // Cannot fail while lifetimes are capped at a day; were the clock that close to its
        // limit, the token would simply be fetched again for the next request.
        let refresh_at = started
            .checked_add(refresh_after(lifetime))
            .unwrap_or(started);
        Ok(CachedToken { value, refresh_at })
    }
}

fn check_token_status(status: u16, body: &str) -> Result<(), AuthError> {
    match status {
        200..=299 => Ok(()),
        429 | 500..=599 => Err(AuthError::Unavailable { status }),
        _ => Err(AuthError::Rejected {
            status,
            body: body.chars().take(200).collect(),
        }),
    }
}

/// Reads a successful answer: the access token and the lifetime to plan with.
fn read_token(body: &str) -> Result<(Secret, Duration), AuthError> {
    let token: TokenResponse =
        serde_json::from_str(body).map_err(|err| AuthError::InvalidResponse(err.to_string()))?;
    let lifetime = token_lifetime(token.expires_in.as_deref());
    Ok((Secret::new(token.access_token), lifetime))
}

/// The lifetime an `expires_in` gives, capped at [`MAX_TOKEN_LIFETIME`]: a number of seconds
/// as an integer, a float or a numeric string (Microsoft Entra ID v1 sends `"3599"`).
/// Missing, negative or unreadable, it is [`DEFAULT_TOKEN_LIFETIME`].
fn token_lifetime(expires_in: Option<&RawValue>) -> Duration {
    let Some(value) = expires_in else {
        return DEFAULT_TOKEN_LIFETIME;
    };
    let seconds = expires_in_seconds(value.get())
        .and_then(|s| Duration::try_from_secs_f64(s.min(MAX_TOKEN_LIFETIME.as_secs_f64())).ok());
    seconds.unwrap_or_else(|| {
        tracing::warn!(
            assumed.s = DEFAULT_TOKEN_LIFETIME.as_secs(),
            "the token endpoint's expires_in is not a number of seconds; assuming a default lifetime"
        );
        DEFAULT_TOKEN_LIFETIME
    })
}

/// The seconds an `expires_in` JSON value states, if it is a non-negative number or a string
/// holding one. A number too large for a float is infinite, and so capped by the caller.
fn expires_in_seconds(json: &str) -> Option<f64> {
    let json = json.trim();
    let seconds = if json.starts_with('"') {
        serde_json::from_str::<String>(json)
            .ok()?
            .trim()
            .parse::<f64>()
    } else {
        json.parse::<f64>()
    };
    let seconds = seconds.ok()?;
    (seconds >= 0.0).then_some(seconds)
}

/// When to refresh a token with this lifetime: the margin before expiry, or at half-life for
/// short-lived tokens; never sooner than [`MIN_TOKEN_REUSE`] nor later than
/// [`MAX_TOKEN_LIFETIME`].
fn refresh_after(lifetime: Duration) -> Duration {
    let lifetime = lifetime.min(MAX_TOKEN_LIFETIME);
    let before_expiry = if lifetime > REFRESH_MARGIN * 2 {
        lifetime - REFRESH_MARGIN
    } else {
        lifetime / 2
    };
    before_expiry.max(MIN_TOKEN_REUSE)
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use axum::http::{HeaderMap, StatusCode, header};
    use axum::response::{IntoResponse, Response};
    use axum::routing::post;
    use serde_json::{Value, json};

    use super::*;
    use crate::engine::{CompleteJobRequest, EngineClient, EngineConfig, EngineError};

    const SECRET: &str = "SUPER SECRET+123/\"x";

    /// How the fake token endpoint answers its `n`th request (counted from 1).
    type Answers = Arc<dyn Fn(usize) -> Response + Send + Sync>;

    /// A token endpoint (`/oauth/token`) and a job completion endpoint on 127.0.0.1. The
    /// engine accepts any bearer token the token endpoint could have issued (`tok-…`).
    struct Server {
        addr: SocketAddr,
        token_requests: Arc<AtomicUsize>,
    }

    impl Server {
        async fn start(answers: impl Fn(usize) -> Response + Send + Sync + 'static) -> Self {
            let answers: Answers = Arc::new(answers);
            let token_requests = Arc::new(AtomicUsize::new(0));
            let counter = token_requests.clone();
            let token = move || {
                let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
                let answers = answers.clone();
                async move { answers(n) }
            };
            let app = axum::Router::new()
                .route("/oauth/token", post(token))
                .route("/v2/jobs/{key}/completion", post(complete));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await });
            Server {
                addr,
                token_requests,
            }
        }

        fn token_url(&self) -> String {
            format!("http://{}/oauth/token", self.addr)
        }

        fn client(&self) -> EngineClient {
            let mut oauth = OAuthConfig::new(self.token_url(), "client", Secret::new(SECRET));
            oauth.request_timeout = Duration::from_secs(2);
            let config = EngineConfig::new(&format!("http://{}", self.addr))
                .unwrap()
                .with_auth(Auth::OAuth(oauth));
            EngineClient::new(config).unwrap()
        }

        fn token_requests(&self) -> usize {
            self.token_requests.load(Ordering::SeqCst)
        }
    }

    async fn complete(headers: HeaderMap) -> StatusCode {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("Bearer tok-"));
        if bearer {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::UNAUTHORIZED
        }
    }

    /// A token answer with this `expires_in`.
    fn token(n: usize, expires_in: &Value) -> Response {
        axum::Json(json!({"access_token": format!("tok-{n}"), "expires_in": expires_in}))
            .into_response()
    }

    async fn complete_job(client: &EngineClient) -> Result<(), EngineError> {
        client
            .complete_job("1", &CompleteJobRequest::default())
            .await
    }

    fn raw(value: &Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(value).unwrap()
    }

    #[test]
    fn refreshes_before_expiry_but_not_sooner_than_the_minimum_reuse() {
        assert_eq!(
            refresh_after(Duration::from_secs(300)),
            Duration::from_secs(270)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(20)),
            Duration::from_secs(10)
        );
        assert_eq!(refresh_after(Duration::from_secs(4)), MIN_TOKEN_REUSE);
        assert_eq!(refresh_after(Duration::ZERO), MIN_TOKEN_REUSE);
        assert_eq!(
            refresh_after(Duration::MAX),
            MAX_TOKEN_LIFETIME - REFRESH_MARGIN
        );
        assert!(
            Instant::now()
                .checked_add(refresh_after(Duration::MAX))
                .is_some()
        );
    }

    #[test]
    fn expires_in_is_read_as_a_number_a_float_or_a_numeric_string() {
        let lifetime = |value: Value| token_lifetime(Some(&raw(&value))).as_secs();

        assert_eq!(lifetime(json!(3600)), 3600);
        assert_eq!(lifetime(json!(3600.0)), 3600);
        assert_eq!(lifetime(json!(3599.9)), 3599);
        assert_eq!(lifetime(json!("3599")), 3599);
        assert_eq!(lifetime(json!(" 3600.5 ")), 3600);
        assert_eq!(lifetime(json!(0)), 0);
    }

    #[test]
    fn a_huge_expires_in_is_capped_at_a_day() {
        let day = MAX_TOKEN_LIFETIME.as_secs();
        for huge in [
            json!(u64::MAX),
            json!(9_300_000_000_000_000_000u64),
            json!(1e300),
            json!("18446744073709551615"),
            json!("1e400"),
            json!("inf"),
        ] {
            assert_eq!(token_lifetime(Some(&raw(&huge))).as_secs(), day, "{huge}");
        }
        for beyond_floats in ["1844674407370955161500", "1e400"] {
            let body = format!(r#"{{"access_token":"t","expires_in":{beyond_floats}}}"#);
            let (_, lifetime) = read_token(&body).unwrap();
            assert_eq!(lifetime.as_secs(), day, "{beyond_floats}");
        }
    }

    #[test]
    fn a_missing_negative_or_unreadable_expires_in_gives_the_default_lifetime() {
        assert_eq!(token_lifetime(None), DEFAULT_TOKEN_LIFETIME);
        for odd in [
            json!(-1),
            json!(-0.5),
            json!("-60"),
            json!("soon"),
            json!("NaN"),
            json!("-inf"),
            json!(""),
            json!(true),
            json!({"seconds": 60}),
            json!([60]),
        ] {
            let lifetime = token_lifetime(Some(&raw(&odd)));
            assert_eq!(lifetime, DEFAULT_TOKEN_LIFETIME, "{odd}");
        }
        let (_, null) = read_token(r#"{"access_token":"t","expires_in":null}"#).unwrap();
        assert_eq!(null, DEFAULT_TOKEN_LIFETIME);
    }

    #[test]
    fn token_endpoint_statuses_are_classified() {
        assert!(check_token_status(200, "").is_ok());
        assert!(check_token_status(503, "").unwrap_err().is_transient());
        assert!(!check_token_status(401, "no").unwrap_err().is_transient());
    }

    #[tokio::test]
    async fn any_expires_in_gives_a_cached_token_and_never_panics() {
        for expires_in in [
            json!(u64::MAX),
            json!(1e300),
            json!("3599"),
            json!(3600.0),
            json!(-1),
            json!("soon"),
            Value::Null,
        ] {
            let answer = expires_in.clone();
            let server = Server::start(move |n| token(n, &answer)).await;
            let client = server.client();

            complete_job(&client).await.unwrap();
            complete_job(&client).await.unwrap();

            assert_eq!(server.token_requests(), 1, "{expires_in}");
        }
    }

    #[tokio::test]
    async fn a_token_without_lifetime_is_reused_for_the_minimum_period() {
        let server = Server::start(|n| token(n, &json!(0))).await;
        let client = server.client();

        for _ in 0..20 {
            complete_job(&client).await.unwrap();
        }

        assert_eq!(server.token_requests(), 1);
    }

    #[test]
    fn debug_output_never_shows_the_client_secret() {
        let config = OAuthConfig::new("http://127.0.0.1:1/token", "id", Secret::new("s3cr3t"));

        let auth = format!("{:?}", Auth::OAuth(config));

        assert!(!auth.contains("s3cr3t"), "{auth}");
    }
}
