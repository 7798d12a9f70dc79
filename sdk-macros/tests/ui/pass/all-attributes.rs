//! Every attribute in one legal combination; the template builds and validation runs.

use std::collections::BTreeMap;

use camunda_connector_sdk::ConnectorInput;
use camunda_connector_sdk::template::{BindingKind, FeelMode, PropertyType, properties_of};
use camunda_connector_sdk::validation::Validate;
use serde::Deserialize;

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(
    id = "io.example.all.v1",
    name = "All attributes",
    version = 3,
    description = "Uses every attribute",
    documentation_ref = "https://docs.example.test/all",
    keywords = ["example", "all"],
    engine_version = "^8.8",
    category(id = "tools", name = "Tools"),
    default_result_variable = "result",
    default_result_expression = "={status: response.status}",
    group(id = "main", label = "Main", tooltip = "The main settings"),
    groups = ["extra"],
)]
struct All {
    /// Shown below the input.
    #[template(group = "main", label = "Mode", default = "fast")]
    mode: Mode,
    #[template(
        group = "main",
        id = "endpoint",
        binding = "target",
        tooltip = "Where to send",
        placeholder = "https://",
        condition(property = "mode", equals = "fast")
    )]
    #[validate(not_empty, url)]
    #[serde(rename = "target")]
    url: String,
    #[template(group = "main", type = "Text", feel = "required", default = "={}")]
    body: Option<String>,
    #[template(group = "extra", condition(all_match(
        condition(property = "mode", one_of = ["fast", "slow"]),
        condition(property = "endpoint", is_active = true)
    )))]
    #[validate(range(min = 1, max = 10.5))]
    weight: Option<f64>,
    #[template(group = "extra", feel = "optional")]
    flag: bool,
    #[template(group = "extra", type = "Hidden", default = "v1")]
    api_version: String,
    #[template(group = "extra", optional)]
    #[validate(
        min_length = 1,
        max_length = 5,
        pattern = "^[a-z]+$",
        message = "lower case only"
    )]
    code: String,
    #[template(skip)]
    #[serde(default)]
    internal: BTreeMap<String, String>,
    #[template(group = "extra", nested_path = false)]
    inner: Inner,
    #[serde(skip)]
    #[validate(skip)]
    cache: Option<std::time::Instant>,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Fast,
    #[template(label = "Slow and steady")]
    Slow,
    #[template(skip)]
    Hidden,
}

#[derive(Deserialize, ConnectorInput)]
struct Inner {
    flag2: bool,
    #[template(condition(property = "flag2", equals = true))]
    nested: String,
}

fn main() {
    let properties = properties_of::<All>(BindingKind::Input).unwrap();
    let ids: Vec<_> = properties.iter().map(|p| p.id.clone().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "mode",
            "endpoint",
            "body",
            "weight",
            "flag",
            "apiVersion",
            "code",
            "flag2",
            "nested"
        ]
    );
    assert_eq!(properties[1].binding.name(), "target");
    assert_eq!(properties[2].property_type, PropertyType::Text);
    assert_eq!(properties[4].feel, Some(FeelMode::Optional));
    let input: All = serde_json::from_value(serde_json::json!({
        "mode": "fast", "target": "ftp://x", "flag": true, "apiVersion": "v1",
        "code": "ABC", "weight": 11.0, "inner": {"nested": "", "flag2": false}
    }))
    .unwrap();
    let rules: Vec<_> = input
        .validate()
        .unwrap_err()
        .into_iter()
        .map(|v| (v.path, v.rule))
        .collect();
    assert_eq!(
        rules,
        [
            ("target".into(), "url".into()),
            ("weight".into(), "range".into()),
            ("code".into(), "pattern".into())
        ]
    );
    let _ = (
        input.cache,
        input.internal,
        input.body,
        input.mode,
        input.api_version,
    );
}
