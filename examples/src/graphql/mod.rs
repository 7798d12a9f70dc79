//! A GraphQL connector, compatible with Camunda's official GraphQL connector.
//!
//! Job type `io.camunda:connector-graphql:1`, element template `io.camunda.connectors.GraphQL.v1`.
//! It reads `graphql.url`, `graphql.method` (`get` or `post`), `graphql.query`,
//! `graphql.variables`, `graphql.headers`, the two timeouts under `graphql`, and the same
//! `authentication` object as the REST connector. A `POST` sends `{"query", "variables"}` as
//! JSON; a `GET` sends them as the `query` and `variables` (JSON text) query parameters. The
//! request goes through the same [`HttpClient`] as the HTTP JSON connector, so results and
//! errors look the same: `{status, headers, body, reason}`, and an HTTP error status fails with
//! `error.code` = the status. A GraphQL server that answers 200
//! with an `errors` list is a success: read `response.body.errors` in an error expression to
//! turn it into a BPMN error.
//!
//! Run it on a sample job, with no Camunda:
//!
//! ```text
//! cargo run -p examples -- invoke --job examples/jobs/graphql-query.json
//! ```

use std::collections::BTreeMap;

use async_trait::async_trait;
use camunda_connector_sdk::{ConnectorError, ConnectorInput, OutboundConnector, OutboundContext};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::http::{
    Authentication, HttpClient, HttpMethod, HttpRequest, HttpResponse, Timeouts, scalar_text,
};

/// The job type of Camunda's GraphQL connector.
pub const JOB_TYPE: &str = "io.camunda:connector-graphql:1";

/// The input of [`GraphQlConnector`]: the query under `graphql`, credentials beside it.
///
/// ```
/// use example_connectors::graphql::GraphQlRequest;
/// let input: GraphQlRequest = serde_json::from_value(serde_json::json!({
///     "graphql": {
///         "url": "http://127.0.0.1:8080/graphql",
///         "method": "post",
///         "query": "query($id: ID!) { order(id: $id) { status } }",
///         "variables": {"id": "7"}
///     }
/// })).unwrap();
/// assert_eq!(input.graphql.variables.unwrap()["id"], "7");
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, ConnectorInput)]
#[template(
    id = "io.camunda.connectors.GraphQL.v1",
    name = "GraphQL Outbound Connector",
    version = 1,
    description = "Run a GraphQL query or mutation",
    documentation_ref = "https://docs.camunda.io/docs/components/connectors/protocol/graphql/",
    icon = "icons/graphql.svg",
    group(id = "authentication", label = "Authentication"),
    group(id = "endpoint", label = "HTTP Endpoint"),
    group(id = "graphql", label = "GraphQL query"),
    group(id = "timeout", label = "Connection timeout")
)]
#[non_exhaustive]
pub struct GraphQlRequest {
    /// How the request authenticates; none when absent.
    #[serde(default)]
    #[template(group = "authentication")]
    pub authentication: Authentication,
    /// The query and where to send it.
    pub graphql: GraphQlQuery,
}

/// The `graphql` object of the job variables.
///
/// ```
/// # use example_connectors::graphql::GraphQlQuery;
/// let q: GraphQlQuery = serde_json::from_value(serde_json::json!({
///     "url": "http://127.0.0.1/graphql", "method": "get", "query": "{ ping }"
/// })).unwrap();
/// assert!(q.variables.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GraphQlQuery {
    /// `get` sends the query as query parameters, `post` as a JSON body.
    #[template(
        group = "endpoint",
        label = "Method",
        default = "get",
        choices(
            choice(value = "get", label = "GET"),
            choice(value = "post", label = "POST")
        )
    )]
    pub method: HttpMethod,
    /// Request headers, as a FEEL context.
    #[serde(default)]
    #[template(group = "endpoint", label = "Headers")]
    pub headers: Option<BTreeMap<String, String>>,
    /// The GraphQL endpoint, an http(s) URL.
    #[template(group = "endpoint", label = "URL", feel = "optional")]
    #[validate(
        not_empty,
        pattern = "^(=|(http://|https://|secrets|\\{\\{).*$)",
        message = "must be an http(s) URL"
    )]
    pub url: String,
    /// The query or mutation.
    #[template(
        group = "graphql",
        label = "Query/Mutation",
        type = "Text",
        feel = "optional"
    )]
    #[validate(not_empty)]
    pub query: String,
    /// The query's variables, as a FEEL context.
    #[serde(default)]
    #[template(group = "graphql", label = "Variables")]
    pub variables: Option<BTreeMap<String, Value>>,
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
}

impl GraphQlRequest {
    /// The HTTP request that carries this query.
    ///
    /// ```
    /// # use example_connectors::graphql::GraphQlRequest;
    /// let input: GraphQlRequest = serde_json::from_value(serde_json::json!({
    ///     "graphql": {"url": "http://127.0.0.1/graphql", "method": "get", "query": "{ ping }"}
    /// })).unwrap();
    /// assert_eq!(input.into_request().query["query"], "{ ping }");
    /// ```
    pub fn into_request(self) -> HttpRequest {
        let graphql = self.graphql;
        let mut payload = Map::new();
        payload.insert("query".to_owned(), Value::String(graphql.query));
        if let Some(variables) = graphql.variables {
            payload.insert(
                "variables".to_owned(),
                Value::Object(variables.into_iter().collect()),
            );
        }

        let mut request = HttpRequest::new(graphql.method, graphql.url);
        if graphql.method.supports_body() {
            request.body = Some(Value::Object(payload));
        } else {
            request.query = payload
                .iter()
                .map(|(key, value)| (key.clone(), scalar_text(value)))
                .collect();
        }
        request.authentication = self.authentication;
        request.headers = graphql.headers.unwrap_or_default();
        request.timeouts = Timeouts::from_seconds(
            graphql.connection_timeout_in_seconds,
            graphql.read_timeout_in_seconds,
        );
        request
    }
}

/// Sends one GraphQL query or mutation per job, like Camunda's GraphQL connector.
///
/// ```
/// use camunda_connector_sdk::OutboundConnector;
/// use example_connectors::graphql::GraphQlConnector;
/// assert_eq!(GraphQlConnector::TYPE, "io.camunda:connector-graphql:1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct GraphQlConnector {
    client: HttpClient,
}

impl GraphQlConnector {
    /// A connector with its own connection pools.
    ///
    /// ```
    /// let _connector = example_connectors::graphql::GraphQlConnector::new();
    /// ```
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl OutboundConnector for GraphQlConnector {
    const NAME: &'static str = "GraphQL";
    const TYPE: &'static str = JOB_TYPE;
    const INPUT_VARIABLES: &'static [&'static str] = &["graphql", "authentication"];

    type Input = GraphQlRequest;
    type Output = HttpResponse;

    async fn execute(
        &self,
        input: GraphQlRequest,
        _ctx: &OutboundContext,
    ) -> Result<HttpResponse, ConnectorError> {
        self.client.execute(input.into_request()).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(method: &str) -> GraphQlRequest {
        serde_json::from_value(json!({
            "graphql": {
                "url": "http://127.0.0.1/graphql",
                "method": method,
                "query": "query($id: ID!) { order(id: $id) { status } }",
                "variables": {"id": "7"}
            }
        }))
        .unwrap()
    }

    #[test]
    fn post_sends_query_and_variables_as_json() {
        let request = input("post").into_request();
        assert_eq!(request.body.unwrap()["variables"], json!({"id": "7"}));
        assert!(request.query.is_empty());
    }

    #[test]
    fn get_sends_them_as_query_parameters() {
        let request = input("get").into_request();
        assert_eq!(request.query["variables"], r#"{"id":"7"}"#);
        assert!(request.query["query"].starts_with("query($id"));
        assert!(request.body.is_none());
    }
}
