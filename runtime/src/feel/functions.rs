//! The functions we add to dsntk: Camunda's connector functions (`bpmnError`, `jobError`,
//! `ignoreError`, `backoff`) and the Camunda FEEL functions dsntk lacks or implements
//! differently (`is defined`, `get or else`, one-argument `number`, `string`, a zone-aware
//! `now` and `date and time(date-time, zone id)`).
//!
//! A dsntk function has one fixed arity, so every arity of a function is registered as its own
//! context entry under [`internal_name`], and the AST rewrite points each call at the entry for
//! its argument count. The entries are built per evaluation so that they can report argument
//! errors through the evaluation's [`Failure`] slot: dsntk functions can only return values,
//! while Camunda fails the whole evaluation when a connector function rejects an argument.

use std::str::FromStr;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use dsntk_feel::bif::Bif;
use dsntk_feel::closure::Closure;
use dsntk_feel::context::FeelContext;
use dsntk_feel::values::Value;
use dsntk_feel::{Evaluator, FeelNumber, FeelScope, FeelType, FunctionBody, Name};
use dsntk_feel_parser::AstNode;

use super::convert::java_duration;

/// Starts the context entry names of our functions; a FEEL name cannot contain it.
const INTERNAL_PREFIX: &str = "\u{1}camunda:";

/// The variant `=` the rewrite puts in place of the equality operator.
pub(crate) const EQUAL: &str = "=";

/// The variant `!=` the rewrite puts in place of the inequality operator.
pub(crate) const NOT_EQUAL: &str = "!=";

/// The variant the rewrite wraps around the condition of an `if`.
pub(crate) const CONDITION: &str = "if ?";

const BPMN_ERROR: &str = "bpmnError";
const JOB_ERROR: &str = "jobError";
const IGNORE_ERROR: &str = "ignoreError";
const BACKOFF: &str = "backoff";

const NANOS_PER_MILLI: i64 = 1_000_000;

/// The result of one of our functions: a value, or an argument error that fails evaluation.
type Outcome = Result<Value, ArgumentError>;

/// A function variant: its FEEL name, its parameters, and what it computes.
struct Variant {
    name: &'static str,
    parameters: &'static [&'static str],
    body: fn(&[Value]) -> Outcome,
}

/// All variants, one per supported arity.
static VARIANTS: &[Variant] = &[
    variant(BPMN_ERROR, &["errorCode"], bpmn_error),
    variant(BPMN_ERROR, &["errorCode", "errorMessage"], bpmn_error),
    variant(
        BPMN_ERROR,
        &["errorCode", "errorMessage", "variables"],
        bpmn_error,
    ),
    variant(JOB_ERROR, &["errorMessage"], job_error),
    variant(JOB_ERROR, &["errorMessage", "variables"], job_error),
    variant(
        JOB_ERROR,
        &["errorMessage", "variables", "retries"],
        job_error,
    ),
    variant(
        JOB_ERROR,
        &["errorMessage", "variables", "retries", "retryBackoff"],
        job_error,
    ),
    variant(IGNORE_ERROR, &[], ignore_error),
    variant(IGNORE_ERROR, &["variables"], ignore_error),
    variant(BACKOFF, &["attempt"], backoff),
    variant(BACKOFF, &["attempt", "minDelay"], backoff),
    variant(BACKOFF, &["attempt", "minDelay", "factor"], backoff),
    variant(
        BACKOFF,
        &["attempt", "minDelay", "factor", "maxDelay"],
        backoff,
    ),
    variant(
        BACKOFF,
        &["attempt", "minDelay", "factor", "maxDelay", "jitterFactor"],
        backoff,
    ),
    variant("is defined", &["value"], is_defined),
    variant("get or else", &["value", "default"], get_or_else),
    variant("number", &["from"], number),
    variant("string", &["from"], string),
    variant("now", &[], now),
    variant("date and time", &["from"], date_and_time),
    variant("date and time", &["from", "zone"], date_and_time_in_zone),
    variant("time", &["from"], time),
    variant("count", &["list"], count),
    variant("string join", &["list"], string_join),
    variant("string join", &["list", "delimiter"], string_join),
    variant(EQUAL, &["left", "right"], equal),
    variant(NOT_EQUAL, &["left", "right"], not_equal),
    variant(CONDITION, &["condition"], condition),
];

const fn variant(
    name: &'static str,
    parameters: &'static [&'static str],
    body: fn(&[Value]) -> Outcome,
) -> Variant {
    Variant {
        name,
        parameters,
        body,
    }
}

/// A connector function called with an argument it cannot accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter '{parameter}' of function '{function}' {requirement}")]
pub(crate) struct ArgumentError {
    function: &'static str,
    parameter: &'static str,
    requirement: &'static str,
}

/// Collects the first argument error of one evaluation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Failure(Arc<Mutex<Option<ArgumentError>>>);

impl Failure {
    fn record(&self, error: ArgumentError) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(error);
    }

    /// The first argument error recorded, if any.
    pub(crate) fn take(&self) -> Option<ArgumentError> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// The context entry name of `name` called with `arity` arguments, if we provide that variant.
pub(crate) fn internal_name(name: &str, arity: usize) -> Option<String> {
    VARIANTS
        .iter()
        .find(|variant| variant.name == name && variant.parameters.len() == arity)
        .map(entry_name)
}

fn entry_name(variant: &Variant) -> String {
    format!(
        "{INTERNAL_PREFIX}{}/{}",
        variant.name,
        variant.parameters.len()
    )
}

/// The context entry name under which the built-in function `name` is always reachable.
pub(crate) fn built_in_entry_name(name: &str) -> String {
    format!("{INTERNAL_PREFIX}built-in:{name}")
}

/// A context holding the built-in functions `names` under their entry names.
pub(crate) fn built_in_context<'a>(names: impl IntoIterator<Item = &'a String>) -> FeelContext {
    let mut context = FeelContext::default();
    for name in names {
        if let Ok(built_in) = Bif::from_str(name) {
            let entry = Name::from(built_in_entry_name(name));
            context.set_entry(&entry, Value::BuiltInFunction(built_in));
        }
    }
    context
}

/// A context holding every variant, reporting argument errors to `failure`.
pub(crate) fn function_context(failure: &Failure) -> FeelContext {
    let mut context = FeelContext::default();
    for variant in VARIANTS {
        let name = Name::from(entry_name(variant));
        context.set_entry(&name, definition(variant, failure.clone()));
    }
    context
}

/// Wraps a variant into a dsntk function definition that reads its arguments from the scope.
fn definition(variant: &'static Variant, failure: Failure) -> Value {
    let parameters: Vec<Name> = variant.parameters.iter().map(|p| Name::from(*p)).collect();
    let typed = parameters
        .iter()
        .map(|name| (name.clone(), FeelType::Any))
        .collect();

    let evaluator = move |scope: &FeelScope| {
        let arguments: Vec<Value> = parameters
            .iter()
            .map(|name| scope.get_value(name).unwrap_or(Value::Null(None)))
            .collect();
        (variant.body)(&arguments).unwrap_or_else(|error| {
            failure.record(error);
            Value::Null(None)
        })
    };

    Value::FunctionDefinition(
        typed,
        FunctionBody::LiteralExpression(Arc::new(Box::new(evaluator))),
        false,
        Closure::default(),
        FeelContext::default(),
        FeelType::Any,
    )
}

fn set(context: &mut FeelContext, key: &str, value: Value) {
    context.set_entry(&Name::from(key), value);
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

fn argument_error(
    function: &'static str,
    parameter: &'static str,
    requirement: &'static str,
) -> ArgumentError {
    ArgumentError {
        function,
        parameter,
        requirement,
    }
}

fn require_string(function: &'static str, parameter: &'static str, value: &Value) -> Outcome {
    match value {
        Value::String(_) => Ok(value.clone()),
        _ => Err(argument_error(function, parameter, "must be a string")),
    }
}

fn require_context(function: &'static str, parameter: &'static str, value: &Value) -> Outcome {
    match value {
        Value::Context(_) => Ok(value.clone()),
        _ => Err(argument_error(function, parameter, "must be a context")),
    }
}

fn require_number(
    function: &'static str,
    parameter: &'static str,
    value: &Value,
) -> Result<FeelNumber, ArgumentError> {
    match value {
        Value::Number(number) => Ok(*number),
        _ => Err(argument_error(function, parameter, "must be a number")),
    }
}

/// The duration in nanoseconds of a days-time duration argument.
fn require_duration(
    function: &'static str,
    parameter: &'static str,
    value: &Value,
) -> Result<i64, ArgumentError> {
    match value {
        Value::DaysAndTimeDuration(duration) => Ok(duration.as_nanos()),
        _ => Err(argument_error(
            function,
            parameter,
            "must be a days-time duration such as duration(\"PT1S\")",
        )),
    }
}

/// A days-time duration value of `nanos` nanoseconds.
fn duration_value(nanos: i64) -> Value {
    Value::try_from_xsd_duration(&java_duration(nanos)).unwrap_or_else(|_| Value::Null(None))
}

/// `bpmnError(errorCode[, errorMessage[, variables]])`.
fn bpmn_error(arguments: &[Value]) -> Outcome {
    let mut context = FeelContext::default();
    set(&mut context, "errorType", text(BPMN_ERROR));

    let code = require_string(BPMN_ERROR, "errorCode", &arguments[0])?;
    set(&mut context, "errorCode", code);

    if let Some(message) = arguments.get(1) {
        let message = require_string(BPMN_ERROR, "errorMessage", message)?;
        set(&mut context, "errorMessage", message);
    }

    if let Some(variables) = arguments.get(2) {
        let variables = require_context(BPMN_ERROR, "variables", variables)?;
        set(&mut context, "variables", variables);
    }

    Ok(Value::Context(context))
}

/// `jobError(errorMessage[, variables[, retries[, retryBackoff]]])`; every key is always set.
fn job_error(arguments: &[Value]) -> Outcome {
    let mut context = FeelContext::default();
    set(&mut context, "errorType", text(JOB_ERROR));

    let message = require_string(JOB_ERROR, "errorMessage", &arguments[0])?;
    set(&mut context, "errorMessage", message);

    let variables = match arguments.get(1) {
        Some(variables) => require_context(JOB_ERROR, "variables", variables)?,
        None => Value::Context(FeelContext::default()),
    };
    set(&mut context, "variables", variables);

    let retries = match arguments.get(2) {
        Some(retries) => require_number(JOB_ERROR, "retries", retries)?.trunc(),
        None => FeelNumber::zero(),
    };
    set(&mut context, "retries", Value::Number(retries));

    let backoff = match arguments.get(3) {
        Some(backoff) => require_duration(JOB_ERROR, "retryBackoff", backoff)?,
        None => 0,
    };
    set(&mut context, "retryBackoff", duration_value(backoff));

    Ok(Value::Context(context))
}

/// `ignoreError([variables])`.
fn ignore_error(arguments: &[Value]) -> Outcome {
    let mut context = FeelContext::default();
    set(&mut context, "errorType", text(IGNORE_ERROR));

    if let Some(variables) = arguments.first() {
        let variables = require_context(IGNORE_ERROR, "variables", variables)?;
        set(&mut context, "variables", variables);
    }

    Ok(Value::Context(context))
}

/// The settings of one `backoff` call, in milliseconds where they are durations.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Backoff {
    attempt: f64,
    min_millis: f64,
    factor: f64,
    max_millis: f64,
    jitter: f64,
}

impl Backoff {
    fn from_arguments(arguments: &[Value]) -> Result<Self, ArgumentError> {
        let number = |index: usize, parameter, default: f64| match arguments.get(index) {
            Some(value) => require_number(BACKOFF, parameter, value).map(|n| to_f64(&n)),
            None => Ok(default),
        };
        let millis = |index: usize, parameter, default: f64| match arguments.get(index) {
            Some(value) => require_duration(BACKOFF, parameter, value)
                .map(|nanos| nanos as f64 / NANOS_PER_MILLI as f64),
            None => Ok(default),
        };

        let settings = Self {
            attempt: number(0, "attempt", 1.0)?,
            min_millis: millis(1, "minDelay", 50.0)?,
            factor: number(2, "factor", 1.6)?,
            max_millis: millis(3, "maxDelay", 5000.0)?,
            jitter: number(4, "jitterFactor", 0.1)?,
        };
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ArgumentError> {
        if self.attempt < 1.0 {
            return Err(argument_error(BACKOFF, "attempt", "must be at least 1"));
        }
        if self.factor <= 0.0 {
            return Err(argument_error(BACKOFF, "factor", "must be greater than 0"));
        }
        if self.min_millis > self.max_millis {
            return Err(argument_error(
                BACKOFF,
                "minDelay",
                "must not be greater than 'maxDelay'",
            ));
        }
        if self.jitter < 0.0 {
            return Err(argument_error(
                BACKOFF,
                "jitterFactor",
                "must not be negative",
            ));
        }
        Ok(())
    }

    /// The delay in milliseconds for a jitter draw `spread` in `-1.0..=1.0`.
    fn delay_millis(&self, spread: f64) -> i64 {
        let exponential = self.min_millis * self.factor.powf(self.attempt - 1.0);
        let delay = exponential.clamp(self.min_millis, self.max_millis);
        let jittered = delay + delay * self.jitter * spread;
        jittered.round().max(0.0) as i64
    }
}

fn to_f64(number: &FeelNumber) -> f64 {
    number.to_string().parse().unwrap_or(f64::NAN)
}

/// `backoff(attempt[, minDelay[, factor[, maxDelay[, jitterFactor]]]])`: an exponential delay
/// with random jitter, as a days-time duration.
fn backoff(arguments: &[Value]) -> Outcome {
    let settings = Backoff::from_arguments(arguments)?;
    let spread = fastrand::f64() * 2.0 - 1.0;
    let millis = settings.delay_millis(spread);
    Ok(duration_value(millis.saturating_mul(NANOS_PER_MILLI)))
}

/// `is defined(value)`: false for a missing value and for null alike.
fn is_defined(arguments: &[Value]) -> Outcome {
    Ok(Value::Boolean(!arguments[0].is_null()))
}

/// `get or else(value, default)`.
fn get_or_else(arguments: &[Value]) -> Outcome {
    let chosen = if arguments[0].is_null() {
        &arguments[1]
    } else {
        &arguments[0]
    };
    Ok(chosen.clone())
}

/// `number(from)`: a decimal number written with `.` and an optional exponent.
fn number(arguments: &[Value]) -> Outcome {
    let Value::String(from) = &arguments[0] else {
        return Ok(Value::Null(None));
    };
    Ok(parse_number(from).map_or(Value::Null(None), Value::Number))
}

fn parse_number(text: &str) -> Option<FeelNumber> {
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    let digits = mantissa.trim_start_matches(['+', '-']);
    let well_formed = !digits.is_empty()
        && digits.chars().any(|ch| ch.is_ascii_digit())
        && text
            .chars()
            .all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | '+' | '-' | 'e' | 'E'));
    if !well_formed {
        return None;
    }
    text.parse().ok()
}

/// `string(from)` in Camunda's formats.
fn string(arguments: &[Value]) -> Outcome {
    Ok(super::format::to_feel_string(&arguments[0]).map_or(Value::Null(None), Value::String))
}

/// `now()`: the current instant in UTC.
fn now(_: &[Value]) -> Outcome {
    let now = jiff::Timestamp::now().to_string();
    Ok(Value::try_from_xsd_date_time(&now).unwrap_or(Value::Null(None)))
}

/// `date and time(from)`: dsntk's, also accepting times without seconds (`T10:30Z`).
fn date_and_time(arguments: &[Value]) -> Outcome {
    Ok(with_optional_seconds(
        "date and time",
        &arguments[0],
        |text| text.find('T').map(|index| index + 1),
    ))
}

/// `time(from)`: dsntk's, also accepting times without seconds (`10:30`).
fn time(arguments: &[Value]) -> Outcome {
    Ok(with_optional_seconds("time", &arguments[0], |_| Some(0)))
}

/// Calls the built-in `name` with `from`, retrying with `:00` seconds inserted at the time
/// that `time_start` finds when the text has hours and minutes only.
fn with_optional_seconds(
    name: &str,
    from: &Value,
    time_start: impl Fn(&str) -> Option<usize>,
) -> Value {
    let value = call_built_in(name, std::slice::from_ref(from));
    let Value::String(text) = from else {
        return value;
    };
    if !value.is_null() {
        return value;
    }

    let Some(start) = time_start(text) else {
        return value;
    };
    let clock = text.get(start..).unwrap_or_default().as_bytes();
    let minutes_only = clock.len() >= 5
        && clock[..5]
            .iter()
            .enumerate()
            .all(|(index, byte)| match index {
                2 => *byte == b':',
                _ => byte.is_ascii_digit(),
            })
        && clock.get(5) != Some(&b':');
    if !minutes_only {
        return value;
    }

    let with_seconds = format!("{}:00{}", &text[..start + 5], &text[start + 5..]);
    call_built_in(name, &[Value::String(with_seconds)])
}

/// `date and time(from, zone)`: a date-time moved to the zone `zone` (same instant), and for
/// any other arguments dsntk's `date and time(date, time)`.
fn date_and_time_in_zone(arguments: &[Value]) -> Outcome {
    match (&arguments[0], &arguments[1]) {
        (Value::DateTime(_), Value::String(zone)) => {
            Ok(super::temporal::in_zone(&arguments[0], zone).unwrap_or(Value::Null(None)))
        }
        _ => Ok(call_built_in("date and time", arguments)),
    }
}

/// `count(list)`: null for null, where dsntk counts it as a one-item list.
fn count(arguments: &[Value]) -> Outcome {
    match &arguments[0] {
        Value::Null(_) => Ok(Value::Null(None)),
        _ => Ok(call_built_in("count", arguments)),
    }
}

/// `string join(list[, delimiter])`: the strings of `list`, skipping nulls.
fn string_join(arguments: &[Value]) -> Outcome {
    let Value::List(items) = &arguments[0] else {
        return Ok(Value::Null(None));
    };
    let delimiter = match arguments.get(1) {
        None | Some(Value::Null(_)) => "",
        Some(Value::String(delimiter)) => delimiter,
        Some(_) => return Ok(Value::Null(None)),
    };

    let mut parts = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Value::String(part) => parts.push(part.as_str()),
            Value::Null(_) => {}
            _ => return Ok(Value::Null(None)),
        }
    }
    Ok(Value::String(parts.join(delimiter)))
}

/// `left = right`: a null equals only null; otherwise dsntk's equality, which gives null for
/// values of different types.
fn equal(arguments: &[Value]) -> Outcome {
    Ok(compare(&arguments[0], &arguments[1]))
}

/// `left != right`: the negation of [`equal`], null where that is null.
fn not_equal(arguments: &[Value]) -> Outcome {
    Ok(match compare(&arguments[0], &arguments[1]) {
        Value::Boolean(same) => Value::Boolean(!same),
        other => other,
    })
}

fn compare(left: &Value, right: &Value) -> Value {
    static EQUALITY: LazyLock<Evaluator> = LazyLock::new(|| {
        dsntk_feel_evaluator::prepare(&AstNode::Eq(
            Box::new(AstNode::Name(Name::from("left"))),
            Box::new(AstNode::Name(Name::from("right"))),
        ))
    });

    if left.is_null() || right.is_null() {
        return Value::Boolean(left.is_null() && right.is_null());
    }

    let mut operands = FeelContext::default();
    set(&mut operands, "left", left.clone());
    set(&mut operands, "right", right.clone());
    EQUALITY(&FeelScope::from(operands))
}

/// The condition of an `if`: only `true` is true.
fn condition(arguments: &[Value]) -> Outcome {
    Ok(Value::Boolean(arguments[0].is_true()))
}

/// Calls dsntk's built-in function `name` with `arguments`.
fn call_built_in(name: &str, arguments: &[Value]) -> Value {
    let mut context = FeelContext::default();
    let mut parameters = Vec::with_capacity(arguments.len());
    for (index, argument) in arguments.iter().enumerate() {
        let parameter = Name::from(format!("argument{index}"));
        context.set_entry(&parameter, argument.clone());
        parameters.push(AstNode::Name(parameter));
    }

    let call = AstNode::FunctionInvocation(
        Box::new(AstNode::Name(Name::from(name))),
        Box::new(AstNode::PositionalParameters(parameters)),
    );
    dsntk_feel_evaluator::evaluate(&FeelScope::from(context), &call)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, arguments: &[Value]) -> Outcome {
        let variant = VARIANTS
            .iter()
            .find(|v| v.name == name && v.parameters.len() == arguments.len())
            .expect("no such variant");
        (variant.body)(arguments)
    }

    fn number_value(text: &str) -> Value {
        Value::Number(text.parse().unwrap())
    }

    fn duration(text: &str) -> Value {
        Value::try_from_xsd_duration(text).unwrap()
    }

    fn message(result: Outcome) -> String {
        result.unwrap_err().to_string()
    }

    #[test]
    fn internal_names_exist_only_for_provided_arities() {
        assert!(internal_name("bpmnError", 1).is_some());
        assert!(internal_name("bpmnError", 3).is_some());
        assert!(internal_name("bpmnError", 0).is_none());
        assert!(internal_name("bpmnError", 4).is_none());
        assert!(internal_name("jobError", 4).is_some());
        assert!(internal_name("jobError", 5).is_none());
        assert!(internal_name("ignoreError", 0).is_some());
        assert!(internal_name("ignoreError", 2).is_none());
        assert!(internal_name("backoff", 5).is_some());
        assert!(internal_name("number", 3).is_none());
    }

    #[test]
    fn bpmn_error_rejects_non_string_codes_and_non_context_variables() {
        let null = Value::Null(None);
        assert_eq!(
            message(call("bpmnError", &[null.clone(), null.clone()])),
            "parameter 'errorCode' of function 'bpmnError' must be a string"
        );
        assert_eq!(
            message(call("bpmnError", &[text("A"), number_value("1")])),
            "parameter 'errorMessage' of function 'bpmnError' must be a string"
        );
        assert_eq!(
            message(call("bpmnError", &[text("A"), text("B"), text("C")])),
            "parameter 'variables' of function 'bpmnError' must be a context"
        );
    }

    #[test]
    fn job_error_checks_every_argument() {
        let empty = Value::Context(FeelContext::default());
        assert_eq!(
            message(call("jobError", &[number_value("1")])),
            "parameter 'errorMessage' of function 'jobError' must be a string"
        );
        assert_eq!(
            message(call("jobError", &[text("m"), empty.clone(), text("3")])),
            "parameter 'retries' of function 'jobError' must be a number"
        );
        assert_eq!(
            message(call(
                "jobError",
                &[text("m"), empty, number_value("1"), duration("P1Y")]
            )),
            "parameter 'retryBackoff' of function 'jobError' must be a days-time duration such as duration(\"PT1S\")"
        );
    }

    #[test]
    fn ignore_error_requires_a_context() {
        assert_eq!(
            message(call("ignoreError", &[text("x")])),
            "parameter 'variables' of function 'ignoreError' must be a context"
        );
    }

    #[test]
    fn backoff_grows_and_is_clamped() {
        let settings = |attempt: &str| {
            Backoff::from_arguments(&[
                number_value(attempt),
                duration("PT1S"),
                number_value("2"),
                duration("PT10S"),
                number_value("0"),
            ])
            .unwrap()
        };
        assert_eq!(settings("1").delay_millis(0.7), 1000);
        assert_eq!(settings("3").delay_millis(-0.3), 4000);
        assert_eq!(settings("9").delay_millis(1.0), 10_000);
    }

    #[test]
    fn backoff_jitter_stays_within_its_factor() {
        let settings = Backoff::from_arguments(&[number_value("1")]).unwrap();
        assert_eq!(settings.delay_millis(-1.0), 45);
        assert_eq!(settings.delay_millis(1.0), 55);
    }

    #[test]
    fn backoff_rejects_invalid_settings() {
        assert_eq!(
            message(call("backoff", &[number_value("0")])),
            "parameter 'attempt' of function 'backoff' must be at least 1"
        );
        assert_eq!(
            message(call(
                "backoff",
                &[
                    number_value("1"),
                    duration("PT1M"),
                    number_value("2"),
                    duration("PT1S")
                ]
            )),
            "parameter 'minDelay' of function 'backoff' must not be greater than 'maxDelay'"
        );
        assert_eq!(
            message(call(
                "backoff",
                &[number_value("1"), duration("PT1S"), number_value("0")]
            )),
            "parameter 'factor' of function 'backoff' must be greater than 0"
        );
    }

    #[test]
    fn number_parses_plain_decimals_only() {
        assert_eq!(parse_number("12.5"), Some("12.5".parse().unwrap()));
        assert_eq!(parse_number("-3e2"), Some("-300".parse().unwrap()));
        assert_eq!(parse_number("1,000"), None);
        assert_eq!(parse_number(" 12"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn failure_keeps_the_first_error() {
        let failure = Failure::default();
        failure.record(argument_error("a", "b", "c"));
        failure.record(argument_error("d", "e", "f"));
        assert_eq!(failure.take().unwrap().function, "a");
        assert!(failure.take().is_none());
    }
}
