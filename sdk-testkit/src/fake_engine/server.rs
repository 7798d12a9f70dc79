//! The HTTP side of the fake engine: routes, authentication and fault injection.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::extract::connect_info::Connected;
use axum::extract::{ConnectInfo, Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::serve::{IncomingStream, Listener};
use base64::Engine as _;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use super::{
    Activation, CommandKind, CommandOutcome, Endpoint, FakeAuth, Fault, JobOutcome,
    ReceivedCommand, ReceivedRequest, Shared,
};

type Engine = AxumState<Arc<Shared>>;
type Conn = ConnectInfo<Connection>;

/// Binds `127.0.0.1:0` and serves until `stop` fires or is dropped.
pub(crate) async fn serve(shared: Arc<Shared>, stop: oneshot::Receiver<()>) -> SocketAddr {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .expect("the fake engine could not bind a loopback port");
    let addr = listener
        .local_addr()
        .expect("a bound listener has an address");
    let app = routes().with_state(shared);
    let service = app.into_make_service_with_connect_info::<Connection>();

    tokio::spawn(async move {
        let serving =
            axum::serve(KillableListener(listener), service).with_graceful_shutdown(async {
                let _ = stop.await;
            });
        let _ = serving.await;
    });
    addr
}

fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/v2/jobs/activation", post(activate))
        .route("/v2/jobs/{key}/completion", post(complete))
        .route("/v2/jobs/{key}/failure", post(fail))
        .route("/v2/jobs/{key}/error", post(throw_error))
        .route("/v2/jobs/{key}", patch(update))
        .route("/v2/messages/publication", post(publish))
        .route("/v2/messages/correlation", post(correlate))
        .route("/v2/process-instances", post(create_instance))
        .route("/v2/topology", get(topology))
        .route("/oauth/token", post(token))
}

/// What a handler does before its real work: authentication, then the armed fault.
enum Gate {
    Proceed { drop_response: bool },
    Answer(Response),
}

async fn gate(shared: &Shared, conn: &Connection, headers: &HeaderMap, endpoint: Endpoint) -> Gate {
    let checked = endpoint != Endpoint::Token;
    if let Some(response) = unauthenticated(shared, headers).filter(|_| checked) {
        return Gate::Answer(response);
    }
    let fault = shared.lock().take_fault(endpoint);
    let Some(fault) = fault else {
        return Gate::Proceed {
            drop_response: false,
        };
    };

    if let Some(delay) = fault.delay() {
        tokio::time::sleep(delay).await;
    }
    if let Some((status, title)) = fault.status() {
        return Gate::Answer(problem(status, title, "injected by the fake engine"));
    }
    match fault {
        Fault::DropConnection => {
            conn.kill();
            Gate::Answer(StatusCode::INTERNAL_SERVER_ERROR.into_response())
        }
        _ => Gate::Proceed {
            drop_response: fault == Fault::DropResponse,
        },
    }
}

fn finish(conn: &Connection, drop_response: bool, response: Response) -> Response {
    if drop_response {
        conn.kill();
    }
    response
}

fn problem(status: u16, title: &str, detail: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = json!({
        "type": "about:blank",
        "title": title,
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

fn unauthenticated(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let ok = match &shared.config.auth {
        FakeAuth::None => true,
        FakeAuth::Basic { username, password } => {
            let expected =
                base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
            given == format!("Basic {expected}")
        }
        FakeAuth::OAuth { .. } => given.strip_prefix("Bearer ").is_some_and(|token| {
            let state = shared.lock();
            state
                .tokens
                .get(token)
                .is_some_and(|expiry| Instant::now() < *expiry)
        }),
    };
    (!ok).then(|| problem(401, "UNAUTHORIZED", "missing or invalid credentials"))
}

async fn activate(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    body: axum::Json<Value>,
) -> Response {
    shared.lock().activation_requests += 1;
    let drop_response = match gate(&shared, &conn, &headers, Endpoint::Activation).await {
        Gate::Proceed { drop_response } => drop_response,
        Gate::Answer(response) => return response,
    };
    let request = ActivationRequest::parse(&body.0, shared.config.default_long_poll);
    let Some(request) = request else {
        return problem(
            400,
            "INVALID_ARGUMENT",
            "type, timeout and maxJobsToActivate are required",
        );
    };

    let give_up = Instant::now() + request.long_poll;
    let jobs = loop {
        let changed = shared.changed.notified();
        let jobs = take_jobs(&shared, &request, &body.0);
        if !jobs.is_empty() || Instant::now() >= give_up {
            break jobs;
        }
        let wait = give_up
            .saturating_duration_since(Instant::now())
            .min(Duration::from_millis(25));
        let _ = tokio::time::timeout(wait, changed).await;
    };
    finish(
        &conn,
        drop_response,
        axum::Json(json!({ "jobs": jobs })).into_response(),
    )
}

struct ActivationRequest {
    job_type: String,
    worker: String,
    timeout: Duration,
    max: usize,
    fetch: Option<Vec<String>>,
    long_poll: Duration,
}

impl ActivationRequest {
    fn parse(body: &Value, default_long_poll: Duration) -> Option<Self> {
        let long_poll = match body.get("requestTimeout").and_then(Value::as_i64) {
            Some(ms) if ms < 0 => Duration::ZERO,
            Some(ms) if ms > 0 => Duration::from_millis(ms.unsigned_abs()),
            _ => default_long_poll,
        };
        let fetch = body
            .get("fetchVariable")
            .and_then(Value::as_array)
            .map(|names| {
                names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            });
        Some(ActivationRequest {
            job_type: body.get("type")?.as_str()?.to_owned(),
            worker: body
                .get("worker")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            timeout: Duration::from_millis(body.get("timeout")?.as_u64()?),
            max: usize::try_from(body.get("maxJobsToActivate")?.as_u64()?).ok()?,
            fetch,
            long_poll,
        })
    }
}

fn take_jobs(shared: &Shared, request: &ActivationRequest, body: &Value) -> Vec<Value> {
    let mut state = shared.lock();
    let now = Instant::now();
    state.expire(now);

    let mut jobs = Vec::new();
    let mut keys = Vec::new();
    let mut index = 0;
    let max = request.max + shared.config.extra_jobs;
    while jobs.len() < max && index < state.queued.len() {
        let (job, available_at) = &state.queued[index];
        if job.job_type != request.job_type || *available_at > now {
            index += 1;
            continue;
        }
        let Some((mut job, _)) = state.queued.remove(index) else {
            break;
        };
        job.activations += 1;
        job.activated_at = Some(now);
        let deadline = epoch_ms(SystemTime::now() + request.timeout);
        jobs.push(job.to_json(
            &request.worker,
            deadline,
            request.fetch.as_deref(),
            shared.config.with_8_10_fields,
        ));
        keys.push(job.key.clone());
        state
            .active
            .insert(job.key.clone(), (job, now + request.timeout));
    }
    if !jobs.is_empty() {
        state.activations.push(Activation {
            body: body.clone(),
            job_keys: keys,
        });
    }
    jobs
}

fn epoch_ms(time: SystemTime) -> i64 {
    let millis = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    i64::try_from(millis).unwrap_or(i64::MAX)
}

async fn complete(
    engine: Engine,
    conn: Conn,
    headers: HeaderMap,
    key: Path<String>,
    body: Body,
) -> Response {
    command(engine, conn, headers, key, body, CommandKind::Complete).await
}

async fn fail(
    engine: Engine,
    conn: Conn,
    headers: HeaderMap,
    key: Path<String>,
    body: Body,
) -> Response {
    command(engine, conn, headers, key, body, CommandKind::Fail).await
}

async fn throw_error(
    engine: Engine,
    conn: Conn,
    headers: HeaderMap,
    key: Path<String>,
    body: Body,
) -> Response {
    command(engine, conn, headers, key, body, CommandKind::ThrowError).await
}

async fn update(
    engine: Engine,
    conn: Conn,
    headers: HeaderMap,
    key: Path<String>,
    body: Body,
) -> Response {
    command(engine, conn, headers, key, body, CommandKind::Update).await
}

type Body = Option<axum::Json<Value>>;

async fn command(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    Path(key): Path<String>,
    body: Body,
    kind: CommandKind,
) -> Response {
    let body = body.map(|json| json.0).unwrap_or(Value::Null);
    let endpoint = match kind {
        CommandKind::Complete => Endpoint::Completion,
        CommandKind::Fail => Endpoint::Failure,
        CommandKind::ThrowError => Endpoint::Error,
        CommandKind::Update => Endpoint::UpdateJob,
    };
    let gated = gate(&shared, &conn, &headers, endpoint).await;
    let (outcome, response, drop_response) = match gated {
        Gate::Answer(response) => {
            let outcome = if conn.killed() {
                CommandOutcome::Dropped
            } else {
                CommandOutcome::Rejected(response.status().as_u16())
            };
            (outcome, response, false)
        }
        Gate::Proceed { drop_response } => {
            let (outcome, response) = apply(&shared, &key, kind, &body);
            (outcome, response, drop_response)
        }
    };
    if response.status() != StatusCode::UNAUTHORIZED {
        shared.lock().commands.push(ReceivedCommand {
            job_key: key,
            kind,
            body,
            outcome,
        });
    }
    shared.changed.notify_waiters();
    finish(&conn, drop_response, response)
}

/// Applies a command to an activated job, as the engine's job state machine does.
fn apply(
    shared: &Shared,
    key: &str,
    kind: CommandKind,
    body: &Value,
) -> (CommandOutcome, Response) {
    let mut state = shared.lock();
    let now = Instant::now();
    state.expire(now);
    let Some((mut job, deadline)) = state.active.remove(key) else {
        let detail = format!("no activated job with key '{key}' exists");
        return (CommandOutcome::NotFound, problem(404, "NOT_FOUND", &detail));
    };
    if kind != CommandKind::Update
        && let Some(activated_at) = job.activated_at
    {
        state
            .latencies
            .push(now.saturating_duration_since(activated_at));
    }

    match kind {
        CommandKind::Complete => {
            state.finished.insert(key.to_owned(), JobOutcome::Completed);
        }
        CommandKind::ThrowError => {
            let code = body
                .get("errorCode")
                .and_then(Value::as_str)
                .unwrap_or_default();
            state
                .finished
                .insert(key.to_owned(), JobOutcome::BpmnError(code.to_owned()));
        }
        CommandKind::Fail => {
            let retries = body.get("retries").and_then(Value::as_i64).unwrap_or(0);
            let backoff = body
                .get("retryBackOff")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            if retries > 0 {
                job.retries = i32::try_from(retries).unwrap_or(i32::MAX);
                let available_at = now + Duration::from_millis(backoff);
                state.queued.push_back((job, available_at));
            } else {
                state.finished.insert(key.to_owned(), JobOutcome::Incident);
            }
        }
        CommandKind::Update => {
            let timeout = body.pointer("/changeset/timeout").and_then(Value::as_u64);
            let deadline = timeout.map_or(deadline, |ms| now + Duration::from_millis(ms));
            state.active.insert(key.to_owned(), (job, deadline));
        }
    }
    (
        CommandOutcome::Accepted,
        StatusCode::NO_CONTENT.into_response(),
    )
}

async fn publish(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = body.map(|json| json.0).unwrap_or(Value::Null);
    let drop_response = match gate(&shared, &conn, &headers, Endpoint::Publication).await {
        Gate::Proceed { drop_response } => drop_response,
        Gate::Answer(response) => return response,
    };
    let tenant = body.get("tenantId").cloned().unwrap_or(json!("<default>"));
    let key = record(&shared, Endpoint::Publication, body);
    let response = axum::Json(json!({ "messageKey": key, "tenantId": tenant }));
    finish(&conn, drop_response, response.into_response())
}

async fn correlate(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = body.map(|json| json.0).unwrap_or(Value::Null);
    let drop_response = match gate(&shared, &conn, &headers, Endpoint::Correlation).await {
        Gate::Proceed { drop_response } => drop_response,
        Gate::Answer(response) => return response,
    };
    let tenant = body.get("tenantId").cloned().unwrap_or(json!("<default>"));
    let key = record(&shared, Endpoint::Correlation, body);
    let response = axum::Json(json!({
        "messageKey": key,
        "processInstanceKey": format!("{key}9"),
        "tenantId": tenant,
    }));
    finish(&conn, drop_response, response.into_response())
}

async fn create_instance(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let body = body.map(|json| json.0).unwrap_or(Value::Null);
    let drop_response = match gate(&shared, &conn, &headers, Endpoint::ProcessInstances).await {
        Gate::Proceed { drop_response } => drop_response,
        Gate::Answer(response) => return response,
    };
    let id = body
        .get("processDefinitionId")
        .cloned()
        .unwrap_or(Value::Null);
    let tenant = body.get("tenantId").cloned().unwrap_or(json!("<default>"));
    let key = record(&shared, Endpoint::ProcessInstances, body);
    let response = axum::Json(json!({
        "processInstanceKey": key,
        "processDefinitionKey": "2251799813685000",
        "processDefinitionId": id,
        "processDefinitionVersion": 1,
        "tenantId": tenant,
    }));
    finish(&conn, drop_response, response.into_response())
}

/// Records a request and returns a fresh key for it.
fn record(shared: &Shared, endpoint: Endpoint, body: Value) -> String {
    let mut state = shared.lock();
    state.next_key += 1;
    state.requests.push(ReceivedRequest { endpoint, body });
    (4_503_599_627_370_496 + state.next_key).to_string()
}

async fn topology(AxumState(shared): Engine, headers: HeaderMap) -> Response {
    if let Some(response) = unauthenticated(&shared, &headers) {
        return response;
    }
    axum::Json(json!({
        "brokers": [],
        "clusterSize": 1,
        "partitionsCount": 1,
        "replicationFactor": 1,
        "gatewayVersion": "8.10.0-fake",
        "lastCompletedChangeId": "-1",
    }))
    .into_response()
}

async fn token(
    AxumState(shared): Engine,
    ConnectInfo(conn): Conn,
    headers: HeaderMap,
    form: axum::Form<Vec<(String, String)>>,
) -> Response {
    shared.lock().token_requests += 1;
    let drop_response = match gate(&shared, &conn, &headers, Endpoint::Token).await {
        Gate::Proceed { drop_response } => drop_response,
        Gate::Answer(response) => return response,
    };
    let field = |name: &str| {
        form.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let FakeAuth::OAuth {
        client_id,
        client_secret,
    } = &shared.config.auth
    else {
        return problem(
            404,
            "NOT_FOUND",
            "the fake engine is not configured for OAuth",
        );
    };
    let valid = field("grant_type") == Some("client_credentials")
        && field("client_id") == Some(client_id)
        && field("client_secret") == Some(client_secret);
    if !valid {
        let body = json!({"error": "invalid_client"});
        return (StatusCode::UNAUTHORIZED, axum::Json(body)).into_response();
    }

    let lifetime = shared.config.token_lifetime;
    let token = {
        let mut state = shared.lock();
        let token = format!("fake-token-{}", state.token_requests);
        state
            .tokens
            .insert(token.clone(), Instant::now() + lifetime);
        token
    };
    let body = json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
    });
    finish(&conn, drop_response, axum::Json(body).into_response())
}

/// The connection a request arrived on; killing it closes it without an answer.
#[derive(Debug, Clone)]
pub(crate) struct Connection {
    killed: Arc<AtomicBool>,
}

impl Connection {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }

    fn killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Connection {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

/// A TCP listener whose connections can be closed from a handler.
pub(crate) struct KillableListener(TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = Connection;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    let killed = Arc::new(AtomicBool::new(false));
                    let conn = Connection {
                        killed: killed.clone(),
                    };
                    return (KillableStream { stream, killed }, conn);
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(5)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()?;
        Ok(Connection {
            killed: Arc::new(AtomicBool::new(false)),
        })
    }
}

/// A TCP stream that fails every write once killed, so the server drops the connection
/// without sending the response.
pub(crate) struct KillableStream {
    stream: TcpStream,
    killed: Arc<AtomicBool>,
}

impl KillableStream {
    fn check(&self) -> io::Result<()> {
        if self.killed.load(Ordering::SeqCst) {
            Err(io::Error::new(
                io::ErrorKind::ConnectionReset,
                "killed by the fake engine",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.killed.load(Ordering::SeqCst) {
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
