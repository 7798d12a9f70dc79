//! `templates --out DIR`: every connector's element template as a file.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use camunda_connector_sdk::template::{ElementTemplate, TemplateError};

use super::{CliError, Connectors};

/// The arguments of `templates`: where the element templates go.
///
/// ```
/// use camunda_connector_runtime::cli::TemplatesArgs;
/// use clap::Parser;
///
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     templates: TemplatesArgs,
/// }
///
/// let cli = Cli::try_parse_from(["templates", "--out", "target/templates"]).unwrap();
/// assert_eq!(cli.templates.out, std::path::Path::new("target/templates"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
#[non_exhaustive]
pub struct TemplatesArgs {
    /// The directory; created when missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

impl TemplatesArgs {
    /// Arguments that write into `out`.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::TemplatesArgs;
    /// assert_eq!(TemplatesArgs::new("templates").out, std::path::Path::new("templates"));
    /// ```
    pub fn new(out: impl Into<PathBuf>) -> Self {
        TemplatesArgs { out: out.into() }
    }

    /// Writes each connector's element template (see
    /// [`DynOutboundConnector::element_template`](camunda_connector_sdk::outbound::DynOutboundConnector::element_template))
    /// as `<template id>.json`, pretty-printed with a trailing newline, creating the directory
    /// when missing. Returns the paths written, in the order the connectors were added.
    ///
    /// Every template is generated before any file is written, so an invalid one leaves the
    /// directory untouched. A connector whose input carries no template metadata (such as one
    /// that reads its variables as raw JSON) has no template: it is skipped with a warning.
    ///
    /// # Errors
    ///
    /// [`CliError::Template`] for a template with problems, [`CliError::DuplicateTemplateId`] when
    /// two connectors' templates share an id, [`CliError::TemplateFileName`] for an id that is not
    /// a plain file name, and [`CliError::Write`] when the directory or a file cannot be written.
    ///
    /// ```
    /// use camunda_connector_runtime::cli::{Connectors, TemplatesArgs};
    ///
    /// let out = std::env::temp_dir().join("no-connectors-no-templates");
    /// let written = TemplatesArgs::new(&out).write(&Connectors::new()).unwrap();
    /// assert!(written.is_empty());
    /// assert!(out.is_dir());
    /// ```
    pub fn write(&self, connectors: &Connectors) -> Result<Vec<PathBuf>, CliError> {
        let templates = generate(connectors)?;
        fs::create_dir_all(&self.out).map_err(write_error(&self.out))?;

        templates
            .iter()
            .map(|template| {
                let path = self.out.join(format!("{}.json", template.id));
                fs::write(&path, template.to_json_pretty()).map_err(write_error(&path))?;
                Ok(path)
            })
            .collect()
    }
}

/// Every connector's template, checked for unique ids that are safe file names.
fn generate(connectors: &Connectors) -> Result<Vec<ElementTemplate>, CliError> {
    let mut templates = Vec::new();
    let mut ids = BTreeSet::new();

    for connector in connectors {
        let name = connector.metadata().name;
        let template = match connector.element_template() {
            Ok(template) => template,
            Err(TemplateError::MissingMetadata { type_name }) => {
                tracing::warn!(
                    connector = %name,
                    input = type_name,
                    "no element template written: the input type has no template metadata"
                );
                continue;
            }
            Err(source) => {
                return Err(CliError::Template {
                    connector: name,
                    source,
                });
            }
        };
        if !is_file_name(&template.id) {
            return Err(CliError::TemplateFileName { id: template.id });
        }
        if !ids.insert(template.id.clone()) {
            return Err(CliError::DuplicateTemplateId { id: template.id });
        }
        templates.push(template);
    }
    Ok(templates)
}

/// Whether `<id>.json` stays inside the output directory.
fn is_file_name(id: &str) -> bool {
    !id.is_empty() && id != "." && id != ".." && !id.contains(['/', '\\', '\0'])
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> CliError + use<> {
    let path = path.to_path_buf();
    move |source| CliError::Write { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_ids_must_be_plain_file_names() {
        assert!(is_file_name("io.camunda.connectors.HttpJson.v2"));
        for id in ["", ".", "..", "a/b", "..\\b", "/etc/x"] {
            assert!(!is_file_name(id), "{id:?}");
        }
    }
}
