//! The demo's order service: a few REST endpoints, an OAuth token endpoint and a GraphQL
//! endpoint, on 127.0.0.1 and an ephemeral port.

use std::io;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

/// The bearer token `POST /orders` accepts; the demo passes it as the secret `ORDERS_TOKEN`.
pub const ORDERS_TOKEN: &str = "demo-orders-token";
/// The OAuth client id the token endpoint accepts.
pub const CLIENT_ID: &str = "demo-client";
/// The OAuth client secret it accepts; the demo passes it as the secret `CLIENT_SECRET`.
pub const CLIENT_SECRET: &str = "demo-client-secret";
const ISSUED_TOKEN: &str = "demo-issued-token";

/// The running demo service. Dropping it stops the server.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// let server = example_connectors::demo::DemoServer::start().await?;
/// println!("serving on {}", server.url("/orders/7"));
/// # Ok(()) }
/// # let _ = run;
/// ```
#[derive(Debug)]
pub struct DemoServer {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl DemoServer {
    /// Binds 127.0.0.1 on an ephemeral port and serves in a background task.
    ///
    /// # Errors
    ///
    /// The error of binding the port.
    pub async fn start() -> io::Result<Self> {
        Self::start_on(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Binds `addr` and serves in a background task.
    ///
    /// # Errors
    ///
    /// The error of binding the address.
    pub async fn start_on(addr: SocketAddr) -> io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router()).await {
                tracing::error!(error = %err, "the demo server stopped");
            }
        });
        Ok(DemoServer { addr, task })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn router() -> Router {
    Router::new()
        .route("/orders/{id}", get(order))
        .route("/orders", post(create_order))
        .route("/inventory/{sku}", get(inventory))
        .route("/oauth/token", post(token))
        .route("/reports", get(reports))
        .route("/graphql", post(graphql))
}

async fn order(Path(id): Path<u64>) -> Response {
    if id != 7 {
        let body = json!({"message": format!("order {id} does not exist")});
        return (StatusCode::NOT_FOUND, Json(body)).into_response();
    }
    Json(json!({
        "id": 7,
        "status": "SHIPPED",
        "customer": {"name": "Jane Doe", "email": "jane@example.com"},
        "items": [{"sku": "A-1", "quantity": 2, "price": 9.5}],
        "total": 19.0
    }))
    .into_response()
}

async fn create_order(headers: HeaderMap, Json(order): Json<Value>) -> Response {
    if bearer(&headers) != Some(ORDERS_TOKEN) {
        let body = json!({"message": "a valid bearer token is required"});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let body = json!({"id": 8, "status": "CREATED", "items": order["items"]});
    (
        StatusCode::CREATED,
        [(header::LOCATION, "/orders/8")],
        Json(body),
    )
        .into_response()
}

async fn inventory(Path(sku): Path<String>) -> Response {
    let body = json!({"message": format!("inventory for {sku} is being rebuilt")});
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "30")],
        Json(body),
    )
        .into_response()
}

async fn token(Form(form): Form<Vec<(String, String)>>) -> Response {
    let has = |key: &str, value: &str| form.iter().any(|(k, v)| k == key && v == value);
    if !(has("grant_type", "client_credentials")
        && has("client_id", CLIENT_ID)
        && has("client_secret", CLIENT_SECRET))
    {
        let body = json!({"error": "invalid_client"});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    Json(json!({"access_token": ISSUED_TOKEN, "token_type": "Bearer", "expires_in": 300}))
        .into_response()
}

async fn reports(headers: HeaderMap) -> Response {
    if bearer(&headers) != Some(ISSUED_TOKEN) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "invalid_token"})),
        )
            .into_response();
    }
    Json(json!({"reports": [{"name": "daily-sales", "rows": 42}]})).into_response()
}

async fn graphql(Json(request): Json<Value>) -> Response {
    let id = request["variables"]["id"].clone();
    Json(json!({"data": {"order": {"id": id, "status": "SHIPPED"}}})).into_response()
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
}
