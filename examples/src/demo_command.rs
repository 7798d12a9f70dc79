//! `connectors demo`

use std::process::ExitCode;

use camunda_connector_runtime::cli::Connectors;
use example_connectors::demo::{self, DemoServer};
use serde_json::json;

/// Starts the demo service, runs every scenario and prints each job and its command; fails when
/// a command is not the expected one.
pub(crate) async fn demo(connectors: &Connectors) -> Result<ExitCode, String> {
    let server = DemoServer::start()
        .await
        .map_err(|err| format!("cannot start the demo service: {err}"))?;
    println!("demo order service listening on http://{}\n", server.addr());

    let outcomes = demo::run(connectors, &server).await?;
    let mut unexpected = 0;
    for (index, outcome) in outcomes.iter().enumerate() {
        let job = &outcome.scenario.job;
        let shown = json!({
            "type": job.job_type,
            "retries": job.retries,
            "customHeaders": job.custom_headers,
            "variables": job.variables,
        });
        println!("{}. {}", index + 1, outcome.scenario.title);
        println!("job:\n{}", pretty(&shown));
        println!("command:\n{}\n", pretty(&outcome.command));
        if !outcome.as_expected() {
            unexpected += 1;
            println!(
                "!! expected a `{}` command, got `{}`\n",
                outcome.scenario.expected,
                outcome.command.name()
            );
        }
    }

    println!(
        "{} jobs, {} as expected",
        outcomes.len(),
        outcomes.len() - unexpected
    );
    Ok(if unexpected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn pretty(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|err| format!("<unprintable: {err}>"))
}
