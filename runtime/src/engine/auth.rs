//! Authentication against the engine: none, HTTP basic, or OAuth 2 client credentials with a
//! cached, single-flight token.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
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
/// One token request may take this long before it is abandoned.
pub(crate) const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Attempts per refresh before the error is handed to the caller, who backs off.
const TOKEN_ATTEMPTS: u32 = 3;

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
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

        let token: TokenResponse = serde_json::from_str(&body)
            .map_err(|err| AuthError::InvalidResponse(err.to_string()))?;
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(300));
        tracing::debug!(expires_in.s = lifetime.as_secs(), "fetched an access token");
        Ok(CachedToken {
            value: Secret::new(token.access_token),
            refresh_at: started + refresh_after(lifetime),
        })
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

/// When to refresh a token with this lifetime: the margin before expiry, or at half-life for
/// short-lived tokens.
fn refresh_after(lifetime: Duration) -> Duration {
    if lifetime > REFRESH_MARGIN * 2 {
        lifetime - REFRESH_MARGIN
    } else {
        lifetime / 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refreshes_before_expiry() {
        assert_eq!(
            refresh_after(Duration::from_secs(300)),
            Duration::from_secs(270)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(20)),
            Duration::from_secs(10)
        );
        assert_eq!(refresh_after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn token_endpoint_statuses_are_classified() {
        assert!(check_token_status(200, "").is_ok());
        assert!(check_token_status(503, "").unwrap_err().is_transient());
        assert!(!check_token_status(401, "no").unwrap_err().is_transient());
    }

    #[test]
    fn debug_output_never_shows_the_client_secret() {
        let config = OAuthConfig::new("http://127.0.0.1:1/token", "id", Secret::new("s3cr3t"));

        let auth = format!("{:?}", Auth::OAuth(config));

        assert!(!auth.contains("s3cr3t"), "{auth}");
    }
}
