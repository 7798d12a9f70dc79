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
//!
//! # Bounds
//!
//! dsntk parses and evaluates recursively, without a depth limit, and a stack overflow aborts
//! the whole process. So:
//!
//! - an expression may be at most [`MAX_EXPRESSION_BYTES`] long; a longer one is rejected
//!   before it is parsed;
//! - parsing and evaluation run on a dedicated thread with a stack of
//!   [`EVALUATION_STACK_BYTES`], which is measured to hold the deepest expression within that
//!   length (see the constant) with a wide margin; the memory is committed only as it is used;
//! - an expression that defines a function other than as a call argument (as in
//!   `sort(items, function(x, y) x < y)`) is rejected: `{f: function(n) f(n - 1)}` could call
//!   itself without bound whatever the stack (known restriction, triggered by any function
//!   stored in a context entry or called directly; lift it when dsntk can bound recursion);
//! - a result nested deeper than [`MAX_RESULT_DEPTH`] levels is rejected, so that no caller
//!   has to walk an unbounded value.
//!
//! [`FeelEngine::evaluate_async`] also bounds the time an evaluation takes (see
//! [`DEFAULT_EVALUATION_TIMEOUT`]). Known shortcoming of dsntk 0.3.0: `for` copies its partial
//! result on every iteration, so `for x in items return ...` is quadratic and takes seconds
//! once `items` holds thousands of entries (20 000 items: 16 s to a minute); such an
//! expression hits the time budget instead of freezing the caller.

mod convert;
mod format;
mod functions;
mod rewrite;
mod source;
mod temporal;

use std::collections::HashMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use dsntk_feel::context::FeelContext;
use dsntk_feel::values::Value;
use dsntk_feel::{Evaluator, FeelScope, Name};
use serde_json::{Map, Value as Json};

use self::functions::Failure;
use self::rewrite::Rewriter;
use self::source::Prepared;

/// How many parsed expressions one engine keeps.
const CACHE_CAPACITY: usize = 512;

/// The longest expression, in bytes (16 KiB), without its leading `=` and surrounding
/// whitespace. Longer expressions are rejected before parsing: the stack an expression needs
/// grows with its length (see [`EVALUATION_STACK_BYTES`]).
///
/// ```
/// use camunda_connector_runtime::feel::{FeelEngine, FeelError, MAX_EXPRESSION_BYTES};
///
/// let long = format!("={{a: {}}}", vec!["1"; MAX_EXPRESSION_BYTES / 2].join("+"));
/// let error = FeelEngine::new().evaluate(&long, &serde_json::Map::new()).unwrap_err();
/// assert!(matches!(error, FeelError::TooLong { .. }));
/// ```
pub const MAX_EXPRESSION_BYTES: usize = 16 * 1024;

/// The stack of the threads that parse and evaluate expressions: 256 MiB of address space,
/// committed by the operating system only as far as it is used.
///
/// Measured with the `stack_needed_by_the_deepest_expressions` test (debug build, which needs
/// the most; release frames are several times smaller) on expressions of
/// [`MAX_EXPRESSION_BYTES`], as the smallest stack that did not overflow: an operator chain
/// `{a: 1+1+…+1}` (8 189 terms) needs 48–56 MiB, the deepest shape found; 16 383 unary minus
/// signs 16–20 MiB; 8 191 nested lists and 4 095 nested contexts 8–16 MiB; nested calls and
/// filters 4–8 MiB; nested parentheses and `if`s under 2 MiB. 256 MiB leaves a margin of more
/// than four times the worst.
///
/// ```
/// assert!(camunda_connector_runtime::feel::EVALUATION_STACK_BYTES >= 64 << 20);
/// ```
pub const EVALUATION_STACK_BYTES: usize = 256 << 20;

/// The deepest nesting of lists and objects an expression result may have, as in
/// `serde_json`'s own parser: every value the engine returns can be written and read back.
///
/// ```
/// use camunda_connector_runtime::feel::{FeelEngine, MAX_RESULT_DEPTH};
///
/// let deep = format!("{}1{}", "[".repeat(MAX_RESULT_DEPTH + 1), "]".repeat(MAX_RESULT_DEPTH + 1));
/// assert!(FeelEngine::new().evaluate(&deep, &serde_json::Map::new()).is_err());
/// ```
pub const MAX_RESULT_DEPTH: usize = 128;

/// How long [`FeelEngine::evaluate_async`] waits for an evaluation unless
/// [`FeelEngine::with_timeout`] says otherwise.
///
/// ```
/// use camunda_connector_runtime::feel::{DEFAULT_EVALUATION_TIMEOUT, FeelEngine};
/// assert_eq!(FeelEngine::new().timeout(), DEFAULT_EVALUATION_TIMEOUT);
/// ```
pub const DEFAULT_EVALUATION_TIMEOUT: Duration = Duration::from_secs(10);

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
#[derive(Clone)]
pub struct FeelEngine {
    cache: Arc<RwLock<HashMap<String, Arc<Compiled>>>>,
    timeout: Duration,
}

impl Default for FeelEngine {
    fn default() -> Self {
        Self {
            cache: Arc::default(),
            timeout: DEFAULT_EVALUATION_TIMEOUT,
        }
    }
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
            .field("timeout", &self.timeout)
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

    /// This engine with `timeout` as the time budget of [`evaluate_async`](Self::evaluate_async).
    ///
    /// ```
    /// use std::time::Duration;
    /// let engine = camunda_connector_runtime::feel::FeelEngine::new()
    ///     .with_timeout(Duration::from_secs(2));
    /// assert_eq!(engine.timeout(), Duration::from_secs(2));
    /// ```
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time budget of [`evaluate_async`](Self::evaluate_async).
    ///
    /// ```
    /// let engine = camunda_connector_runtime::feel::FeelEngine::new();
    /// assert_eq!(engine.timeout(), std::time::Duration::from_secs(10));
    /// ```
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Evaluates `expression` with the variables in `context` and returns the result as JSON.
    ///
    /// `expression` may carry one leading `=` and surrounding whitespace; both are stripped.
    /// `context` is the variables the expression sees (top-level names). Parsing and
    /// evaluation run on a thread with a stack of [`EVALUATION_STACK_BYTES`] while the calling
    /// thread waits, without a time budget: async callers use
    /// [`evaluate_async`](Self::evaluate_async).
    ///
    /// # Errors
    ///
    /// [`FeelError::Parse`] when the expression is not valid FEEL, [`FeelError::TooLong`] and
    /// [`FeelError::Unsupported`] for expressions outside the bounds (see the module
    /// documentation), and [`FeelError::Evaluation`] when a connector function is called with
    /// an argument of the wrong type or the result nests too deeply. Everything else that goes
    /// wrong during evaluation gives null instead.
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
        check_length(expression)?;

        std::thread::scope(|scope| {
            let spawned = evaluation_thread()
                .spawn_scoped(scope, || self.evaluate_here(expression, context))
                .map_err(|error| no_thread(expression, &error))?;
            spawned
                .join()
                .unwrap_or_else(|_| Err(evaluator_panicked(expression)))
        })
    }

    /// Evaluates like [`evaluate`](Self::evaluate), without blocking the async runtime: the
    /// evaluation runs on its own thread and is awaited, for at most [`timeout`](Self::timeout).
    ///
    /// An evaluation that runs out of time is abandoned, not stopped (dsntk cannot be
    /// interrupted): its thread finishes on its own and its result is dropped. Needs a Tokio
    /// runtime with time enabled (as `#[tokio::test]` and the worker's runtime have).
    ///
    /// # Errors
    ///
    /// Those of [`evaluate`](Self::evaluate), and [`FeelError::TimedOut`] when the evaluation
    /// takes longer than the budget.
    ///
    /// # Example
    ///
    /// ```
    /// use camunda_connector_runtime::feel::FeelEngine;
    /// use serde_json::json;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let variables = json!({"status": 404}).as_object().unwrap().clone();
    /// let result = FeelEngine::new().evaluate_async("=status >= 400", variables).await;
    /// assert_eq!(result.unwrap(), json!(true));
    /// # });
    /// ```
    pub async fn evaluate_async(
        &self,
        expression: &str,
        context: Map<String, Json>,
    ) -> Result<Json, FeelError> {
        let expression = source::strip_expression(expression).to_owned();
        check_length(&expression)?;

        let (sender, receiver) = tokio::sync::oneshot::channel();
        let engine = self.clone();
        let text = expression.clone();
        evaluation_thread()
            .spawn(move || {
                let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    engine.evaluate_here(&text, &context)
                }));
                // The receiver is gone when the evaluation ran out of time: nobody waits.
                let _ = sender.send(outcome.unwrap_or_else(|_| Err(evaluator_panicked(&text))));
            })
            .map_err(|error| no_thread(&expression, &error))?;

        match tokio::time::timeout(self.timeout, receiver).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(evaluator_panicked(&expression)),
            Err(_) => Err(FeelError::TimedOut {
                expression: shortened(&expression),
                limit: self.timeout,
            }),
        }
    }

    /// Compiles and evaluates on the current thread, which must have a stack of
    /// [`EVALUATION_STACK_BYTES`].
    fn evaluate_here(
        &self,
        expression: &str,
        context: &Map<String, Json>,
    ) -> Result<Json, FeelError> {
        let compiled = self.compiled(expression)?;

        let failure = Failure::default();
        let scope = FeelScope::new();
        scope.push(convert::context_from_json(context));
        scope.push(functions::function_context(&failure));
        scope.push(compiled.built_ins.clone());

        let value = (compiled.evaluator)(&scope);

        if let Some(error) = failure.take() {
            return Err(FeelError::Evaluation {
                expression: shortened(expression),
                reason: error.to_string(),
            });
        }
        let json = convert::value_to_json(&value);
        if depth_exceeds(&json, MAX_RESULT_DEPTH) {
            return Err(FeelError::Evaluation {
                expression: shortened(expression),
                reason: format!("its result nests deeper than {MAX_RESULT_DEPTH} levels"),
            });
        }
        Ok(json)
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

/// A builder for a thread that parses and evaluates expressions.
fn evaluation_thread() -> std::thread::Builder {
    std::thread::Builder::new()
        .name("feel-evaluation".to_owned())
        .stack_size(EVALUATION_STACK_BYTES)
}

/// Rejects an expression longer than [`MAX_EXPRESSION_BYTES`].
fn check_length(expression: &str) -> Result<(), FeelError> {
    if expression.len() <= MAX_EXPRESSION_BYTES {
        return Ok(());
    }
    Err(FeelError::TooLong {
        expression: shortened(expression),
        length: expression.len(),
    })
}

/// The first characters of a long expression, for error messages.
fn shortened(expression: &str) -> String {
    const KEEP: usize = 200;
    match expression.char_indices().nth(KEEP) {
        Some((end, _)) => format!("{}…", &expression[..end]),
        None => expression.to_owned(),
    }
}

fn evaluator_panicked(expression: &str) -> FeelError {
    FeelError::Evaluation {
        expression: shortened(expression),
        reason: "the FEEL evaluator failed unexpectedly on this expression".to_owned(),
    }
}

fn no_thread(expression: &str, error: &std::io::Error) -> FeelError {
    FeelError::Evaluation {
        expression: shortened(expression),
        reason: format!("no thread could be started to evaluate it: {error}"),
    }
}

/// Whether `value` nests lists and objects deeper than `limit` levels.
fn depth_exceeds(value: &Json, limit: usize) -> bool {
    let children: Box<dyn Iterator<Item = &Json>> = match value {
        Json::Array(items) => Box::new(items.iter()),
        Json::Object(map) => Box::new(map.values()),
        _ => return false,
    };
    if limit == 0 {
        return true;
    }
    children
        .into_iter()
        .any(|child| depth_exceeds(child, limit - 1))
}

/// Parses `expression`, rewrites the tree and builds dsntk's evaluator for it.
fn compile(expression: &str) -> Result<Compiled, FeelError> {
    let parse_error = |reason: String| FeelError::Parse {
        expression: shortened(expression),
        reason,
    };

    let prepared = source::prepare(expression).map_err(|error| parse_error(error.to_string()))?;
    let scope = parsing_scope(&prepared);
    let mut tree = dsntk_feel_parser::parse_expression(&scope, &prepared.text, false)
        .map_err(|error| parse_error(parser_reason(&error.to_string())))?;

    if rewrite::defines_nameable_function(&mut tree, false) {
        return Err(FeelError::Unsupported {
            expression: shortened(expression),
            reason: "it defines a function other than as a call argument (as in \
                     `sort(items, function(x, y) x < y)`), which result and error expressions \
                     do not support: a named function could call itself without bound"
                .to_owned(),
        });
    }

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
        /// The expression, without its leading `=`; its first 200 characters when longer.
        expression: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Evaluation failed: a connector function rejected one of its arguments, or the result
    /// nests deeper than [`MAX_RESULT_DEPTH`].
    #[error("cannot evaluate FEEL expression '{expression}': {reason}")]
    Evaluation {
        /// The expression, without its leading `=`; its first 200 characters when longer.
        expression: String,
        /// Which function and parameter rejected the argument.
        reason: String,
    },
    /// The expression is longer than [`MAX_EXPRESSION_BYTES`]; it was not parsed.
    #[error(
        "cannot evaluate FEEL expression '{expression}': it is {length} bytes long, more than \
         the {MAX_EXPRESSION_BYTES} bytes an expression may have"
    )]
    TooLong {
        /// The start of the expression.
        expression: String,
        /// Its length in bytes.
        length: usize,
    },
    /// The expression uses a feature the engine refuses (defining a function).
    #[error("cannot evaluate FEEL expression '{expression}': {reason}")]
    Unsupported {
        /// The expression (its start, when long).
        expression: String,
        /// What it uses.
        reason: String,
    },
    /// The evaluation took longer than the engine's budget ([`FeelEngine::timeout`]).
    #[error(
        "cannot evaluate FEEL expression '{expression}': it took longer than {limit:?} to \
         evaluate, so it was abandoned"
    )]
    TimedOut {
        /// The expression (its start, when long).
        expression: String,
        /// The budget.
        limit: Duration,
    },
}

impl FeelError {
    /// The expression that failed, without its leading `=`; its first 200 characters (and `…`)
    /// when longer.
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
            Self::Parse { expression, .. }
            | Self::Evaluation { expression, .. }
            | Self::TooLong { expression, .. }
            | Self::Unsupported { expression, .. }
            | Self::TimedOut { expression, .. } => expression,
        }
    }

    /// Why it failed, in one lower-case phrase, for parse, evaluation and unsupported
    /// errors; the bound for the others.
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
            Self::Parse { reason, .. }
            | Self::Evaluation { reason, .. }
            | Self::Unsupported { reason, .. } => reason,
            Self::TooLong { .. } => "the expression is too long",
            Self::TimedOut { .. } => "the evaluation took too long",
        }
    }
}

#[cfg(test)]
mod tests;
