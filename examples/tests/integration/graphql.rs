//! The GraphQL connector against a local server.

use camunda_connector_sdk::secrets::Secrets;
use example_connectors::graphql::GraphQlConnector;
use serde_json::{Value, json};

use crate::invoke;
use crate::server::TestServer;

fn query(server: &TestServer, method: &str) -> Value {
    json!({
        "graphql": {
            "url": server.url("/graphql"),
            "method": method,
            "query": "query Order($id: ID!) { order(id: $id) { status } }",
            "variables": {"id": "7"},
            "headers": {"X-Client": "tests"}
        },
        "authentication": {"type": "bearer", "token": "{{secrets.GQL_TOKEN}}"}
    })
}

#[tokio::test]
async fn post_sends_the_operation_as_json() {
    let server = TestServer::start().await;
    let secrets = Secrets::from_values([("GQL_TOKEN", "g-1")]);

    let result = invoke(&GraphQlConnector::new(), query(&server, "post"), secrets)
        .await
        .unwrap();

    let data = &result["body"]["data"];
    assert_eq!(result["status"], 200);
    assert_eq!(data["method"], "POST");
    assert_eq!(data["received"]["variables"], json!({"id": "7"}));
    assert!(
        data["received"]["query"]
            .as_str()
            .unwrap()
            .starts_with("query Order")
    );
    assert_eq!(data["authorization"], "Bearer g-1");
}

#[tokio::test]
async fn get_sends_the_operation_as_query_parameters() {
    let server = TestServer::start().await;
    let secrets = Secrets::from_values([("GQL_TOKEN", "g-1")]);

    let result = invoke(&GraphQlConnector::new(), query(&server, "get"), secrets)
        .await
        .unwrap();

    let data = &result["body"]["data"];
    assert_eq!(data["method"], "GET");
    assert_eq!(data["received"]["variables"], json!({"id": "7"}));
}

#[tokio::test]
async fn http_errors_look_like_the_rest_connector_s() {
    let server = TestServer::start().await;
    let variables = json!({
        "graphql": {"url": server.url("/status/500"), "method": "post", "query": "{ ping }"}
    });

    let err = invoke(&GraphQlConnector::new(), variables, Secrets::none())
        .await
        .unwrap_err();

    assert_eq!(err.code(), "500");
    assert_eq!(err.message(), "Internal Server Error");
    assert_eq!(
        err.variables().unwrap()["response"]["body"]["error"]["code"],
        500
    );
}
