//! An HTTP JSON connector, compatible with Camunda's official REST connector.
//!
//! Job type `io.camunda:http-json:1`, element template `io.camunda.connectors.HttpJson.v2`: jobs
//! and BPMN models made with the official template run unchanged. It reads `method`, `url`,
//! `authentication`, `headers`, `queryParameters`, `body`, `connectionTimeoutInSeconds`,
//! `readTimeoutInSeconds`, `ignoreNullValues`, `skipEncoding` and `followRedirects`, sends the
//! request and returns `{status, headers, body, reason}`; see [`crate::http`] for the error
//! behaviour.
//!
//! Run it on a sample job, with no Camunda:
//!
//! ```text
//! cargo run -p examples -- invoke --job examples/jobs/http-json-unreachable.json
//! ```
//!
//! or against a cluster with the `run` command of the same binary.

use std::collections::BTreeMap;

use async_trait::async_trait;
use camunda_connector_sdk::{ConnectorError, ConnectorInput, OutboundConnector, OutboundContext};
use serde::Deserialize;
use serde_json::Value;

use crate::http::{Authentication, HttpClient, HttpMethod, HttpRequest, HttpResponse, Timeouts};

/// The job type of Camunda's REST connector.
pub const JOB_TYPE: &str = "io.camunda:http-json:1";

/// The input of [`HttpJsonConnector`], named as Camunda's REST connector names it.
///
/// ```
/// use example_connectors::http_json::HttpJsonRequest;
/// let input: HttpJsonRequest = serde_json::from_value(serde_json::json!({
///     "method": "get",
///     "url": "http://127.0.0.1:8080/orders",
///     "queryParameters": {"page": "2"}
/// })).unwrap();
/// assert_eq!(input.query_parameters.unwrap()["page"], "2");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(
    id = "io.camunda.connectors.HttpJson.v2",
    name = "REST Outbound Connector",
    version = 1,
    description = "Call a REST API and map its JSON response",
    documentation_ref = "https://docs.camunda.io/docs/components/connectors/protocol/rest/",
    icon = "icons/http-json.svg",
    group(id = "authentication", label = "Authentication"),
    group(id = "endpoint", label = "HTTP endpoint"),
    group(id = "timeout", label = "Connection timeout"),
    group(id = "payload", label = "Payload")
)]
#[non_exhaustive]
pub struct HttpJsonRequest {
    /// How the request authenticates; none when absent.
    #[serde(default)]
    #[template(group = "authentication")]
    pub authentication: Authentication,
    /// The HTTP method.
    #[template(group = "endpoint", label = "Method", default = "GET")]
    pub method: HttpMethod,
    /// The http(s) URL to call.
    #[template(group = "endpoint", label = "URL", feel = "optional")]
    #[validate(not_empty, url)]
    pub url: String,
    /// Request headers, as a FEEL context such as `={"X-Request-Id": orderId}`.
    #[serde(default)]
    #[template(group = "endpoint", label = "Headers")]
    pub headers: Option<BTreeMap<String, String>>,
    /// Query parameters added to the URL, as a FEEL context.
    #[serde(default)]
    #[template(group = "endpoint", label = "Query parameters")]
    pub query_parameters: Option<BTreeMap<String, String>>,
    /// Accepted for compatibility and left out of the template: the URL is always sent as
    /// given, with only the characters HTTP cannot carry percent-encoded, so there is nothing
    /// to skip.
    #[serde(default)]
    #[template(skip)]
    pub skip_encoding: Option<String>,
    /// Whether 3xx redirects are followed.
    #[serde(default)]
    #[template(group = "endpoint", label = "Follow redirects", default = false)]
    pub follow_redirects: bool,
    /// Seconds to wait for a connection; 20 when absent, 0 for no limit.
    #[serde(default)]
    #[template(
        group = "timeout",
        label = "Connection timeout in seconds",
        default = 20
    )]
    #[validate(range(max = 86_400))]
    pub connection_timeout_in_seconds: Option<u64>,
    /// Seconds the server may stay silent; the connection timeout when absent, 0 for no limit.
    #[serde(default)]
    #[template(group = "timeout", label = "Read timeout in seconds", default = 20)]
    #[validate(range(max = 86_400))]
    pub read_timeout_in_seconds: Option<u64>,
    /// The body of a `POST`, `PUT` or `PATCH`: any JSON; a string is sent as is.
    #[serde(default)]
    #[template(
        group = "payload",
        label = "Request body",
        type = "Text",
        feel = "optional",
        condition(property = "method", one_of = ["POST", "PUT", "PATCH"])
    )]
    pub body: Option<Value>,
    /// Whether `null` members are left out of a JSON body.
    #[serde(default)]
    #[template(
        group = "payload",
        label = "Ignore null values",
        default = false,
        condition(property = "method", one_of = ["POST", "PUT", "PATCH"])
    )]
    pub ignore_null_values: bool,
}

impl HttpJsonRequest {
    /// The request this input describes.
    ///
    /// ```
    /// # use example_connectors::http_json::HttpJsonRequest;
    /// let input: HttpJsonRequest = serde_json::from_value(serde_json::json!({
    ///     "method": "POST", "url": "http://127.0.0.1/", "body": {"a": 1}
    /// })).unwrap();
    /// assert_eq!(input.into_request().body.unwrap()["a"], 1);
    /// ```
    pub fn into_request(self) -> HttpRequest {
        let mut request = HttpRequest::new(self.method, self.url);
        request.authentication = self.authentication;
        request.headers = self.headers.unwrap_or_default();
        request.query = self.query_parameters.unwrap_or_default();
        request.body = self.body;
        request.ignore_null_values = self.ignore_null_values;
        request.follow_redirects = self.follow_redirects;
        request.timeouts = Timeouts::from_seconds(
            self.connection_timeout_in_seconds,
            self.read_timeout_in_seconds,
        );
        request
    }
}

/// Sends one HTTP request per job, like Camunda's REST connector.
///
/// ```
/// use camunda_connector_sdk::OutboundConnector;
/// use example_connectors::http_json::HttpJsonConnector;
/// assert_eq!(HttpJsonConnector::TYPE, "io.camunda:http-json:1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct HttpJsonConnector {
    client: HttpClient,
}

impl HttpJsonConnector {
    /// A connector with its own connection pools.
    ///
    /// ```
    /// let _connector = example_connectors::http_json::HttpJsonConnector::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl OutboundConnector for HttpJsonConnector {
    const NAME: &'static str = "HTTP REST";
    const TYPE: &'static str = JOB_TYPE;
    const INPUT_VARIABLES: &'static [&'static str] = &[
        "authentication",
        "method",
        "url",
        "headers",
        "queryParameters",
        "body",
        "connectionTimeoutInSeconds",
        "readTimeoutInSeconds",
        "ignoreNullValues",
        "skipEncoding",
        "followRedirects",
    ];

    type Input = HttpJsonRequest;
    type Output = HttpResponse;

    async fn execute(
        &self,
        input: HttpJsonRequest,
        _ctx: &OutboundContext,
    ) -> Result<HttpResponse, ConnectorError> {
        self.client.execute(input.into_request()).await
    }
}
