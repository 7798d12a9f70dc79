//! Integration tests of the example connectors: each against a local axum server, through the
//! real job pipeline, and the `connectors` binary.

mod cli;
mod graphql;
mod http_json;
mod pipeline;
mod server;
mod templates;

use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::secrets::Secrets;
use camunda_connector_sdk::{ConnectorError, JobFacts, OutboundContext};
use serde_json::Value;

/// Binds `variables` (secrets replaced) and executes `connector`, as the pipeline does.
async fn invoke(
    connector: &dyn DynOutboundConnector,
    variables: Value,
    secrets: Secrets,
) -> Result<Value, ConnectorError> {
    let ctx = OutboundContext::new(JobFacts::default(), variables, secrets);
    connector.invoke(&ctx).await
}
