//! Binding job variables into typed input: the coercion policy, field paths in errors, serde
//! attributes through the binder, and secrets end to end through `OutboundContext::bind`.

use std::collections::{BTreeMap, HashMap};

use camunda_connector_sdk::bind::{BindError, from_value, from_variables};
use camunda_connector_sdk::secrets::Secrets;
use camunda_connector_sdk::validation::{Validate, Violation};
use camunda_connector_sdk::{ConnectorError, JobFacts, OutboundContext};
use serde::Deserialize;
use serde_json::{Value, json};

/// Test inputs have no validation rules; the derive is tested elsewhere.
macro_rules! no_rules {
    ($($ty:ty),* $(,)?) => {
        $(impl Validate for $ty {
            fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
        })*
    };
}

fn bind_err<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> BindError {
    match from_value::<T>(value) {
        Ok(v) => panic!("expected a binding error, got {v:?}"),
        Err(err) => err,
    }
}

fn ctx(variables: Value, secrets: &[(&str, &str)]) -> OutboundContext {
    OutboundContext::new(
        JobFacts::default(),
        variables,
        Secrets::from_values(secrets.iter().copied()),
    )
}

/// Asserts the error is at `path`, says `expected`, and contains none of `hidden`.
#[track_caller]
fn assert_err(err: &BindError, path: &str, expected: &str, hidden: &[&str]) {
    assert_eq!(err.path(), path, "path of: {err}");
    assert!(
        err.message().contains(expected),
        "message `{}` should contain `{expected}`",
        err.message()
    );
    for h in hidden {
        assert!(!err.to_string().contains(h), "`{err}` leaks `{h}`");
    }
}

// ---------------------------------------------------------------------------------------------
// C15: numbers where strings are declared, and the reverse

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Issue {
    issue_number: String,
}

#[derive(Debug, Deserialize)]
struct Retries {
    retries: u32,
}

#[derive(Debug, Deserialize)]
struct Amount {
    amount: i64,
}

#[derive(Debug, Deserialize)]
struct Count {
    count: u64,
}

#[derive(Debug, Deserialize)]
struct Small {
    small: u8,
}

#[derive(Debug, Deserialize)]
struct Flag {
    flag: bool,
}

#[test]
fn c15_integral_numbers_bind_to_strings_as_canonical_integer_text() {
    for text in [r#"{"issueNumber": 1234}"#, r#"{"issueNumber": 1234.0}"#] {
        let value: Value = serde_json::from_str(text).unwrap();
        let input: Issue = from_value(value).unwrap();
        assert_eq!(input.issue_number, "1234", "from {text}");
    }
}

#[test]
fn c15_other_numbers_bind_to_strings_as_shortest_decimal_text() {
    let cases = [
        ("0.1", "0.1"),
        ("-2.5", "-2.5"),
        ("1e21", "1000000000000000000000"),
        ("1.5e-7", "0.00000015"),
        ("-0.0", "0"),
        ("18446744073709551615", "18446744073709551615"),
        ("-9223372036854775808", "-9223372036854775808"),
    ];
    for (number, text) in cases {
        let value: Value =
            serde_json::from_str(&format!(r#"{{"issueNumber": {number}}}"#)).unwrap();
        let input: Issue = from_value(value).unwrap();
        assert_eq!(input.issue_number, text, "from {number}");
    }
}

#[test]
fn c15_booleans_bind_to_strings() {
    let input: Issue = from_value(json!({"issueNumber": true})).unwrap();
    assert_eq!(input.issue_number, "true");
}

#[test]
fn c15_numeric_strings_bind_to_integers() {
    let input: Retries = from_value(json!({"retries": "3"})).unwrap();
    assert_eq!(input.retries, 3);
}

#[test]
fn c15_a_fraction_is_rejected_for_an_integer_naming_the_field() {
    let err = bind_err::<Amount>(json!({"amount": 1.5}));
    assert_err(&err, "amount", "expected an integer", &["1.5"]);
    assert_eq!(
        err.to_string(),
        "invalid input at `amount`: expected an integer, found a number with a fraction"
    );
    assert_eq!(
        from_value::<Amount>(json!({"amount": "-15"}))
            .unwrap()
            .amount,
        -15
    );
    let err = bind_err::<Amount>(json!({"amount": "1.5"}));
    assert_err(&err, "amount", "expected an integer", &["1.5"]);
}

#[test]
fn c15_u64_overflow_is_rejected_never_wrapped() {
    let value: Value = serde_json::from_str(r#"{"count": 18446744073709551616}"#).unwrap();
    let err = bind_err::<Count>(value);
    assert_err(
        &err,
        "count",
        "expected an integer from 0 to 18446744073709551615, found a number out of range",
        &["18446744073709551616"],
    );
    let max: Value = serde_json::from_str(r#"{"count": 18446744073709551615}"#).unwrap();
    assert_eq!(from_value::<Count>(max).unwrap().count, u64::MAX);
    let err = bind_err::<Count>(json!({"count": "18446744073709551616"}));
    assert_err(&err, "count", "out of range", &["18446744073709551616"]);
}

#[test]
fn c15_negative_into_unsigned_and_300_into_u8_are_rejected() {
    assert_err(
        &bind_err::<Count>(json!({"count": -1})),
        "count",
        "from 0 to",
        &[],
    );
    assert_err(
        &bind_err::<Retries>(json!({"retries": "-1"})),
        "retries",
        "from 0 to 4294967295",
        &[],
    );
    assert_err(
        &bind_err::<Small>(json!({"small": 300})),
        "small",
        "from 0 to 255",
        &["300"],
    );
    assert_err(
        &bind_err::<Small>(json!({"small": 255.5})),
        "small",
        "fraction",
        &[],
    );
    assert_eq!(
        from_value::<Small>(json!({"small": 255})).unwrap().small,
        255
    );
}

#[test]
fn c15_boolean_strings_bind_to_bool() {
    for (given, expected) in [
        ("true", true),
        ("false", false),
        ("TRUE", true),
        (" False ", false),
    ] {
        let input: Flag = from_value(json!({"flag": given})).unwrap();
        assert_eq!(input.flag, expected, "from {given:?}");
    }
    assert_err(
        &bind_err::<Flag>(json!({"flag": "yes"})),
        "flag",
        "expected a boolean",
        &["yes"],
    );
    assert_err(
        &bind_err::<Flag>(json!({"flag": 1})),
        "flag",
        "expected a boolean, found a number",
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// Edge cases of the numeric policy

#[derive(Debug, Deserialize)]
struct Numbers {
    #[serde(default)]
    i64: Option<i64>,
    #[serde(default)]
    u64: Option<u64>,
    #[serde(default)]
    i8: Option<i8>,
    #[serde(default)]
    i128: Option<i128>,
    #[serde(default)]
    f32: Option<f32>,
    #[serde(default)]
    f64: Option<f64>,
}

fn numbers(value: Value) -> Result<Numbers, BindError> {
    from_value(value)
}

#[test]
fn edge_integer_limits_bind_exactly() {
    let n = numbers(json!({"i64": i64::MIN, "u64": u64::MAX, "i8": -128})).unwrap();
    assert_eq!(
        (n.i64, n.u64, n.i8),
        (Some(i64::MIN), Some(u64::MAX), Some(-128))
    );
    let n = numbers(json!({"i64": i64::MAX})).unwrap();
    assert_eq!(n.i64, Some(i64::MAX));

    let n = numbers(json!({"i64": i64::MIN.to_string(), "u64": u64::MAX.to_string()})).unwrap();
    assert_eq!((n.i64, n.u64), (Some(i64::MIN), Some(u64::MAX)));

    let n = numbers(json!({"i128": "-170141183460469231731687303715884105728"})).unwrap();
    assert_eq!(n.i128, Some(i128::MIN));
}

#[test]
fn edge_one_beyond_each_limit_is_rejected() {
    let cases = [
        (
            json!({"i64": "9223372036854775808"}),
            "i64",
            "from -9223372036854775808 to 9223372036854775807",
        ),
        (
            json!({"i64": "-9223372036854775809"}),
            "i64",
            "out of range",
        ),
        (
            json!({"u64": "18446744073709551616"}),
            "u64",
            "out of range",
        ),
        (json!({"i8": 128}), "i8", "from -128 to 127"),
        (json!({"i8": -129}), "i8", "from -128 to 127"),
        (json!({"i64": 1e19}), "i64", "out of range"),
        (json!({"i128": "1e40"}), "i128", "out of range"),
    ];
    for (value, path, expected) in cases {
        let err = numbers(value.clone()).unwrap_err();
        assert_err(&err, path, expected, &[]);
    }
}

#[test]
fn edge_integral_forms_bind_to_integers() {
    let n = numbers(json!({"i64": 3.0, "u64": "1e3", "i8": " -7 "})).unwrap();
    assert_eq!((n.i64, n.u64, n.i8), (Some(3), Some(1000), Some(-7)));
    let n = numbers(json!({"i64": "-0"})).unwrap();
    assert_eq!(n.i64, Some(0));
}

#[test]
fn edge_empty_and_non_numeric_strings_are_rejected_naming_the_field() {
    let cases = [
        (
            json!({"i64": ""}),
            "i64",
            "expected an integer, found an empty string",
        ),
        (
            json!({"u64": "   "}),
            "u64",
            "expected an integer, found an empty string",
        ),
        (
            json!({"f64": ""}),
            "f64",
            "expected a number, found an empty string",
        ),
        (
            json!({"f32": "abc"}),
            "f32",
            "expected a number, found a string that is not a number",
        ),
        (
            json!({"i64": "12abc"}),
            "i64",
            "found a string that is not a number",
        ),
        (
            json!({"i64": "0x10"}),
            "i64",
            "found a string that is not a number",
        ),
        (
            json!({"f64": "NaN"}),
            "f64",
            "found a string that is not a number",
        ),
        (
            json!({"f64": "inf"}),
            "f64",
            "found a string that is not a number",
        ),
        (json!({"f64": "1e999"}), "f64", "out of range"),
        (
            json!({"i64": true}),
            "i64",
            "expected an integer, found a boolean",
        ),
        (
            json!({"i64": {}}),
            "i64",
            "expected an integer, found an object",
        ),
        (
            json!({"i64": [1, 2]}),
            "i64",
            "expected an integer, found an array",
        ),
    ];
    for (value, path, expected) in cases {
        let err = numbers(value.clone()).unwrap_err();
        assert_err(&err, path, expected, &["abc", "0x10"]);
    }
}

#[test]
fn edge_floats_bind_and_narrow_to_f32() {
    let n = numbers(json!({"f32": 1.5, "f64": "2.25"})).unwrap();
    assert_eq!((n.f32, n.f64), (Some(1.5), Some(2.25)));
    let n = numbers(json!({"f32": 0.1, "f64": 7})).unwrap();
    assert_eq!((n.f32, n.f64), (Some(0.1_f32), Some(7.0)));
    let n = numbers(json!({"f32": f64::from(f32::MAX)})).unwrap();
    assert_eq!(n.f32, Some(f32::MAX));

    let err = numbers(json!({"f32": 1e39})).unwrap_err();
    assert_err(
        &err,
        "f32",
        "expected a 32-bit float, found a number out of range",
        &[],
    );
}

#[test]
fn edge_null_for_an_optional_number_is_none_and_for_a_required_one_an_error() {
    let n = numbers(json!({"i64": null})).unwrap();
    assert_eq!(n.i64, None);
    let err = bind_err::<Retries>(json!({"retries": null}));
    assert_err(&err, "retries", "expected an integer, found null", &[]);
}

// ---------------------------------------------------------------------------------------------
// C14: map-typed fields given JSON text

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Props {
    additional_properties: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct Nested {
    options: Options,
}

#[derive(Debug, Deserialize)]
struct Options {
    mode: String,
    level: u8,
}

#[test]
fn c14_a_map_binds_from_an_object_and_from_json_object_text() {
    let expected = HashMap::from([("client.mode".to_owned(), "strict".to_owned())]);
    let from_object: Props =
        from_value(json!({"additionalProperties": {"client.mode": "strict"}})).unwrap();
    assert_eq!(from_object.additional_properties, expected);
    let from_text: Props =
        from_value(json!({"additionalProperties": "{\"client.mode\":\"strict\"}"})).unwrap();
    assert_eq!(from_text.additional_properties, expected);
    let padded: Props =
        from_value(json!({"additionalProperties": "  {\"client.mode\": \"strict\"} "})).unwrap();
    assert_eq!(padded.additional_properties, expected);
}

#[test]
fn c14_a_struct_binds_from_json_object_text_with_coercion_inside() {
    let input: Nested = from_value(json!({"options": "{\"mode\": 5, \"level\": \"3\"}"})).unwrap();
    assert_eq!((input.options.mode.as_str(), input.options.level), ("5", 3));
    let err = bind_err::<Nested>(json!({"options": "{\"mode\": \"a\", \"level\": 999}"}));
    assert_err(&err, "options.level", "from 0 to 255", &[]);
}

#[test]
fn c14_an_unparsable_string_fails_naming_the_field_and_the_expected_type() {
    let err = bind_err::<Props>(json!({"additionalProperties": "{\"client.mode\": strict}"}));
    assert_err(
        &err,
        "additionalProperties",
        "expected an object",
        &["strict"],
    );
    assert!(err.message().contains("not valid JSON"), "{err}");

    let err = bind_err::<Props>(json!({"additionalProperties": "client.mode=strict"}));
    assert_err(
        &err,
        "additionalProperties",
        "expected an object",
        &["strict"],
    );

    let err = bind_err::<Props>(json!({"additionalProperties": "=  {\"a\": \"b\"}"}));
    assert_err(&err, "additionalProperties", "expected an object", &[]);
}

#[test]
fn c14_map_keys_with_dots_stay_keys_in_error_paths() {
    let err = bind_err::<Props>(json!({"additionalProperties": {"client.mode": {"x": 1}}}));
    assert_err(
        &err,
        r#"additionalProperties["client.mode"]"#,
        "expected a string",
        &[],
    );

    let err = bind_err::<Props>(json!({"additionalProperties": "{\"client.mode\": [1, 2]}"}));
    assert_err(
        &err,
        r#"additionalProperties["client.mode"]"#,
        "expected a string",
        &[],
    );
}

#[derive(Debug, Deserialize)]
struct Tags {
    tags: Vec<String>,
}

#[test]
fn c14_a_sequence_binds_from_json_array_text() {
    let input: Tags = from_value(json!({"tags": "[\"a\", \"b\"]"})).unwrap();
    assert_eq!(input.tags, ["a", "b"]);
    let err = bind_err::<Tags>(json!({"tags": "[\"a\", "}));
    assert_err(
        &err,
        "tags",
        "expected an array, found a string that is not valid JSON",
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// Java parity: single values and arrays, enums

#[derive(Debug, Deserialize, PartialEq, Eq, Hash)]
enum Method {
    Get,
    Post,
    #[serde(rename = "PUT")]
    Put,
}

#[derive(Debug, Deserialize)]
struct Request {
    method: Method,
    #[serde(default)]
    methods: Vec<Method>,
}

#[test]
fn unit_enum_variants_match_case_insensitively() {
    for (given, expected) in [
        ("Get", Method::Get),
        ("get", Method::Get),
        ("POST", Method::Post),
        ("put", Method::Put),
        ("PUT", Method::Put),
    ] {
        let input: Request = from_value(json!({"method": given})).unwrap();
        assert_eq!(input.method, expected, "from {given:?}");
    }
    let input: Request = from_value(json!({"method": "get", "methods": ["post", "Put"]})).unwrap();
    assert_eq!(input.methods, [Method::Post, Method::Put]);
}

#[test]
fn an_unknown_variant_lists_the_variants_but_not_the_value() {
    let err = bind_err::<Request>(json!({"method": "DELETE-secret-ish"}));
    assert_err(
        &err,
        "method",
        "unknown variant, expected one of `Get`, `Post`, `PUT`",
        &["DELETE"],
    );
    let err = bind_err::<Request>(json!({"method": 3}));
    assert_err(
        &err,
        "method",
        "expected one of `Get`, `Post`, `PUT`, found a number",
        &[],
    );
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Strict,
    Lax,
    #[serde(other)]
    Unknown,
}

#[test]
fn serde_other_still_catches_unknown_variants() {
    #[derive(Debug, Deserialize)]
    struct In {
        mode: Mode,
    }
    assert_eq!(
        from_value::<In>(json!({"mode": "STRICT"})).unwrap().mode,
        Mode::Strict
    );
    assert_eq!(
        from_value::<In>(json!({"mode": "whatever"})).unwrap().mode,
        Mode::Unknown
    );
}

#[test]
fn exact_variant_names_win_over_case_insensitive_ones() {
    #[derive(Debug, Deserialize, PartialEq)]
    enum Cased {
        #[serde(rename = "a")]
        Lower,
        #[serde(rename = "A")]
        Upper,
    }
    #[derive(Debug, Deserialize)]
    struct In {
        c: Cased,
    }
    assert_eq!(from_value::<In>(json!({"c": "a"})).unwrap().c, Cased::Lower);
    assert_eq!(from_value::<In>(json!({"c": "A"})).unwrap().c, Cased::Upper);
}

#[test]
fn a_single_value_binds_where_a_sequence_is_expected() {
    let input: Tags = from_value(json!({"tags": "bug"})).unwrap();
    assert_eq!(input.tags, ["bug"]);
    let input: Tags = from_value(json!({"tags": 12})).unwrap();
    assert_eq!(input.tags, ["12"]);

    #[derive(Debug, Deserialize)]
    struct Ports {
        ports: Vec<u16>,
    }
    let input: Ports = from_value(json!({"ports": "8080"})).unwrap();
    assert_eq!(input.ports, [8080]);
    let err = bind_err::<Ports>(json!({"ports": "http"}));
    assert_err(&err, "ports", "expected an integer", &["http"]);
    let err = bind_err::<Ports>(json!({"ports": [80, 70000]}));
    assert_err(&err, "ports[1]", "from 0 to 65535", &["70000"]);
    let err = bind_err::<Ports>(json!({"ports": null}));
    assert_err(&err, "ports", "expected an array, found null", &[]);
}

#[test]
fn a_one_element_array_binds_where_a_single_value_is_expected() {
    let input: Retries = from_value(json!({"retries": [3]})).unwrap();
    assert_eq!(input.retries, 3);
    let input: Issue = from_value(json!({"issueNumber": ["x"]})).unwrap();
    assert_eq!(input.issue_number, "x");
    let input: Nested = from_value(json!({"options": [{"mode": "m", "level": 1}]})).unwrap();
    assert_eq!(input.options.level, 1);
    let input: Request = from_value(json!({"method": ["post"]})).unwrap();
    assert_eq!(input.method, Method::Post);

    let err = bind_err::<Nested>(json!({"options": [{"mode": "m", "level": -1}]}));
    assert_err(&err, "options[0].level", "from 0 to 255", &[]);
    let err = bind_err::<Retries>(json!({"retries": [1, 2]}));
    assert_err(&err, "retries", "expected an integer, found an array", &[]);
}

// ---------------------------------------------------------------------------------------------
// Paths and messages

#[derive(Debug, Deserialize)]
struct Http {
    authentication: Auth,
    headers: Vec<Header>,
    #[serde(default)]
    query: BTreeMap<String, u32>,
}

#[derive(Debug, Deserialize)]
struct Auth {
    token: String,
    #[serde(default)]
    #[allow(dead_code)]
    expires_in: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Header {
    #[allow(dead_code)]
    name: String,
    value: String,
}

fn http_ok() -> Value {
    json!({
        "authentication": {"token": "t"},
        "headers": [{"name": "a", "value": "1"}, {"name": "b", "value": 2}, {"name": "c", "value": "3"}],
        "query": {"page": 1}
    })
}

#[test]
fn paths_name_nested_fields_array_elements_and_map_keys() {
    let input: Http = from_value(http_ok()).unwrap();
    assert_eq!(input.headers[1].value, "2");
    assert_eq!(input.query["page"], 1);
    assert_eq!(input.authentication.token, "t");

    let mut value = http_ok();
    value["authentication"] = json!({});
    assert_err(
        &bind_err::<Http>(value),
        "authentication.token",
        "missing required field",
        &[],
    );

    let mut value = http_ok();
    value["headers"][2]["value"] = json!({"nested": true});
    assert_err(
        &bind_err::<Http>(value),
        "headers[2].value",
        "expected a string, found an object",
        &[],
    );

    let mut value = http_ok();
    value["headers"][1] = json!({"value": "x"});
    assert_err(
        &bind_err::<Http>(value),
        "headers[1].name",
        "missing required field",
        &[],
    );

    let mut value = http_ok();
    value["query"] = json!({"page.size": "ten"});
    assert_err(
        &bind_err::<Http>(value),
        r#"query["page.size"]"#,
        "expected an integer",
        &["ten"],
    );

    let mut value = http_ok();
    value["authentication"]["expires_in"] = json!("soon");
    assert_err(
        &bind_err::<Http>(value),
        "authentication.expires_in",
        "expected an integer",
        &["soon"],
    );
}

#[test]
fn a_missing_top_level_field_is_named() {
    let err = bind_err::<Http>(json!({"headers": []}));
    assert_err(&err, "authentication", "missing required field", &[]);
    assert_eq!(
        err.to_string(),
        "invalid input at `authentication`: missing required field"
    );
}

#[test]
fn the_port_example_of_the_bind_error_docs_holds() {
    #[derive(Debug, Deserialize)]
    struct In {
        #[allow(dead_code)]
        port: u16,
    }
    let err = bind_err::<In>(json!({"port": "eighty"}));
    assert_err(
        &err,
        "port",
        "expected an integer, found a string that is not a number",
        &["eighty"],
    );
}

#[test]
fn a_non_object_document_is_a_clear_error() {
    for (value, found) in [
        (json!([1]), "an array"),
        (json!("x"), "a string"),
        (json!(null), "null"),
        (json!(3), "a number"),
    ] {
        let err = bind_err::<Value>(value);
        assert_eq!(err.path(), "");
        assert_eq!(
            err.message(),
            format!("expected the variables to be a JSON object, found {found}")
        );
    }
}

#[test]
fn messages_never_contain_the_rejected_value() {
    let secret = "s3cr3t-Value-42";
    let cases: Vec<(Value, &str)> = vec![
        (json!({"retries": secret}), "retries"),
        (json!({"retries": [secret, secret]}), "retries"),
        (json!({"retries": {"k": secret}}), "retries"),
    ];
    for (value, path) in cases {
        assert_err(&bind_err::<Retries>(value), path, "expected", &[secret]);
    }
    assert_err(
        &bind_err::<Request>(json!({"method": secret})),
        "method",
        "unknown variant",
        &[secret],
    );
    assert_err(
        &bind_err::<Props>(json!({"additionalProperties": secret})),
        "additionalProperties",
        "expected an object",
        &[secret],
    );
    assert_err(
        &bind_err::<Flag>(json!({"flag": secret})),
        "flag",
        "expected a boolean",
        &[secret],
    );

    // Through serde's own buffered content (an untagged enum) and a third-party type.
    #[derive(Debug, Deserialize)]
    struct WithUrl {
        #[allow(dead_code)]
        url: url::Url,
    }
    assert_err(
        &bind_err::<WithUrl>(json!({"url": secret})),
        "url",
        "relative URL without a base",
        &[secret],
    );
}

// ---------------------------------------------------------------------------------------------
// serde attributes through the binder

#[test]
fn unknown_fields_are_ignored() {
    let input: Retries =
        from_value(json!({"retries": 1, "extra": {"deep": [1, "x"]}, "more": null})).unwrap();
    assert_eq!(input.retries, 1);
}

#[test]
fn deny_unknown_fields_names_the_unknown_field_by_path() {
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        #[allow(dead_code)]
        a: u8,
    }
    #[derive(Debug, Deserialize)]
    struct Outer {
        #[allow(dead_code)]
        inner: Strict,
    }
    let err = bind_err::<Outer>(json!({"inner": {"a": 1, "b": 2}}));
    assert_err(&err, "inner.b", "unknown field, expected one of `a`", &[]);
    let err = bind_err::<Outer>(json!({"inner": {"a": 1, "b.c": 2}}));
    assert_err(&err, r#"inner["b.c"]"#, "unknown field", &[]);
}

#[test]
fn rename_default_and_option_work() {
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct In {
        base_url: String,
        #[serde(rename = "timeoutInSeconds", default = "default_timeout")]
        timeout: u32,
        #[serde(default)]
        verbose: bool,
        proxy: Option<String>,
        #[serde(alias = "max")]
        max_items: Option<u16>,
    }
    fn default_timeout() -> u32 {
        20
    }
    let input: In = from_value(json!({"baseUrl": "https://x.test", "max": "5"})).unwrap();
    assert_eq!(input.base_url, "https://x.test");
    assert_eq!(
        (input.timeout, input.verbose, input.proxy, input.max_items),
        (20, false, None, Some(5))
    );
    let input: In = from_value(
        json!({"baseUrl": 1, "timeoutInSeconds": "45", "verbose": "true", "proxy": null}),
    )
    .unwrap();
    assert_eq!(
        (input.base_url.as_str(), input.timeout, input.verbose),
        ("1", 45, true)
    );
    let err = bind_err::<In>(json!({"baseUrl": "u", "timeoutInSeconds": -3}));
    assert_err(&err, "timeoutInSeconds", "from 0 to 4294967295", &[]);
}

#[test]
fn value_fields_receive_the_value_unchanged() {
    #[derive(Debug, Deserialize)]
    struct In {
        body: Value,
        text: Value,
        n: Value,
    }
    let body = json!({"z": 1, "a": [1.5, "2", null, {"k.k": true}], "m": -7, "big": u64::MAX});
    let input: In = from_value(json!({"body": body, "text": "{\"a\":1}", "n": 1234.0})).unwrap();
    assert_eq!(input.body, body);
    let keys: Vec<&String> = input.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["z", "a", "m", "big"], "key order is kept");
    assert_eq!(
        input.text,
        json!("{\"a\":1}"),
        "JSON text in a Value field stays a string"
    );
    assert_eq!(input.n, json!(1234.0));
}

#[test]
fn a_whole_document_binds_to_value_unchanged() {
    let doc = json!({"a": {"b": [1, 2.5, "x"]}, "c": null});
    assert_eq!(from_value::<Value>(doc.clone()).unwrap(), doc);
}

#[test]
fn flatten_works_and_coerces_the_outer_fields() {
    #[derive(Debug, Deserialize)]
    struct In {
        retries: u32,
        #[serde(flatten)]
        rest: HashMap<String, Value>,
    }
    let input: In = from_value(json!({"retries": "2", "x": 1, "y": "z"})).unwrap();
    assert_eq!(input.retries, 2);
    assert_eq!(
        input.rest,
        HashMap::from([("x".into(), json!(1)), ("y".into(), json!("z"))])
    );

    #[derive(Debug, Deserialize)]
    struct Paging {
        page: u32,
    }
    #[derive(Debug, Deserialize)]
    struct Query {
        q: String,
        #[serde(flatten)]
        paging: Paging,
    }
    let input: Query = from_value(json!({"q": 5, "page": 2})).unwrap();
    assert_eq!((input.q.as_str(), input.paging.page), ("5", 2));
    let err = bind_err::<Query>(json!({"q": "x"}));
    assert_err(&err, "page", "missing required field", &[]);
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Authentication {
    NoAuth,
    Bearer { token: String },
    Basic { username: String, password: String },
}

#[derive(Debug, Deserialize)]
struct WithAuth {
    authentication: Authentication,
}

#[test]
fn internally_tagged_enums_bind() {
    let input: WithAuth =
        from_value(json!({"authentication": {"type": "bearer", "token": "t-1"}})).unwrap();
    assert_eq!(
        input.authentication,
        Authentication::Bearer {
            token: "t-1".into()
        }
    );
    let input: WithAuth = from_value(json!({"authentication": {"type": "noAuth"}})).unwrap();
    assert_eq!(input.authentication, Authentication::NoAuth);
    let input: WithAuth = from_value(
        json!({"authentication": {"type": "basic", "username": "u", "password": "p", "x": 1}}),
    )
    .unwrap();
    assert!(matches!(input.authentication, Authentication::Basic { .. }));
}

#[test]
fn internally_tagged_enums_name_missing_fields_in_full() {
    let err = bind_err::<WithAuth>(json!({"authentication": {"type": "bearer"}}));
    assert_err(&err, "authentication.token", "missing required field", &[]);
    let err = bind_err::<WithAuth>(json!({"authentication": {"token": "t"}}));
    assert_err(&err, "authentication.type", "missing required field", &[]);
    let err = bind_err::<WithAuth>(json!({"authentication": {"type": "oauth"}}));
    assert_err(
        &err,
        "authentication.type",
        "unknown variant, expected one of `noAuth`, `bearer`, `basic`",
        &["oauth"],
    );
}

#[test]
fn limitation_no_coercion_inside_internally_tagged_variants() {
    // Documented limitation: serde buffers the variant's content and reads it without the
    // binder; the error is reported at the field holding the enum, without the value.
    let err = bind_err::<WithAuth>(json!({"authentication": {"type": "bearer", "token": 1234}}));
    assert_err(
        &err,
        "authentication",
        "expected a string, found an integer",
        &["1234"],
    );

    // Nor is JSON object text parsed for them: serde asks for "any value", and a string is one.
    let text = "{\"type\": \"basic\", \"username\": \"u\", \"password\": \"p\"}";
    let err = bind_err::<WithAuth>(json!({ "authentication": text }));
    assert_err(&err, "authentication", "found a string", &["basic"]);
}

#[test]
fn externally_tagged_enums_are_fully_coerced_with_paths() {
    #[derive(Debug, Deserialize, PartialEq)]
    enum Body {
        Json(Value),
        Form { fields: Vec<String>, limit: u8 },
        Empty,
    }
    #[derive(Debug, Deserialize)]
    struct In {
        body: Body,
    }
    let input: In = from_value(json!({"body": {"form": {"fields": "a", "limit": "9"}}})).unwrap();
    assert_eq!(
        input.body,
        Body::Form {
            fields: vec!["a".into()],
            limit: 9
        }
    );
    let input: In = from_value(json!({"body": {"Json": [1]}})).unwrap();
    assert_eq!(input.body, Body::Json(json!([1])));
    let input: In = from_value(json!({"body": "EMPTY"})).unwrap();
    assert_eq!(input.body, Body::Empty);
    let err = bind_err::<In>(json!({"body": {"Form": {"fields": [], "limit": 1000}}}));
    assert_err(&err, "body.Form.limit", "from 0 to 255", &[]);
    let err = bind_err::<In>(json!({"body": {"Form": {}, "Json": 1}}));
    assert_err(&err, "body", "found an object with 2 keys", &[]);
}

#[test]
fn adjacently_tagged_enums_bind() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(tag = "kind", content = "data")]
    enum Msg {
        Count(u32),
        Text(String),
    }
    #[derive(Debug, Deserialize)]
    struct In {
        msg: Msg,
    }
    let input: In = from_value(json!({"msg": {"kind": "Count", "data": "5"}})).unwrap();
    assert_eq!(
        input.msg,
        Msg::Count(5),
        "tag first: the content is read by the binder"
    );
    let input: In = from_value(json!({"msg": {"kind": "Text", "data": "x"}})).unwrap();
    assert_eq!(input.msg, Msg::Text("x".into()));
}

#[test]
fn untagged_enums_bind() {
    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(untagged)]
    enum Timeout {
        Seconds(u64),
        Text(String),
    }
    #[derive(Debug, Deserialize)]
    struct In {
        timeout: Timeout,
    }
    assert_eq!(
        from_value::<In>(json!({"timeout": 5})).unwrap().timeout,
        Timeout::Seconds(5)
    );
    assert_eq!(
        from_value::<In>(json!({"timeout": "PT5S"}))
            .unwrap()
            .timeout,
        Timeout::Text("PT5S".into())
    );
    let err = bind_err::<In>(json!({"timeout": {"a": 1}}));
    assert_err(&err, "timeout", "did not match any variant", &[]);
}

#[test]
fn tuples_newtypes_and_maps_with_typed_keys_bind() {
    #[derive(Debug, Deserialize)]
    struct Port(u16);
    #[derive(Debug, Deserialize)]
    struct In {
        pair: (String, u8),
        port: Port,
        by_code: BTreeMap<u16, String>,
        flags: HashMap<Method, bool>,
    }
    let input: In = from_value(json!({
        "pair": [1, "2"], "port": "443", "by_code": {"404": "missing"}, "flags": {"get": "true"}
    }))
    .unwrap();
    assert_eq!(
        (input.pair.0.as_str(), input.pair.1, input.port.0),
        ("1", 2, 443)
    );
    assert_eq!(input.by_code[&404], "missing");
    assert!(input.flags[&Method::Get]);

    let err = bind_err::<In>(json!({"pair": ["a", 1, 2], "port": 1, "by_code": {}, "flags": {}}));
    assert_err(&err, "pair", "expected 2 elements, found 3", &[]);
    let err =
        bind_err::<In>(json!({"pair": ["a", 1], "port": 1, "by_code": {"x": "y"}, "flags": {}}));
    assert_err(&err, "by_code.x", "expected an integer", &[]);
}

// ---------------------------------------------------------------------------------------------
// Secrets end to end through OutboundContext::bind

#[derive(Debug, Deserialize)]
struct C09 {
    auth: C09Auth,
}

#[derive(Debug, Deserialize)]
struct C09Auth {
    password: String,
    extra: String,
    key: String,
}

no_rules!(C09, G1, G2, Limit, Retries, Endpoint);

#[test]
fn c09_secrets_with_json_special_characters_bind_byte_for_byte() {
    let ctx = ctx(
        json!({"auth": {"password": "{{secrets.PW}}", "extra": "x-{{secrets.CFG}}", "key": "{{secrets.KEY}}"}}),
        &[
            ("PW", "p\"a\\ss\nw+rd"),
            ("CFG", "{\"k\":1}"),
            ("KEY", "123\\+45"),
        ],
    );
    let input: C09 = ctx.bind().unwrap();
    assert_eq!(input.auth.password, "p\"a\\ss\nw+rd");
    assert_eq!(input.auth.extra, "x-{\"k\":1}");
    assert_eq!(input.auth.key, "123\\+45");
    assert_eq!(input.auth.key.matches('\\').count(), 1);
}

#[derive(Debug, Deserialize, PartialEq)]
struct G1 {
    auth: G1Auth,
    user: String,
    hosts: Vec<String>,
    url: String,
}

#[derive(Debug, Deserialize, PartialEq)]
struct G1Auth {
    token: String,
}

fn g1_variables() -> Value {
    json!({
        "auth": {"token": "{{secrets.API_TOKEN}}"},
        "user": "secrets.SVC_USER",
        "hosts": ["a", "{{ secrets.HOST_B }}"],
        "url": "https://{{secrets.REGION}}.example.com/v1"
    })
}

const G1_SECRETS: [(&str, &str); 4] = [
    ("API_TOKEN", "t-123"),
    ("SVC_USER", "robot"),
    ("HOST_B", "b.internal"),
    ("REGION", "eu"),
];

#[test]
fn g1_both_secret_syntaxes_nested() {
    let input: G1 = ctx(g1_variables(), &G1_SECRETS).bind().unwrap();
    assert_eq!(
        input,
        G1 {
            auth: G1Auth {
                token: "t-123".into()
            },
            user: "robot".into(),
            hosts: vec!["a".into(), "b.internal".into()],
            url: "https://eu.example.com/v1".into(),
        }
    );
}

#[derive(Debug, Deserialize)]
struct G2 {
    raw: String,
}

#[derive(Debug, Deserialize)]
struct Limit {
    limit: u32,
}

#[test]
fn g2_a_secret_holding_json_text_binds_byte_for_byte() {
    let payload = "{\"k\": \"v\"}\nx\"y";
    let input: G2 = ctx(
        json!({"raw": "{{secrets.PAYLOAD}}"}),
        &[("PAYLOAD", payload)],
    )
    .bind()
    .unwrap();
    assert_eq!(input.raw, payload);
}

#[test]
fn g2_a_numeric_secret_binds_to_an_integer_through_the_coercion() {
    let input: Limit = ctx(json!({"limit": "{{secrets.LIMIT}}"}), &[("LIMIT", "7")])
        .bind()
        .unwrap();
    assert_eq!(input.limit, 7);
}

#[test]
fn a_secret_that_does_not_fit_its_field_is_not_revealed() {
    let err: ConnectorError = ctx(
        json!({"limit": "{{secrets.LIMIT}}"}),
        &[("LIMIT", "seven-hunter2")],
    )
    .bind::<Limit>()
    .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    let message = err.to_string();
    assert!(
        message.contains("`limit`") && message.contains("expected an integer"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

#[test]
fn missing_secrets_fail_before_binding_naming_all_of_them() {
    let err = ctx(
        json!({"retries": "x", "a": "{{secrets.A}}", "b": ["secrets.B"]}),
        &[],
    )
    .bind::<Retries>()
    .unwrap_err();
    assert_eq!(err.code(), "SECRET_NOT_FOUND");
    assert_eq!(
        err.to_string(),
        "secrets `A`, `B` are not available from any secret provider"
    );
}

#[test]
fn binding_fails_with_an_input_error_naming_the_path() {
    let err = ctx(json!({"retries": 1.5}), &[])
        .bind::<Retries>()
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert_eq!(
        err.to_string(),
        "invalid input at `retries`: expected an integer, found a number with a fraction"
    );
}

#[test]
fn from_variables_agrees_with_replace_then_from_value() {
    let secrets = Secrets::from_values([
        ("API_TOKEN", "t-123"),
        ("SVC_USER", "robot"),
        ("HOST_B", "b.internal"),
        ("REGION", "eu"),
        ("K", "key"),
        ("N", "42"),
    ]);
    let documents = [
        g1_variables(),
        json!({"m": {"{{secrets.K}}": "secrets.N", "plain": ["{{secrets.REGION}}", 1, null]}}),
        // Two keys that become the same key: the later value wins, at the first position.
        json!({"m": {"key": 1, "{{secrets.K}}": 2, "z": 3}}),
        json!({"nested": [[{"a": "{{secrets.N}}"}]], "n": 1.5, "b": true}),
    ];
    for doc in documents {
        let replaced = secrets.replace(&doc).unwrap();
        let direct: Value = from_variables(&doc, &secrets).unwrap();
        assert_eq!(direct, replaced, "for {doc}");
        let keys_direct: Vec<String> = direct.as_object().unwrap().keys().cloned().collect();
        let keys_replaced: Vec<String> = replaced.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys_direct, keys_replaced);
        assert_eq!(from_value::<Value>(replaced).unwrap(), direct);
    }
}

#[test]
fn value_input_binds_through_the_context_with_secrets_replaced() {
    let value: Value = ctx(g1_variables(), &G1_SECRETS).bind().unwrap();
    assert_eq!(value["auth"]["token"], "t-123");
    assert_eq!(value["hosts"][1], "b.internal");
}

#[derive(Debug, Deserialize)]
struct Endpoint {
    #[allow(dead_code)]
    url: url::Url,
}

#[test]
fn a_third_party_message_quoting_a_secret_is_masked() {
    let err = ctx(
        json!({"url": "{{secrets.HOST}}"}),
        &[("HOST", "db-hunter2")],
    )
    .bind::<Endpoint>()
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("invalid input at `url`: relative URL without a base"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
}

fn secret_names(err: &ConnectorError) -> String {
    assert_eq!(err.code(), "SECRET_NOT_FOUND", "{err}");
    err.to_string()
}

#[test]
fn from_variables_reports_missing_secrets_in_content_the_input_skips() {
    let secrets = Secrets::from_values([("A", "a")]);
    let cases = [
        json!({"retries": 1, "unused": "{{secrets.X}}"}),
        json!({"retries": 1, "unused": {"deep": [1, {"k": "secrets.X"}]}}),
        json!({"retries": 1, "unused": {"secrets.X": true}}),
        json!({"retries": "{{secrets.A}}x", "unused": ["{{secrets.X}}"]}),
    ];
    for doc in cases {
        let err = from_variables::<Retries>(&doc, &secrets).unwrap_err();
        assert_eq!(
            secret_names(&err),
            "secret `X` is not available from any secret provider",
            "for {doc}"
        );
    }
}

#[test]
fn from_variables_reports_missing_secrets_before_binding_errors_in_replace_order() {
    let secrets = Secrets::from_values([("A", "a")]);
    let doc =
        json!({"retries": 1.5, "z": "{{secrets.Z}}", "b": {"{{secrets.B}}": "{{secrets.A}}"}});
    let err = from_variables::<Retries>(&doc, &secrets).unwrap_err();
    assert_eq!(
        secret_names(&err),
        "secrets `Z`, `B` are not available from any secret provider"
    );
    let replaced = secrets.replace(&doc).unwrap_err().to_string();
    assert_eq!(err.to_string(), replaced);

    let err = from_variables::<Retries>(&json!(["{{secrets.Q}}"]), &secrets).unwrap_err();
    assert_eq!(
        secret_names(&err),
        "secret `Q` is not available from any secret provider"
    );
}

#[test]
fn from_variables_reports_missing_secrets_in_keys_and_buffered_content() {
    let secrets = Secrets::none();
    let err = from_variables::<Value>(&json!({"m": {"{{secrets.K}}": 1}}), &secrets).unwrap_err();
    assert_eq!(
        secret_names(&err),
        "secret `K` is not available from any secret provider"
    );

    let err = from_variables::<WithAuth>(
        &json!({"authentication": {"type": "bearer", "token": "{{secrets.T}}"}}),
        &secrets,
    )
    .unwrap_err();
    assert_eq!(
        secret_names(&err),
        "secret `T` is not available from any secret provider"
    );
}

/// Reads only the first entry of an object and stops, as a hand-written visitor may.
#[derive(Debug)]
struct FirstOnly(String);

impl<'de> Deserialize<'de> for FirstOnly {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FirstOnly;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FirstOnly, A::Error> {
                let first: Option<(String, String)> = map.next_entry()?;
                Ok(FirstOnly(first.map(|(_, v)| v).unwrap_or_default()))
            }
        }
        deserializer.deserialize_map(V)
    }
}

#[test]
fn from_variables_reports_missing_secrets_in_entries_a_visitor_leaves_unread() {
    let secrets = Secrets::from_values([("A", "a")]);
    let ok = from_variables::<FirstOnly>(&json!({"x": "{{secrets.A}}", "y": "plain"}), &secrets)
        .unwrap();
    assert_eq!(ok.0, "a");
    let err = from_variables::<FirstOnly>(
        &json!({"x": "{{secrets.A}}", "y": "{{secrets.Y}}"}),
        &secrets,
    )
    .unwrap_err();
    assert_eq!(
        secret_names(&err),
        "secret `Y` is not available from any secret provider"
    );
}

#[tokio::test]
async fn refused_secrets_bind_as_written() {
    use camunda_connector_sdk::secrets::{MemorySecretProvider, SecretContext};

    #[derive(Debug, Deserialize)]
    struct Input {
        path: String,
    }
    impl Validate for Input {
        fn validate_at(&self, _: &str, _: &mut Vec<Violation>) {}
    }

    let provider = MemorySecretProvider::new([("K1", "a"), ("K2", "b")]);
    let variables = json!({"path": "{{secrets.K1}}/{{secrets.K2}}"});
    let secrets = Secrets::resolve_allowed(&provider, &variables, &SecretContext::default(), |n| {
        n == "K1"
    })
    .await
    .unwrap();
    let ctx = OutboundContext::new(JobFacts::default(), variables, secrets);

    let input: Input = ctx.bind().unwrap();
    assert_eq!(input.path, "a/{{secrets.K2}}");
}
