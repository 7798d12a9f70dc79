//! Proof that the fake engine answers as Camunda's REST API does: Camunda's official Rust
//! client (`camunda-orchestration-sdk`) runs its job worker and sends messages against it.
//! The same scenario runs with our client in `engine_client.rs` and `worker.rs`.

use std::time::Duration;

use camunda_connector_testkit::fake_engine::{
    CommandKind, Endpoint, FakeEngine, FakeJob, JobOutcome,
};
use camunda_orchestration_sdk::{CamundaClient, CamundaOptions, JobAction, JobWorkerConfig};
use serde_json::json;

const TYPE: &str = "io.example:official:1";

fn official_client(engine: &FakeEngine) -> CamundaClient {
    CamundaClient::new(
        CamundaOptions::new()
            .with("CAMUNDA_REST_ADDRESS", engine.base_url())
            .with("CAMUNDA_AUTH_STRATEGY", "NONE")
            .with("CAMUNDA_FALCON", "false"),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_official_job_worker_activates_completes_fails_and_errors_jobs() {
    let engine = FakeEngine::start().await;
    let completed =
        engine.enqueue(FakeJob::new(TYPE).variables(json!({"action": "complete", "n": 1})));
    let failed = engine.enqueue(
        FakeJob::new(TYPE)
            .variables(json!({"action": "fail"}))
            .retries(1),
    );
    let errored = engine.enqueue(FakeJob::new(TYPE).variables(json!({"action": "error"})));
    let client = official_client(&engine);

    let mut config = JobWorkerConfig::new(TYPE)
        .max_jobs_to_activate(5)
        .worker_name("official");
    config.request_timeout_ms = 200;
    let worker = client.create_job_worker(config).spawn(|job| async move {
        match job.variables().get("action").and_then(|a| a.as_str()) {
            Some("complete") => JobAction::complete_with(json!({"doubled": 2})),
            Some("fail") => JobAction::Fail {
                error_message: "upstream down".into(),
                retries: Some(0),
                retry_backoff_ms: Some(1000),
                variables: None,
            },
            _ => JobAction::error("NO_STOCK"),
        }
    });
    engine.wait_for_all_jobs().await;
    tokio::time::timeout(Duration::from_secs(5), worker.shutdown())
        .await
        .unwrap()
        .unwrap();

    assert_eq!(engine.outcome(&completed), Some(JobOutcome::Completed));
    assert_eq!(
        engine.accepted_commands(&completed)[0].body["variables"],
        json!({"doubled": 2})
    );
    assert_eq!(engine.outcome(&failed), Some(JobOutcome::Incident));
    let fail = &engine.accepted_commands(&failed)[0];
    assert_eq!(
        (fail.kind, &fail.body["errorMessage"]),
        (CommandKind::Fail, &json!("upstream down"))
    );
    assert_eq!(
        engine.outcome(&errored),
        Some(JobOutcome::BpmnError("NO_STOCK".into()))
    );
    assert_eq!(engine.activations()[0].body["type"], TYPE);
}

#[tokio::test]
async fn the_official_client_publishes_and_correlates_messages() {
    use camunda_orchestration_sdk::models::{MessageCorrelationRequest, MessagePublicationRequest};

    let engine = FakeEngine::start().await;
    let client = official_client(&engine);
    let mut publication = MessagePublicationRequest::new("paid".into());
    publication.correlation_key = Some("order-1".into());
    let mut correlation = MessageCorrelationRequest::new("paid".into());
    correlation.correlation_key = Some("order-2".into());

    client.publish_message(publication).await.unwrap();
    client.correlate_message(correlation).await.unwrap();

    let requests = engine.requests();
    assert_eq!(requests[0].endpoint, Endpoint::Publication);
    assert_eq!(requests[0].body["correlationKey"], "order-1");
    assert_eq!(requests[1].endpoint, Endpoint::Correlation);
}
