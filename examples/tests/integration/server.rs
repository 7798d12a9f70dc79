//! A local HTTP server the tests point the connectors at: it echoes what it received, answers
//! with any status, stays silent, and issues OAuth tokens.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::{Value, json};

/// The client id and secret the token endpoint accepts.
pub(crate) const CLIENT_ID: &str = "demo-client";
pub(crate) const CLIENT_SECRET: &str = "s3cr3t-client";
/// The token it issues.
pub(crate) const ACCESS_TOKEN: &str = "token-from-endpoint";

/// A server on 127.0.0.1 and an ephemeral port, stopped when the test's runtime ends.
pub(crate) struct TestServer {
    addr: SocketAddr,
}

impl TestServer {
    pub(crate) async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router()).await });
        TestServer { addr }
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn router() -> Router {
    Router::new()
        .route("/echo", any(echo))
        .route("/echo/{*rest}", any(echo))
        .route("/status/{code}", any(status))
        .route("/reject", any(reject))
        .route("/unavailable", get(unavailable))
        .route("/slow", get(slow))
        .route("/text", get(|| async { "plain words" }))
        .route("/cookies", get(cookies))
        .route("/redirect", get(redirect))
        .route("/oauth/token", post(token))
        .route("/graphql", any(graphql))
}

/// Answers `{method, path, query, headers, body}` describing the request.
async fn echo(method: Method, uri: axum::http::Uri, headers: HeaderMap, body: Bytes) -> Response {
    let headers = joined(&headers);
    let body = String::from_utf8_lossy(&body).into_owned();
    axum::Json(json!({
        "method": method.as_str(),
        "path": uri.path(),
        "query": uri.query(),
        "headers": headers,
        "body": body,
    }))
    .into_response()
}

async fn status(Path(code): Path<u16>) -> Response {
    let status = StatusCode::from_u16(code).unwrap();
    let body = json!({"error": {"code": code, "message": format!("status {code} as asked")}});
    (status, [("x-request-id", "req-42")], axum::Json(body)).into_response()
}

/// Answers 503 with a `Retry-After` of two minutes and a text body.
async fn unavailable() -> Response {
    let headers = [(header::RETRY_AFTER, "120")];
    (
        StatusCode::SERVICE_UNAVAILABLE,
        headers,
        "down for maintenance",
    )
        .into_response()
}

/// Answers 403 and echoes the request headers in the body, as some gateways do.
async fn reject(headers: HeaderMap) -> Response {
    let headers: BTreeMap<String, String> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = json!({"message": "forbidden", "received": headers});
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "too late"
}

async fn cookies() -> Response {
    let cookies = AppendHeaders([(header::SET_COOKIE, "a=1"), (header::SET_COOKIE, "b=2")]);
    (cookies, "cookies").into_response()
}

async fn redirect() -> Response {
    (StatusCode::FOUND, [(header::LOCATION, "/echo/redirected")]).into_response()
}

/// Issues [`ACCESS_TOKEN`] for the client credentials, sent in the body or as Basic auth.
async fn token(headers: HeaderMap, body: String) -> Response {
    let form: BTreeMap<String, String> = url_pairs(&body);
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let expected_basic = format!("Basic {}", base64(&format!("{CLIENT_ID}:{CLIENT_SECRET}")));

    let in_body = form.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && form.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET);
    let in_header = basic.as_deref() == Some(expected_basic.as_str());
    if form.get("grant_type").map(String::as_str) != Some("client_credentials")
        || !(in_body || in_header)
    {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    axum::Json(json!({
        "access_token": ACCESS_TOKEN,
        "token_type": "Bearer",
        "scope": form.get("scope"),
        "audience": form.get("audience"),
    }))
    .into_response()
}

/// A GraphQL endpoint: echoes the operation it received as `data`.
async fn graphql(
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received: Value = if method == Method::GET {
        let pairs = url_pairs(query.as_deref().unwrap_or(""));
        json!({
            "query": pairs.get("query"),
            "variables": pairs.get("variables").map(|v| serde_json::from_str::<Value>(v).unwrap()),
        })
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    axum::Json(json!({
        "data": {"method": method.as_str(), "received": received, "authorization": authorization}
    }))
    .into_response()
}

/// Header names to their values, repeated ones joined with `, ` so tests see duplicates.
fn joined(headers: &HeaderMap) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in headers {
        let value = value.to_str().unwrap_or("");
        out.entry(name.to_string())
            .and_modify(|v| *v = format!("{v}, {value}"))
            .or_insert_with(|| value.to_owned());
    }
    out
}

fn url_pairs(text: &str) -> BTreeMap<String, String> {
    reqwest::Url::parse(&format!("http://x/?{text}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn base64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}
