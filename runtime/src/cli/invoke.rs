//! `invoke --job FILE [--secret NAME=VALUE ...]`: one activated job through the pipeline.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use camunda_connector_sdk::secrets::{
    ChainSecretProvider, EnvSecretProvider, MemorySecretProvider,
};

use super::{CliError, Connectors};
use crate::feel::FeelEngine;
use crate::job::{ActivatedJob, JobCommand};
use crate::pipeline::JobPipeline;

/// The arguments of `invoke`: a job file and the secrets it needs.
///
/// ```
/// use camunda_connector_runtime::cli::InvokeArgs;
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     invoke: InvokeArgs,
/// }
///
/// let cli = Cli::try_parse_from(["invoke", "--job", "job.json", "--secret", "TOKEN=a=b"]).unwrap();
/// assert_eq!(cli.invoke.job, std::path::Path::new("job.json"));
/// assert_eq!(cli.invoke.secrets, [("TOKEN".to_owned(), "a=b".to_owned())]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
#[non_exhaustive]
pub struct InvokeArgs {
    /// A job exactly as Camunda's REST job activation returns it; its `type` picks the
    /// connector.
    #[arg(long, value_name = "FILE")]
    pub job: PathBuf,
    /// A secret the job's variables reference; looked up before `SECRET_<NAME>` environment
    /// variables.
    #[arg(long = "secret", value_name = "NAME=VALUE", value_parser = parse_secret)]
    pub secrets: Vec<(String, String)>,
}

impl InvokeArgs {
    /// Arguments for the job in `job`, with no secrets of their own.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::InvokeArgs;
    /// let args = InvokeArgs::new("job.json").secret("TOKEN", "t-1");
    /// assert_eq!(args.secrets.len(), 1);
    /// ```
    pub fn new(job: impl Into<PathBuf>) -> Self {
        InvokeArgs {
            job: job.into(),
            secrets: Vec::new(),
        }
    }

    /// Adds a secret, as `--secret NAME=VALUE` does.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::InvokeArgs;
    /// let args = InvokeArgs::new("job.json").secret("A", "1").secret("B", "2");
    /// assert_eq!(args.secrets[1].0, "B");
    /// ```
    #[must_use]
    pub fn secret(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.secrets.push((name.into(), value.into()));
        self
    }

    /// Reads the job, finds its connector by job type and runs the job through the
    /// [`JobPipeline`], secrets looked up in the `--secret` values first, then in `SECRET_<NAME>`
    /// environment variables. Returns the command the engine would receive; a job that fails is
    /// a `fail` or `throwError` command, not an error.
    ///
    /// # Errors
    ///
    /// [`CliError::ReadJob`] or [`CliError::ParseJob`] when the file cannot be read or is not an
    /// activated job, [`CliError::UnknownJobType`] when no connector handles its type.
    ///
    /// ```
    /// use camunda_connector_runtime::cli::{CliError, Connectors, InvokeArgs};
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let err = InvokeArgs::new("no/such/job.json").invoke(&Connectors::new()).await.unwrap_err();
    /// assert!(matches!(err, CliError::ReadJob { .. }));
    /// # });
    /// ```
    pub async fn invoke(&self, connectors: &Connectors) -> Result<JobCommand, CliError> {
        let job = read_job(&self.job)?;
        let connector = connectors
            .find(&job.job_type)
            .ok_or_else(|| CliError::UnknownJobType {
                job_type: job.job_type.clone(),
                known: connectors.job_types(),
            })?;

        let secrets = ChainSecretProvider::new()
            .with(MemorySecretProvider::new(self.secrets.clone()))
            .with(EnvSecretProvider::new());
        let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(secrets));
        Ok(pipeline.run(connector, job).await)
    }
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

/// Parses `NAME=VALUE`; the value may contain `=` and may be empty, the name may not.
fn parse_secret(text: &str) -> Result<(String, String), String> {
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
        assert_eq!(
            parse_secret(" EMPTY ="),
            Ok(("EMPTY".into(), String::new()))
        );
    }

    #[test]
    fn a_secret_needs_a_name_and_an_equals_sign() {
        for text in ["=v", " =v", "novalue", ""] {
            let err = parse_secret(text).unwrap_err();
            assert!(err.contains("NAME=VALUE"), "{text}: {err}");
        }
    }
}
