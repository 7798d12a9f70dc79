//! The generated element templates: snapshots, the official ids and bindings, and validity
//! against Camunda's element-template JSON schema.

use std::path::Path;

use camunda_connector_sdk::template::ElementTemplate;
use serde_json::{Value, json};

/// The templates, generated.
fn templates() -> Vec<ElementTemplate> {
    example_connectors::connectors()
        .iter()
        .map(|connector| {
            connector
                .element_template()
                .unwrap_or_else(|err| panic!("{}: {err}", connector.metadata().name))
        })
        .collect()
}

fn template(id: &str) -> Value {
    templates()
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no template {id}"))
        .to_value()
}

fn property<'a>(template: &'a Value, id: &str) -> &'a Value {
    template["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no property {id}"))
}

/// Every template equals its committed snapshot in `examples/element-templates/`.
/// `UPDATE_SNAPSHOTS=1 cargo test -p examples` rewrites them; review the diff.
#[test]
fn templates_match_their_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("element-templates");
    for template in templates() {
        let path = dir.join(format!("{}.json", template.id));
        let generated = template.to_json_pretty();
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|err| panic!("{}: {err}; run with UPDATE_SNAPSHOTS=1", path.display()));
        assert_eq!(
            generated, committed,
            "{} differs from its snapshot",
            template.id
        );
    }
}

#[test]
fn templates_are_valid_element_templates() {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../sdk/tests/schema/schema-0.46.0.json");
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let root = schema.as_object_mut().unwrap();
    root.remove("oneOf");
    root.insert("allOf".into(), json!([{"$ref": "#/definitions/template"}]));
    let validator = jsonschema::draft7::options().build(&schema).unwrap();

    for template in templates() {
        let value = template.to_value();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", template.id);
        assert_no_modeler_warnings(&value);
    }
}

/// The validator's warning rules that apply to generated job-worker templates.
fn assert_no_modeler_warnings(template: &Value) {
    for p in template["properties"].as_array().unwrap() {
        let id = &p["id"];
        if p["type"] == "Hidden" {
            assert!(p.get("value").is_some(), "Hidden {id} has no value");
        }
        if p["binding"]["type"] == "zeebe:input" {
            assert!(
                p.get("optional").is_none(),
                "{id} is optional on a zeebe:input"
            );
        }
        if let (Some("required"), Some(Value::String(value))) = (p["feel"].as_str(), p.get("value"))
        {
            assert!(
                value.starts_with('='),
                "{id} requires FEEL but its value is {value}"
            );
        }
    }
}

#[test]
fn http_json_mirrors_the_official_ids_bindings_and_groups() {
    let t = template("io.camunda.connectors.HttpJson.v2");
    assert_eq!(t["properties"][0]["value"], "io.camunda:http-json:1");
    assert_eq!(
        t["properties"][0]["binding"]["type"],
        "zeebe:taskDefinition"
    );

    let groups: Vec<&str> = t["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        [
            "authentication",
            "endpoint",
            "timeout",
            "payload",
            "connector",
            "output",
            "error",
            "retries"
        ]
    );

    // (id, group); the binding name equals the id for every input of the official template.
    let inputs = [
        ("authentication.type", "authentication"),
        ("authentication.apiKeyLocation", "authentication"),
        ("authentication.name", "authentication"),
        ("authentication.value", "authentication"),
        ("authentication.username", "authentication"),
        ("authentication.password", "authentication"),
        ("authentication.token", "authentication"),
        ("authentication.oauthTokenEndpoint", "authentication"),
        ("authentication.clientId", "authentication"),
        ("authentication.clientSecret", "authentication"),
        ("authentication.audience", "authentication"),
        ("authentication.clientAuthentication", "authentication"),
        ("authentication.scopes", "authentication"),
        ("method", "endpoint"),
        ("url", "endpoint"),
        ("headers", "endpoint"),
        ("queryParameters", "endpoint"),
        ("followRedirects", "endpoint"),
        ("connectionTimeoutInSeconds", "timeout"),
        ("readTimeoutInSeconds", "timeout"),
        ("body", "payload"),
        ("ignoreNullValues", "payload"),
    ];
    for (id, group) in inputs {
        let p = property(&t, id);
        assert_eq!(
            p["binding"],
            json!({"name": id, "type": "zeebe:input"}),
            "{id}"
        );
        assert_eq!(p["group"], group, "{id}");
    }

    let auth_type = property(&t, "authentication.type");
    assert_eq!(auth_type["type"], "Dropdown");
    assert_eq!(auth_type["value"], "noAuth");
    let choices: Vec<&str> = auth_type["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(
        choices,
        [
            "apiKey",
            "basic",
            "bearer",
            "noAuth",
            "oauth-client-credentials-flow"
        ]
    );

    assert_eq!(
        property(&t, "authentication.token")["condition"],
        json!({"property": "authentication.type", "equals": "bearer", "type": "simple"})
    );
    assert_eq!(
        property(&t, "authentication.clientAuthentication")["choices"],
        json!([
            {"name": "Send client credentials in body", "value": "credentialsBody"},
            {"name": "Send as Basic Auth header", "value": "basicAuthHeader"}
        ])
    );
    assert_eq!(
        property(&t, "body")["condition"],
        json!({"property": "method", "oneOf": ["POST", "PUT", "PATCH"], "type": "simple"})
    );
    assert_eq!(property(&t, "method")["value"], "GET");
    assert_eq!(property(&t, "headers")["feel"], "required");
    assert_eq!(property(&t, "connectionTimeoutInSeconds")["value"], 20);
}

#[test]
fn graphql_mirrors_the_official_ids_and_bindings() {
    let t = template("io.camunda.connectors.GraphQL.v1");
    assert_eq!(
        t["properties"][0]["value"],
        "io.camunda:connector-graphql:1"
    );

    for (id, group) in [
        ("authentication.type", "authentication"),
        ("authentication.token", "authentication"),
        ("graphql.method", "endpoint"),
        ("graphql.headers", "endpoint"),
        ("graphql.url", "endpoint"),
        ("graphql.query", "graphql"),
        ("graphql.variables", "graphql"),
        ("graphql.connectionTimeoutInSeconds", "timeout"),
        ("graphql.readTimeoutInSeconds", "timeout"),
    ] {
        let p = property(&t, id);
        assert_eq!(
            p["binding"],
            json!({"name": id, "type": "zeebe:input"}),
            "{id}"
        );
        assert_eq!(p["group"], group, "{id}");
    }

    let method = property(&t, "graphql.method");
    assert_eq!(method["value"], "get");
    assert_eq!(
        method["choices"],
        json!([{"name": "GET", "value": "get"}, {"name": "POST", "value": "post"}])
    );
    assert_eq!(property(&t, "graphql.query")["type"], "Text");
    assert_eq!(property(&t, "graphql.variables")["feel"], "required");
}

#[test]
fn templates_carry_their_own_icons() {
    for template in templates() {
        let icon = template.to_value()["icon"]["contents"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            icon.starts_with("data:image/svg+xml;base64,"),
            "{}",
            template.id
        );
    }
}
