//! Secrets: where they come from, how placeholders are found and replaced, and masking.
//!
//! Job variables may reference secrets in two ways, both inside any string, at any depth:
//!
//! - `{{secrets.NAME}}`, with optional spaces inside the braces; NAME is any run of non-space
//!   characters;
//! - the legacy `secrets.NAME`, where NAME is letters and digits in segments joined by one of
//!   `/`, `.`, `_` or `-` (so `secrets.db.main` names `db.main`). It needs no word boundary:
//!   `mysecrets.A` also references `A`, as in Camunda's Java runtime.
//!
//! Replacement works on the string leaves (and object keys) of the parsed variables, never on
//! JSON text, so a secret may hold quotes, backslashes, newlines or JSON text and still binds
//! byte for byte. A referenced secret that no provider knows is an input error naming the
//! secret, never its value.
//!
//! ```
//! use camunda_connector_sdk::secrets::{MemorySecretProvider, SecretContext, Secrets};
//! use serde_json::json;
//!
//! # tokio_test_block_on(async {
//! let provider = MemorySecretProvider::new([("TOKEN", "t-1"), ("REGION", "eu")]);
//! let variables = json!({"auth": "Bearer {{secrets.TOKEN}}", "url": "https://{{secrets.REGION}}.example.test"});
//! let secrets = Secrets::resolve(&provider, &variables, &SecretContext::default()).await.unwrap();
//! let replaced = secrets.replace(&variables).unwrap();
//! assert_eq!(replaced, json!({"auth": "Bearer t-1", "url": "https://eu.example.test"}));
//! assert_eq!(secrets.mask("token was t-1"), "token was ***");
//! # });
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use async_trait::async_trait;
use regex::Regex;
use serde_json::{Map, Value};

/// What a secret provider may know about the job that asks for a secret.
///
/// ```
/// use camunda_connector_sdk::secrets::SecretContext;
/// let mut cx = SecretContext::default();
/// cx.tenant_id = Some("acme".into());
/// assert_eq!(cx.tenant_id.as_deref(), Some("acme"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecretContext {
    /// The tenant of the job.
    pub tenant_id: Option<String>,
    /// The BPMN process id of the job.
    pub process_definition_id: Option<String>,
}

/// Why a secret could not be had.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    /// No provider knows these secrets.
    #[error("{}", not_found_message(names))]
    NotFound {
        /// The names, in the order they were referenced.
        names: Vec<String>,
    },
    /// The provider failed for a reason that may pass (a vault that did not answer).
    #[error("secret provider failed to return `{name}`: {reason}")]
    Unavailable {
        /// The secret asked for.
        name: String,
        /// What went wrong, without any secret value.
        reason: String,
    },
}

fn not_found_message(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [one] => format!("secret {one} is not available from any secret provider"),
        _ => format!(
            "secrets {} are not available from any secret provider",
            quoted.join(", ")
        ),
    }
}

impl SecretError {
    /// Whether asking again later may succeed.
    ///
    /// ```
    /// use camunda_connector_sdk::secrets::SecretError;
    /// assert!(!SecretError::NotFound { names: vec!["A".into()] }.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        matches!(self, SecretError::Unavailable { .. })
    }
}

/// A source of secret values.
///
/// Providers are asked in order by [`ChainSecretProvider`]; the first that knows a name wins.
///
/// # Examples
///
/// ```
/// use async_trait::async_trait;
/// use camunda_connector_sdk::secrets::{SecretContext, SecretError, SecretProvider};
///
/// #[derive(Debug)]
/// struct Fixed;
///
/// #[async_trait]
/// impl SecretProvider for Fixed {
///     async fn get_secret(&self, name: &str, _: &SecretContext) -> Result<Option<String>, SecretError> {
///         Ok((name == "PING").then(|| "pong".to_owned()))
///     }
/// }
/// # let _ = Fixed;
/// ```
#[async_trait]
pub trait SecretProvider: fmt::Debug + Send + Sync {
    /// The value of secret `name`, or `None` when this provider does not know it.
    ///
    /// # Errors
    ///
    /// [`SecretError::Unavailable`] when the provider could not answer.
    async fn get_secret(
        &self,
        name: &str,
        context: &SecretContext,
    ) -> Result<Option<String>, SecretError>;
}

/// Reads secret `NAME` from the environment variable `SECRET_NAME` (the prefix is configurable).
///
/// Characters that cannot appear in an environment variable name (`.`, `/`, `-`) are looked up
/// as written first, then with `_` in their place.
///
/// ```
/// use camunda_connector_sdk::secrets::EnvSecretProvider;
/// let provider = EnvSecretProvider::new();
/// assert_eq!(provider.prefix(), "SECRET_");
/// ```
#[derive(Debug, Clone)]
pub struct EnvSecretProvider {
    prefix: String,
}

impl EnvSecretProvider {
    /// A provider with the prefix `SECRET_`.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::EnvSecretProvider;
    /// let _ = EnvSecretProvider::new();
    /// ```
    pub fn new() -> Self {
        Self::with_prefix("SECRET_")
    }

    /// A provider with another prefix.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::EnvSecretProvider;
    /// assert_eq!(EnvSecretProvider::with_prefix("APP_").prefix(), "APP_");
    /// ```
    pub fn with_prefix(prefix: impl Into<String>) -> Self {
        EnvSecretProvider {
            prefix: prefix.into(),
        }
    }

    /// The prefix put before every secret name.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::EnvSecretProvider;
    /// assert_eq!(EnvSecretProvider::default().prefix(), "SECRET_");
    /// ```
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

impl Default for EnvSecretProvider {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl SecretProvider for EnvSecretProvider {
    async fn get_secret(
        &self,
        name: &str,
        _: &SecretContext,
    ) -> Result<Option<String>, SecretError> {
        let exact = format!("{}{name}", self.prefix);
        if let Ok(value) = std::env::var(&exact) {
            return Ok(Some(value));
        }

        let sanitized: String = exact
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        Ok(std::env::var(sanitized).ok())
    }
}

/// Secrets held in memory: for tests, and for values given on a command line.
///
/// ```
/// use camunda_connector_sdk::secrets::MemorySecretProvider;
/// let mut provider = MemorySecretProvider::new([("A", "1")]);
/// provider.insert("B", "2");
/// assert_eq!(provider.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct MemorySecretProvider {
    values: HashMap<String, String>,
}

impl MemorySecretProvider {
    /// A provider holding `values`.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::MemorySecretProvider;
    /// let provider = MemorySecretProvider::new([("A", "1")]);
    /// assert!(!provider.is_empty());
    /// ```
    pub fn new<K, V>(values: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let values = values
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        MemorySecretProvider { values }
    }

    /// Adds or replaces one secret.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::MemorySecretProvider;
    /// let mut provider = MemorySecretProvider::default();
    /// provider.insert("A", "1");
    /// assert_eq!(provider.len(), 1);
    /// ```
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.values.insert(name.into(), value.into());
    }

    /// How many secrets it holds.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::MemorySecretProvider;
    /// assert_eq!(MemorySecretProvider::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether it holds no secret.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::MemorySecretProvider;
    /// assert!(MemorySecretProvider::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

impl fmt::Debug for MemorySecretProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: BTreeSet<&String> = self.values.keys().collect();
        f.debug_struct("MemorySecretProvider")
            .field("names", &names)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl SecretProvider for MemorySecretProvider {
    async fn get_secret(
        &self,
        name: &str,
        _: &SecretContext,
    ) -> Result<Option<String>, SecretError> {
        Ok(self.values.get(name).cloned())
    }
}

/// Asks several providers in order; the first that knows a secret wins.
///
/// ```
/// use camunda_connector_sdk::secrets::{ChainSecretProvider, EnvSecretProvider, MemorySecretProvider};
/// let chain = ChainSecretProvider::new()
///     .with(MemorySecretProvider::new([("A", "1")]))
///     .with(EnvSecretProvider::new());
/// assert_eq!(chain.len(), 2);
/// ```
#[derive(Debug, Default)]
pub struct ChainSecretProvider {
    providers: Vec<Box<dyn SecretProvider>>,
}

impl ChainSecretProvider {
    /// An empty chain, which knows no secret.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::ChainSecretProvider;
    /// assert!(ChainSecretProvider::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a provider, asked after those already in the chain.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::{ChainSecretProvider, EnvSecretProvider};
    /// let chain = ChainSecretProvider::new().with(EnvSecretProvider::new());
    /// assert_eq!(chain.len(), 1);
    /// ```
    #[must_use]
    pub fn with(mut self, provider: impl SecretProvider + 'static) -> Self {
        self.providers.push(Box::new(provider));
        self
    }

    /// How many providers are chained.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::ChainSecretProvider;
    /// assert_eq!(ChainSecretProvider::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.providers.len()
    }

    /// Whether no provider is chained.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::ChainSecretProvider;
    /// assert!(ChainSecretProvider::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.providers.is_empty()
    }
}

#[async_trait]
impl SecretProvider for ChainSecretProvider {
    async fn get_secret(
        &self,
        name: &str,
        context: &SecretContext,
    ) -> Result<Option<String>, SecretError> {
        for provider in &self.providers {
            if let Some(value) = provider.get_secret(name, context).await? {
                return Ok(Some(value));
            }
        }
        Ok(None)
    }
}

/// One secret reference found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder<'a> {
    /// Where the whole placeholder stands in the string.
    pub range: Range<usize>,
    /// The secret's name.
    pub name: &'a str,
}

static BRACED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\{\{\s*secrets\.(\S+?)\s*\}\}").expect("the braced placeholder pattern is valid")
});

static LEGACY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"secrets\.([A-Za-z0-9]+(?:[/._-][A-Za-z0-9]+)*)")
        .expect("the legacy placeholder pattern is valid")
});

/// Finds the secret placeholders of `text`, in order.
///
/// Braced placeholders are found first; the legacy syntax is looked for only in the text
/// between them, so a braced placeholder is never read twice.
///
/// ```
/// use camunda_connector_sdk::secrets::placeholders;
/// let names: Vec<&str> = placeholders("{{ secrets.A }} and secrets.db.main. and secrets._X")
///     .iter().map(|p| p.name).collect();
/// assert_eq!(names, ["A", "db.main"]);
/// ```
pub fn placeholders(text: &str) -> Vec<Placeholder<'_>> {
    if !text.contains("secrets.") {
        return Vec::new();
    }

    // Names are cut out of the whole match rather than read from the capture group: finding
    // the bounds of a match is several times faster than resolving its groups.
    let mut found = Vec::new();
    let mut gap_start = 0;
    for whole in BRACED.find_iter(text) {
        legacy_in(text, gap_start..whole.start(), &mut found);
        found.push(Placeholder {
            range: whole.range(),
            name: braced_name(whole.as_str()),
        });
        gap_start = whole.end();
    }
    legacy_in(text, gap_start..text.len(), &mut found);
    found
}

/// The name in a whole braced match: `{{`, spaces, `secrets.`, the name (no spaces), spaces,
/// `}}` — what the pattern's group captures.
fn braced_name(whole: &str) -> &str {
    let inner = &whole[2..whole.len() - 2];
    let inner = inner.trim_start();
    inner.strip_prefix("secrets.").unwrap_or(inner).trim_end()
}

fn legacy_in<'a>(text: &'a str, gap: Range<usize>, found: &mut Vec<Placeholder<'a>>) {
    let offset = gap.start;
    for whole in LEGACY.find_iter(&text[gap]) {
        let range = whole.start() + offset..whole.end() + offset;
        // The name is all that follows `secrets.`, as the pattern's group captures it.
        let name = &text[range.start + "secrets.".len()..range.end];
        found.push(Placeholder { range, name });
    }
}

/// Every secret name referenced anywhere in `value` (string leaves and object keys).
///
/// ```
/// use camunda_connector_sdk::secrets::referenced_names;
/// let names = referenced_names(&serde_json::json!({"a": ["{{secrets.X}}"], "secrets.Y": 1}));
/// assert_eq!(names, ["X", "Y"]);
/// ```
pub fn referenced_names(value: &Value) -> Vec<String> {
    let mut names = Vec::new();
    collect_names(value, &mut names);
    names
}

fn collect_names(value: &Value, names: &mut Vec<String>) {
    match value {
        Value::String(s) => add_names(s, names),
        Value::Array(items) => items.iter().for_each(|item| collect_names(item, names)),
        Value::Object(map) => {
            for (key, item) in map {
                add_names(key, names);
                collect_names(item, names);
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

fn add_names(text: &str, names: &mut Vec<String>) {
    for placeholder in placeholders(text) {
        if !names.iter().any(|n| n == placeholder.name) {
            names.push(placeholder.name.to_owned());
        }
    }
}

/// The secrets one job references, resolved once before the connector runs.
///
/// It replaces placeholders ([`replace`](Self::replace)) and masks the values in anything that
/// leaves the job ([`mask`](Self::mask)). Its `Debug` output shows names only.
///
/// ```
/// use camunda_connector_sdk::secrets::Secrets;
/// let secrets = Secrets::from_values([("PW", "hunter2")]);
/// assert_eq!(format!("{secrets:?}"), r#"Secrets { names: ["PW"], missing: [], refused: {} }"#);
/// ```
#[derive(Clone, Default)]
pub struct Secrets {
    values: BTreeMap<String, String>,
    missing: Vec<String>,
    // Names an allow-list refused: their placeholders stay as written.
    refused: BTreeSet<String>,
}

impl Secrets {
    /// No secret at all.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// assert!(Secrets::none().mask("x") == "x");
    /// ```
    pub fn none() -> Self {
        Self::default()
    }

    /// Secrets with known values, and no missing name.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// let secrets = Secrets::from_values([("A", "1")]);
    /// assert_eq!(secrets.get("A"), Some("1"));
    /// ```
    pub fn from_values<K, V>(values: impl IntoIterator<Item = (K, V)>) -> Self
    where
        K: Into<String>,
        V: Into<String>,
    {
        let values = values
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Secrets {
            values,
            ..Secrets::default()
        }
    }

    /// Asks `provider` for every secret `variables` references.
    ///
    /// Names the provider does not know are remembered as missing: [`replace`](Self::replace)
    /// then fails naming them, so a connector that never binds its input is not failed for them.
    ///
    /// # Errors
    ///
    /// [`SecretError::Unavailable`] when the provider could not answer.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::{MemorySecretProvider, SecretContext, Secrets};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let provider = MemorySecretProvider::new([("A", "1")]);
    /// let vars = serde_json::json!({"a": "{{secrets.A}}", "b": "{{secrets.B}}"});
    /// let secrets = Secrets::resolve(&provider, &vars, &SecretContext::default()).await.unwrap();
    /// assert_eq!(secrets.missing(), ["B"]);
    /// # });
    /// ```
    pub async fn resolve(
        provider: &dyn SecretProvider,
        variables: &Value,
        context: &SecretContext,
    ) -> Result<Self, SecretError> {
        Self::resolve_allowed(provider, variables, context, |_| true).await
    }

    /// Like [`resolve`](Self::resolve), but only for the names `allowed` accepts.
    ///
    /// A refused name is never asked for, and its placeholder is left exactly as written, so
    /// an element can only read the secrets it was meant to (an allow-list built, for example,
    /// from the secrets the deployed BPMN element names).
    ///
    /// # Errors
    ///
    /// [`SecretError::Unavailable`] when the provider could not answer.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::{MemorySecretProvider, SecretContext, Secrets};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let provider = MemorySecretProvider::new([("K1", "a"), ("K2", "b")]);
    /// let vars = serde_json::json!("{{secrets.K1}}/{{secrets.K2}}");
    /// let cx = SecretContext::default();
    /// let secrets = Secrets::resolve_allowed(&provider, &vars, &cx, |name| name == "K1").await.unwrap();
    /// assert_eq!(secrets.replace(&vars).unwrap(), "a/{{secrets.K2}}");
    /// # });
    /// ```
    pub async fn resolve_allowed(
        provider: &dyn SecretProvider,
        variables: &Value,
        context: &SecretContext,
        allowed: impl Fn(&str) -> bool + Send,
    ) -> Result<Self, SecretError> {
        let mut secrets = Secrets::default();
        for name in referenced_names(variables) {
            if !allowed(&name) {
                secrets.refused.insert(name);
                continue;
            }
            match provider.get_secret(&name, context).await? {
                Some(value) => {
                    secrets.values.insert(name, value);
                }
                None => secrets.missing.push(name),
            }
        }
        Ok(secrets)
    }

    /// The value of a resolved secret.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// assert_eq!(Secrets::none().get("A"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// Whether an allow-list refused `name` (see [`resolve_allowed`](Self::resolve_allowed)).
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// assert!(!Secrets::none().is_refused("A"));
    /// ```
    pub fn is_refused(&self, name: &str) -> bool {
        self.refused.contains(name)
    }

    /// The referenced names no provider knew.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// assert!(Secrets::none().missing().is_empty());
    /// ```
    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    /// `value` with every placeholder replaced by its secret.
    ///
    /// # Errors
    ///
    /// [`SecretError::NotFound`] naming every referenced secret that is missing.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// let secrets = Secrets::from_values([("PW", "p\"a\\ss\nw+rd")]);
    /// let bound = secrets.replace(&serde_json::json!({"pw": "{{secrets.PW}}"})).unwrap();
    /// assert_eq!(bound["pw"], "p\"a\\ss\nw+rd");
    /// ```
    pub fn replace(&self, value: &Value) -> Result<Value, SecretError> {
        let mut missing = Vec::new();
        let replaced = self.replace_value(value, &mut missing);
        if missing.is_empty() {
            Ok(replaced)
        } else {
            Err(SecretError::NotFound { names: missing })
        }
    }

    /// `text` with its placeholders replaced, borrowed when it has none; the names of missing
    /// secrets are added to `missing` and their placeholders dropped, as in
    /// [`replace`](Self::replace).
    ///
    /// For the binder, which replaces leaf by leaf as it reads them.
    pub(crate) fn replace_text<'a>(
        &self,
        text: &'a str,
        missing: &mut Vec<String>,
    ) -> Cow<'a, str> {
        self.replace_str(text, missing)
    }

    /// [`replace`](Self::replace) without the missing-secret check, for the binder (see
    /// [`replace_text`](Self::replace_text)).
    pub(crate) fn replace_unchecked(&self, value: &Value) -> Value {
        self.replace_value(value, &mut Vec::new())
    }

    fn replace_value(&self, value: &Value, missing: &mut Vec<String>) -> Value {
        match value {
            Value::String(s) => Value::String(self.replace_str(s, missing).into_owned()),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.replace_value(item, missing))
                    .collect(),
            ),
            Value::Object(map) => {
                let mut out = Map::with_capacity(map.len());
                for (key, item) in map {
                    let key = self.replace_str(key, missing).into_owned();
                    out.insert(key, self.replace_value(item, missing));
                }
                Value::Object(out)
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => value.clone(),
        }
    }

    fn replace_str<'a>(&self, text: &'a str, missing: &mut Vec<String>) -> Cow<'a, str> {
        let found = placeholders(text);
        if found.is_empty() {
            return Cow::Borrowed(text);
        }

        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for placeholder in found {
            out.push_str(&text[last..placeholder.range.start]);
            match self.values.get(placeholder.name) {
                Some(value) => out.push_str(value),
                None if self.refused.contains(placeholder.name) => {
                    out.push_str(&text[placeholder.range.clone()]);
                }
                None => {
                    if !missing.iter().any(|m| m == placeholder.name) {
                        missing.push(placeholder.name.to_owned());
                    }
                }
            }
            last = placeholder.range.end;
        }
        out.push_str(&text[last..]);
        Cow::Owned(out)
    }

    /// `text` with every occurrence of a secret value replaced by `***`.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// let secrets = Secrets::from_values([("PW", "hunter2")]);
    /// assert_eq!(secrets.mask("login failed for hunter2"), "login failed for ***");
    /// ```
    pub fn mask(&self, text: &str) -> String {
        let mut values: Vec<&str> = self
            .values
            .values()
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .collect();
        // Longer values first, so a secret that contains another is masked whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));

        let mut masked = text.to_owned();
        for value in values {
            if masked.contains(value) {
                masked = masked.replace(value, "***");
            }
        }
        masked
    }

    /// `value` with every secret value masked in its strings and object keys.
    ///
    /// ```
    /// # use camunda_connector_sdk::secrets::Secrets;
    /// let secrets = Secrets::from_values([("PW", "hunter2")]);
    /// let masked = secrets.mask_value(&serde_json::json!({"echo": "pw=hunter2", "n": 5}));
    /// assert_eq!(masked, serde_json::json!({"echo": "pw=***", "n": 5}));
    /// ```
    pub fn mask_value(&self, value: &Value) -> Value {
        if self.values.is_empty() {
            return value.clone();
        }
        match value {
            Value::String(s) => Value::String(self.mask(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.mask_value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.mask(k), self.mask_value(v)))
                    .collect(),
            ),
            Value::Null | Value::Bool(_) | Value::Number(_) => value.clone(),
        }
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&String> = self.values.keys().collect();
        f.debug_struct("Secrets")
            .field("names", &names)
            .field("missing", &self.missing)
            .field("refused", &self.refused)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(text: &str) -> Vec<&str> {
        placeholders(text).iter().map(|p| p.name).collect()
    }

    #[test]
    fn legacy_names_follow_the_segment_rules() {
        assert_eq!(names("secrets.db.main"), ["db.main"]);
        assert_eq!(names("secrets.A/B"), ["A/B"]);
        assert_eq!(names("secrets.KEY_1 tail"), ["KEY_1"]);
        assert_eq!(names("{secrets.TEST}"), ["TEST"]);
        assert_eq!(names("mysecrets.A"), ["A"]);
        assert!(names("secrets._X").is_empty());
        assert!(names("secrets.-X").is_empty());
        assert!(names("secrets.").is_empty());
        assert_eq!(names("secrets.A."), ["A"]);
    }

    #[test]
    fn names_cut_from_whole_matches_equal_the_captured_groups() {
        let texts = [
            "{{secrets.A}}",
            "{{ \t secrets.my$key \u{3000}}}",
            "{{secrets.a}}}}",
            "x{{secrets.{{secrets.B}}}}y",
            "secrets.db.main. and mysecrets.A-1 {{ secrets.C }}secrets.D_2/x",
            "{{secrets.}} {{ secrets. }} secrets._X secrets.-X",
        ];
        for text in texts {
            let mut expected = Vec::new();
            let mut gap_start = 0;
            for braced in BRACED.captures_iter(text) {
                let whole = braced.get(0).unwrap();
                for legacy in LEGACY.captures_iter(&text[gap_start..whole.start()]) {
                    expected.push(legacy.get(1).unwrap().as_str().to_owned());
                }
                expected.push(braced.get(1).unwrap().as_str().to_owned());
                gap_start = whole.end();
            }
            for legacy in LEGACY.captures_iter(&text[gap_start..]) {
                expected.push(legacy.get(1).unwrap().as_str().to_owned());
            }
            assert_eq!(names(text), expected, "in {text:?}");
        }
    }

    #[test]
    fn braced_names_take_any_non_space_character() {
        assert_eq!(names("{{ secrets.my$key }}"), ["my$key"]);
        assert_eq!(names("{{secrets.A}}/{{ secrets.B }}"), ["A", "B"]);
    }

    #[test]
    fn a_secret_value_is_never_scanned_again() {
        let secrets = Secrets::from_values([("A", "secrets.B {{secrets.B}}")]);
        let replaced = secrets.replace(&json!("{{secrets.A}}")).unwrap();
        assert_eq!(replaced, json!("secrets.B {{secrets.B}}"));
    }

    #[test]
    fn golden_g1_both_syntaxes_nested() {
        let variables = json!({
            "auth": {"token": "{{secrets.API_TOKEN}}"},
            "user": "secrets.SVC_USER",
            "hosts": ["a", "{{ secrets.HOST_B }}"],
            "url": "https://{{secrets.REGION}}.example.com/v1"
        });
        let secrets = Secrets::from_values([
            ("API_TOKEN", "t-123"),
            ("SVC_USER", "robot"),
            ("HOST_B", "b.internal"),
            ("REGION", "eu"),
        ]);
        let expected = json!({
            "auth": {"token": "t-123"},
            "user": "robot",
            "hosts": ["a", "b.internal"],
            "url": "https://eu.example.com/v1"
        });
        assert_eq!(secrets.replace(&variables).unwrap(), expected);
    }

    #[test]
    fn missing_secrets_are_all_named_without_values() {
        let secrets = Secrets::from_values([("A", "value-a")]);
        let err = secrets
            .replace(&json!({"x": "{{secrets.B}}", "y": ["secrets.C", "{{secrets.A}}"]}))
            .unwrap_err();
        let message = err.to_string();
        assert_eq!(
            message,
            "secrets `B`, `C` are not available from any secret provider"
        );
        assert!(!message.contains("value-a"));
    }

    #[tokio::test]
    async fn golden_g4_refused_names_stay_as_written_and_are_never_fetched() {
        let provider = MemorySecretProvider::new([("K1", "a"), ("K2", "b")]);
        let variables = json!({"path": "{{secrets.K1}}/{{secrets.K2}}", "legacy": "secrets.K2"});

        let secrets =
            Secrets::resolve_allowed(&provider, &variables, &SecretContext::default(), |n| {
                n == "K1"
            })
            .await
            .unwrap();

        let replaced = secrets.replace(&variables).unwrap();
        assert_eq!(
            replaced,
            json!({"path": "a/{{secrets.K2}}", "legacy": "secrets.K2"})
        );
        assert_eq!(secrets.get("K2"), None);
        assert_eq!(secrets.mask("b"), "b");
    }

    #[test]
    fn masking_prefers_the_longest_value() {
        let secrets = Secrets::from_values([("A", "abc"), ("B", "abcdef")]);
        assert_eq!(secrets.mask("xabcdefx abc"), "x***x ***");
    }
}
