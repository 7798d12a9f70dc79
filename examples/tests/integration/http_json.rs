//! The HTTP JSON connector against a local server.

use std::time::{Duration, Instant};

use camunda_connector_sdk::error::ErrorKind;
use camunda_connector_sdk::secrets::Secrets;
use example_connectors::http::{HTTP_CONNECTION_FAILED, HTTP_TIMEOUT};
use example_connectors::http_json::HttpJsonConnector;
use serde_json::{Value, json};

use crate::invoke;
use crate::server::{ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET, TestServer};

async fn call(variables: Value) -> Result<Value, camunda_connector_sdk::ConnectorError> {
    invoke(&HttpJsonConnector::new(), variables, Secrets::none()).await
}

#[tokio::test]
async fn get_returns_status_headers_body_and_reason() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "GET",
        "url": server.url("/echo/orders?x=1"),
        "queryParameters": {"page": "2", "q": "a b"},
        "headers": {"X-Trace": "t-1"}
    }))
    .await
    .unwrap();

    assert_eq!(result["status"], 200);
    assert_eq!(result["reason"], "OK");
    assert_eq!(result["headers"]["Content-Type"], "application/json");
    assert!(
        result["headers"].get("content-type").is_none(),
        "names are canonical, not lower case: {}",
        result["headers"]
    );
    assert_eq!(result["body"]["method"], "GET");
    assert_eq!(result["body"]["path"], "/echo/orders");
    assert_eq!(result["body"]["query"], "x=1&page=2&q=a+b");
    assert_eq!(result["body"]["headers"]["x-trace"], "t-1");
    assert_eq!(result["body"]["body"], "");
}

#[tokio::test]
async fn lower_case_methods_from_old_templates_work() {
    let server = TestServer::start().await;

    let result = call(json!({"method": "delete", "url": server.url("/echo")}))
        .await
        .unwrap();

    assert_eq!(result["body"]["method"], "DELETE");
}

#[tokio::test]
async fn json_bodies_are_sent_as_json_without_nulls_when_asked() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "POST",
        "url": server.url("/echo"),
        "body": {"name": "Jane", "note": null, "items": [{"sku": 1, "gift": null}]},
        "ignoreNullValues": true
    }))
    .await
    .unwrap();

    let sent: Value = serde_json::from_str(result["body"]["body"].as_str().unwrap()).unwrap();
    assert_eq!(sent, json!({"name": "Jane", "items": [{"sku": 1}]}));
    assert_eq!(
        result["body"]["headers"]["content-type"],
        "application/json"
    );
}

#[tokio::test]
async fn null_members_are_kept_by_default() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "PUT",
        "url": server.url("/echo"),
        "body": {"note": null}
    }))
    .await
    .unwrap();

    assert_eq!(result["body"]["body"], r#"{"note":null}"#);
}

#[tokio::test]
async fn string_bodies_are_sent_as_is() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "PATCH",
        "url": server.url("/echo"),
        "body": "{\"already\": \"json text\"}",
        "headers": {"Content-Type": "application/json"}
    }))
    .await
    .unwrap();

    assert_eq!(result["body"]["body"], "{\"already\": \"json text\"}");
    assert_eq!(
        result["body"]["headers"]["content-type"],
        "application/json"
    );
}

#[tokio::test]
async fn objects_are_sent_as_forms_when_the_content_type_says_so() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "POST",
        "url": server.url("/echo"),
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "body": {"name": "Jane Doe", "age": 42}
    }))
    .await
    .unwrap();

    assert_eq!(result["body"]["body"], "name=Jane+Doe&age=42");
    assert_eq!(
        result["body"]["headers"]["content-type"],
        "application/x-www-form-urlencoded"
    );
}

#[tokio::test]
async fn configured_authentication_wins_over_an_authorization_header() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "GET",
        "url": server.url("/echo"),
        "headers": {"Authorization": "Bearer stale"},
        "authentication": {"type": "bearer", "token": "fresh"}
    }))
    .await
    .unwrap();

    assert_eq!(result["body"]["headers"]["authorization"], "Bearer fresh");
}

#[tokio::test]
async fn bodies_are_not_sent_with_get() {
    let server = TestServer::start().await;

    let result = call(json!({"method": "GET", "url": server.url("/echo"), "body": {"a": 1}}))
        .await
        .unwrap();

    assert_eq!(result["body"]["body"], "");
}

#[tokio::test]
async fn text_responses_are_strings_and_cookies_a_list() {
    let server = TestServer::start().await;

    let text = call(json!({"method": "GET", "url": server.url("/text")}))
        .await
        .unwrap();
    let cookies = call(json!({"method": "GET", "url": server.url("/cookies")}))
        .await
        .unwrap();

    assert_eq!(text["body"], "plain words");
    assert_eq!(cookies["headers"]["Set-Cookie"], json!(["a=1", "b=2"]));
}

#[tokio::test]
async fn redirects_are_followed_only_when_asked() {
    let server = TestServer::start().await;
    let url = server.url("/redirect");

    let kept = call(json!({"method": "GET", "url": url})).await.unwrap();
    let followed = call(json!({"method": "GET", "url": url, "followRedirects": true}))
        .await
        .unwrap();

    assert_eq!(kept["status"], 302);
    assert_eq!(followed["body"]["path"], "/echo/redirected");
}

#[tokio::test]
async fn basic_authentication_sends_the_credentials() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "GET",
        "url": server.url("/echo"),
        "authentication": {"type": "basic", "username": "jane", "password": "pw"}
    }))
    .await
    .unwrap();

    // base64("jane:pw")
    assert_eq!(
        result["body"]["headers"]["authorization"],
        "Basic amFuZTpwdw=="
    );
}

#[tokio::test]
async fn bearer_authentication_reads_the_token_from_a_secret() {
    let server = TestServer::start().await;
    let secrets = Secrets::from_values([("API_TOKEN", "tok-1")]);

    let result = invoke(
        &HttpJsonConnector::new(),
        json!({
            "method": "GET",
            "url": server.url("/echo"),
            "authentication": {"type": "bearer", "token": "{{secrets.API_TOKEN}}"}
        }),
        secrets,
    )
    .await
    .unwrap();

    assert_eq!(result["body"]["headers"]["authorization"], "Bearer tok-1");
}

#[tokio::test]
async fn api_keys_go_in_a_header_or_the_query() {
    let server = TestServer::start().await;
    let with_key = |location: &str| {
        json!({
            "method": "GET",
            "url": server.url("/echo"),
            "authentication": {
                "type": "apiKey", "apiKeyLocation": location, "name": "x-api-key", "value": "k 1"
            }
        })
    };

    let header = call(with_key("headers")).await.unwrap();
    let query = call(with_key("query")).await.unwrap();

    assert_eq!(header["body"]["headers"]["x-api-key"], "k 1");
    assert_eq!(query["body"]["query"], "x-api-key=k+1");
    assert!(query["body"]["headers"].get("x-api-key").is_none());
}

fn oauth(server: &TestServer, client_authentication: &str, secret: &str) -> Value {
    json!({
        "method": "GET",
        "url": server.url("/echo"),
        "authentication": {
            "type": "oauth-client-credentials-flow",
            "oauthTokenEndpoint": server.url("/oauth/token"),
            "clientId": CLIENT_ID,
            "clientSecret": secret,
            "audience": "orders-api",
            "clientAuthentication": client_authentication,
            "scopes": "read:orders"
        }
    })
}

#[tokio::test]
async fn oauth_fetches_a_token_with_credentials_in_the_body() {
    let server = TestServer::start().await;

    let result = call(oauth(&server, "credentialsBody", CLIENT_SECRET))
        .await
        .unwrap();

    assert_eq!(
        result["body"]["headers"]["authorization"],
        format!("Bearer {ACCESS_TOKEN}")
    );
}

#[tokio::test]
async fn oauth_fetches_a_token_with_a_basic_auth_header() {
    let server = TestServer::start().await;

    let result = call(oauth(&server, "basicAuthHeader", CLIENT_SECRET))
        .await
        .unwrap();

    assert_eq!(
        result["body"]["headers"]["authorization"],
        format!("Bearer {ACCESS_TOKEN}")
    );
}

#[tokio::test]
async fn a_rejected_token_request_fails_with_its_status() {
    let server = TestServer::start().await;

    let err = call(oauth(&server, "credentialsBody", "wrong"))
        .await
        .unwrap_err();

    assert_eq!(err.code(), "401");
    assert_eq!(err.kind(), ErrorKind::Failure);
    assert_eq!(
        err.variables().unwrap()["response"]["body"]["error"],
        "invalid_client"
    );
}

#[tokio::test]
async fn http_errors_carry_the_status_reason_and_response() {
    let server = TestServer::start().await;

    let err = call(json!({"method": "GET", "url": server.url("/status/404")}))
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Failure);
    assert_eq!(err.code(), "404");
    assert_eq!(err.message(), "Not Found");
    let response = &err.variables().unwrap()["response"];
    assert_eq!(response["body"]["error"]["message"], "status 404 as asked");
    assert_eq!(response["headers"]["X-Request-Id"], "req-42");
    assert_eq!(response["headers"]["Content-Type"], "application/json");
    assert!(
        response.get("status").is_none(),
        "only headers and body, as Camunda's"
    );
}

#[tokio::test]
async fn server_errors_are_retryable_failures_too() {
    let server = TestServer::start().await;

    let err = call(json!({"method": "POST", "url": server.url("/status/503"), "body": {}}))
        .await
        .unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Failure);
    assert_eq!(err.code(), "503");
    assert_eq!(err.message(), "Service Unavailable");
}

#[tokio::test]
async fn a_silent_server_times_out_after_the_read_timeout() {
    let server = TestServer::start().await;
    let started = Instant::now();

    let err = call(json!({
        "method": "GET",
        "url": server.url("/slow"),
        "readTimeoutInSeconds": 1
    }))
    .await
    .unwrap_err();

    assert_eq!(err.code(), HTTP_TIMEOUT);
    assert_eq!(err.kind(), ErrorKind::Failure);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn nothing_listening_is_a_connection_failure() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);

    let err = call(json!({"method": "GET", "url": url}))
        .await
        .unwrap_err();

    assert_eq!(err.code(), HTTP_CONNECTION_FAILED);
    assert_eq!(err.kind(), ErrorKind::Failure);
    assert!(err.message().contains(&url), "{}", err.message());
}

#[tokio::test]
async fn a_url_without_http_scheme_fails_validation() {
    let err = call(json!({"method": "GET", "url": "127.0.0.1/orders"}))
        .await
        .unwrap_err();

    assert!(err.is_input());
    assert_eq!(err.code(), "VALIDATION_FAILED");
    assert_eq!(err.violations()[0].path, "url");
}

#[tokio::test]
async fn a_url_that_does_not_parse_is_an_input_error() {
    let err = call(json!({"method": "GET", "url": "http://exa mple.test/"}))
        .await
        .unwrap_err();

    assert!(err.is_input());
    assert_eq!(err.code(), "VALIDATION_FAILED");
    assert_eq!(err.violations()[0].path, "url");
}

#[tokio::test]
async fn empty_oauth_credentials_fail_validation_naming_each_field() {
    let err = call(json!({
        "method": "GET",
        "url": "http://127.0.0.1/",
        "authentication": {
            "type": "oauth-client-credentials-flow",
            "oauthTokenEndpoint": "",
            "clientId": "",
            "clientSecret": "s",
            "clientAuthentication": "credentialsBody"
        }
    }))
    .await
    .unwrap_err();

    let paths: Vec<&str> = err.violations().iter().map(|v| v.path.as_str()).collect();
    assert!(
        paths.contains(&"authentication.oauthTokenEndpoint"),
        "{paths:?}"
    );
    assert!(paths.contains(&"authentication.clientId"), "{paths:?}");
}

#[tokio::test]
async fn a_missing_url_is_an_input_error() {
    let err = call(json!({"method": "GET"})).await.unwrap_err();

    assert!(err.is_input(), "{err:?}");
    assert!(err.message().contains("url"), "{}", err.message());
}

#[tokio::test]
async fn headers_and_query_parameters_bind_from_json_text_and_numbers() {
    let server = TestServer::start().await;

    let result = call(json!({
        "method": "GET",
        "url": server.url("/echo"),
        "headers": "{\"X-Count\": 5}",
        "queryParameters": {"page": 2, "all": true},
        "connectionTimeoutInSeconds": "5"
    }))
    .await
    .unwrap();

    assert_eq!(result["body"]["headers"]["x-count"], "5");
    assert_eq!(result["body"]["query"], "all=true&page=2");
}
