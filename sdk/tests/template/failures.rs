//! The failure cases C01, C02, C04, C07 and C10 as tests.

use camunda_connector_sdk::template::spec::{FieldSpec, ObjectShape, Shape, TemplateMetadata};
use camunda_connector_sdk::template::{
    Condition, ElementTemplate, Group, InputTemplate, TemplateError, TemplateProblem,
    outbound_template,
};
use camunda_connector_sdk::validation::Validate;
use camunda_connector_sdk::{ConnectorInput, JobFacts, OutboundContext, secrets::Secrets};
use serde::Deserialize;
use serde_json::json;

use super::support::{assert_snapshot, assert_valid};

// C01: dangling references the macro cannot see (they cross struct boundaries) fail when the
// template is built, with one problem each; nothing is dropped.

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(id = "io.example.c01.v1", name = "C01", groups = ["auth"])]
struct C01 {
    #[template(group = "auth")]
    auth: C01Auth,
    #[template(group = "auth", condition(property = "auth.kind", equals = "basic"))]
    user: String,
    options: C01Options,
    #[template(group = "auth")]
    password: String,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct C01Auth {
    auth_type: String,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct C01Options {
    #[template(group = "advanced")]
    timeout_s: u32,
}

connector!(C01Connector, C01, "io.example:c01:1");

#[test]
fn c01_every_dangling_reference_is_reported() {
    let err = outbound_template::<C01Connector>().unwrap_err();
    assert_eq!(
        err.problems(),
        [
            TemplateProblem::UndeclaredGroup {
                property: "options.timeoutS".into(),
                group: "advanced".into()
            },
            TemplateProblem::UnknownConditionProperty {
                property: "user".into(),
                target: "auth.kind".into()
            },
        ]
    );
    let message = err.to_string();
    assert!(
        message.contains("`auth.kind`") && message.contains("`advanced`"),
        "{message}"
    );
}

// The derive rejects a condition on a later field of the same struct at compile time (see the
// `condition-forward-reference` UI case); the builder still checks every description it gets,
// here a hand-written one.
#[derive(Deserialize)]
struct C01Fixed {}

impl Validate for C01Fixed {
    fn validate_at(&self, _: &str, _: &mut Vec<camunda_connector_sdk::validation::Violation>) {}
}

impl InputTemplate for C01Fixed {
    fn shape() -> Shape {
        Shape::Object(ObjectShape::new(
            "C01Fixed",
            vec![
                FieldSpec::of::<String>("user", "user")
                    .group("auth")
                    .condition(Condition::equals("auth.authType", "basic")),
                FieldSpec::of::<C01Auth>("auth", "auth").group("auth"),
                FieldSpec::of::<String>("password", "password").group("auth"),
                FieldSpec::of::<C01Options>("options", "options"),
            ],
        ))
    }

    fn metadata() -> Option<TemplateMetadata> {
        Some(
            TemplateMetadata::new("io.example.c01b.v1", "C01 fixed").groups(vec![
                Group::new("auth", "Auth"),
                Group::new("advanced", "Advanced"),
            ]),
        )
    }
}

connector!(C01FixedConnector, C01Fixed, "io.example:c01b:1");

#[test]
fn c01_condition_on_a_later_property_and_unconditioned_property() {
    let err = outbound_template::<C01FixedConnector>().unwrap_err();
    assert_eq!(
        err.problems(),
        [TemplateProblem::ConditionOnLaterProperty {
            property: "user".into(),
            target: "auth.authType".into()
        }]
    );
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.c01c.v1", name = "C01 ok", groups = ["auth", "advanced"])]
struct C01Ok {
    #[template(group = "auth")]
    auth: C01Auth,
    #[template(
        group = "auth",
        condition(property = "auth.authType", equals = "basic")
    )]
    user: String,
    #[template(group = "auth")]
    password: String,
    options: C01Options,
}

connector!(C01OkConnector, C01Ok, "io.example:c01c:1");

#[test]
fn c01_no_condition_means_no_condition_key() {
    let template = outbound_template::<C01OkConnector>().unwrap();
    assert_valid(&template);
    let password = serde_json::to_value(template.property("password").unwrap()).unwrap();
    assert!(password.get("condition").is_none());
    assert_eq!(
        template
            .property("options.timeoutS")
            .unwrap()
            .group
            .as_deref(),
        Some("advanced")
    );
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.unused.v1", name = "Unused", groups = ["a", "b"])]
struct UnusedGroup {
    #[template(group = "a")]
    x: String,
}

connector!(UnusedGroupConnector, UnusedGroup, "io.example:unused:1");

#[test]
fn c01_declared_but_unused_group_is_reported() {
    let err = outbound_template::<UnusedGroupConnector>().unwrap_err();
    assert_eq!(
        err.problems(),
        [TemplateProblem::UnusedGroup { group: "b".into() }]
    );
}

// C02: choices always have names; the default is one of them.

#[derive(Deserialize, ConnectorInput)]
enum Region {
    #[serde(rename = "https://eu.api.example.test/")]
    Eu,
    #[serde(rename = "https://us.api.example.test/")]
    Us,
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.c02.v1", name = "C02")]
struct C02 {
    #[template(default = "https://eu.api.example.test/")]
    region: Region,
}

connector!(C02Connector, C02, "io.example:c02:1");

#[test]
fn c02_choices_have_names_and_wire_values() {
    let template = outbound_template::<C02Connector>().unwrap();
    assert_valid(&template);
    let region = serde_json::to_value(template.property("region").unwrap()).unwrap();
    assert_eq!(
        region["choices"],
        json!([{"name":"Eu","value":"https://eu.api.example.test/"},{"name":"Us","value":"https://us.api.example.test/"}])
    );
    assert_eq!(region["value"], "https://eu.api.example.test/");
    let bound: C02 =
        serde_json::from_value(json!({"region": "https://us.api.example.test/"})).unwrap();
    assert!(matches!(bound.region, Region::Us));
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.c02b.v1", name = "C02 bad default")]
struct C02BadDefault {
    #[template(default = "Eu")]
    region: Region,
}

connector!(C02BadConnector, C02BadDefault, "io.example:c02b:1");

#[test]
fn c02_default_outside_the_choices_is_reported() {
    let err = outbound_template::<C02BadConnector>().unwrap_err();
    assert_eq!(
        err.problems(),
        [TemplateProblem::DefaultNotAChoice {
            property: "region".into(),
            value: "Eu".into()
        }]
    );
}

// C04: the template's pattern admits FEEL and secrets; the runtime checks the real rule.

#[derive(Debug, Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(id = "io.example.c04.v1", name = "C04")]
struct C04 {
    #[template(feel = "optional")]
    #[validate(pattern = "^[0-9]+$", message = "digits only")]
    connect_timeout_s: String,
    #[validate(url)]
    url: String,
}

connector!(C04Connector, C04, "io.example:c04:1");

fn pattern_of(template: &ElementTemplate, id: &str) -> regex::Regex {
    let constraints = template.property(id).unwrap().constraints.as_ref().unwrap();
    regex::Regex::new(&constraints.pattern.as_ref().unwrap().value).unwrap()
}

#[test]
fn c04_template_pattern_admits_feel_and_secrets_only() {
    let template = outbound_template::<C04Connector>().unwrap();
    assert_valid(&template);

    let timeout = pattern_of(&template, "connectTimeoutS");
    for accepted in [
        "20",
        "=timeoutVar",
        "{{secrets.TIMEOUT}}",
        "{{secrets.BASE_URL}}/v1/items",
    ] {
        assert!(timeout.is_match(accepted), "should accept {accepted:?}");
    }
    for rejected in ["", "abc20", "20abc", "2 0"] {
        assert!(!timeout.is_match(rejected), "should reject {rejected:?}");
    }
    assert!(timeout.as_str().starts_with("^(?:") && timeout.as_str().ends_with(")$"));

    let url = pattern_of(&template, "url");
    for accepted in [
        "https://api.example.test",
        "{{secrets.BASE_URL}}/v1/items",
        "=baseUrl + \"/x\"",
    ] {
        assert!(url.is_match(accepted), "should accept {accepted:?}");
    }
    for rejected in ["", "api.example.test", "ftp://x"] {
        assert!(!url.is_match(rejected), "should reject {rejected:?}");
    }
}

#[test]
fn c04_runtime_checks_the_original_rule_on_the_final_value() {
    let good = C04 {
        connect_timeout_s: "20".into(),
        url: "https://api.example.test".into(),
    };
    assert!(good.validate().is_ok());

    let bad = C04 {
        connect_timeout_s: "=timeoutVar".into(),
        url: "{{secrets.BASE_URL}}/v1".into(),
    };
    let violations = bad.validate().unwrap_err();
    let found: Vec<(&str, &str, &str)> = violations
        .iter()
        .map(|v| (v.path.as_str(), v.rule.as_str(), v.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("connectTimeoutS", "pattern", "digits only"),
            ("url", "url", "must be an absolute http or https URL"),
        ]
    );
}

// C07: refactoring fields into a nested struct with `nested_path = false` keeps ids, bindings
// and conditions byte-identical.

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
#[template(id = "io.example.c07.v1", name = "C07", version = 1)]
struct C07V1 {
    api_key: String,
    #[template(condition(property = "apiKey", is_active = true))]
    model: String,
}

#[derive(Deserialize, ConnectorInput)]
#[template(id = "io.example.c07.v1", name = "C07", version = 2)]
struct C07V2 {
    #[template(nested_path = false)]
    provider: ProviderCfg,
}

#[derive(Deserialize, ConnectorInput)]
#[serde(rename_all = "camelCase")]
struct ProviderCfg {
    api_key: String,
    #[template(condition(property = "apiKey", is_active = true))]
    model: String,
}

connector!(C07One, C07V1, "io.example:c07:1");
connector!(C07Two, C07V2, "io.example:c07:1");

#[test]
fn c07_nested_without_path_keeps_ids_bindings_and_conditions() {
    let v1 = outbound_template::<C07One>().unwrap();
    let v2 = outbound_template::<C07Two>().unwrap();
    assert_valid(&v1);
    assert_valid(&v2);
    for id in ["apiKey", "model"] {
        let one = serde_json::to_string(v1.property(id).unwrap()).unwrap();
        let two = serde_json::to_string(v2.property(id).unwrap()).unwrap();
        assert_eq!(one, two, "property {id} changed between versions");
    }
    assert_eq!((v1.version, v2.version), (1, 2));
    let bound: C07V2 =
        serde_json::from_value(json!({"provider": {"apiKey": "k", "model": "m"}})).unwrap();
    assert_eq!(bound.provider.api_key, "k");
}

// C10: validation sees the value after secrets were replaced.

#[derive(Debug, Deserialize, ConnectorInput)]
struct C10 {
    #[validate(url)]
    url: String,
}

fn bind_c10(base: &str) -> Result<C10, camunda_connector_sdk::ConnectorError> {
    let ctx = OutboundContext::new(
        JobFacts::default(),
        json!({"url": "{{secrets.BASE}}/v1/process-instances"}),
        Secrets::from_values([("BASE", base)]),
    );
    ctx.bind::<C10>()
}

#[test]
fn c10_validation_runs_on_the_substituted_value() {
    let bound = bind_c10("https://operate.example.test").unwrap();
    assert_eq!(
        bound.url,
        "https://operate.example.test/v1/process-instances"
    );

    let err = bind_c10("ftp//broken").unwrap_err();
    assert!(err.is_input());
    assert_eq!(err.violations()[0].path, "url");
    assert_eq!(err.violations()[0].rule, "url");
    assert!(!err.message().contains("ftp//broken"), "{}", err.message());
}

#[test]
fn missing_metadata_names_the_input_type() {
    connector!(NoMeta, C10, "io.example:nometa:1");
    let err = outbound_template::<NoMeta>().unwrap_err();
    assert!(matches!(err, TemplateError::MissingMetadata { .. }));
    assert!(err.to_string().contains("C10"), "{err}");
}

#[test]
fn snapshots_of_failure_case_templates() {
    assert_snapshot("c04", &outbound_template::<C04Connector>().unwrap());
    assert_snapshot("c07-v2", &outbound_template::<C07Two>().unwrap());
}

// A binding the engine would nest while serde expects one key, and a non-ASCII binding, reach
// the builder through hand-written descriptions (the derive rejects the dotted one at compile
// time).

#[derive(Deserialize)]
struct Bindings {}

impl Validate for Bindings {
    fn validate_at(&self, _: &str, _: &mut Vec<camunda_connector_sdk::validation::Violation>) {}
}

impl InputTemplate for Bindings {
    fn shape() -> Shape {
        Shape::Object(ObjectShape::new(
            "Bindings",
            vec![
                FieldSpec::of::<String>("token", "token").binding("auth.token"),
                FieldSpec::of::<String>("user", "auth.user"),
                FieldSpec::of::<u32>("size", "größe"),
            ],
        ))
    }

    fn metadata() -> Option<TemplateMetadata> {
        Some(TemplateMetadata::new("io.example.bindings.v1", "Bindings"))
    }
}

connector!(BindingsConnector, Bindings, "io.example:bindings:1");

#[test]
fn dotted_and_non_ascii_bindings_are_reported() {
    let err = outbound_template::<BindingsConnector>().unwrap_err();
    assert_eq!(
        err.problems(),
        [
            TemplateProblem::DottedBinding {
                property: "token".into(),
                binding: "auth.token".into()
            },
            TemplateProblem::DottedBinding {
                property: "auth.user".into(),
                binding: "auth.user".into()
            },
            TemplateProblem::InvalidBindingName {
                property: "größe".into(),
                binding: "größe".into()
            },
        ]
    );
    let message = err.to_string();
    assert!(message.contains("use a nested struct instead"), "{message}");
    assert!(message.contains("start with an ASCII letter"), "{message}");
}
