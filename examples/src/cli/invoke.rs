//! `connectors invoke --job FILE [--secret NAME=VALUE ...]`

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::ActivatedJob;
use camunda_connector_runtime::pipeline::JobPipeline;
use camunda_connector_sdk::secrets::{
    ChainSecretProvider, EnvSecretProvider, MemorySecretProvider,
};
use example_connectors::Registry;

use super::CliError;

/// Runs the job in `path` through the pipeline and prints the command.
pub(super) async fn invoke(
    registry: &Registry,
    path: &Path,
    secrets: Vec<(String, String)>,
) -> Result<ExitCode, CliError> {
    let job = read_job(path)?;
    let connector = registry
        .find(&job.job_type)
        .ok_or_else(|| CliError::UnknownJobType {
            job_type: job.job_type.clone(),
            known: registry.job_types().join(", "),
        })?;

    let provider = ChainSecretProvider::new()
        .with(MemorySecretProvider::new(secrets))
        .with(EnvSecretProvider::new());
    let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(provider));
    let command = pipeline.run(connector, job).await;

    println!("{}", pretty(&command));
    Ok(ExitCode::SUCCESS)
}

fn read_job(path: &Path) -> Result<ActivatedJob, CliError> {
    let text = std::fs::read_to_string(path).map_err(|source| CliError::ReadJob {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|source| CliError::ParseJob {
        path: path.to_path_buf(),
        source,
    })
}

pub(super) fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|err| format!("<unprintable: {err}>"))
}

/// Parses `NAME=VALUE`; the value may contain `=`.
pub(super) fn parse_secret(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_split_at_the_first_equals_sign() {
        assert_eq!(
            parse_secret("TOKEN=a=b"),
            Ok(("TOKEN".into(), "a=b".into()))
        );
        assert_eq!(parse_secret("EMPTY="), Ok(("EMPTY".into(), String::new())));
        assert!(parse_secret("=v").is_err());
        assert!(parse_secret("novalue").is_err());
    }
}
