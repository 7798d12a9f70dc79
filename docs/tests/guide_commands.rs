//! The commands the getting-started guide prints are the ones the pipeline sends.
//!
//! The guide marks a job with `<!-- job: NAME -->` before its JSON block, and each printed command
//! with `<!-- command: NAME [with SECRET=VALUE ...] -->`. Every marked command must equal what the
//! real pipeline decides for that job, with those secrets and no others, through the guide's
//! connector.

use std::collections::BTreeMap;
use std::sync::Arc;

use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::ActivatedJob;
use camunda_connector_runtime::pipeline::JobPipeline;
use camunda_connector_sdk::secrets::MemorySecretProvider;
use docs::shipping::ShipmentConnector;
use serde_json::Value;

const GUIDE: &str = include_str!("../getting-started.md");

/// A marker comment and the JSON block that follows it.
struct Marked {
    marker: String,
    json: Value,
}

fn marked_blocks(markdown: &str) -> Vec<Marked> {
    let mut found = Vec::new();
    let mut lines = markdown.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let Some(marker) = line
            .trim()
            .strip_prefix("<!--")
            .and_then(|rest| rest.strip_suffix("-->"))
        else {
            continue;
        };
        let fence = lines.next().map(|(_, l)| l.trim());
        assert_eq!(
            fence,
            Some("```json"),
            "the marker at line {} must be followed by a ```json block",
            number + 1
        );
        let text: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| l.trim() != "```")
            .collect();
        let json = serde_json::from_str(&text.join("\n"))
            .unwrap_or_else(|err| panic!("the block after line {} is not JSON: {err}", number + 1));
        found.push(Marked {
            marker: marker.trim().to_owned(),
            json,
        });
    }
    found
}

/// `NAME [with K=V ...]` → the job name and its secrets.
fn parse_command_marker(text: &str) -> (String, BTreeMap<String, String>) {
    let mut words = text.split_whitespace();
    let name = words
        .next()
        .expect("a command marker names its job")
        .to_owned();
    let mut secrets = BTreeMap::new();
    match words.next() {
        None => {}
        Some("with") => {
            for pair in words {
                let (key, value) = pair
                    .split_once('=')
                    .expect("secrets are written NAME=VALUE");
                secrets.insert(key.to_owned(), value.to_owned());
            }
        }
        Some(other) => panic!("unexpected `{other}` in the command marker `{text}`"),
    }
    (name, secrets)
}

#[tokio::test]
async fn every_printed_command_is_what_the_pipeline_sends() {
    let blocks = marked_blocks(GUIDE);
    let jobs: BTreeMap<&str, &Value> = blocks
        .iter()
        .filter_map(|b| Some((b.marker.strip_prefix("job:")?.trim(), &b.json)))
        .collect();
    let commands: Vec<(&str, &Value)> = blocks
        .iter()
        .filter_map(|b| Some((b.marker.strip_prefix("command:")?.trim(), &b.json)))
        .collect();
    assert!(!commands.is_empty(), "the guide marks no printed command");

    for (marker, expected) in commands {
        let (name, secrets) = parse_command_marker(marker);
        let job = jobs
            .get(name.as_str())
            .unwrap_or_else(|| panic!("no job block is marked `job: {name}`"));
        let job: ActivatedJob = serde_json::from_value((*job).clone()).expect("an activated job");

        let pipeline = JobPipeline::new(
            FeelEngine::new(),
            Arc::new(MemorySecretProvider::new(secrets)),
        );
        let command = pipeline.run(&ShipmentConnector::default(), job).await;

        let actual = serde_json::to_value(&command).expect("commands serialise");
        assert_eq!(&actual, expected, "the command printed for `{marker}`");
    }
}
