//! Engine-level tests: function arities, argument errors, null semantics, names and JSON
//! results.

use super::*;
use serde_json::json;

fn eval_with(expression: &str, variables: Json) -> Result<Json, FeelError> {
    let variables = variables.as_object().cloned().unwrap_or_default();
    FeelEngine::new().evaluate(expression, &variables)
}

fn eval(expression: &str, variables: Json) -> Json {
    eval_with(expression, variables).unwrap_or_else(|error| panic!("{error}"))
}

fn value(expression: &str) -> Json {
    eval(expression, json!({}))
}

fn reason(expression: &str, variables: Json) -> String {
    match eval_with(expression, variables) {
        Err(FeelError::Evaluation { reason, .. }) => reason,
        other => panic!("expected an evaluation error, got {other:?}"),
    }
}

#[test]
fn engine_is_shareable_between_jobs() {
    fn assert_send_sync<T: Send + Sync + Clone + Default + fmt::Debug>() {}
    assert_send_sync::<FeelEngine>();
}

#[test]
fn leading_equals_sign_and_whitespace_are_optional() {
    assert_eq!(value(" = 1 + 2 "), json!(3));
    assert_eq!(value("1 + 2"), json!(3));
}

#[test]
fn bpmn_error_has_three_arities() {
    assert_eq!(
        value(r#"bpmnError("C")"#),
        json!({"errorType": "bpmnError", "errorCode": "C"})
    );
    assert_eq!(
        value(r#"bpmnError("C", "M")"#),
        json!({"errorType": "bpmnError", "errorCode": "C", "errorMessage": "M"})
    );
    assert_eq!(
        value(r#"bpmnError("C", "M", {a: 1})"#),
        json!({"errorType": "bpmnError", "errorCode": "C", "errorMessage": "M", "variables": {"a": 1}})
    );
}

#[test]
fn job_error_always_has_all_five_keys() {
    let defaults = json!({"variables": {}, "retries": 0, "retryBackoff": "PT0S"});
    let expected = |overrides: Json| {
        let mut expected = json!({"errorType": "jobError", "errorMessage": "M"});
        let fields = defaults.as_object().unwrap().clone().into_iter();
        expected.as_object_mut().unwrap().extend(fields);
        expected
            .as_object_mut()
            .unwrap()
            .extend(overrides.as_object().unwrap().clone());
        expected
    };

    assert_eq!(value(r#"jobError("M")"#), expected(json!({})));
    assert_eq!(
        value(r#"jobError("M", {a: 1})"#),
        expected(json!({"variables": {"a": 1}}))
    );
    assert_eq!(
        value(r#"jobError("M", {}, 3)"#),
        expected(json!({"retries": 3}))
    );
    assert_eq!(
        value(r#"jobError("M", {}, 3, @"PT30S")"#),
        expected(json!({"retries": 3, "retryBackoff": "PT30S"}))
    );
    assert_eq!(
        value(r#"jobError("M", {}, 3, duration("P1D"))"#),
        expected(json!({"retries": 3, "retryBackoff": "PT24H"}))
    );
}

#[test]
fn ignore_error_has_two_arities() {
    assert_eq!(value("ignoreError()"), json!({"errorType": "ignoreError"}));
    assert_eq!(
        value("ignoreError({done: true})"),
        json!({"errorType": "ignoreError", "variables": {"done": true}})
    );
}

#[test]
fn connector_functions_accept_named_arguments() {
    assert_eq!(
        value(r#"bpmnError(errorCode: "C", errorMessage: "M")"#),
        json!({"errorType": "bpmnError", "errorCode": "C", "errorMessage": "M"})
    );
}

#[test]
fn unsupported_arities_behave_like_unknown_functions() {
    assert_eq!(value(r#"bpmnError("a", "b", {}, "d")"#), json!(null));
    assert_eq!(value("bpmnError()"), json!(null));
    assert_eq!(value(r#"ignoreError({}, {})"#), json!(null));
}

#[test]
fn connector_argument_errors_fail_the_evaluation() {
    assert_eq!(
        reason("bpmnError(error.code, error.message)", json!({})),
        "parameter 'errorCode' of function 'bpmnError' must be a string"
    );
    assert_eq!(
        reason("bpmnError(error.code)", json!({"error": {"code": 404}})),
        "parameter 'errorCode' of function 'bpmnError' must be a string"
    );
    assert_eq!(
        reason(r#"bpmnError("C", "M", [1])"#, json!({})),
        "parameter 'variables' of function 'bpmnError' must be a context"
    );
    assert_eq!(
        reason(r#"jobError("M", {}, "3")"#, json!({})),
        "parameter 'retries' of function 'jobError' must be a number"
    );
    assert_eq!(
        reason(r#"jobError("M", {}, 3, @"P1M")"#, json!({})),
        "parameter 'retryBackoff' of function 'jobError' must be a days-time duration such as duration(\"PT1S\")"
    );
    assert_eq!(
        reason("ignoreError(1)", json!({})),
        "parameter 'variables' of function 'ignoreError' must be a context"
    );
}

#[test]
fn argument_errors_fail_even_when_the_value_is_discarded() {
    let error = eval_with(r#"{a: bpmnError(1), b: 2}.b"#, json!({})).unwrap_err();
    assert!(matches!(error, FeelError::Evaluation { .. }));
}

#[test]
fn untaken_branches_do_not_fail() {
    assert_eq!(
        eval(
            "if is defined(error) then bpmnError(error.code) else null",
            json!({"status": 200})
        ),
        json!(null)
    );
}

#[test]
fn error_messages_name_the_expression_but_not_the_values() {
    let error = eval_with(
        "= bpmnError(secret)",
        json!({"secret": {"token": "s3cr3t-value"}}),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(message.contains("'bpmnError(secret)'"), "{message}");
    assert!(!message.contains("s3cr3t-value"), "{message}");
    assert_eq!(error.expression(), "bpmnError(secret)");
}

#[test]
fn syntax_errors_are_parse_errors() {
    let error = eval_with("{a: ", json!({})).unwrap_err();
    assert!(matches!(error, FeelError::Parse { .. }));
    assert_eq!(error.reason(), "syntax error");
    assert!(matches!(
        eval_with("\"open", json!({})),
        Err(FeelError::Parse { .. })
    ));
}

#[test]
fn missing_things_and_type_mismatches_give_null() {
    let variables = json!({"a": {"b": 1}, "s": "text", "list": [1, 2]});
    for expression in [
        "missing",
        "a.b.c.d",
        "a.missing",
        "list[5]",
        "s.length",
        r#""a" + 1"#,
        r#"200 = "200""#,
        r#"s < 1"#,
        "camel case(s)",
        "unknownFunction(1, 2)",
        "count(missing)",
        "sort(list)",
        "upper case(missing)",
        "1 / 0",
    ] {
        assert_eq!(
            eval(expression, variables.clone()),
            json!(null),
            "{expression}"
        );
    }
}

#[test]
fn null_compares_equal_only_to_null() {
    let variables = json!({"n": null, "code": "404"});
    assert_eq!(eval(r#"n = "404""#, variables.clone()), json!(false));
    assert_eq!(eval("n = null", variables.clone()), json!(true));
    assert_eq!(eval("missing = null", variables.clone()), json!(true));
    assert_eq!(eval("n != null", variables.clone()), json!(false));
    assert_eq!(eval(r#"n != "404""#, variables.clone()), json!(true));
    assert_eq!(eval(r#"code = "404""#, variables), json!(true));
}

#[test]
fn only_true_takes_the_then_branch() {
    assert_eq!(value(r#"if null then 1 else 2"#), json!(2));
    assert_eq!(value(r#"if "yes" then 1 else 2"#), json!(2));
    assert_eq!(value(r#"if 1 < 2 then 1 else 2"#), json!(1));
}

#[test]
fn is_defined_and_get_or_else_treat_null_as_missing() {
    let variables = json!({"a": null, "b": 0});
    assert_eq!(eval("is defined(a)", variables.clone()), json!(false));
    assert_eq!(eval("is defined(b)", variables.clone()), json!(true));
    assert_eq!(eval("is defined(c.d)", variables.clone()), json!(false));
    assert_eq!(
        eval(r#"get or else(a, "x")"#, variables.clone()),
        json!("x")
    );
    assert_eq!(eval(r#"get or else(b, "x")"#, variables), json!(0));
}

#[test]
fn number_accepts_one_or_three_arguments() {
    assert_eq!(value(r#"number("12.5")"#), json!(12.5));
    assert_eq!(value(r#"number("abc")"#), json!(null));
    assert_eq!(value(r#"number("1,000.5", ",", ".")"#), json!(1000.5));
}

#[test]
fn string_uses_camunda_formats() {
    assert_eq!(value("string(100 * 1.19)"), json!("119.00"));
    assert_eq!(value(r#"string(["A", "B"])"#), json!(r#"["A", "B"]"#));
    assert_eq!(value("string(true)"), json!("true"));
    assert_eq!(value("string(null)"), json!(null));
    assert_eq!(value(r#"string(duration("PT26H30M"))"#), json!("P1DT2H30M"));
    assert_eq!(
        value(r#"string(date and time(date and time("2024-07-01T08:00:00Z"), "Europe/Berlin"))"#),
        json!("2024-07-01T10:00:00@Europe/Berlin")
    );
}

#[test]
fn string_join_skips_nulls() {
    assert_eq!(
        value(r#"string join([null, "a", null, "b"], "-")"#),
        json!("a-b")
    );
    assert_eq!(value(r#"string join(["a", "b"])"#), json!("ab"));
    assert_eq!(value(r#"string join(["a", 1], "-")"#), json!(null));
}

#[test]
fn now_has_a_zone() {
    assert_eq!(
        value(r#"now() > date and time("2020-01-01T00:00:00Z")"#),
        json!(true)
    );
    let now = value("now()");
    assert!(
        now.as_str().is_some_and(|text| text.ends_with('Z')),
        "{now}"
    );
}

#[test]
fn date_times_without_seconds_are_accepted() {
    assert_eq!(
        value(r#"date and time("1970-01-01T00:00Z")"#),
        json!("1970-01-01T00:00:00Z")
    );
    assert_eq!(value(r#"time("10:30")"#), json!("10:30:00"));
}

#[test]
fn backoff_returns_a_duration_within_its_bounds() {
    for _ in 0..20 {
        let delay = value("backoff(3)");
        let millis: f64 = delay
            .as_str()
            .and_then(|text| text.strip_prefix("PT"))
            .and_then(|text| text.strip_suffix('S'))
            .and_then(|text| text.parse().ok())
            .map(|seconds: f64| seconds * 1000.0)
            .unwrap_or_else(|| panic!("not a duration: {delay}"));
        assert!((115.0..=141.0).contains(&millis), "{millis}");
    }
    assert_eq!(
        value(r#"backoff(2, duration("PT1S"), 3, duration("PT10S"), 0)"#),
        json!("PT3S")
    );
}

#[test]
fn backoff_argument_errors_fail_the_evaluation() {
    assert_eq!(
        reason("backoff(0)", json!({})),
        "parameter 'attempt' of function 'backoff' must be at least 1"
    );
}

#[test]
fn names_split_like_camunda() {
    let variables = json!({
        "headers": {"Content-Type": "json", "Content": 1},
        "Type": 2,
        "job": {"retries": 3},
    });
    assert_eq!(eval("headers.Content-Type", variables.clone()), json!(-1));
    assert_eq!(
        eval("headers.`Content-Type`", variables.clone()),
        json!("json")
    );
    assert_eq!(eval("job.retries-1", variables.clone()), json!(2));
    assert_eq!(eval("job.retries - 1", variables), json!(2));
}

#[test]
fn awkward_keys_stay_reachable() {
    let variables = json!({"h": {"my key": 1, "it's": 2, "a\"b": 3, "x-y": 4}});
    assert_eq!(eval("h.`my key`", variables.clone()), json!(1));
    assert_eq!(eval(r#"get value(h, "it's")"#, variables.clone()), json!(2));
    assert_eq!(eval(r#"get value(h, "a\"b")"#, variables.clone()), json!(3));
    assert_eq!(eval("h.`x-y`", variables), json!(4));
}

#[test]
fn variables_do_not_hide_built_in_functions() {
    let variables = json!({"data": [{"date": "2024-01-01"}, {"date": "2024-02-01"}], "count": 7});
    assert_eq!(
        eval(
            r#"data[date(item.date) = date("2024-02-01")][1].date"#,
            variables.clone()
        ),
        json!("2024-02-01")
    );
    assert_eq!(eval("count([1, 2]) + count", variables), json!(9));
    assert_eq!(
        value(r#"{duration: 1, later: duration("PT1M")}"#),
        json!({"duration": 1, "later": "PT1M"})
    );
}

#[test]
fn results_convert_to_camunda_json() {
    assert_eq!(value("119.00"), json!(119));
    assert_eq!(value("10 * 1.19"), json!(11.9));
    assert_eq!(value(r#"date("2024-02-14")"#), json!("2024-02-14"));
    assert_eq!(
        value(r#"date and time("2024-07-01T10:00:00@Europe/Berlin")"#),
        json!("2024-07-01T10:00:00+02:00")
    );
    assert_eq!(
        value(r#"date and time("2024-01-15T09:00:00Z")"#),
        json!("2024-01-15T09:00:00Z")
    );
    assert_eq!(value(r#"duration("P1DT2H30M")"#), json!("PT26H30M"));
    assert_eq!(value(r#"duration("P3Y9M")"#), json!("P3Y9M"));
    assert_eq!(value("[1, {a: [true]}]"), json!([1, {"a": [true]}]));
    // A function value would convert to null, but defining one outside a call is rejected.
    assert!(matches!(
        eval_with("function(x) x", json!({})),
        Err(FeelError::Unsupported { .. })
    ));
    assert_eq!(
        value("sort([3, 1, 2], function(x, y) x < y)"),
        json!([1, 2, 3])
    );
}

#[test]
fn json_numbers_convert_exactly() {
    assert_eq!(eval("a + b", json!({"a": 0.1, "b": 0.2})), json!(0.3));
    assert_eq!(eval("string(a)", json!({"a": 0.1})), json!("0.1"));
    assert_eq!(
        eval("a * 3", json!({"a": i64::MAX / 3})),
        json!(i64::MAX / 3 * 3)
    );
}

#[test]
fn comments_are_whitespace() {
    assert_eq!(
        value("{ /* c */ a: 1, // line\n b: \"x // not a comment\" }"),
        json!({"a": 1, "b": "x // not a comment"})
    );
}

#[test]
fn cache_is_shared_by_clones_and_bounded() {
    let engine = FeelEngine::new();
    let clone = engine.clone();
    let variables = Map::new();

    for index in 0..CACHE_CAPACITY + 10 {
        clone.evaluate(&format!("{index} + 1"), &variables).unwrap();
    }

    let cached = engine.cache.read().unwrap().len();
    assert_eq!(cached, CACHE_CAPACITY);
    assert_eq!(engine.evaluate("1 + 1", &variables).unwrap(), json!(2));
}

#[test]
fn engine_works_from_many_threads() {
    let engine = FeelEngine::new();
    let handles: Vec<_> = (0..4)
        .map(|index| {
            let engine = engine.clone();
            std::thread::spawn(move || {
                let variables = json!({"n": index}).as_object().cloned().unwrap();
                engine.evaluate("n * 2", &variables).unwrap()
            })
        })
        .collect();

    let results: Vec<Json> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results, [json!(0), json!(2), json!(4), json!(6)]);
}

/// The deepest expressions of at most [`MAX_EXPRESSION_BYTES`], by shape.
fn deepest_expressions() -> Vec<(&'static str, String)> {
    let n = MAX_EXPRESSION_BYTES;
    let chain = format!("{{a: {}}}", vec!["1"; (n - 6) / 2].join("+"));
    let contexts = format!("{}1{}", "{a:".repeat((n - 1) / 4), "}".repeat((n - 1) / 4));
    let lists = format!("{}1{}", "[".repeat((n - 1) / 2), "]".repeat((n - 1) / 2));
    let parentheses = format!("{}1{}", "(".repeat((n - 1) / 2), ")".repeat((n - 1) / 2));
    let negations = format!("{}1", "-".repeat(n - 1));
    let calls = format!("{}1{}", "abs(".repeat((n - 1) / 5), ")".repeat((n - 1) / 5));
    let ifs = format!("{}1", "if true then 1 else ".repeat((n - 1) / 20));
    let paths = format!("a{}", ".a".repeat((n - 1) / 2));
    let filters = format!("[1]{}", "[1]".repeat((n - 3) / 3));
    for expression in [
        &chain,
        &contexts,
        &lists,
        &parentheses,
        &negations,
        &calls,
        &ifs,
        &paths,
        &filters,
    ] {
        assert!(expression.len() <= n, "{}", expression.len());
    }
    vec![
        ("chain", chain),
        ("contexts", contexts),
        ("lists", lists),
        ("parentheses", parentheses),
        ("negations", negations),
        ("calls", calls),
        ("ifs", ifs),
        ("paths", paths),
        ("filters", filters),
    ]
}

/// Measures the stack the deepest expressions need: run with
/// `FEEL_STACK_SHAPE=<shape> FEEL_STACK_MIB=<n> cargo test -p camunda-connector-runtime --lib
/// stack_needed -- --ignored`; an overflow aborts the process, so the smallest stack that
/// passes is found by running it with decreasing sizes (see [`EVALUATION_STACK_BYTES`]).
#[test]
#[ignore = "a measurement: aborts the process when the stack is too small"]
fn stack_needed_by_the_deepest_expressions() {
    let shape = std::env::var("FEEL_STACK_SHAPE").unwrap_or_else(|_| "chain".to_owned());
    let mib: usize = std::env::var("FEEL_STACK_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EVALUATION_STACK_BYTES >> 20);
    let (_, expression) = deepest_expressions()
        .into_iter()
        .find(|(name, _)| *name == shape)
        .expect("a known shape");

    let engine = FeelEngine::new();
    let outcome = std::thread::Builder::new()
        .stack_size(mib << 20)
        .spawn(move || {
            let result = engine.evaluate_here(&expression, &Map::new());
            drop(engine);
            result.map(|_| ()).map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .unwrap();
    println!("{shape} with {mib} MiB: {outcome:?}");
}

#[test]
fn the_deepest_expressions_within_the_bound_evaluate_without_overflowing() {
    let engine = FeelEngine::new();
    // Paths of thousands of segments take minutes to parse: the time budget of
    // `evaluate_async` covers them (see `a_slow_expression_runs_out_of_time`).
    let shapes = deepest_expressions()
        .into_iter()
        .filter(|(shape, _)| *shape != "paths");
    for (shape, expression) in shapes {
        // An overflow would abort the test process; an error is fine (deep results are
        // rejected), a panic is not.
        let _ = engine.evaluate(&expression, &Map::new());
        println!("{shape} evaluated");
    }
}

#[test]
fn expressions_over_the_length_bound_are_rejected_before_parsing() {
    // 2 000 terms overflowed the main thread's stack before the bound and the big stack.
    let ok = format!("={{a: {}}}", vec!["1"; 2_000].join("+"));
    assert_eq!(eval(&ok, json!({})), json!({"a": 2000}));

    let long = format!("={{a: {}}}", vec!["1"; 9_000].join("+"));
    let error = eval_with(&long, json!({})).unwrap_err();
    assert!(
        matches!(error, FeelError::TooLong { length: 18_004, .. }),
        "{error}"
    );
    assert!(
        error.to_string().contains("more than the 16384 bytes"),
        "{error}"
    );
    assert!(error.expression().len() < 300);
}

#[test]
fn function_definitions_are_rejected() {
    let recursive = "{f: function(n) if n = 0 then 0 else f(n-1), r: f(100000)}.r";
    let error = eval_with(recursive, json!({})).unwrap_err();
    assert!(matches!(error, FeelError::Unsupported { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("defines a function other than as a call argument"),
        "{error}"
    );

    let error = eval_with("(function(x) x + 1)(2)", json!({})).unwrap_err();
    assert!(matches!(error, FeelError::Unsupported { .. }), "{error}");
    // A variable named `function` is still fine.
    assert_eq!(
        eval("{a: function}", json!({"function": 1})),
        json!({"a": 1})
    );
}

#[test]
fn results_nested_too_deeply_are_rejected() {
    let depth = MAX_RESULT_DEPTH;
    let fine = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    assert!(eval_with(&fine, json!({})).is_ok());
    let deep = format!("{}1{}", "[".repeat(2_000), "]".repeat(2_000));
    let error = eval_with(&deep, json!({})).unwrap_err();
    assert!(
        error.to_string().contains("nests deeper than 128"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evaluation_runs_off_the_async_threads_with_a_big_stack() {
    // 600 terms overflowed a 2 MiB tokio worker thread when evaluated on it.
    let chain = format!("={{a: {}}}", vec!["1"; 600].join("+"));
    let result = FeelEngine::new().evaluate_async(&chain, Map::new()).await;
    assert_eq!(result.unwrap(), json!({"a": 600}));
}

#[tokio::test]
async fn a_slow_expression_runs_out_of_time() {
    let items: Vec<Json> = (0..20_000).map(Json::from).collect();
    let variables = json!({"items": items}).as_object().cloned().unwrap();
    let engine = FeelEngine::new().with_timeout(Duration::from_millis(300));

    let started = std::time::Instant::now();
    let error = engine
        .evaluate_async("for x in items return x", variables)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(error, FeelError::TimedOut { .. }), "{error}");
    assert!(
        error.to_string().contains("took longer than 300ms"),
        "{error}"
    );
}
