//! The command line a connector binary gets from `cli::main`: the connector registry, the
//! arguments, `templates` writing into a directory and `invoke` running a job file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use camunda_connector_runtime::cli::{CliError, Command, Connectors, InvokeArgs, TemplatesArgs};
use camunda_connector_runtime::job::JobCommand;
use camunda_connector_sdk::outbound::DynOutboundConnector;
use camunda_connector_sdk::{
    ConnectorError, ConnectorInput, OutboundConnector, OutboundContext, async_trait,
};
use clap::Parser;
use serde::Deserialize;
use serde_json::{Value, json};

/// Greets someone; its input has an element template.
struct Greeter;

#[derive(Debug, Deserialize, ConnectorInput)]
#[template(id = "io.example.greeter.v1", name = "Greeter")]
struct Greeting {
    /// Who to greet.
    name: String,
    /// How to sign the greeting; usually a secret reference.
    signature: String,
}

#[async_trait]
impl OutboundConnector for Greeter {
    const NAME: &'static str = "greeter";
    const TYPE: &'static str = "io.example:greeter:1";
    type Input = Greeting;
    type Output = Value;

    async fn execute(&self, input: Greeting, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(json!({"text": format!("hello {}, {}", input.name, input.signature)}))
    }
}

/// Reads its variables raw, so it has no element template.
struct Raw;

#[async_trait]
impl OutboundConnector for Raw {
    const NAME: &'static str = "raw";
    const TYPE: &'static str = "io.example:raw:1";
    type Input = Value;
    type Output = Value;

    async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(input)
    }
}

/// Another connector whose template claims the greeter's id.
struct Impostor;

#[async_trait]
impl OutboundConnector for Impostor {
    const NAME: &'static str = "impostor";
    const TYPE: &'static str = "io.example:impostor:1";
    type Input = Greeting;
    type Output = Value;

    async fn execute(&self, _: Greeting, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(Value::Null)
    }
}

/// A fresh directory under the target dir, removed first if a previous run left it.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Writes `job` as a job file in a fresh directory.
fn job_file(name: &str, job: &Value) -> PathBuf {
    let dir = scratch_dir(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("job.json");
    std::fs::write(&path, job.to_string()).unwrap();
    path
}

fn greeting_job() -> Value {
    json!({
        "jobKey": "2251799813685249",
        "type": Greeter::TYPE,
        "retries": 3,
        "customHeaders": {"resultExpression": "={text: text}"},
        "variables": {"name": "Ada", "signature": "{{secrets.CLI_TEST_SIGNATURE}}"},
    })
}

#[derive(Debug, Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Own {
    #[command(flatten)]
    Connectors(Command),
    /// A command of the binary's own.
    Status,
}

#[derive(Debug, Parser)]
struct OwnCli {
    #[command(subcommand)]
    command: Own,
}

#[test]
fn connectors_are_found_by_job_type_in_the_order_added() {
    let shared: Arc<dyn DynOutboundConnector> = Arc::new(Raw);
    let connectors = Connectors::new().with(Greeter).with_shared(shared);

    assert_eq!(connectors.job_types(), [Greeter::TYPE, Raw::TYPE]);
    assert_eq!(connectors.find(Raw::TYPE).unwrap().metadata().name, "raw");
    assert_eq!(
        connectors.find(Greeter::TYPE).unwrap().metadata().name,
        "greeter"
    );
    assert!(connectors.find("io.example:nope:1").is_none());
    assert_eq!(connectors.len(), 2);
    assert_eq!(
        format!("{connectors:?}"),
        r#"Connectors { job_types: ["io.example:greeter:1", "io.example:raw:1"] }"#
    );
}

#[test]
fn the_subcommands_parse_alone_or_flattened_into_a_binarys_own() {
    let alone = Cli::try_parse_from(["shipping", "templates", "--out", "dist"]).unwrap();
    let flattened = OwnCli::try_parse_from(["shipping", "invoke", "--job", "j.json"]).unwrap();
    let own = OwnCli::try_parse_from(["shipping", "status"]).unwrap();

    assert!(
        matches!(alone.command, Command::Templates(args) if args == TemplatesArgs::new("dist"))
    );
    assert!(matches!(
        flattened.command,
        Own::Connectors(Command::Invoke(args)) if args == InvokeArgs::new("j.json")
    ));
    assert!(matches!(own.command, Own::Status));
}

#[test]
fn templates_writes_one_file_per_template_and_skips_connectors_without_one() {
    let dir = scratch_dir("templates").join("nested");
    let connectors = Connectors::new().with(Raw).with(Greeter);

    let written = TemplatesArgs::new(&dir).write(&connectors).unwrap();

    let path = dir.join("io.example.greeter.v1.json");
    assert_eq!(written, std::slice::from_ref(&path));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("}\n"), "pretty-printed with a newline");
    let template: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(template["id"], "io.example.greeter.v1");
    let properties = template["properties"].as_array().unwrap();
    assert!(properties.iter().any(|p| p["value"] == Greeter::TYPE));
    assert!(properties.iter().any(|p| p["id"] == "signature"));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn templates_with_the_same_id_are_refused_before_anything_is_written() {
    let dir = scratch_dir("duplicate-templates");
    let connectors = Connectors::new().with(Greeter).with(Impostor);

    let err = TemplatesArgs::new(&dir).write(&connectors).unwrap_err();

    assert!(
        matches!(&err, CliError::DuplicateTemplateId { id } if id == "io.example.greeter.v1"),
        "{err:?}"
    );
    assert!(!dir.exists(), "nothing is written");
}

#[test]
fn templates_reports_a_directory_it_cannot_create() {
    let blocker = scratch_dir("blocked");
    std::fs::create_dir_all(blocker.parent().unwrap()).unwrap();
    std::fs::write(&blocker, "a file where the directory should go").unwrap();

    let err = TemplatesArgs::new(&blocker)
        .write(&Connectors::new().with(Greeter))
        .unwrap_err();

    assert!(
        matches!(&err, CliError::Write { path, .. } if path == &blocker),
        "{err:?}"
    );
    assert!(err.to_string().contains(blocker.to_str().unwrap()), "{err}");
    std::fs::remove_file(&blocker).unwrap();
}

#[tokio::test]
async fn invoke_runs_the_job_file_through_the_pipeline_with_command_line_secrets() {
    let path = job_file("invoke", &greeting_job());
    let connectors = Connectors::new().with(Raw).with(Greeter);

    let command = InvokeArgs::new(&path)
        .secret("CLI_TEST_SIGNATURE", "yours, Bob")
        .invoke(&connectors)
        .await
        .unwrap();

    let JobCommand::Complete { variables } = command else {
        panic!("expected a completion, got {command:?}");
    };
    assert_eq!(variables["text"], "hello Ada, yours, Bob");
}

#[tokio::test]
async fn invoke_without_the_secret_prints_an_incident_naming_it() {
    let path = job_file("invoke-no-secret", &greeting_job());

    let command = InvokeArgs::new(&path)
        .invoke(&Connectors::new().with(Greeter))
        .await
        .unwrap();

    let JobCommand::Fail {
        retries,
        error_message,
        ..
    } = command
    else {
        panic!("expected a failure, got {command:?}");
    };
    assert_eq!(retries, 0);
    assert!(
        error_message.contains("CLI_TEST_SIGNATURE"),
        "{error_message}"
    );
}

#[tokio::test]
async fn invoke_rejects_an_unknown_job_type_listing_the_known_ones() {
    let mut job = greeting_job();
    job["type"] = json!("io.example:nope:1");
    let path = job_file("invoke-unknown", &job);

    let err = InvokeArgs::new(&path)
        .invoke(&Connectors::new().with(Greeter).with(Raw))
        .await
        .unwrap_err();

    assert_eq!(
        err.to_string(),
        "no connector handles job type `io.example:nope:1` (known: io.example:greeter:1, io.example:raw:1)"
    );
}

#[tokio::test]
async fn invoke_names_a_missing_or_malformed_job_file() {
    let dir = scratch_dir("invoke-bad-files");
    std::fs::create_dir_all(&dir).unwrap();
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, r#"{"jobKey": "1", "type": "#).unwrap();
    let missing = dir.join("absent.json");
    let connectors = Connectors::new().with(Greeter);

    let parse = InvokeArgs::new(&malformed).invoke(&connectors).await;
    let read = InvokeArgs::new(&missing).invoke(&connectors).await;

    let parse = parse.unwrap_err();
    let read = read.unwrap_err();
    assert!(matches!(parse, CliError::ParseJob { .. }), "{parse:?}");
    assert!(matches!(read, CliError::ReadJob { .. }), "{read:?}");
    assert!(parse.to_string().contains(malformed.to_str().unwrap()));
    assert!(read.to_string().contains(missing.to_str().unwrap()));
}

#[tokio::test]
async fn every_command_refuses_two_connectors_with_one_job_type() {
    let dir = scratch_dir("duplicate-types");
    let connectors = Connectors::new().with(Greeter).with(Greeter);

    let err = Command::Templates(TemplatesArgs::new(&dir))
        .execute(&connectors)
        .await
        .unwrap_err();

    assert!(
        matches!(&err, CliError::DuplicateJobType { job_type } if job_type == Greeter::TYPE),
        "{err:?}"
    );
    assert!(!dir.exists());
}
