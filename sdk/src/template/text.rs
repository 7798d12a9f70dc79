//! Text helpers: labels derived from ids, and template patterns that admit FEEL and secrets.

/// A label derived from an id or a Rust name, the way the Java generator derives them.
///
/// An all-upper-case id is kept (`URL`); otherwise the first letter is capitalised and each
/// further word (an upper-case letter, a run of digits, or a `_`/`-` separator) starts a new,
/// lower-case word.
///
/// ```
/// use camunda_connector_sdk::template::humanize;
/// assert_eq!(humanize("notAnnotatedStringProperty"), "Not annotated string property");
/// assert_eq!(humanize("propertyForGroup1"), "Property for group 1");
/// assert_eq!(humanize("apiKey"), "Api key");
/// assert_eq!(humanize("URL"), "URL");
/// assert_eq!(humanize("connect_timeout_s"), "Connect timeout s");
/// assert_eq!(humanize("NoAuth"), "No auth");
/// ```
pub fn humanize(id: &str) -> String {
    let has_lower = id.chars().any(char::is_lowercase);
    if !has_lower && id.chars().any(char::is_uppercase) && !id.contains(['_', '-']) {
        return id.to_owned();
    }
    let mut out = String::with_capacity(id.len() + 4);
    let mut previous: Option<char> = None;
    for c in id.chars() {
        let word_start = match previous {
            None => false,
            Some(p) => c.is_uppercase() || (c.is_ascii_digit() && !p.is_ascii_digit()),
        };
        if c == '_' || c == '-' {
            push_space(&mut out);
        } else {
            if word_start {
                push_space(&mut out);
            }
            out.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    capitalise(out.trim())
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The pattern the template carries for a field whose final value must match `pattern`.
///
/// The Modeler checks what the user types, before FEEL is evaluated and secrets are replaced,
/// so the template's pattern also admits a FEEL expression (`=…`) and any text holding a
/// `{{secrets.NAME}}` placeholder. The whole alternation is anchored, so nothing else slips
/// through; the runtime checks `pattern` itself against the final value.
///
/// ```
/// use camunda_connector_sdk::template::template_pattern;
/// let re = regex::Regex::new(&template_pattern("^[0-9]+$")).unwrap();
/// assert!(re.is_match("20") && re.is_match("=timeoutVar") && re.is_match("{{secrets.T}}"));
/// assert!(!re.is_match("") && !re.is_match("abc20"));
/// ```
pub fn template_pattern(pattern: &str) -> String {
    format!(r"^(?:(?:{pattern})|=[\s\S]*|[\s\S]*\{{\{{\s*secrets\.[^{{}}\s]+\s*\}}\}}[\s\S]*)$")
}

/// The runtime pattern behind `#[validate(url)]` in the template.
pub(crate) const URL_PATTERN: &str = r"^https?://\S+$";
