//! G14 and the worked example of the Java SDK reference (§4.14), in our shapes.

use std::collections::HashMap;

use camunda_connector_sdk::ConnectorInput;
use camunda_connector_sdk::template::{outbound_template, template_pattern};
use serde::Deserialize;
use serde_json::{Value, json};

use super::support::{assert_snapshot, assert_valid};

fn property(template: &camunda_connector_sdk::template::ElementTemplate, id: &str) -> Value {
    serde_json::to_value(
        template
            .property(id)
            .unwrap_or_else(|| panic!("no property {id}")),
    )
    .unwrap()
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.g14.v1", name = "G14")]
struct G14 {
    #[template(optional)]
    #[validate(
        min_length = 2,
        max_length = 8,
        pattern = "^[A-Z]+$",
        message = "upper only"
    )]
    code: String,
    region: String,
    headers: HashMap<String, String>,
    #[template(label = "Auth type")]
    auth: AuthMode,
    #[template(group = "other")]
    note: Option<String>,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "type")]
enum AuthMode {
    #[serde(rename = "basic")]
    #[template(label = "Basic")]
    Basic { user: String },
    #[serde(rename = "none")]
    #[template(label = "None")]
    NoAuth,
}

connector!(G14Connector, G14, "io.example:g14:1");

#[test]
fn g14_constraints_nested_enum_and_sealed() {
    let template = outbound_template::<G14Connector>().unwrap();
    assert_valid(&template);

    assert_eq!(
        property(&template, "code"),
        json!({"id":"code","label":"Code","constraints":{"notEmpty":false,"minLength":2,"maxLength":8,"pattern":{"value":template_pattern("^[A-Z]+$"),"message":"upper only"}},"feel":"optional","binding":{"name":"code","type":"zeebe:input"},"type":"String"})
    );
    assert_eq!(
        property(&template, "region"),
        json!({"id":"region","label":"Region","feel":"optional","binding":{"name":"region","type":"zeebe:input"},"type":"String"})
    );
    assert_eq!(
        property(&template, "headers"),
        json!({"id":"headers","label":"Headers","feel":"required","binding":{"name":"headers","type":"zeebe:input"},"type":"String"})
    );
    assert_eq!(
        property(&template, "auth.type"),
        json!({"id":"auth.type","label":"Auth type","binding":{"name":"auth.type","type":"zeebe:input"},"type":"Dropdown","choices":[{"name":"Basic","value":"basic"},{"name":"None","value":"none"}]})
    );
    assert_eq!(
        property(&template, "auth.user"),
        json!({"id":"auth.user","label":"User","feel":"optional","binding":{"name":"auth.user","type":"zeebe:input"},"condition":{"property":"auth.type","equals":"basic","type":"simple"},"type":"String"})
    );
    assert_snapshot("g14", &template);
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.g14-plain.v1", name = "G14 plain")]
struct Plain {
    auth: PlainAuth,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(tag = "type", rename_all = "lowercase")]
enum PlainAuth {
    Basic { user: String },
    NoAuth,
}

connector!(PlainConnector, Plain, "io.example:plain:1");

#[test]
fn g14_without_annotations_derives_labels_from_names() {
    let template = outbound_template::<PlainConnector>().unwrap();
    assert_valid(&template);

    let discriminator = property(&template, "auth.type");
    assert_eq!(discriminator["label"], "Plain auth");
    assert_eq!(
        discriminator["choices"],
        json!([{"name":"Basic","value":"basic"},{"name":"No auth","value":"noauth"}])
    );
    assert_eq!(
        discriminator["group"], "default",
        "no group anywhere puts all in `default`"
    );
    assert_eq!(template.groups[0].label, "Properties");
}

/// The worked example: weather lookup.
#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(
    id = "io.example.weather.v1",
    name = "Weather Lookup",
    version = 2,
    group(id = "query", label = "Query"),
    group(id = "auth", label = "Auth")
)]
struct WeatherRequest {
    #[template(group = "query", label = "City")]
    #[validate(not_empty)]
    city: String,
    #[template(group = "query", default = "METRIC")]
    units: Units,
    #[template(group = "query", default = 5)]
    days: Option<u32>,
    credentials: Credentials,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum Units {
    #[template(label = "Metric")]
    Metric,
    #[template(label = "Imperial")]
    Imperial,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct Credentials {
    #[template(group = "auth", label = "API key")]
    #[validate(not_empty)]
    api_key: String,
}

connector!(Weather, WeatherRequest, "io.example:weather:1");

#[test]
fn worked_example_matches_the_reference_shape() {
    let template = outbound_template::<Weather>().unwrap();
    assert_valid(&template);

    let head: Vec<Value> = template.properties[..5]
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    assert_eq!(
        Value::Array(head),
        json!([
            {"value":"io.example:weather:1","binding":{"property":"type","type":"zeebe:taskDefinition"},"type":"Hidden"},
            {"id":"city","label":"City","constraints":{"notEmpty":true},"feel":"optional","group":"query","binding":{"name":"city","type":"zeebe:input"},"type":"String"},
            {"id":"units","label":"Units","value":"METRIC","group":"query","binding":{"name":"units","type":"zeebe:input"},"type":"Dropdown","choices":[{"name":"Metric","value":"METRIC"},{"name":"Imperial","value":"IMPERIAL"}]},
            {"id":"days","label":"Days","value":5,"feel":"static","group":"query","binding":{"name":"days","type":"zeebe:input"},"type":"Number"},
            {"id":"credentials.apiKey","label":"API key","constraints":{"notEmpty":true},"feel":"optional","group":"auth","binding":{"name":"credentials.apiKey","type":"zeebe:input"},"type":"String"}
        ])
    );
    let groups: Vec<(&str, &str)> = template
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.label.as_str()))
        .collect();
    assert_eq!(
        groups,
        [
            ("query", "Query"),
            ("auth", "Auth"),
            ("connector", "Connector"),
            ("output", "Output mapping"),
            ("error", "Error handling"),
            ("retries", "Retries")
        ]
    );
    let version = property(&template, "version");
    assert_eq!(version["value"], "2");
    assert_eq!(
        version["binding"],
        json!({"key":"elementTemplateVersion","type":"zeebe:taskHeader"})
    );
    assert_eq!(property(&template, "id")["value"], "io.example.weather.v1");
    assert_eq!(property(&template, "retryBackoff")["value"], "PT30S");
    assert_eq!(
        property(&template, "retryCount")["binding"],
        json!({"property":"retries","type":"zeebe:taskDefinition"})
    );
    assert_eq!(property(&template, "jobTimeout")["optional"], true);
    assert_eq!(property(&template, "resultExpression")["feel"], "required");
    assert_eq!(property(&template, "errorExpression")["type"], "Text");
    assert_snapshot("weather", &template);
}

#[test]
fn json_keys_follow_the_generator_order() {
    let template = outbound_template::<Weather>().unwrap();
    let text = template.to_json_pretty();
    let top: Vec<&str> = [
        "\"$schema\"",
        "\"name\"",
        "\"id\"",
        "\"version\"",
        "\"category\"",
        "\"appliesTo\"",
        "\"elementType\"",
        "\"groups\"",
        "\"properties\"",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = top.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "top-level keys out of order"
    );
    assert!(text.ends_with("}\n"));
    assert_eq!(template.schema, camunda_connector_sdk::template::SCHEMA_URL);
}

#[derive(Deserialize, ConnectorInput)]
#[template(
    id = "io.example.icon.v1",
    name = "Icon",
    icon = "tests/template/icon.svg",
    keywords = ["icon"],
    documentation_ref = "https://docs.example.test/icon",
    category(id = "tools", name = "Tools")
)]
struct WithIcon {
    name: String,
}

connector!(IconConnector, WithIcon, "io.example:icon:1");

#[test]
fn icon_file_is_embedded_as_a_data_uri() {
    use base64::Engine as _;

    let template = outbound_template::<IconConnector>().unwrap();
    assert_valid(&template);
    let contents = &template.icon.as_ref().unwrap().contents;
    let encoded = contents.strip_prefix("data:image/svg+xml;base64,").unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(decoded, include_bytes!("icon.svg"));
    let value = template.to_value();
    assert_eq!(value["keywords"], json!(["icon"]));
    assert_eq!(value["category"], json!({"id": "tools", "name": "Tools"}));
}
