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
/// Texts quoted from the token endpoint's answers are cut to 1024 characters, and the client
/// secret is masked in them, plain or encoded, in case the endpoint echoes the request.
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
    #[error("the token endpoint could not be reached: {}", super::error::describe(.0))]
    Unreachable(#[source] reqwest::Error),
    /// The token endpoint refused the credentials.
    #[error("the token endpoint refused the client credentials ({status}): {body}")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The start of the response body, with the client secret masked.
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
    /// The token endpoint answered with a redirect (3xx). Token requests never follow one,
    /// as that would send the client secret on to wherever the redirect points.
    #[error(
        "the token endpoint answered with a redirect ({status}) to {location}; token requests \
         do not follow redirects, so that the client secret only goes to the configured \
         token URL: configure the address the token endpoint redirects to",
        location = .location.as_deref().unwrap_or("no address")
    )]
    Redirected {
        /// The HTTP status.
        status: u16,
        /// The start of the `Location` header, with the client secret masked, if any.
        location: Option<String>,
    },
}

impl AuthError {
    /// Whether asking again later may succeed: the endpoint was unreachable, failed (5xx,
    /// 429), answered 200 with something that is not a token (a maintenance page, a proxy's
    /// answer), or redirected temporarily (302, 303, 307).
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::AuthError;
    /// assert!(AuthError::Unavailable { status: 503 }.is_transient());
    /// assert!(AuthError::InvalidResponse("<html>maintenance</html>".into()).is_transient());
    /// ```
    pub fn is_transient(&self) -> bool {
        match self {
            AuthError::Unreachable(_)
            | AuthError::Unavailable { .. }
            | AuthError::InvalidResponse(_) => true,
            AuthError::Redirected { status, .. } => matches!(status, 302 | 303 | 307),
            AuthError::Rejected { .. } => false,
        }
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
/// Connecting to the token endpoint may take this long.
const TOKEN_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Attempts per refresh before the error is handed to the caller, who backs off.
const TOKEN_ATTEMPTS: u32 = 3;
/// At most this many characters of a token endpoint's answer are quoted in an error.
const QUOTE_LIMIT: usize = 1024;
/// The most a token endpoint's answer may hold; tokens are a few KiB.
const MAX_TOKEN_BODY: usize = 1 << 20;
/// What replaces the client secret in quoted text.
const MASK: &str = "***";

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
    /// A token source with its own HTTP client, which never follows redirects: a redirected
    /// token request would carry the client secret to wherever the redirect points.
    ///
    /// # Errors
    ///
    /// When the HTTP client cannot be built (no TLS roots).
    pub(crate) fn new(config: OAuthConfig) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(TOKEN_CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(TokenSource {
            http,
            config,
            cached: Mutex::new(None),
        })
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
        let location = response
            .headers()
            .get(reqwest::header::LOCATION)
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let body = super::read_limited(response, MAX_TOKEN_BODY, |body| {
            String::from_utf8_lossy(body).into_owned()
        })
        .await
        .map_err(|err| match err {
            super::ReadError::Network(err) => AuthError::Unreachable(err),
            super::ReadError::TooLarge(length) => AuthError::InvalidResponse(format!(
                "the token endpoint's answer holds {length} bytes or more, over the \
                 {MAX_TOKEN_BODY} read"
            )),
        })?;
        let secret = config.client_secret.expose();
        check_token_status(status, location.as_deref(), &body, secret)?;

        let (value, lifetime) = read_token(&body, secret)?;
        tracing::debug!(expires_in.s = lifetime.as_secs(), "fetched an access token");
        // Cannot fail while lifetimes are capped at a day; were the clock that close to its
        // limit, the token would simply be fetched again for the next request.
        let refresh_at = started
            .checked_add(refresh_after(lifetime))
            .unwrap_or(started);
        Ok(CachedToken { value, refresh_at })
    }
}

/// Turns a non-2xx answer into the error it means; `secret` is masked in anything quoted.
fn check_token_status(
    status: u16,
    location: Option<&str>,
    body: &str,
    secret: &str,
) -> Result<(), AuthError> {
    match status {
        200..=299 => Ok(()),
        300..=399 => Err(AuthError::Redirected {
            status,
            location: location.map(|l| quote(l.trim(), secret, QUOTE_LIMIT)),
        }),
        429 | 500..=599 => Err(AuthError::Unavailable { status }),
        _ => Err(AuthError::Rejected {
            status,
            body: quote(body.trim(), secret, QUOTE_LIMIT),
        }),
    }
}

/// Reads a successful answer: the access token and the lifetime to plan with. The body is
/// never quoted, as it may hold a token under a name this reader does not expect.
fn read_token(body: &str, secret: &str) -> Result<(Secret, Duration), AuthError> {
    let token: TokenResponse = serde_json::from_str(body)
        .map_err(|err| AuthError::InvalidResponse(quote(&err.to_string(), secret, QUOTE_LIMIT)))?;
    if token.access_token.trim().is_empty() {
        return Err(AuthError::InvalidResponse(
            "the access token is empty".to_owned(),
        ));
    }
    // A bearer token is visible ASCII (RFC 6750); anything else cannot go in a header, and a
    // cached token that no request can carry would stall every worker until it expires.
    if !token.access_token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AuthError::InvalidResponse(
            "the access token has characters other than visible ASCII".to_owned(),
        ));
    }
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

/// `text` cut to `limit` characters (marked with `…`), with every occurrence of `secret`
/// masked: plain, percent-encoded (as in a form or URL), with `+` for spaces, or JSON-escaped.
/// The masking looks past the cut, so a secret that straddles it is masked too.
fn quote(text: &str, secret: &str, limit: usize) -> String {
    let mut quoted = String::with_capacity(text.len().min(limit * 4));
    let mut rest = text;
    let mut length = 0;
    while let Some(next) = rest.chars().next() {
        if length >= limit {
            quoted.push('…');
            break;
        }
        let skip = match secret_length(rest.as_bytes(), secret) {
            Some(matched) => {
                quoted.push_str(MASK);
                length += MASK.len();
                // A match ends on a character boundary; should it not, the mask covers the
                // rest of the character too.
                (matched..=rest.len())
                    .find(|&at| rest.is_char_boundary(at))
                    .unwrap_or(rest.len())
            }
            None => {
                quoted.push(next);
                length += 1;
                next.len_utf8()
            }
        };
        rest = rest.get(skip..).unwrap_or_default();
    }
    quoted
}

/// How many bytes at the start of `text` spell `secret`, plain or encoded, if they do. An
/// empty secret never matches.
///
/// Shortcoming: a spelling that mixes plain and escaped characters where the plain one could
/// also start an escape (a secret with `%` or `\`, partly escaped) is not recognised.
fn secret_length(text: &[u8], secret: &str) -> Option<usize> {
    if secret.is_empty() {
        return None;
    }
    if text.starts_with(secret.as_bytes()) {
        return Some(secret.len());
    }
    let mut at = 0;
    for c in secret.chars() {
        at += char_length(text.get(at..)?, c)?;
    }
    Some(at)
}

/// How many bytes at the start of `text` encode `c`: its UTF-8 bytes, each plain or escaped,
/// or a JSON `\u` escape of the whole character (a surrogate pair beyond the BMP).
fn char_length(text: &[u8], c: char) -> Option<usize> {
    let mut utf8 = [0; 4];
    let bytes = c.encode_utf8(&mut utf8).as_bytes();
    let by_bytes = bytes.iter().try_fold(0, |at, &byte| {
        Some(at + encoded_length(text.get(at..)?, byte)?)
    });
    by_bytes.or_else(|| {
        let (decoded, length) = json_char_escape(text)?;
        (decoded == c).then_some(length)
    })
}

/// The character a JSON `\uXXXX` escape (or a `\uD83D\uDE00` surrogate pair) at the start
/// of `text` stands for, with the escape's length.
fn json_char_escape(text: &[u8]) -> Option<(char, usize)> {
    let unit = |at: usize| -> Option<u16> {
        let escape = text.get(at..at + 6)?;
        if !escape.starts_with(b"\\u") {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&escape[2..]).ok()?, 16).ok()
    };
    let first = unit(0)?;
    if let Some(Ok(c)) = char::decode_utf16([first]).next() {
        return Some((c, 6));
    }
    let second = unit(6)?;
    let c = char::decode_utf16([first, second]).next()?.ok()?;
    Some((c, 12))
}

/// How many bytes at the start of `text` encode `byte`: an escape (`%2B`, `\"`, `\u0041`,
/// `&quot;`), `+` for a space, or the byte itself.
fn encoded_length(text: &[u8], byte: u8) -> Option<usize> {
    let hex_at = |from: usize, digits: usize| {
        let digits = text.get(from..from + digits)?;
        digits.iter().try_fold(0u8, |value, &digit| {
            let digit = u8::try_from(char::from(digit).to_digit(16)?).ok()?;
            value.checked_mul(16)?.checked_add(digit)
        })
    };
    let escaped = match text.first()? {
        b'%' => hex_at(1, 2).filter(|&b| b == byte).map(|_| 3),
        b'\\' => match text.get(1)? {
            b'u' => hex_at(2, 4)
                .filter(|&b| b == byte && byte.is_ascii())
                .map(|_| 6),
            &escape => (json_unescape(escape) == Some(byte)).then_some(2),
        },
        b'+' if byte == b' ' => Some(1),
        b'&' => html_entity(text)
            .filter(|&(decoded, _)| decoded == byte)
            .map(|(_, length)| length),
        _ => None,
    };
    escaped.or_else(|| (text.first() == Some(&byte)).then_some(1))
}

/// The ASCII byte an HTML entity at the start of `text` stands for (`&quot;`, `&amp;`,
/// `&#39;`, `&#x27;`, ...), with the entity's length.
fn html_entity(text: &[u8]) -> Option<(u8, usize)> {
    let end = text.iter().take(8).position(|&b| b == b';')?;
    let name = text.get(1..end)?;
    let byte = match name {
        b"quot" => b'"',
        b"amp" => b'&',
        b"lt" => b'<',
        b"gt" => b'>',
        b"apos" => b'\'',
        _ => {
            let number = name.strip_prefix(b"#")?;
            let (radix, digits) = match number.strip_prefix(b"x").or(number.strip_prefix(b"X")) {
                Some(hex) => (16, hex),
                None => (10, number),
            };
            let value = u8::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
            value.is_ascii().then_some(value)?
        }
    };
    Some((byte, end + 1))
}

/// The byte a two-character JSON escape (`\n`, `\/`, ...) stands for.
fn json_unescape(escape: u8) -> Option<u8> {
    match escape {
        b'"' | b'\\' | b'/' => Some(escape),
        b'b' => Some(0x08),
        b'f' => Some(0x0c),
        b'n' => Some(b'\n'),
        b'r' => Some(b'\r'),
        b't' => Some(b'\t'),
        _ => None,
    }
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

    /// The client secret as it may be echoed back: plain, in a form, percent-encoded,
    /// JSON-escaped.
    fn spellings() -> Vec<String> {
        let form: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
        let json = serde_json::to_string(SECRET).unwrap();
        vec![
            SECRET.to_owned(),
            form.clone(),
            form.replace('+', "%20"),
            lower_hex(&form),
            json.trim_matches('"').to_owned(),
            json.trim_matches('"').replace('/', "\\/"),
            SECRET.replace('"', "&quot;"),
            SECRET.replace('"', "&#34;").replace(' ', "&#x20;"),
        ]
    }

    fn raw(value: &Value) -> Box<RawValue> {
        serde_json::value::to_raw_value(value).unwrap()
    }

    /// `text` with the hex digits of its percent escapes in lower case.
    fn lower_hex(text: &str) -> String {
        let mut lowered = String::new();
        let mut hex_left = 0;
        for c in text.chars() {
            if hex_left > 0 {
                hex_left -= 1;
                lowered.push(c.to_ascii_lowercase());
            } else {
                hex_left = if c == '%' { 2 } else { 0 };
                lowered.push(c);
            }
        }
        lowered
    }

    fn assert_no_secret(text: &str) {
        for spelling in spellings() {
            assert!(!text.contains(&spelling), "{spelling:?} in {text}");
        }
        assert!(!text.contains("SECRET"), "{text}");
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
            let (_, lifetime) = read_token(&body, SECRET).unwrap();
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
        let (_, null) = read_token(r#"{"access_token":"t","expires_in":null}"#, SECRET).unwrap();
        assert_eq!(null, DEFAULT_TOKEN_LIFETIME);
    }

    #[test]
    fn token_endpoint_statuses_are_classified() {
        let check = |status| check_token_status(status, None, "no", SECRET);

        assert!(check(200).is_ok());
        assert!(check(503).unwrap_err().is_transient());
        assert!(check(429).unwrap_err().is_transient());
        assert!(!check(401).unwrap_err().is_transient());
        assert!(!check(400).unwrap_err().is_transient());
        for temporary in [302, 303, 307] {
            let err = check(temporary).unwrap_err();
            assert!(matches!(err, AuthError::Redirected { .. }), "{err:?}");
            assert!(err.is_transient(), "{temporary}");
        }
        for permanent in [300, 301, 304, 308] {
            let err = check(permanent).unwrap_err();
            assert!(matches!(err, AuthError::Redirected { .. }), "{err:?}");
            assert!(!err.is_transient(), "{permanent}");
        }
    }

    #[test]
    fn a_success_that_is_not_a_token_is_transient() {
        for body in [
            "<html>maintenance</html>",
            "",
            "{}",
            r#"{"access_token": 5}"#,
            r#"{"access_token": "  "}"#,
            r#"{"accessToken": "t"}"#,
        ] {
            let err = read_token(body, SECRET).unwrap_err();
            assert!(
                matches!(err, AuthError::InvalidResponse(_)),
                "{body}: {err:?}"
            );
            assert!(err.is_transient(), "{body}");
            assert!(EngineError::Auth(err).is_transient(), "{body}");
        }
    }

    #[test]
    fn quoted_text_masks_the_secret_in_every_spelling() {
        for spelling in spellings() {
            let body =
                format!(r#"{{"error":"invalid_client","echo":"client_secret={spelling}&x=1"}}"#);

            let quoted = quote(&body, SECRET, QUOTE_LIMIT);

            assert_no_secret(&quoted);
            assert!(quoted.contains("client_secret=***&x=1"), "{quoted}");
        }
        assert_eq!(quote("abc", "", QUOTE_LIMIT), "abc");
        assert_eq!(quote("a%2", "%2B", QUOTE_LIMIT), "a%2");
        assert_eq!(quote("%", "x", QUOTE_LIMIT), "%");
        assert_eq!(quote("\\u00", "x", QUOTE_LIMIT), "\\u00");
    }

    #[test]
    fn a_non_ascii_secret_is_masked_escaped_as_json_or_percent_encoded() {
        let cases = [
            ("sécrétSUPER123", r"s\u00e9cr\u00e9tSUPER123"),
            ("sécrétSUPER123", r"s\u00E9cr\u00e9tSUPER123"),
            ("ab😀cd", r"ab\ud83d\ude00cd"),
            ("é%", "%C3%A9%25"),
            ("é%", "é%"),
        ];
        for (secret, echoed) in cases {
            let quoted = quote(&format!("x={echoed}&y"), secret, QUOTE_LIMIT);
            assert_eq!(quoted, "x=***&y", "{secret} as {echoed}");
        }
        assert_eq!(quote(r"\ud83d", "😀", QUOTE_LIMIT), r"\ud83d");
    }

    #[test]
    fn quoted_text_is_cut_on_a_character_boundary_and_masks_a_secret_across_the_cut() {
        let long = "ä€😀".repeat(1000);
        let quoted = quote(&long, SECRET, QUOTE_LIMIT);
        assert_eq!(quoted.chars().count(), QUOTE_LIMIT + 1);
        assert!(quoted.ends_with('…'));

        let straddling = format!("{}{SECRET}", "x".repeat(QUOTE_LIMIT - 2));
        let quoted = quote(&straddling, SECRET, QUOTE_LIMIT);
        assert!(quoted.ends_with("xx***"), "{quoted}");
        assert_no_secret(&quoted);
    }

    #[test]
    fn errors_quoting_the_token_endpoint_never_show_the_secret() {
        let form: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"bad request client_secret={form} {}"}}"#,
            SECRET.repeat(2000)
        );

        let rejected = check_token_status(400, None, &body, SECRET).unwrap_err();
        let redirected =
            check_token_status(307, Some(&format!("http://x/?s={form}")), "", SECRET).unwrap_err();

        for err in [rejected, redirected] {
            assert_no_secret(&err.to_string());
            assert_no_secret(&format!("{err:?}"));
        }
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

    #[tokio::test]
    async fn a_redirect_from_the_token_endpoint_is_not_followed() {
        let elsewhere = Server::start(|n| token(n, &json!(3600))).await;
        let target = format!("{}?echo={SECRET}", elsewhere.token_url());
        let server = Server::start(move |_| {
            (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, target.clone())],
            )
                .into_response()
        })
        .await;

        let err = complete_job(&server.client()).await.unwrap_err();

        assert_eq!(elsewhere.token_requests(), 0, "the secret went elsewhere");
        assert!(
            matches!(
                err,
                EngineError::Auth(AuthError::Redirected { status: 307, .. })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("redirect"), "{err}");
        assert_no_secret(&err.to_string());
    }

    #[tokio::test]
    async fn a_rejection_echoing_the_request_does_not_show_the_secret() {
        let server = Server::start(|_| {
            let form: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
            let body = json!({
                "error": "invalid_client",
                "error_description": format!("grant_type=client_credentials&client_secret={form}"),
                "raw": SECRET,
            });
            (StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
        })
        .await;

        let err = complete_job(&server.client()).await.unwrap_err();

        assert!(
            matches!(
                err,
                EngineError::Auth(AuthError::Rejected { status: 400, .. })
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("invalid_client"), "{err}");
        assert_no_secret(&err.to_string());
        assert_no_secret(&format!("{err:?}"));
    }

    #[tokio::test]
    async fn a_non_token_answer_is_retried_and_the_command_still_goes_through() {
        let server = Server::start(|n| match n {
            1 => "<html>maintenance</html>".into_response(),
            n => token(n, &json!(3600)),
        })
        .await;

        complete_job(&server.client()).await.unwrap();

        assert_eq!(server.token_requests(), 2);
    }

    #[tokio::test]
    async fn a_token_endpoint_that_keeps_answering_garbage_gives_a_transient_error() {
        let server = Server::start(|_| "<html>maintenance</html>".into_response()).await;
        let client = server.client();

        let err = complete_job(&client).await.unwrap_err();

        assert!(
            matches!(err, EngineError::Auth(AuthError::InvalidResponse(_))),
            "{err:?}"
        );
        assert!(err.is_transient(), "{err:?}");
        assert_eq!(server.token_requests(), TOKEN_ATTEMPTS as usize);
    }

    #[test]
    fn a_token_no_header_can_carry_is_not_a_token() {
        for token in [r#""abc\n""#, r#""a\u0000b""#, r#""tök""#, r#""a b""#] {
            let body = format!(r#"{{"access_token":{token},"expires_in":60}}"#);
            let read = read_token(&body, "s");
            assert!(
                matches!(read, Err(AuthError::InvalidResponse(_))),
                "{token}: {read:?}"
            );
        }
        assert!(
            read_token(
                r#"{"access_token":"eyJ.a-b_c~d+e/f=","expires_in":60}"#,
                "s"
            )
            .is_ok()
        );
    }

    #[tokio::test]
    async fn a_token_answer_over_the_size_limit_is_refused() {
        let server = Server::start(|_| " ".repeat(MAX_TOKEN_BODY + 1).into_response()).await;

        let err = complete_job(&server.client()).await.unwrap_err();

        match err {
            EngineError::Auth(AuthError::InvalidResponse(reason)) => {
                assert!(reason.contains("over the 1048576"), "{reason}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn debug_output_never_shows_the_client_secret() {
        let config = OAuthConfig::new("http://127.0.0.1:1/token", "id", Secret::new("s3cr3t"));

        let auth = format!("{:?}", Auth::OAuth(config));

        assert!(!auth.contains("s3cr3t"), "{auth}");
    }
}
