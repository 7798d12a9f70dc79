//! Sending one request: URL, query, headers, credentials and body, then the response or error.

use std::collections::{BTreeMap, HashMap};
use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Client, RequestBuilder, Url, redirect};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use camunda_connector_sdk::ConnectorError;
use camunda_connector_sdk::template::spec::Shape;
use camunda_connector_sdk::template::{Choice, InputTemplate};
use camunda_connector_sdk::validation::{Validate, Violation};

use super::auth::{Authentication, Credentials};
use super::response::HttpResponse;

/// The MIME type of an HTML form body.
pub(crate) const FORM_URLENCODED: &str = "application/x-www-form-urlencoded";

/// The timeout Camunda's REST connector uses when the job sets none.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

/// The longest timeout honoured: a day. Longer values are cut to it, so an absurd number of
/// seconds can never overflow a deadline; the connectors' inputs reject them before that.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// The error code of a request that did not answer within its timeout.
pub const HTTP_TIMEOUT: &str = "HTTP_TIMEOUT";
/// The error code of a request that could not connect to its host.
pub const HTTP_CONNECTION_FAILED: &str = "HTTP_CONNECTION_FAILED";
/// The error code of a request that failed in transit for another reason.
pub const HTTP_REQUEST_FAILED: &str = "HTTP_REQUEST_FAILED";
/// The error code of a response whose body could not be read.
pub const HTTP_RESPONSE_FAILED: &str = "HTTP_RESPONSE_FAILED";

/// An HTTP method. Job variables may spell it in any case (`get`, `GET`).
///
/// ```
/// use example_connectors::http::HttpMethod;
/// let method: HttpMethod = serde_json::from_value(serde_json::json!("post")).unwrap();
/// assert_eq!(method, HttpMethod::Post);
/// assert!(method.supports_body());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HttpMethod {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl HttpMethod {
    /// The method's name in upper case.
    ///
    /// ```
    /// # use example_connectors::http::HttpMethod;
    /// assert_eq!(HttpMethod::Delete.as_str(), "DELETE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }

    /// Whether a request body is sent with this method (`POST`, `PUT`, `PATCH`), as in
    /// Camunda's REST connector.
    ///
    /// ```
    /// # use example_connectors::http::HttpMethod;
    /// assert!(!HttpMethod::Get.supports_body());
    /// ```
    pub fn supports_body(self) -> bool {
        matches!(self, HttpMethod::Post | HttpMethod::Put | HttpMethod::Patch)
    }

    fn to_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Delete => reqwest::Method::DELETE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for HttpMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let method = match s.trim().to_ascii_uppercase().as_str() {
            "GET" => HttpMethod::Get,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "PATCH" => HttpMethod::Patch,
            "DELETE" => HttpMethod::Delete,
            _ => {
                return Err(format!(
                    "expected one of GET, POST, PUT, PATCH, DELETE, got `{s}`"
                ));
            }
        };
        Ok(method)
    }
}

/// In templates a dropdown, in the order of Camunda's REST connector template.
impl InputTemplate for HttpMethod {
    fn shape() -> Shape {
        let methods = [
            HttpMethod::Post,
            HttpMethod::Get,
            HttpMethod::Delete,
            HttpMethod::Patch,
            HttpMethod::Put,
        ];
        Shape::Dropdown(
            methods
                .iter()
                .map(|m| Choice::new(m.as_str(), m.as_str()))
                .collect(),
        )
    }
}

/// Every method that deserialises is valid.
impl Validate for HttpMethod {
    fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
}

impl<'de> Deserialize<'de> for HttpMethod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Connection and read timeouts; `None` waits forever.
///
/// ```
/// use std::time::Duration;
/// use example_connectors::http::Timeouts;
/// // As in Camunda's REST connector: 20 s by default, 0 for none, read defaults to connect.
/// let t = Timeouts::from_seconds(Some(5), None);
/// assert_eq!(t.read, Some(Duration::from_secs(5)));
/// assert_eq!(Timeouts::from_seconds(Some(0), None).connect, None);
/// assert_eq!(Timeouts::default().connect, Some(Duration::from_secs(20)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Timeouts {
    /// How long connecting (TCP and TLS) may take.
    pub connect: Option<Duration>,
    /// How long the server may stay silent while a response is read.
    pub read: Option<Duration>,
}

impl Timeouts {
    /// Timeouts from the job's `connectionTimeoutInSeconds` and `readTimeoutInSeconds`.
    ///
    /// ```
    /// # use example_connectors::http::Timeouts;
    /// assert_eq!(Timeouts::from_seconds(None, Some(0)).read, None);
    /// ```
    pub fn from_seconds(connect: Option<u64>, read: Option<u64>) -> Self {
        let seconds = |s: u64| (s > 0).then(|| Duration::from_secs(s).min(MAX_TIMEOUT));
        let connect_seconds = connect.unwrap_or(DEFAULT_TIMEOUT.as_secs());
        Timeouts {
            connect: seconds(connect_seconds),
            read: seconds(read.unwrap_or(connect_seconds)),
        }
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::from_seconds(None, None)
    }
}

/// One request, as both connectors build it from their input.
///
/// ```
/// use example_connectors::http::{HttpMethod, HttpRequest};
/// let mut request = HttpRequest::new(HttpMethod::Get, "http://127.0.0.1:8080/orders");
/// request.query.insert("page".into(), "2".into());
/// assert_eq!(request.method, HttpMethod::Get);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HttpRequest {
    /// The method.
    pub method: HttpMethod,
    /// The absolute http(s) URL; the query parameters are appended to its own.
    pub url: String,
    /// How the request authenticates.
    pub authentication: Authentication,
    /// Request headers; they win over the default `Content-Type`.
    pub headers: BTreeMap<String, String>,
    /// Query parameters appended to the URL, encoded.
    pub query: BTreeMap<String, String>,
    /// The body, sent for `POST`, `PUT` and `PATCH` only: a string as is (`text/plain` unless
    /// a `Content-Type` header says otherwise), an object as a form when the `Content-Type`
    /// header is `application/x-www-form-urlencoded`, anything else as JSON.
    pub body: Option<Value>,
    /// Whether `null` members are removed from a JSON body before it is sent.
    pub ignore_null_values: bool,
    /// Whether 3xx redirects are followed (at most 10); when not, a 3xx is the result.
    pub follow_redirects: bool,
    /// The timeouts.
    pub timeouts: Timeouts,
}

impl HttpRequest {
    /// A request with no authentication, headers, query or body and default timeouts.
    ///
    /// ```
    /// # use example_connectors::http::{HttpMethod, HttpRequest};
    /// assert!(HttpRequest::new(HttpMethod::Get, "http://127.0.0.1/").body.is_none());
    /// ```
    pub fn new(method: HttpMethod, url: impl Into<String>) -> Self {
        HttpRequest {
            method,
            url: url.into(),
            authentication: Authentication::NoAuth,
            headers: BTreeMap::new(),
            query: BTreeMap::new(),
            body: None,
            ignore_null_values: false,
            follow_redirects: false,
            timeouts: Timeouts::default(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct ClientKey {
    timeouts: Timeouts,
    follow_redirects: bool,
}

/// Sends [`HttpRequest`]s, keeping one connection pool per timeout and redirect setting.
///
/// An HTTP status of 400 or more is an error: a retryable [`ConnectorError`] whose code is the
/// status (`"404"`), whose message is the reason phrase and whose variables are
/// `{"response": {"headers", "body"}}`, exactly what error expressions written for Camunda's
/// REST connector read. Transport problems are retryable failures with the codes
/// [`HTTP_TIMEOUT`], [`HTTP_CONNECTION_FAILED`], [`HTTP_REQUEST_FAILED`] and
/// [`HTTP_RESPONSE_FAILED`]; a URL or header that cannot be sent at all is an input error.
///
/// ```no_run
/// use example_connectors::http::{HttpClient, HttpMethod, HttpRequest};
/// # async fn run() -> Result<(), camunda_connector_sdk::ConnectorError> {
/// let client = HttpClient::new();
/// let response = client
///     .execute(HttpRequest::new(HttpMethod::Get, "http://127.0.0.1:8080/orders/7"))
///     .await?;
/// println!("{} {}", response.status, response.body);
/// # Ok(()) }
/// # let _ = run;
/// ```
#[derive(Debug, Clone, Default)]
pub struct HttpClient {
    clients: Arc<Mutex<HashMap<ClientKey, Client>>>,
}

impl HttpClient {
    /// A client with no pool yet.
    ///
    /// ```
    /// let _client = example_connectors::http::HttpClient::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Authenticates (fetching an OAuth token first if configured) and sends `request`.
    ///
    /// # Errors
    ///
    /// An HTTP error status, a transport failure or an input error, as described on
    /// [`HttpClient`].
    pub async fn execute(&self, request: HttpRequest) -> Result<HttpResponse, ConnectorError> {
        let credentials = request
            .authentication
            .credentials(self, request.timeouts)
            .await?;
        self.send(request, credentials).await
    }

    /// Sends `request` with `credentials` already resolved.
    pub(crate) async fn send(
        &self,
        request: HttpRequest,
        credentials: Credentials,
    ) -> Result<HttpResponse, ConnectorError> {
        let url = parse_url(&request.url, &request.query, &credentials)?;
        let host = url.host_str().unwrap_or_default().to_owned();
        let builder = self.builder(&request, url, credentials)?;

        let started = Instant::now();
        let response = builder
            .send()
            .await
            .map_err(|err| transport_error(err, &request))?;
        let response = HttpResponse::read(response)
            .await
            .map_err(|err| transport_error(err, &request))?;
        tracing::debug!(
            method = %request.method,
            host = %host,
            status = response.status,
            duration.ms = started.elapsed().as_millis() as u64,
            "http request answered"
        );

        if response.is_error() {
            return Err(response.into_error());
        }
        Ok(response)
    }

    fn builder(
        &self,
        request: &HttpRequest,
        url: Url,
        credentials: Credentials,
    ) -> Result<RequestBuilder, ConnectorError> {
        let client = self.client(ClientKey {
            timeouts: request.timeouts,
            follow_redirects: request.follow_redirects,
        })?;
        let mut builder = client.request(request.method.to_reqwest(), url);

        // The body sets a default `Content-Type`; the request's headers replace it, and the
        // credentials' `Authorization` wins over a header of the same name.
        builder = with_body(builder, request)?;
        builder = builder.headers(request_headers(request, &credentials)?);
        builder = with_credentials(builder, credentials)?;
        Ok(builder)
    }

    fn client(&self, key: ClientKey) -> Result<Client, ConnectorError> {
        let mut clients = self
            .clients
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(client) = clients.get(&key) {
            return Ok(client.clone());
        }

        let client = build_client(key)?;
        clients.insert(key, client.clone());
        Ok(client)
    }
}

fn build_client(key: ClientKey) -> Result<Client, ConnectorError> {
    let policy = if key.follow_redirects {
        redirect::Policy::limited(10)
    } else {
        redirect::Policy::none()
    };
    let mut builder = Client::builder().redirect(policy);
    if let Some(connect) = key.timeouts.connect {
        builder = builder.connect_timeout(connect);
    }
    if let Some(read) = key.timeouts.read {
        builder = builder.read_timeout(read);
    }

    builder.build().map_err(|err| {
        ConnectorError::failure(
            HTTP_REQUEST_FAILED,
            format!("the HTTP client could not be created: {}", root_cause(&err)),
        )
        .with_source(err)
    })
}

fn parse_url(
    raw: &str,
    query: &BTreeMap<String, String>,
    credentials: &Credentials,
) -> Result<Url, ConnectorError> {
    let invalid = |reason: String| {
        ConnectorError::input(format!("`url` is not a valid http(s) URL: {reason}"))
            .with_code("INVALID_URL")
    };
    let mut url = Url::parse(raw.trim()).map_err(|err| invalid(err.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!("unsupported scheme `{}`", url.scheme())));
    }

    let mut extra: Vec<(&str, &str)> = query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Credentials::Query { name, value } = credentials {
        extra.push((name, value));
    }
    if !extra.is_empty() {
        url.query_pairs_mut().extend_pairs(extra);
    }
    Ok(url)
}

fn with_credentials(
    builder: RequestBuilder,
    credentials: Credentials,
) -> Result<RequestBuilder, ConnectorError> {
    let builder = match credentials {
        Credentials::None | Credentials::Query { .. } => builder,
        Credentials::Basic { username, password } => builder.basic_auth(username, Some(password)),
        Credentials::Bearer(token) => builder.bearer_auth(token),
        Credentials::Header { name, value } => {
            let mut header = header_value(&name, &value)?;
            header.set_sensitive(true);
            builder.header(header_name(&name)?, header)
        }
    };
    Ok(builder)
}

fn with_body(
    builder: RequestBuilder,
    request: &HttpRequest,
) -> Result<RequestBuilder, ConnectorError> {
    if !request.method.supports_body() {
        return Ok(builder);
    }

    let content_type = request.header(CONTENT_TYPE.as_str());
    let builder = match &request.body {
        None | Some(Value::Null) => builder.body(""),
        Some(Value::String(text)) => builder
            .header(
                CONTENT_TYPE,
                content_type.unwrap_or("text/plain; charset=UTF-8"),
            )
            .body(text.clone()),
        Some(Value::Object(map)) if content_type.is_some_and(is_form) => {
            let pairs: Vec<(&str, String)> = map
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.as_str(), scalar_text(value)))
                .collect();
            builder.form(&pairs)
        }
        Some(body) => {
            let body = if request.ignore_null_values {
                without_nulls(body)
            } else {
                body.clone()
            };
            let bytes = serde_json::to_vec(&body).map_err(|err| {
                ConnectorError::input(format!("the request body is not valid JSON: {err}"))
            })?;
            builder
                .header(CONTENT_TYPE, content_type.unwrap_or("application/json"))
                .body(bytes)
        }
    };
    Ok(builder)
}

fn is_form(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(FORM_URLENCODED))
}

/// A JSON value as a form or query parameter: strings bare, everything else as JSON text.
pub(crate) fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `value` with every `null` object member removed, recursively.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn request_headers(
    request: &HttpRequest,
    credentials: &Credentials,
) -> Result<HeaderMap, ConnectorError> {
    let sets_authorization = matches!(
        credentials,
        Credentials::Basic { .. } | Credentials::Bearer(_)
    );
    let mut headers = HeaderMap::new();
    for (name, value) in &request.headers {
        let name = header_name(name)?;
        if sets_authorization && name == AUTHORIZATION {
            tracing::debug!("the authentication replaces the request's own authorization header");
            continue;
        }
        let value = header_value(name.as_str(), value)?;
        headers.append(name, value);
    }
    Ok(headers)
}

fn header_name(name: &str) -> Result<HeaderName, ConnectorError> {
    HeaderName::try_from(name.trim()).map_err(|_| {
        ConnectorError::input(format!("`{name}` is not a valid HTTP header name"))
            .with_code("INVALID_HEADER")
    })
}

fn header_value(name: &str, value: &str) -> Result<HeaderValue, ConnectorError> {
    HeaderValue::try_from(value).map_err(|_| {
        ConnectorError::input(format!(
            "the value of header `{name}` contains characters HTTP does not allow"
        ))
        .with_code("INVALID_HEADER")
    })
}

/// A transport failure as a connector error with a stable code.
fn transport_error(err: reqwest::Error, request: &HttpRequest) -> ConnectorError {
    let target = format!("{} {}", request.method, request.url);
    let cause = root_cause(&err);
    let (code, message) = if err.is_timeout() {
        (HTTP_TIMEOUT, format!("{target} timed out: {cause}"))
    } else if err.is_connect() {
        (
            HTTP_CONNECTION_FAILED,
            format!("{target} could not connect: {cause}"),
        )
    } else if err.is_builder() {
        let message = format!("{target} cannot be sent: {cause}");
        return ConnectorError::input(message).with_source(err.without_url());
    } else if err.is_body() || err.is_decode() {
        (
            HTTP_RESPONSE_FAILED,
            format!("{target} answered with an unreadable body: {cause}"),
        )
    } else {
        (HTTP_REQUEST_FAILED, format!("{target} failed: {cause}"))
    };
    ConnectorError::failure(code, message).with_source(err.without_url())
}

/// The innermost error's message, which names the real problem ("connection refused").
fn root_cause(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(source) = current.source() {
        current = source;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn methods_parse_in_any_case_and_reject_others() {
        assert_eq!("Patch".parse::<HttpMethod>(), Ok(HttpMethod::Patch));
        assert!("TRACE".parse::<HttpMethod>().is_err());
    }

    #[test]
    fn query_parameters_and_api_keys_are_appended_encoded() {
        let query = BTreeMap::from([("q".to_owned(), "a b&c".to_owned())]);
        let key = Credentials::Query {
            name: "api_key".into(),
            value: "k=1".into(),
        };

        let url = parse_url("http://127.0.0.1/search?x=1", &query, &key).unwrap();

        assert_eq!(url.query(), Some("x=1&q=a+b%26c&api_key=k%3D1"));
    }

    #[test]
    fn rejects_urls_that_are_not_http() {
        let none = Credentials::None;
        let err = parse_url("ftp://127.0.0.1/", &BTreeMap::new(), &none).unwrap_err();
        assert_eq!(err.code(), "INVALID_URL");
        assert!(err.is_input());
        assert!(
            parse_url("not a url", &BTreeMap::new(), &none)
                .unwrap_err()
                .is_input()
        );
    }

    #[test]
    fn removes_null_members_recursively() {
        let body = json!({"a": null, "b": [{"c": null, "d": 1}], "e": {"f": null}});
        assert_eq!(without_nulls(&body), json!({"b": [{"d": 1}], "e": {}}));
    }

    #[test]
    fn recognises_form_content_types() {
        assert!(is_form("application/x-www-form-urlencoded; charset=UTF-8"));
        assert!(!is_form("application/json"));
    }

    #[test]
    fn header_errors_name_the_header_not_the_value() {
        let err = header_value("X-Token", "bad\nvalue").unwrap_err();
        assert_eq!(err.code(), "INVALID_HEADER");
        assert!(err.message().contains("X-Token"));
        assert!(!err.message().contains("bad"));
    }
}
