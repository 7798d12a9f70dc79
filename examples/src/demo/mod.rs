//! The demo: realistic jobs for both connectors against a local order service, each run
//! through the real job pipeline, with no Camunda and no internet.
//!
//! ```text
//! cargo run -p examples -- demo
//! ```
//!
//! [`scenarios`] builds the jobs as Camunda's job activation would deliver them, with the task
//! headers the official element templates write (`resultExpression`, `errorExpression`,
//! `retryBackoff`); [`run`] sends each through [`JobPipeline`] and reports the engine command.

mod server;

use std::sync::Arc;

use camunda_connector_runtime::cli::Connectors;
use camunda_connector_runtime::feel::FeelEngine;
use camunda_connector_runtime::job::{ActivatedJob, JobCommand};
use camunda_connector_runtime::pipeline::JobPipeline;
use camunda_connector_sdk::secrets::MemorySecretProvider;
use serde_json::{Value, json};

pub use server::{CLIENT_ID, CLIENT_SECRET, DemoServer, ORDERS_TOKEN};

/// One demo job and the command it is expected to end in.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Scenario {
    /// What the job shows.
    pub title: &'static str,
    /// The job, as Camunda's job activation returns it.
    pub job: ActivatedJob,
    /// The expected command's name: `complete`, `fail` or `throwError`.
    pub expected: &'static str,
}

/// The outcome of one scenario.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Outcome {
    /// The scenario.
    pub scenario: Scenario,
    /// What the pipeline decided.
    pub command: JobCommand,
}

impl Outcome {
    /// Whether the command is the expected one.
    pub fn as_expected(&self) -> bool {
        self.command.name() == self.scenario.expected
    }
}

/// The secrets the demo jobs reference, as an operator would configure them.
pub fn secrets() -> MemorySecretProvider {
    MemorySecretProvider::new([
        ("ORDERS_TOKEN", ORDERS_TOKEN),
        ("CLIENT_SECRET", CLIENT_SECRET),
    ])
}

/// The demo jobs, pointing at `server`.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use example_connectors::demo::{scenarios, DemoServer};
/// let server = DemoServer::start().await?;
/// assert!(scenarios(&server).len() >= 5);
/// # Ok(()) }
/// # let _ = run;
/// ```
pub fn scenarios(server: &DemoServer) -> Vec<Scenario> {
    vec![
        Scenario {
            title: "GET an order and map two fields with a result expression",
            job: http_job(
                "1",
                json!({"method": "GET", "url": server.url("/orders/7")}),
                json!({"resultExpression": "={orderStatus: response.body.status, total: body.total}"}),
            ),
            expected: "complete",
        },
        Scenario {
            title: "POST an order with a bearer token read from a secret",
            job: http_job(
                "2",
                json!({
                    "method": "POST",
                    "url": server.url("/orders"),
                    "authentication": {"type": "bearer", "token": "{{secrets.ORDERS_TOKEN}}"},
                    "headers": {"X-Request-Id": "demo-2"},
                    "body": {"items": [{"sku": "A-1", "quantity": 1}], "note": null},
                    "ignoreNullValues": true
                }),
                json!({"resultVariable": "createdOrder"}),
            ),
            expected: "complete",
        },
        Scenario {
            title: "GET a missing order: the error expression turns the 404 into a BPMN error",
            job: http_job(
                "3",
                json!({"method": "GET", "url": server.url("/orders/404")}),
                json!({
                    "errorExpression": "=if error.code = \"404\" then bpmnError(\"ORDER_NOT_FOUND\", \
                        error.variables.response.body.message, {orderId: 404}) else null"
                }),
            ),
            expected: "throwError",
        },
        Scenario {
            title: "GET an unavailable service: the error expression retries after its Retry-After",
            job: http_job(
                "4",
                json!({"method": "GET", "url": server.url("/inventory/A-1")}),
                json!({
                    "errorExpression": "=if error.code = \"503\" then jobError(error.message, \
                        {retryAfter: get value(error.variables.response.headers, \"Retry-After\")}, \
                        job.retries - 1, \
                        duration(\"PT\" + get value(error.variables.response.headers, \"Retry-After\") + \"S\")) \
                        else null",
                    "retryBackoff": "PT10S"
                }),
            ),
            expected: "fail",
        },
        Scenario {
            title: "OAuth 2.0 client credentials: fetch a token, then call the API with it",
            job: http_job(
                "5",
                json!({
                    "method": "GET",
                    "url": server.url("/reports"),
                    "authentication": {
                        "type": "oauth-client-credentials-flow",
                        "oauthTokenEndpoint": server.url("/oauth/token"),
                        "clientId": CLIENT_ID,
                        "clientSecret": "{{secrets.CLIENT_SECRET}}",
                        "clientAuthentication": "credentialsBody",
                        "scopes": "reports:read"
                    }
                }),
                json!({"resultExpression": "={reportCount: count(body.reports)}"}),
            ),
            expected: "complete",
        },
        Scenario {
            title: "GraphQL query with variables",
            job: job(
                "6",
                crate::graphql::JOB_TYPE,
                json!({
                    "graphql": {
                        "url": server.url("/graphql"),
                        "method": "post",
                        "query": "query Order($id: ID!) { order(id: $id) { id status } }",
                        "variables": {"id": "7"}
                    }
                }),
                json!({"resultExpression": "={graphqlStatus: body.data.order.status}"}),
            ),
            expected: "complete",
        },
    ]
}

/// Runs every scenario through the pipeline with the demo's secrets.
///
/// # Errors
///
/// A message when a scenario's job type has no connector in `connectors`.
pub async fn run(connectors: &Connectors, server: &DemoServer) -> Result<Vec<Outcome>, String> {
    let pipeline = JobPipeline::new(FeelEngine::new(), Arc::new(secrets()));
    let mut outcomes = Vec::new();

    for scenario in scenarios(server) {
        let connector = connectors
            .find(&scenario.job.job_type)
            .ok_or_else(|| format!("no connector for job type `{}`", scenario.job.job_type))?;
        let command = pipeline.run(connector, scenario.job.clone()).await;
        outcomes.push(Outcome { scenario, command });
    }
    Ok(outcomes)
}

fn http_job(key: &str, variables: Value, headers: Value) -> ActivatedJob {
    job(key, crate::http_json::JOB_TYPE, variables, headers)
}

fn job(key: &str, job_type: &str, variables: Value, headers: Value) -> ActivatedJob {
    let mut job = ActivatedJob::new(format!("225179981368{key}"), job_type, 3);
    job.process_instance_key = "2251799813680001".to_owned();
    job.process_definition_id = "order-fulfilment".to_owned();
    job.element_id = format!("task-{key}");
    job.variables = variables;
    if let Value::Object(headers) = headers {
        job.custom_headers = headers;
    }
    job
}
