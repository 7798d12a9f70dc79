//! An HTTP JSON connector input: tagged authentication, maps, a JSON body, numbers.

use std::collections::BTreeMap;

use camunda_connector_sdk::template::{FeelMode, PropertyType, outbound_template};
use camunda_connector_sdk::{
    ConnectorError, ConnectorInput, OutboundConnector, OutboundContext, async_trait,
};
use serde::Deserialize;
use serde_json::Value;

use super::support::{assert_snapshot, assert_valid};

#[derive(Debug, Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(
    id = "io.example.http.v1",
    name = "HTTP JSON (example)",
    version = 1,
    description = "Calls a JSON API",
    engine_version = "^8.8",
    group(id = "authentication", label = "Authentication"),
    group(id = "endpoint", label = "HTTP endpoint"),
    group(id = "timeout", label = "Timeout", open_by_default = false),
    group(id = "payload", label = "Payload")
)]
struct HttpRequest {
    #[template(group = "authentication")]
    authentication: Authentication,
    /// The HTTP method.
    #[template(group = "endpoint", default = "GET")]
    method: Method,
    /// The URL to call.
    #[template(group = "endpoint", placeholder = "https://api.example.test/v1")]
    #[validate(not_empty, url)]
    url: String,
    #[template(group = "endpoint")]
    headers: Option<BTreeMap<String, String>>,
    #[template(group = "endpoint")]
    query_parameters: Option<BTreeMap<String, String>>,
    #[template(
        group = "timeout",
        label = "Connection timeout (seconds)",
        default = 20
    )]
    #[validate(range(min = 0, max = 3600))]
    connection_timeout_in_seconds: Option<u32>,
    #[template(group = "payload", condition(property = "method", one_of = ["POST", "PUT", "PATCH"]))]
    body: Option<Value>,
}

#[derive(Debug, Deserialize, ConnectorInput)]
enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "DELETE")]
    Delete,
}

#[derive(Debug, Deserialize, ConnectorInput)]
#[serde(tag = "type", rename_all_fields = "camelCase")]
#[template(discriminator(label = "Type"))]
enum Authentication {
    #[serde(rename = "noAuth")]
    #[template(label = "None")]
    NoAuth,
    #[serde(rename = "basic")]
    Basic {
        #[validate(not_empty)]
        username: String,
        password: String,
    },
    #[serde(rename = "bearer")]
    Bearer {
        #[validate(not_empty)]
        token: String,
    },
    #[serde(rename = "oauth-client-credentials-flow")]
    #[template(label = "OAuth 2.0")]
    OAuth {
        #[validate(not_empty, url)]
        oauth_token_endpoint: String,
        client_id: String,
        client_secret: String,
        scopes: Option<String>,
    },
    #[serde(rename = "apiKey")]
    ApiKey(ApiKey),
}

#[derive(Debug, Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct ApiKey {
    #[template(
        default = "headers",
        choices(
            choice(value = "headers", label = "Headers"),
            choice(value = "query", label = "Query parameters")
        )
    )]
    location: String,
    #[validate(not_empty)]
    name: String,
    value: String,
}

struct Http;

#[async_trait]
impl OutboundConnector for Http {
    const NAME: &'static str = "http";
    const TYPE: &'static str = "io.example:http-json:1";
    type Input = HttpRequest;
    type Output = Value;

    async fn execute(&self, _: HttpRequest, _: &OutboundContext) -> Result<Value, ConnectorError> {
        Ok(Value::Null)
    }
}

#[test]
fn http_template_has_discriminator_conditions_and_fixed_tail() {
    let template = outbound_template::<Http>().unwrap();
    assert_valid(&template);

    let auth = template.property("authentication.type").unwrap();
    assert_eq!(auth.property_type, PropertyType::Dropdown);
    let token = template.property("authentication.token").unwrap();
    assert_eq!(
        serde_json::to_value(&token.condition).unwrap(),
        serde_json::json!({"property": "authentication.type", "equals": "bearer", "type": "simple"})
    );
    let location = template.property("authentication.location").unwrap();
    assert_eq!(location.binding.name(), "authentication.location");
    assert_eq!(
        template.property("headers").unwrap().feel,
        Some(FeelMode::Required)
    );
    assert_eq!(
        template
            .property("connectionTimeoutInSeconds")
            .unwrap()
            .property_type,
        PropertyType::Number
    );
    let ids: Vec<_> = template
        .properties
        .iter()
        .rev()
        .take(8)
        .map(|p| p.id.clone().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "jobTimeout",
            "retryBackoff",
            "retryCount",
            "errorExpression",
            "resultExpression",
            "resultVariable",
            "id",
            "version"
        ]
    );
    assert_snapshot("http", &template);
}
