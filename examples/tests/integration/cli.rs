//! The `connectors` binary: `invoke` on the sample jobs, `templates`, `demo` and its errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn connectors(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connectors"))
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("SECRET_ORDERS_TOKEN")
        .env_remove("SECRET_GRAPHQL_API_KEY")
        .output()
        .expect("the connectors binary runs")
}

fn sample(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("jobs")
        .join(name)
        .display()
        .to_string()
}

fn stdout_json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}, stderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn invoke_prints_the_fail_command_of_an_unreachable_service() {
    let command = stdout_json(&connectors(&[
        "invoke",
        "--job",
        &sample("http-json-unreachable.json"),
    ]));

    assert_eq!(command["command"], "fail");
    assert_eq!(command["retries"], 2);
    assert_eq!(command["retryBackoff"], "PT10S");
    assert_eq!(
        command["variables"]["error"]["code"],
        "HTTP_CONNECTION_FAILED"
    );
}

#[test]
fn invoke_runs_the_error_expression() {
    let command = stdout_json(&connectors(&[
        "invoke",
        "--job",
        &sample("http-json-unreachable-handled.json"),
    ]));

    assert_eq!(command["command"], "throwError");
    assert_eq!(command["errorCode"], "ORDER_SERVICE_DOWN");
}

#[test]
fn invoke_takes_secrets_from_the_command_line() {
    let job = sample("http-json-bearer-secret.json");

    let with = stdout_json(&connectors(&[
        "invoke",
        "--job",
        &job,
        "--secret",
        "ORDERS_TOKEN=t-1",
    ]));
    let without = stdout_json(&connectors(&["invoke", "--job", &job]));

    assert_eq!(with["retries"], 2, "the request was attempted: {with}");
    assert_eq!(
        without["retries"], 0,
        "a missing secret is an incident: {without}"
    );
    assert!(
        without["errorMessage"]
            .as_str()
            .unwrap()
            .contains("ORDERS_TOKEN")
    );
}

#[test]
fn invoke_falls_back_to_secret_environment_variables() {
    let output = Command::new(env!("CARGO_BIN_EXE_connectors"))
        .args(["invoke", "--job", &sample("graphql-query.json")])
        .env("SECRET_GRAPHQL_API_KEY", "k-env")
        .output()
        .unwrap();

    let command = stdout_json(&output);
    assert_eq!(command["command"], "fail");
    assert_eq!(command["retries"], 1);
    assert_eq!(
        command["variables"]["error"]["code"],
        "HTTP_CONNECTION_FAILED"
    );
}

#[test]
fn invoke_fails_input_that_does_not_bind_without_retries() {
    let command = stdout_json(&connectors(&[
        "invoke",
        "--job",
        &sample("http-json-invalid-input.json"),
    ]));

    assert_eq!(command["command"], "fail");
    assert_eq!(command["retries"], 0);
    assert!(command["errorMessage"].as_str().unwrap().contains("method"));
}

#[test]
fn invoke_turns_malformed_variables_into_a_fail_command() {
    let dir = scratch_dir("malformed-variables");
    std::fs::create_dir_all(&dir).unwrap();
    let job = dir.join("job.json");
    std::fs::write(
        &job,
        r#"{"jobKey": "1", "type": "io.camunda:http-json:1", "retries": 3, "variables": "{not json"}"#,
    )
    .unwrap();

    let command = stdout_json(&connectors(&["invoke", "--job", job.to_str().unwrap()]));

    assert_eq!(command["command"], "fail");
    assert_eq!(command["retries"], 0);
}

#[test]
fn invoke_rejects_an_unknown_job_type() {
    let dir = scratch_dir("unknown-type");
    std::fs::create_dir_all(&dir).unwrap();
    let job = dir.join("job.json");
    std::fs::write(
        &job,
        r#"{"jobKey": "1", "type": "io.example:nope:1", "retries": 3}"#,
    )
    .unwrap();

    let output = connectors(&["invoke", "--job", job.to_str().unwrap()]);

    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(
        stderr(&output).contains("io.example:nope:1"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("io.camunda:http-json:1"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn invoke_rejects_a_missing_or_malformed_job_file() {
    let dir = scratch_dir("malformed-job");
    std::fs::create_dir_all(&dir).unwrap();
    let malformed = dir.join("job.json");
    std::fs::write(&malformed, r#"{"jobKey": "1", "type": "#).unwrap();
    let missing = dir.join("absent.json");

    for path in [&malformed, &missing] {
        let output = connectors(&["invoke", "--job", path.to_str().unwrap()]);

        assert!(!output.status.success(), "{path:?}");
        assert!(
            stderr(&output).contains(path.to_str().unwrap()),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn invoke_rejects_a_malformed_secret_argument() {
    let output = connectors(&[
        "invoke",
        "--job",
        &sample("graphql-query.json"),
        "--secret",
        "NOVALUE",
    ]);

    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("NAME=VALUE"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn templates_writes_one_parseable_file_per_connector() {
    let dir = scratch_dir("templates");

    let output = connectors(&["templates", "--out", dir.to_str().unwrap()]);

    assert!(output.status.success(), "{}", stderr(&output));
    for id in [
        "io.camunda.connectors.HttpJson.v2",
        "io.camunda.connectors.GraphQL.v1",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{id}.json"))).unwrap();
        assert!(text.ends_with("}\n"));
        let template: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(template["id"], id);
    }
}

#[test]
fn demo_runs_every_scenario_as_expected() {
    let output = connectors(&["demo"]);
    let stdout = String::from_utf8_lossy(&output.stdout);

    assert!(output.status.success(), "{stdout}\n{}", stderr(&output));
    assert!(stdout.contains("6 jobs, 6 as expected"), "{stdout}");
    assert!(stdout.contains("\"command\": \"throwError\""), "{stdout}");
    // The 503 scenario's error expression retries after the server's `Retry-After`, not the
    // task's `retryBackoff` of 10 seconds.
    assert!(stdout.contains("\"retryAfter\": \"30\""), "{stdout}");
    assert!(stdout.contains("\"retryBackoff\": \"PT30S\""), "{stdout}");
}
