//! The FEEL engine used by result and error expressions.
//!
//! [`FeelEngine`] evaluates an expression against JSON variables and returns JSON, with the
//! semantics of Camunda's connector runtime (feel-scala 1.22):
//!
//! - missing variables and paths, unknown functions, failed built-in calls, operators applied
//!   to the wrong types and comparisons across types all give null, never an error; null equals
//!   only null, and an `if` takes its `else` branch for any condition that is not `true`;
//! - the connector functions `bpmnError`, `jobError`, `ignoreError` and `backoff` exist with all
//!   their arities, and fail the evaluation when given an argument of the wrong type;
//! - `is defined`, `get or else`, one-argument `number`, Camunda's `string` formats, a `now()`
//!   in UTC and `date and time(date-time, zone id)` are available;
//! - results convert to JSON as Camunda writes them: whole numbers that fit an `i64` are
//!   integers and other numbers doubles, dates are `2024-02-14`, date-times carry their offset
//!   (`2024-07-01T10:00:00+02:00`, `Z` for UTC), days-time durations look like Java's
//!   `Duration` (`PT26H30M`) and years-months durations like Java's `Period` (`P3Y9M`).
//!
//! Parsing and evaluation are dsntk's. Around them, the `source` module prepares the text so
//! that names split as in Camunda (`a-b` is a subtraction, `` `a-b` `` a name), the `rewrite`
//! module points calls at the right function variant, and the `functions` module provides the
//! functions.
//!
//! Known differences from Camunda that no connector expression we know of relies on: string
//! literals cannot span lines, `string()` of a context writes `{a:1}` and of a years-months
//! duration of zero writes `P0M`.

mod convert;
mod format;
mod functions;
mod rewrite;
mod source;
mod temporal;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use dsntk_feel::context::FeelContext;
use dsntk_feel::values::Value;
use dsntk_feel::{Evaluator, FeelScope, Name};
use serde_json::{Map, Value as Json};

use self::functions::Failure;
use self::rewrite::Rewriter;
use self::source::Prepared;

/// How many parsed expressions one engine keeps.
const CACHE_CAPACITY: usize = 512;

/// Evaluates FEEL expressions with Camunda's connector functions and null semantics.
///
/// Parsed expressions are cached per expression text, so an engine is meant to be created once
/// and shared: it is cheap to clone (clones share the cache) and safe to use from many threads.
///
/// # Example
///
/// ```
/// use camunda_connector_runtime::feel::FeelEngine;
/// use serde_json::json;
///
/// let engine = FeelEngine::new();
/// let variables = json!({"response": {"status": 404}});
/// let variables = variables.as_object().unwrap();
///
/// let result = engine
///     .evaluate(
///         r#"= if response.status = 404 then bpmnError("NOT_FOUND", "gone") else null"#,
///         variables,
///     )
///     .unwrap();
///
/// assert_eq!(
///     result,
///     json!({"errorType": "bpmnError", "errorCode": "NOT_FOUND", "errorMessage": "gone"})
/// );
/// ```
#[derive(Clone, Default)]
pub struct FeelEngine {
    cache: Arc<RwLock<HashMap<String, Arc<Compiled>>>>,
}

impl fmt::Debug for FeelEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self
            .cache
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        f.debug_struct("FeelEngine")
            .field("cached_expressions", &cached)
            .finish()
    }
}

impl FeelEngine {
    /// Creates an engine with an empty expression cache.
    ///
    /// # Example
    ///
    /// ```
    /// let engine = camunda_connector_runtime::feel::FeelEngine::new();
    /// let result = engine.evaluate("1 + 2", &serde_json::Map::new()).unwrap();
    /// assert_eq!(result, serde_json::json!(3));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Evaluates `expression` with the variables in `context` and returns the result as JSON.
    ///
    /// `expression` may carry one leading `=` and surrounding whitespace; both are stripped.
    /// `context` is the variables the expression sees (top-level names).
    ///
    /// # Errors
    ///
    /// [`FeelError::Parse`] when the expression is not valid FEEL, and
    /// [`FeelError::Evaluation`] when a connector function is called with an argument of the
    /// wrong type. Everything else that goes wrong during evaluation gives null instead.
    ///
    /// # Example
    ///
    /// ```
    /// use camunda_connector_runtime::feel::FeelEngine;
    /// use serde_json::json;
    ///
    /// let engine = FeelEngine::new();
    /// let variables = json!({"body": {"net": 100}});
    /// let variables = variables.as_object().unwrap();
    ///
    /// let label = engine.evaluate(r#"="Gross: " + string(body.net * 1.19)"#, variables);
    /// assert_eq!(label.unwrap(), json!("Gross: 119.00"));
    ///
    /// let missing = engine.evaluate("body.nothing.deeper", variables);
    /// assert_eq!(missing.unwrap(), json!(null));
    ///
    /// let failed = engine.evaluate("bpmnError(body.net)", variables);
    /// assert!(failed.is_err());
    /// ```
    pub fn evaluate(
        &self,
        expression: &str,
        context: &Map<String, Json>,
    ) -> Result<Json, FeelError> {
        let expression = source::strip_expression(expression);
        let compiled = self.compiled(expression)?;

        let failure = Failure::default();
        let scope = FeelScope::new();
        scope.push(convert::context_from_json(context));
        scope.push(functions::function_context(&failure));
        scope.push(compiled.built_ins.clone());

        let value = (compiled.evaluator)(&scope);

        if let Some(error) = failure.take() {
            return Err(FeelError::Evaluation {
                expression: expression.to_string(),
                reason: error.to_string(),
            });
        }
        Ok(convert::value_to_json(&value))
    }

    /// `expression` compiled, from the cache or freshly.
    fn compiled(&self, expression: &str) -> Result<Arc<Compiled>, FeelError> {
        let cached = self
            .cache
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(expression)
            .cloned();
        if let Some(compiled) = cached {
            return Ok(compiled);
        }

        let compiled = Arc::new(compile(expression)?);

        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= CACHE_CAPACITY {
            let evicted = cache.keys().next().cloned();
            if let Some(evicted) = evicted {
                cache.remove(&evicted);
            }
        }
        cache.insert(expression.to_string(), Arc::clone(&compiled));
        Ok(compiled)
    }
}

/// A parsed and rewritten expression, ready to evaluate.
struct Compiled {
    evaluator: Evaluator,
    /// The built-in functions the expression calls, under their unshadowable entry names.
    built_ins: FeelContext,
}

/// Parses `expression`, rewrites the tree and builds dsntk's evaluator for it.
fn compile(expression: &str) -> Result<Compiled, FeelError> {
    let parse_error = |reason: String| FeelError::Parse {
        expression: expression.to_string(),
        reason,
    };

    let prepared = source::prepare(expression).map_err(|error| parse_error(error.to_string()))?;
    let scope = parsing_scope(&prepared);
    let mut tree = dsntk_feel_parser::parse_expression(&scope, &prepared.text, false)
        .map_err(|error| parse_error(parser_reason(&error.to_string())))?;

    let mut rewriter = Rewriter::new(&prepared.backtick_names);
    rewriter.rewrite(&mut tree);

    Ok(Compiled {
        evaluator: dsntk_feel_evaluator::prepare(&tree),
        built_ins: functions::built_in_context(&rewriter.into_built_ins()),
    })
}

/// Our reason for a dsntk parser error. dsntk's syntax errors repeat the text it parsed, which
/// holds our placeholders, so they become a plain "syntax error".
fn parser_reason(message: &str) -> String {
    let message = match message.split_once("> ") {
        Some((kind, rest)) if kind.starts_with('<') => rest,
        _ => message,
    };
    if message.starts_with("syntax error") {
        return "syntax error".to_string();
    }
    message.to_string()
}

/// A scope that tells dsntk's parser which names the expression uses.
fn parsing_scope(prepared: &Prepared) -> FeelScope {
    let mut names = FeelContext::default();
    for name in &prepared.names {
        names.set_entry(&Name::from(name.as_str()), Value::Null(None));
    }
    FeelScope::from(names)
}

/// Why an expression could not be evaluated: a parse error, or a connector function called
/// with arguments of the wrong type.
///
/// The message names the expression and the reason, and never includes the context's values.
///
/// # Example
///
/// ```
/// use camunda_connector_runtime::feel::{FeelEngine, FeelError};
///
/// let error = FeelEngine::new()
///     .evaluate(r#"jobError("failed", "not a context")"#, &serde_json::Map::new())
///     .unwrap_err();
///
/// assert!(matches!(error, FeelError::Evaluation { .. }));
/// assert_eq!(
///     error.to_string(),
///     "cannot evaluate FEEL expression 'jobError(\"failed\", \"not a context\")': \
///      parameter 'variables' of function 'jobError' must be a context"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeelError {
    /// The expression is not valid FEEL.
    #[error("cannot parse FEEL expression '{expression}': {reason}")]
    Parse {
        /// The expression, without its leading `=`.
        expression: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Evaluation failed: a connector function rejected one of its arguments.
    #[error("cannot evaluate FEEL expression '{expression}': {reason}")]
    Evaluation {
        /// The expression, without its leading `=`.
        expression: String,
        /// Which function and parameter rejected the argument.
        reason: String,
    },
}

impl FeelError {
    /// The expression that failed, without its leading `=`.
    ///
    /// # Example
    ///
    /// ```
    /// let error = camunda_connector_runtime::feel::FeelEngine::new()
    ///     .evaluate("= {a: ", &serde_json::Map::new())
    ///     .unwrap_err();
    /// assert_eq!(error.expression(), "{a:");
    /// ```
    pub fn expression(&self) -> &str {
        match self {
            Self::Parse { expression, .. } | Self::Evaluation { expression, .. } => expression,
        }
    }

    /// Why it failed, in one lower-case phrase.
    ///
    /// # Example
    ///
    /// ```
    /// let error = camunda_connector_runtime::feel::FeelEngine::new()
    ///     .evaluate("bpmnError(null)", &serde_json::Map::new())
    ///     .unwrap_err();
    /// assert_eq!(
    ///     error.reason(),
    ///     "parameter 'errorCode' of function 'bpmnError' must be a string"
    /// );
    /// ```
    pub fn reason(&self) -> &str {
        match self {
            Self::Parse { reason, .. } | Self::Evaluation { reason, .. } => reason,
        }
    }
}

#[cfg(test)]
mod tests;
