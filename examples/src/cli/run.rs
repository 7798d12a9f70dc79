//! `connectors run`: every example connector as a job worker against a Camunda 8 cluster.
//!
//! The engine worker (`camunda_connector_runtime::worker`) plugs in here: `RunArgs` takes its
//! connection settings and `run` hands it `registry.connectors()`.

use std::process::ExitCode;

use example_connectors::Registry;

use super::CliError;

/// Connection settings for the cluster.
#[derive(Debug, clap::Args)]
pub(crate) struct RunArgs {}

/// Runs the worker until interrupted.
pub(super) async fn run(registry: &Registry, _args: RunArgs) -> Result<ExitCode, CliError> {
    // Replaced by the worker call when `camunda_connector_runtime::worker` lands.
    Err(CliError::Run(format!(
        "`run` needs the engine worker, which this build does not have yet; the connectors it \
         would run: {}",
        registry.job_types().join(", ")
    )))
}
