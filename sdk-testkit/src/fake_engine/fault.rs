//! Faults the fake engine can be told to inject.

use std::time::Duration;

/// An endpoint of the fake engine, to aim a fault at.
///
/// ```
/// use camunda_connector_testkit::fake_engine::Endpoint;
/// assert_ne!(Endpoint::Activation, Endpoint::Completion);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Endpoint {
    /// Every endpoint.
    Any,
    /// `POST /v2/jobs/activation`.
    Activation,
    /// `POST /v2/jobs/{key}/completion`.
    Completion,
    /// `POST /v2/jobs/{key}/failure`.
    Failure,
    /// `POST /v2/jobs/{key}/error`.
    Error,
    /// `PATCH /v2/jobs/{key}`.
    UpdateJob,
    /// `POST /v2/messages/publication`.
    Publication,
    /// `POST /v2/messages/correlation`.
    Correlation,
    /// `POST /v2/process-instances`.
    ProcessInstances,
    /// `POST /oauth/token`, the fake token endpoint.
    Token,
}

impl Endpoint {
    pub(crate) fn matches(self, other: Endpoint) -> bool {
        self == Endpoint::Any || self == other
    }
}

/// What goes wrong with a request.
///
/// ```
/// use std::time::Duration;
/// use camunda_connector_testkit::fake_engine::Fault;
/// let slow = Fault::Delay(Duration::from_millis(200));
/// assert_ne!(slow, Fault::Backpressure);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer 503 with a problem detail, as an overloaded gateway does.
    Backpressure,
    /// Answer 500 with a `RESOURCE_EXHAUSTED` problem detail.
    ResourceExhausted,
    /// Answer with this status and a problem detail; the request is not processed.
    Status(u16),
    /// Answer 404 `NOT_FOUND` without processing the request.
    NotFound,
    /// Wait this long, then process the request normally.
    Delay(std::time::Duration),
    /// Close the connection without processing the request or answering.
    DropConnection,
    /// Process the request, then close the connection instead of answering.
    DropResponse,
}

impl Fault {
    /// The status this fault answers with, if it answers at all without processing.
    pub(crate) fn status(self) -> Option<(u16, &'static str)> {
        match self {
            Fault::Backpressure => Some((503, "RESOURCE_EXHAUSTED")),
            Fault::ResourceExhausted => Some((500, "RESOURCE_EXHAUSTED")),
            Fault::NotFound => Some((404, "NOT_FOUND")),
            Fault::Status(status) => Some((status, "INJECTED_FAULT")),
            Fault::Delay(_) | Fault::DropConnection | Fault::DropResponse => None,
        }
    }

    pub(crate) fn delay(self) -> Option<Duration> {
        match self {
            Fault::Delay(delay) => Some(delay),
            _ => None,
        }
    }
}

/// One injected fault with the number of requests it still applies to.
#[derive(Debug, Clone)]
pub(crate) struct FaultRule {
    pub(crate) endpoint: Endpoint,
    pub(crate) fault: Fault,
    pub(crate) remaining: usize,
}
