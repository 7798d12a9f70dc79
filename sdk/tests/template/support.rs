//! Helpers shared by the template tests.

use std::sync::LazyLock;

use camunda_connector_sdk::template::ElementTemplate;
use serde_json::{Value, json};

static SCHEMA: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    let text = include_str!("../schema/schema-0.46.0.json");
    let mut schema: Value = serde_json::from_str(text).expect("the vendored schema is JSON");
    let root = schema.as_object_mut().expect("the schema is an object");
    root.remove("oneOf");
    root.insert("allOf".into(), json!([{"$ref": "#/definitions/template"}]));
    jsonschema::draft7::options()
        .build(&schema)
        .expect("the vendored schema compiles")
});

/// Panics with every schema error of `template`.
pub(crate) fn assert_schema_valid(template: &ElementTemplate) {
    let value = template.to_value();
    let errors: Vec<String> = SCHEMA
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "template `{}` violates the schema:\n{}",
        template.id,
        errors.join("\n")
    );
}

/// Panics unless every `condition.property` names an existing property id shown earlier.
pub(crate) fn assert_conditions_resolve(template: &ElementTemplate) {
    for (index, property) in template.properties.iter().enumerate() {
        let Some(condition) = &property.condition else {
            continue;
        };
        for target in condition.properties() {
            let at = template
                .properties
                .iter()
                .position(|p| p.id.as_deref() == Some(target));
            assert!(
                at.is_some_and(|at| at < index),
                "condition of {:?} refers to `{target}`, which is not an earlier property id",
                property.id
            );
        }
    }
}

/// The checks every generated template must pass.
pub(crate) fn assert_valid(template: &ElementTemplate) {
    assert_schema_valid(template);
    assert_conditions_resolve(template);
}

/// Compares `template` with the snapshot file `tests/template/snapshots/<name>.json`; with
/// `UPDATE_SNAPSHOTS=1` the file is (re)written instead.
pub(crate) fn assert_snapshot(name: &str, template: &ElementTemplate) {
    let path = format!(
        "{}/tests/template/snapshots/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let actual = template.to_json_pretty();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(format!(
            "{}/tests/template/snapshots",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing snapshot {path}; run with UPDATE_SNAPSHOTS=1"));
    assert_eq!(actual, expected, "template differs from snapshot {path}");
}

/// Declares a unit connector type `$name` whose input is `$input`, for `outbound_template`.
#[macro_export]
macro_rules! connector {
    ($name:ident, $input:ty, $job_type:literal) => {
        struct $name;

        #[camunda_connector_sdk::async_trait]
        impl camunda_connector_sdk::OutboundConnector for $name {
            const NAME: &'static str = stringify!($name);
            const TYPE: &'static str = $job_type;
            type Input = $input;
            type Output = serde_json::Value;

            async fn execute(
                &self,
                _: $input,
                _: &camunda_connector_sdk::OutboundContext,
            ) -> Result<serde_json::Value, camunda_connector_sdk::ConnectorError> {
                Ok(serde_json::Value::Null)
            }
        }
    };
}
