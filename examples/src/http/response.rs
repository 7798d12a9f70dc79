//! The response as result expressions see it: `{status, headers, body, reason}`.
//!
//! # Header names
//!
//! The Rust HTTP stack hands header names over in lower case (HTTP/2 requires it, and the `http`
//! crate normalises HTTP/1.1 names too), while expressions written for Camunda's REST connector
//! read them as servers usually send them over HTTP/1.1: ``response.headers.`Content-Type` `` or
//! `get value(error.variables.response.headers, "Retry-After")`. So names are rendered in their
//! canonical form:
//!
//! - each `-`-separated word starts with an upper-case letter and continues in lower case:
//!   `content-type` → `Content-Type`, `retry-after` → `Retry-After`, `x-request-id` →
//!   `X-Request-Id`;
//! - the few registered names spelled otherwise keep their registered spelling: `ETag`,
//!   `WWW-Authenticate`, `Content-MD5`, `DNT` and `TE`.
//!
//! A server that sends an unusual spelling (`X-REQUEST-ID`) is therefore seen as `X-Request-Id`:
//! the original spelling is gone before the connector sees the response.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde::Serialize;
use serde_json::{Map, Value, json};

use camunda_connector_sdk::ConnectorError;

/// An HTTP response, the output of both connectors.
///
/// It serialises as `{status, headers, body, reason}`, the shape of Camunda's REST connector:
/// `body` is the parsed JSON when the body is JSON, else its text, and `null` when empty;
/// `headers` is a flat object of header names to the first value, except `Set-Cookie`, which is
/// always a list of every value. Names are canonical, one capital per word (`Content-Type`,
/// `Retry-After`, `X-Request-Id`), except the registered `ETag`, `WWW-Authenticate`,
/// `Content-MD5`, `DNT` and `TE`, so expressions written for Camunda's REST connector find them.
///
/// ```
/// use example_connectors::http::HttpResponse;
/// use serde_json::json;
/// let response = HttpResponse::new(200, json!({"id": 7}));
/// assert_eq!(
///     serde_json::to_value(&response).unwrap(),
///     json!({"status": 200, "headers": {}, "body": {"id": 7}, "reason": "OK"})
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers, one entry per name.
    pub headers: Map<String, Value>,
    /// The body: JSON if it parses as JSON, else text; `null` when blank.
    pub body: Value,
    /// The reason phrase of the status.
    pub reason: String,
}

impl HttpResponse {
    /// A response with `status`, `body`, no headers and the standard reason phrase.
    ///
    /// ```
    /// # use example_connectors::http::HttpResponse;
    /// assert_eq!(HttpResponse::new(404, serde_json::Value::Null).reason, "Not Found");
    /// ```
    pub fn new(status: u16, body: Value) -> Self {
        HttpResponse {
            status,
            headers: Map::new(),
            body,
            reason: reason_phrase(status),
        }
    }

    /// Reads status, headers and the whole body.
    pub(crate) async fn read(response: reqwest::Response) -> Result<Self, reqwest::Error> {
        let status = response.status().as_u16();
        let headers = flatten_headers(response.headers());
        let bytes = response.bytes().await?;

        Ok(HttpResponse {
            status,
            headers,
            body: parse_body(&bytes),
            reason: reason_phrase(status),
        })
    }

    /// Whether the status is 400 or more.
    ///
    /// ```
    /// # use example_connectors::http::HttpResponse;
    /// assert!(HttpResponse::new(503, serde_json::Value::Null).is_error());
    /// assert!(!HttpResponse::new(302, serde_json::Value::Null).is_error());
    /// ```
    pub fn is_error(&self) -> bool {
        self.status >= 400
    }

    /// The error Camunda's REST connector raises for this response: a retryable failure with
    /// the status as code, the reason phrase as message and `{"response": {headers, body}}` as
    /// variables.
    ///
    /// ```
    /// # use example_connectors::http::HttpResponse;
    /// let err = HttpResponse::new(404, serde_json::json!({"detail": "no order 7"})).into_error();
    /// assert_eq!(err.code(), "404");
    /// assert_eq!(err.message(), "Not Found");
    /// assert_eq!(err.variables().unwrap()["response"]["body"]["detail"], "no order 7");
    /// ```
    pub fn into_error(self) -> ConnectorError {
        let variables = json!({"response": {"headers": self.headers, "body": self.body}});
        ConnectorError::failure(self.status.to_string(), self.reason).with_variables(variables)
    }
}

fn reason_phrase(status: u16) -> String {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .map_or_else(|| format!("HTTP status {status}"), str::to_owned)
}

fn flatten_headers(headers: &HeaderMap) -> Map<String, Value> {
    let mut flat = Map::new();
    for name in headers.keys() {
        let mut values = headers
            .get_all(name)
            .iter()
            .map(|value| Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned()));
        let value = if name == SET_COOKIE {
            Value::Array(values.collect())
        } else {
            values.next().unwrap_or(Value::Null)
        };
        flat.insert(canonical_name(name.as_str()), value);
    }
    flat
}

/// Registered header names whose spelling is not one capital per word.
const SPELLED_OTHERWISE: &[&str] = &["ETag", "WWW-Authenticate", "Content-MD5", "DNT", "TE"];

/// `content-type` → `Content-Type`; see the module docs.
fn canonical_name(name: &str) -> String {
    if let Some(spelling) = SPELLED_OTHERWISE
        .iter()
        .find(|spelling| spelling.eq_ignore_ascii_case(name))
    {
        return (*spelling).to_owned();
    }

    let words: Vec<String> = name.split('-').map(capitalise).collect();
    words.join("-")
}

fn capitalise(word: &str) -> String {
    let mut word = word.to_ascii_lowercase();
    if let Some(first) = word.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    word
}

fn parse_body(bytes: &[u8]) -> Value {
    let text = String::from_utf8_lossy(bytes);
    if text.trim().is_empty() {
        return Value::Null;
    }
    serde_json::from_str(&text).unwrap_or_else(|_| Value::String(text.into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn bodies_are_json_when_they_parse_else_text() {
        assert_eq!(parse_body(br#"{"a": [1]}"#), json!({"a": [1]}));
        assert_eq!(parse_body(b"plain words"), json!("plain words"));
        assert_eq!(parse_body(b"42"), json!(42));
        assert_eq!(parse_body(b"  \n"), Value::Null);
    }

    #[test]
    fn headers_keep_the_first_value_and_every_cookie() {
        let mut headers = HeaderMap::new();
        headers.append("x-trace", HeaderValue::from_static("a"));
        headers.append("x-trace", HeaderValue::from_static("b"));
        headers.append(SET_COOKIE, HeaderValue::from_static("s=1"));
        headers.append(SET_COOKIE, HeaderValue::from_static("t=2"));

        let flat = flatten_headers(&headers);

        assert_eq!(
            Value::Object(flat),
            json!({"X-Trace": "a", "Set-Cookie": ["s=1", "t=2"]})
        );
    }

    #[test]
    fn header_names_are_title_case_word_by_word() {
        for (received, shown) in [
            ("content-type", "Content-Type"),
            ("retry-after", "Retry-After"),
            ("x-request-id", "X-Request-Id"),
            ("X-REQUEST-ID", "X-Request-Id"),
            ("set-cookie", "Set-Cookie"),
            ("date", "Date"),
            ("x--odd-", "X--Odd-"),
            ("x-1st", "X-1st"),
        ] {
            assert_eq!(canonical_name(received), shown, "{received}");
        }
    }

    #[test]
    fn registered_names_keep_their_registered_spelling() {
        for (received, shown) in [
            ("etag", "ETag"),
            ("www-authenticate", "WWW-Authenticate"),
            ("content-md5", "Content-MD5"),
            ("dnt", "DNT"),
            ("te", "TE"),
        ] {
            assert_eq!(canonical_name(received), shown, "{received}");
        }
    }

    #[test]
    fn unknown_statuses_still_have_a_message() {
        assert_eq!(reason_phrase(599), "HTTP status 599");
    }
}
