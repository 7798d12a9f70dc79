//! The management server: `/health`, `/health/liveness` and `/metrics` over HTTP/1.
//!
//! It is usually reachable from the whole network, so it guards itself: a client must send a
//! request's headers within [`ServerLimits::header_read_timeout`] (an idle kept-alive
//! connection is closed after the same time), at most [`ServerLimits::max_connections`] are
//! served at once (more are closed as soon as they are accepted), and once stopped it gives
//! open connections [`ServerLimits::close_within`] to finish before it drops them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use super::metrics::{Health, Metrics};

/// How long a failed `accept` (for example, out of file descriptors) pauses the server.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);
/// The read buffer of one connection; a request's headers must fit (hyper's smallest is 8 KiB).
const MAX_BUFFER: usize = 16 * 1024;

/// How the management server bounds what clients can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ServerLimits {
    /// How long a client may take to send a request's headers; also how long a kept-alive
    /// connection may sit idle.
    pub(crate) header_read_timeout: Duration,
    /// The most connections served at once.
    pub(crate) max_connections: usize,
    /// The longest one connection is kept, however busy: a client that pipelines requests and
    /// never reads the answers would otherwise hold its slot for good.
    pub(crate) max_lifetime: Duration,
    /// After the stop, how long open connections get before they are dropped.
    pub(crate) close_within: Duration,
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits {
            header_read_timeout: Duration::from_secs(5),
            max_connections: 64,
            max_lifetime: Duration::from_secs(30),
            close_within: Duration::from_secs(1),
        }
    }
}

#[derive(Clone)]
struct Management {
    metrics: Arc<Metrics>,
    health: Arc<Health>,
}

/// Binds the management server and serves it until `stop`; the task then closes every
/// connection within [`ServerLimits::close_within`] and ends.
pub(crate) async fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    health: Arc<Health>,
    limits: ServerLimits,
    stop: CancellationToken,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let app = Router::new()
        .route("/health", get(readiness_handler))
        .route("/health/liveness", get(liveness_handler))
        .route("/metrics", get(metrics_handler))
        .with_state(Management { metrics, health });

    let task = tokio::spawn(accept_until_stopped(listener, app, limits, stop));
    Ok((bound, task))
}

/// Accepts connections until `stop`, then closes the open ones.
async fn accept_until_stopped(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    stop: CancellationToken,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let closing = CancellationToken::new();
    let mut connections = JoinSet::new();

    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            Some(ended) = connections.join_next(), if !connections.is_empty() => {
                if let Err(err) = ended {
                    tracing::warn!(error = %err, "a management connection task failed");
                }
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let Ok(slot) = slots.clone().try_acquire_owned() else {
                        tracing::debug!(%peer, max = limits.max_connections, "too many management connections; closing the new one");
                        continue;
                    };
                    let connection = serve_connection(stream, app.clone(), limits, closing.clone(), slot);
                    connections.spawn(connection);
                }
                Err(err) => {
                    tracing::warn!(error = %err, "the management server could not accept a connection");
                    tokio::time::sleep(ACCEPT_PAUSE).await;
                }
            },
        }
    }
    drop(listener);

    close_all(connections, closing, limits.close_within).await;
}

/// Lets open connections finish their request within `within`, then drops the rest.
async fn close_all(mut connections: JoinSet<()>, closing: CancellationToken, within: Duration) {
    closing.cancel();

    let drained = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(within, drained).await.is_err() {
        tracing::debug!(
            connections = connections.len(),
            "dropping management connections that did not close in time"
        );
        connections.shutdown().await;
    }
}

/// Serves one connection; on `closing`, finishes the request in progress and closes.
async fn serve_connection(
    stream: TcpStream,
    app: Router,
    limits: ServerLimits,
    closing: CancellationToken,
    _slot: OwnedSemaphorePermit,
) {
    let connection = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_BUFFER)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    let mut connection = std::pin::pin!(connection);

    let serve = async {
        tokio::select! {
            served = connection.as_mut() => served,
            () = closing.cancelled() => {
                connection.as_mut().graceful_shutdown();
                connection.as_mut().await
            }
        }
    };
    match tokio::time::timeout(limits.max_lifetime, serve).await {
        Ok(Ok(())) => {}
        Ok(Err(err)) => {
            tracing::debug!(error = %err, "a management connection ended with an error")
        }
        Err(_) => tracing::debug!("a management connection outlived its lifetime; dropped"),
    }
}

async fn readiness_handler(State(state): State<Management>) -> Response {
    let (status, body) = state.health.readiness();
    (status, axum::Json(body)).into_response()
}

async fn liveness_handler(State(state): State<Management>) -> Response {
    let (status, body) = state.health.liveness();
    (status, axum::Json(body)).into_response()
}

async fn metrics_handler(State(state): State<Management>) -> Response {
    match state.metrics.render() {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    const HALF_SENT: &[u8] = b"GET /health HTTP/1.1\r\nHost: x\r\n";

    async fn start(
        limits: ServerLimits,
    ) -> (SocketAddr, CancellationToken, tokio::task::JoinHandle<()>) {
        let stop = CancellationToken::new();
        let health = Arc::new(Health::default());
        let metrics = Arc::new(Metrics::new());
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let (bound, task) = serve(addr, metrics, health, limits, stop.clone())
            .await
            .unwrap();
        (bound, stop, task)
    }

    async fn half_sent(addr: SocketAddr) -> TcpStream {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(HALF_SENT).await.unwrap();
        stream
    }

    /// Reads until the server closes the connection; what it sent before, if anything.
    async fn read_to_close(stream: &mut TcpStream, limit: Duration) -> String {
        let mut seen = Vec::new();
        let read = tokio::time::timeout(limit, async {
            let mut buf = [0u8; 1024];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => seen.extend_from_slice(&buf[..n]),
                }
            }
        })
        .await;
        assert!(
            read.is_ok(),
            "the connection was still open after {limit:?}"
        );
        String::from_utf8_lossy(&seen).into_owned()
    }

    async fn get_health(addr: SocketAddr) -> String {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        read_to_close(&mut stream, Duration::from_secs(5)).await
    }

    #[tokio::test]
    async fn a_request_whose_headers_never_end_is_closed_after_the_header_timeout() {
        let limits = ServerLimits {
            header_read_timeout: Duration::from_millis(200),
            ..ServerLimits::default()
        };
        let (addr, stop, task) = start(limits).await;
        let started = Instant::now();
        let mut idle = TcpStream::connect(addr).await.unwrap();
        let mut partial = half_sent(addr).await;

        let answer = read_to_close(&mut partial, Duration::from_secs(3)).await;
        read_to_close(&mut idle, Duration::from_secs(3)).await;
        stop.cancel();
        task.await.unwrap();

        assert!(
            started.elapsed() >= Duration::from_millis(200),
            "{:?}",
            started.elapsed()
        );
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }

    #[tokio::test]
    async fn a_connection_is_dropped_after_its_lifetime_however_busy() {
        let limits = ServerLimits {
            header_read_timeout: Duration::from_secs(60),
            max_lifetime: Duration::from_millis(300),
            ..ServerLimits::default()
        };
        let (addr, stop, task) = start(limits).await;
        let started = Instant::now();
        let mut held = half_sent(addr).await;

        read_to_close(&mut held, Duration::from_secs(5)).await;
        let held_for = started.elapsed();
        stop.cancel();
        task.await.unwrap();

        assert!(
            (Duration::from_millis(300)..Duration::from_secs(3)).contains(&held_for),
            "{held_for:?}"
        );
    }

    #[tokio::test]
    async fn connections_beyond_the_limit_are_closed_and_served_again_once_one_frees() {
        let limits = ServerLimits {
            max_connections: 2,
            ..ServerLimits::default()
        };
        let (addr, stop, task) = start(limits).await;
        let held = [half_sent(addr).await, half_sent(addr).await];

        let refused = get_health(addr).await;
        drop(held);
        let served = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                let answer = get_health(addr).await;
                if !answer.is_empty() {
                    return answer;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        })
        .await
        .expect("a connection is served once the held ones close");
        stop.cancel();
        task.await.unwrap();

        assert_eq!(refused, "", "an excess connection is closed unanswered");
        assert!(served.starts_with("HTTP/1.1 200"), "{served}");
    }

    #[tokio::test]
    async fn stopping_drops_connections_that_do_not_finish_in_time() {
        let limits = ServerLimits {
            header_read_timeout: Duration::from_secs(60),
            close_within: Duration::from_millis(200),
            ..ServerLimits::default()
        };
        let (addr, stop, task) = start(limits).await;
        let mut partial = half_sent(addr).await;
        let _idle = TcpStream::connect(addr).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;

        let started = Instant::now();
        stop.cancel();
        tokio::time::timeout(Duration::from_secs(3), task)
            .await
            .expect("the server stops within its bound")
            .unwrap();
        let took = started.elapsed();

        assert!(took < Duration::from_secs(1), "stopping took {took:?}");
        read_to_close(&mut partial, Duration::from_secs(1)).await;
    }
}
