//! The stop signals: SIGTERM and Ctrl-C (SIGINT).

/// Listens for SIGTERM and Ctrl-C from its creation on, so a signal that arrives between two
/// waits is not lost.
pub(crate) struct StopSignals {
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    /// Starts listening. A signal that cannot be listened for is logged and never arrives.
    #[cfg(unix)]
    pub(crate) fn install() -> Self {
        use tokio::signal::unix::SignalKind;

        StopSignals {
            terminate: listen(SignalKind::terminate(), "SIGTERM"),
            interrupt: listen(SignalKind::interrupt(), "Ctrl-C (SIGINT)"),
        }
    }

    /// Starts listening. A signal that cannot be listened for is logged and never arrives.
    #[cfg(not(unix))]
    pub(crate) fn install() -> Self {
        StopSignals {}
    }

    /// Waits for the next signal and names it.
    #[cfg(unix)]
    pub(crate) async fn next(&mut self) -> &'static str {
        tokio::select! {
            () = receive(&mut self.terminate) => "SIGTERM",
            () = receive(&mut self.interrupt) => "SIGINT",
        }
    }

    /// Waits for the next signal and names it.
    #[cfg(not(unix))]
    pub(crate) async fn next(&mut self) -> &'static str {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        "Ctrl-C"
    }
}

#[cfg(unix)]
fn listen(
    kind: tokio::signal::unix::SignalKind,
    name: &'static str,
) -> Option<tokio::signal::unix::Signal> {
    match tokio::signal::unix::signal(kind) {
        Ok(signal) => Some(signal),
        Err(err) => {
            tracing::error!(error = %err, signal = name, "cannot listen for a stop signal");
            None
        }
    }
}

#[cfg(unix)]
async fn receive(signal: &mut Option<tokio::signal::unix::Signal>) {
    let received = match signal {
        Some(signal) => signal.recv().await,
        None => None,
    };
    if received.is_none() {
        std::future::pending::<()>().await;
    }
}
