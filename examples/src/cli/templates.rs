//! `connectors templates --out DIR`

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use super::CliError;

/// Writes each example's element template as `<id>.json` and lists the files on stdout.
pub(super) fn write_all(out: &Path) -> Result<ExitCode, CliError> {
    let write_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CliError::Write { path, source }
    };
    fs::create_dir_all(out).map_err(write_error(out))?;

    for (connector, template) in example_connectors::templates() {
        let template = template.map_err(|source| CliError::Template { connector, source })?;
        let path = out.join(format!("{}.json", template.id));
        fs::write(&path, template.to_json_pretty()).map_err(write_error(&path))?;
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
