//! The HTTP machinery the HTTP JSON and GraphQL connectors share: authentication, sending a
//! request and turning the response (or the failure) into what Camunda's REST connectors return.
//!
//! Both connectors bind their own input, build an [`HttpRequest`] from it and hand it to one
//! [`HttpClient`]. Everything a process model can observe is compatible with Camunda's
//! official REST connector:
//!
//! - the result is `{status, headers, body, reason}` ([`HttpResponse`]);
//! - a status of 400 or more fails the job with `error.code` = the status as a string,
//!   `error.message` = the reason phrase and `error.variables.response` = `{headers, body}`,
//!   retryable like any connector failure (4xx and 5xx alike, retries decrement);
//! - timeouts and connection problems are retryable failures with the codes
//!   [`HTTP_TIMEOUT`] and [`HTTP_CONNECTION_FAILED`] (Camunda's connector reports both as
//!   `"408"`; ours say what happened);
//! - `authentication` accepts `noAuth`, `basic`, `bearer`, `apiKey` and
//!   `oauth-client-credentials-flow` with the official field names.
//!
//! Differences a model could notice: header names are rendered in their canonical spelling
//! (`Content-Type`, `Retry-After`, `X-Request-Id`; see [`HttpResponse`]), which is how
//! servers usually send them over HTTP/1.1 but not necessarily the server's own spelling, since
//! the Rust HTTP stack lower-cases names on the way in; the reason phrase is the standard one for
//! the status, not the server's own wording.

mod auth;
mod client;
mod response;

pub use auth::{ApiKeyLocation, Authentication, ClientAuthentication};
pub use client::{
    HTTP_CONNECTION_FAILED, HTTP_REQUEST_FAILED, HTTP_RESPONSE_FAILED, HTTP_TIMEOUT, HttpClient,
    HttpMethod, HttpRequest, MAX_TIMEOUT, Timeouts,
};
pub use response::HttpResponse;

pub(crate) use client::scalar_text;
