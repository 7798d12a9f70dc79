//! `connectors run`: every example connector as a job worker against a Camunda 8 cluster.
//!
//! The settings are the worker's own (`camunda_connector_runtime::worker::RunArgs`): flags, then
//! `CAMUNDA_*` environment variables, then the legacy `ZEEBE_*` names. Secrets come from
//! `SECRET_<NAME>` environment variables.

use std::process::ExitCode;

use camunda_connector_runtime::worker::Runtime;
use camunda_connector_sdk::secrets::EnvSecretProvider;
use example_connectors::Registry;

use super::CliError;

pub(crate) use camunda_connector_runtime::worker::RunArgs;

/// Runs the worker until SIGTERM or Ctrl-C, then shuts down gracefully.
pub(super) async fn run(registry: &Registry, args: RunArgs) -> Result<ExitCode, CliError> {
    let builder = Runtime::builder()
        .args(args)
        .secrets(EnvSecretProvider::new());
    let runtime = registry
        .connectors()
        .iter()
        .fold(builder, |builder, connector| {
            builder.shared_connector(connector.clone())
        })
        .build()
        .map_err(|err| CliError::Run(err.to_string()))?;

    runtime
        .run_until_shutdown()
        .await
        .map_err(|err| CliError::Run(err.to_string()))?;
    Ok(ExitCode::SUCCESS)
}
