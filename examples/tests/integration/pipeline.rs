//! Both connectors through the real job pipeline (the testkit harness): result and error
//! expressions, retries and backoff, secret masking.

use std::time::Duration;

use camunda_connector_testkit::{CommandAssertions, JobCommand, TestJob};
use example_connectors::graphql::GraphQlConnector;
use example_connectors::http_json::HttpJsonConnector;
use serde_json::json;

use crate::server::TestServer;

fn closed_port_url(path: &str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}{path}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn fail_message(command: &JobCommand) -> &str {
    match command {
        JobCommand::Fail { error_message, .. } => error_message,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_result_expression_maps_the_response() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/echo/orders")}))
        .result_expression("={path: response.body.path, ok: status = 200}")
        .run(&HttpJsonConnector::new())
        .await;

    command.assert_completed(json!({"path": "/echo/orders", "ok": true}));
}

#[tokio::test]
async fn a_404_handled_by_the_error_expression_throws_a_bpmn_error() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/status/404")}))
        .error_expression(
            r#"=if error.code = "404" then bpmnError("NOT_FOUND", error.variables.response.body.error.message, {requestId: get value(error.variables.response.headers, "X-Request-Id")}) else null"#,
        )
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_bpmn_error("NOT_FOUND")
        .assert_message_contains("status 404 as asked")
        .assert_variables(json!({"requestId": "req-42"}));
}

/// Failure case C19: the error expression reads the failed response's body.
#[tokio::test]
async fn the_error_expression_reads_the_failed_response_body() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "POST", "url": server.url("/status/400"), "body": {}}))
        .error_expression(
            r#"=if error.code = "400" then bpmnError("QUOTA", error.variables.response.body.error.message, {detail: error.variables.response.body.error.code}) else null"#,
        )
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_bpmn_error("QUOTA")
        .assert_message_contains("status 400 as asked")
        .assert_variables(json!({"detail": 400}));
}

#[tokio::test]
async fn a_503_fails_with_one_retry_less_and_the_header_backoff() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/status/503")}))
        .error_expression(r#"=if error.code = "404" then bpmnError("NOT_FOUND", "") else null"#)
        .retry_backoff("PT10S")
        .retries(3)
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_failed(2)
        .assert_backoff(Duration::from_secs(10))
        .assert_error_code("503")
        .assert_message_contains("Service Unavailable");
}

/// FEEL case e24: an error expression written for Camunda's REST connector reads `Retry-After`
/// as servers send it, although the HTTP stack received it as `retry-after`.
#[tokio::test]
async fn the_error_expression_reads_retry_after_from_a_503() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/unavailable")}))
        .error_expression(
            r#"=if error.code = "503" then jobError("Service unavailable", {retryAfter: get value(error.variables.response.headers, "Retry-After"), contentType: error.variables.response.headers.`Content-Type`}) else null"#,
        )
        .retries(3)
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_failed(0)
        .assert_message_contains("Service unavailable");
    let JobCommand::Fail { variables, .. } = &command else {
        panic!("expected a failure, got {command:?}");
    };
    assert_eq!(variables["retryAfter"], "120");
    assert_eq!(variables["contentType"], "text/plain; charset=utf-8");
}

#[tokio::test]
async fn a_4xx_without_error_expression_is_retried_too() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/status/422")}))
        .retries(2)
        .run(&HttpJsonConnector::new())
        .await;

    command.assert_failed(1).assert_error_code("422");
}

#[tokio::test]
async fn a_timeout_is_a_retryable_failure() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": server.url("/slow"), "readTimeoutInSeconds": 1}))
        .retries(3)
        .run(&HttpJsonConnector::new())
        .await;

    command.assert_failed(2).assert_error_code("HTTP_TIMEOUT");
}

#[tokio::test]
async fn an_absurd_timeout_is_an_input_error_naming_the_field() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({
            "method": "GET",
            "url": server.url("/slow"),
            "readTimeoutInSeconds": u64::MAX
        }))
        .retries(3)
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_failed(0)
        .assert_message_contains("readTimeoutInSeconds");
}

#[tokio::test]
async fn a_secret_in_the_url_is_masked_in_the_failure() {
    let url = closed_port_url("/items?key={{secrets.API_KEY}}");

    let command = TestJob::new()
        .variables(json!({"method": "GET", "url": url}))
        .secret("API_KEY", "key-7f3a9c")
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_failed(2)
        .assert_error_code("HTTP_CONNECTION_FAILED");
    let rendered = serde_json::to_string(&command).unwrap();
    assert!(!rendered.contains("key-7f3a9c"), "{rendered}");
    assert!(
        fail_message(&command).contains("key=***"),
        "{}",
        fail_message(&command)
    );
}

#[tokio::test]
async fn a_secret_echoed_in_an_error_response_is_masked() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({
            "method": "GET",
            "url": server.url("/reject"),
            "headers": {"X-Api-Key": "{{secrets.API_KEY}}"}
        }))
        .secret("API_KEY", "key-7f3a9c")
        .run(&HttpJsonConnector::new())
        .await;

    command.assert_failed(2).assert_error_code("403");
    let rendered = serde_json::to_string(&command).unwrap();
    assert!(!rendered.contains("key-7f3a9c"), "{rendered}");
    assert!(rendered.contains("***"), "{rendered}");
}

#[tokio::test]
async fn a_missing_secret_fails_at_once_without_a_request() {
    let command = TestJob::new()
        .variables(json!({
            "method": "GET",
            "url": closed_port_url("/"),
            "authentication": {"type": "bearer", "token": "{{secrets.NOT_THERE}}"}
        }))
        .run(&HttpJsonConnector::new())
        .await;

    command
        .assert_failed(0)
        .assert_message_contains("NOT_THERE");
}

#[tokio::test]
async fn variables_that_do_not_bind_fail_at_once() {
    let command = TestJob::new()
        .variables(json!({"method": "FETCH", "url": "http://127.0.0.1/"}))
        .run(&HttpJsonConnector::new())
        .await;

    command.assert_failed(0).assert_message_contains("method");
}

#[tokio::test]
async fn graphql_results_map_like_rest_results() {
    let server = TestServer::start().await;

    let command = TestJob::new()
        .variables(json!({
            "graphql": {
                "url": server.url("/graphql"),
                "method": "post",
                "query": "{ ping }"
            }
        }))
        .result_expression("={method: body.data.method}")
        .run(&GraphQlConnector::new())
        .await;

    command.assert_completed(json!({"method": "POST"}));
}
