//! The `authentication` object of Camunda's REST-style connectors, and how each type is applied.

use serde::Deserialize;
use serde_json::Value;

use camunda_connector_sdk::{ConnectorError, ConnectorInput};

use super::client::{FORM_URLENCODED, HttpClient, HttpMethod, HttpRequest, Timeouts};

/// How a request authenticates, chosen by `authentication.type`.
///
/// The type names and field names are those of Camunda's REST connector, so job variables made
/// with its element template bind unchanged. A missing `authentication` object means
/// [`Authentication::NoAuth`].
///
/// ```
/// use example_connectors::http::Authentication;
/// let auth: Authentication = serde_json::from_value(serde_json::json!({
///     "type": "bearer", "token": "t-1"
/// })).unwrap();
/// assert!(matches!(auth, Authentication::Bearer { .. }));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ConnectorInput)]
#[serde(tag = "type")]
#[template(discriminator(label = "Type", group = "authentication", default = "noAuth"))]
#[non_exhaustive]
pub enum Authentication {
    /// An API key sent as a header or a query parameter.
    #[serde(rename = "apiKey", rename_all = "camelCase")]
    #[template(label = "API key")]
    ApiKey {
        /// Whether the key goes in a header or in the query.
        #[serde(default)]
        #[template(
            group = "authentication",
            label = "API key location",
            default = "headers"
        )]
        api_key_location: ApiKeyLocation,
        /// The header or query parameter that carries the key.
        #[template(group = "authentication", label = "API key name")]
        #[validate(not_empty)]
        name: String,
        /// The key; reference a secret such as `{{secrets.API_KEY}}`.
        #[template(group = "authentication", label = "API key value")]
        #[validate(not_empty)]
        value: String,
    },
    /// HTTP Basic authentication.
    #[serde(rename = "basic")]
    #[template(label = "Basic")]
    Basic {
        /// The user name.
        #[template(group = "authentication", label = "Username")]
        #[validate(not_empty)]
        username: String,
        /// The password; reference a secret such as `{{secrets.PASSWORD}}`.
        #[template(group = "authentication", label = "Password")]
        #[validate(not_empty)]
        password: String,
    },
    /// A bearer token in the `Authorization` header.
    #[serde(rename = "bearer")]
    #[template(label = "Bearer token")]
    Bearer {
        /// The token, without the `Bearer ` prefix; reference a secret.
        #[template(group = "authentication", label = "Bearer token")]
        #[validate(not_empty)]
        token: String,
    },
    /// No credentials are sent.
    #[default]
    #[serde(rename = "noAuth")]
    #[template(label = "None")]
    NoAuth,
    /// OAuth 2.0 client credentials: a token is fetched from the token endpoint before each
    /// request and sent as a bearer token.
    #[serde(rename = "oauth-client-credentials-flow", rename_all = "camelCase")]
    #[template(label = "OAuth 2.0")]
    OAuthClientCredentials {
        /// The token endpoint, an http(s) URL.
        #[template(group = "authentication", label = "OAuth 2.0 token endpoint")]
        #[validate(
            not_empty,
            pattern = "^(=|(http://|https://|secrets|\\{\\{).*$)",
            message = "must be an http(s) URL"
        )]
        oauth_token_endpoint: String,
        /// The client id registered with the authorization server.
        #[template(group = "authentication", label = "Client ID")]
        #[validate(not_empty)]
        client_id: String,
        /// The client secret; reference a secret.
        #[template(group = "authentication", label = "Client secret")]
        #[validate(not_empty)]
        client_secret: String,
        /// The API the token is for, when the provider needs an `audience`.
        #[serde(default)]
        #[template(group = "authentication", label = "Audience")]
        audience: Option<String>,
        /// Where the client credentials go in the token request.
        #[template(group = "authentication", label = "Client authentication")]
        client_authentication: ClientAuthentication,
        /// Space-separated scopes to request, if any.
        #[serde(default)]
        #[template(
            group = "authentication",
            label = "Scopes",
            placeholder = "read:contacts"
        )]
        scopes: Option<String>,
    },
}

/// Where OAuth client credentials are sent in the token request.
///
/// ```
/// use example_connectors::http::ClientAuthentication;
/// let c: ClientAuthentication = serde_json::from_value(serde_json::json!("credentialsBody")).unwrap();
/// assert_eq!(c, ClientAuthentication::CredentialsBody);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ConnectorInput)]
#[non_exhaustive]
pub enum ClientAuthentication {
    /// As `client_id` and `client_secret` form parameters.
    #[serde(rename = "credentialsBody")]
    #[template(label = "Send client credentials in body")]
    CredentialsBody,
    /// As an HTTP Basic `Authorization` header.
    #[serde(rename = "basicAuthHeader")]
    #[template(label = "Send as Basic Auth header")]
    BasicAuthHeader,
}

/// Where an API key is sent.
///
/// ```
/// use example_connectors::http::ApiKeyLocation;
/// assert_eq!(ApiKeyLocation::default(), ApiKeyLocation::Headers);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ConnectorInput)]
#[non_exhaustive]
pub enum ApiKeyLocation {
    /// As a request header.
    #[default]
    #[serde(rename = "headers")]
    #[template(label = "Headers")]
    Headers,
    /// As a query parameter.
    #[serde(rename = "query")]
    #[template(label = "Query parameters")]
    Query,
}

/// What an [`Authentication`] adds to a request once its credentials are ready.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Credentials {
    None,
    Basic { username: String, password: String },
    Bearer(String),
    Header { name: String, value: String },
    Query { name: String, value: String },
}

impl Authentication {
    /// Turns the configuration into credentials, fetching an OAuth token when needed.
    pub(crate) async fn credentials(
        &self,
        client: &HttpClient,
        timeouts: Timeouts,
    ) -> Result<Credentials, ConnectorError> {
        let credentials = match self {
            Authentication::NoAuth => Credentials::None,
            Authentication::Basic { username, password } => Credentials::Basic {
                username: username.clone(),
                password: password.clone(),
            },
            Authentication::Bearer { token } => Credentials::Bearer(token.clone()),
            Authentication::ApiKey {
                api_key_location,
                name,
                value,
            } => api_key(*api_key_location, name, value),
            Authentication::OAuthClientCredentials {
                oauth_token_endpoint,
                client_id,
                client_secret,
                audience,
                client_authentication,
                scopes,
            } => {
                let flow = ClientCredentialsFlow {
                    endpoint: oauth_token_endpoint,
                    client_id,
                    client_secret,
                    audience: audience.as_deref(),
                    client_authentication: *client_authentication,
                    scopes: scopes.as_deref(),
                };
                Credentials::Bearer(flow.fetch_token(client, timeouts).await?)
            }
        };
        Ok(credentials)
    }
}

/// The fields of [`Authentication::OAuthClientCredentials`], borrowed.
#[derive(Debug, Clone, Copy)]
struct ClientCredentialsFlow<'a> {
    endpoint: &'a str,
    client_id: &'a str,
    client_secret: &'a str,
    audience: Option<&'a str>,
    client_authentication: ClientAuthentication,
    scopes: Option<&'a str>,
}

impl ClientCredentialsFlow<'_> {
    async fn fetch_token(
        self,
        client: &HttpClient,
        timeouts: Timeouts,
    ) -> Result<String, ConnectorError> {
        tracing::debug!(endpoint = %self.endpoint, "fetching an oauth access token");
        let (request, credentials) = self.token_request(timeouts);
        let response = client.send(request, credentials).await?;

        find_access_token(&response.body).ok_or_else(|| {
            ConnectorError::failure(
                "OAUTH_TOKEN_MISSING",
                format!(
                    "the token endpoint {} answered without an `access_token`",
                    self.endpoint
                ),
            )
        })
    }

    fn token_request(self, timeouts: Timeouts) -> (HttpRequest, Credentials) {
        let mut form = vec![("grant_type", "client_credentials")];
        push_non_blank(&mut form, "audience", self.audience);
        push_non_blank(&mut form, "scope", self.scopes);
        let credentials = match self.client_authentication {
            ClientAuthentication::BasicAuthHeader => Credentials::Basic {
                username: self.client_id.to_owned(),
                password: self.client_secret.to_owned(),
            },
            ClientAuthentication::CredentialsBody => {
                form.push(("client_id", self.client_id));
                form.push(("client_secret", self.client_secret));
                Credentials::None
            }
        };

        let body = form
            .into_iter()
            .map(|(key, value)| (key.to_owned(), Value::from(value)))
            .collect();
        let mut request = HttpRequest::new(HttpMethod::Post, self.endpoint);
        request
            .headers
            .insert("Content-Type".to_owned(), FORM_URLENCODED.to_owned());
        request.body = Some(Value::Object(body));
        request.timeouts = timeouts;
        (request, credentials)
    }
}

fn api_key(location: ApiKeyLocation, name: &str, value: &str) -> Credentials {
    let (name, value) = (name.to_owned(), value.to_owned());
    match location {
        ApiKeyLocation::Headers => Credentials::Header { name, value },
        ApiKeyLocation::Query => Credentials::Query { name, value },
    }
}

fn push_non_blank<'a>(form: &mut Vec<(&'a str, &'a str)>, key: &'a str, value: Option<&'a str>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        form.push((key, value));
    }
}

/// The first `access_token` found in the token response, searching nested objects too.
fn find_access_token(body: &Value) -> Option<String> {
    match body {
        Value::Object(map) => match map.get("access_token") {
            Some(Value::String(token)) if !token.is_empty() => Some(token.clone()),
            _ => map.values().find_map(find_access_token),
        },
        Value::Array(items) => items.iter().find_map(find_access_token),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn binds_every_official_type_name() {
        let cases = [
            json!({"type": "noAuth"}),
            json!({"type": "basic", "username": "u", "password": "p"}),
            json!({"type": "bearer", "token": "t"}),
            json!({"type": "apiKey", "apiKeyLocation": "query", "name": "k", "value": "v"}),
            json!({
                "type": "oauth-client-credentials-flow",
                "oauthTokenEndpoint": "http://127.0.0.1/token",
                "clientId": "id",
                "clientSecret": "s",
                "clientAuthentication": "basicAuthHeader"
            }),
        ];

        for case in cases {
            let bound: Result<Authentication, _> = serde_json::from_value(case.clone());
            assert!(bound.is_ok(), "{case} did not bind: {bound:?}");
        }
    }

    #[test]
    fn token_request_puts_credentials_where_asked() {
        let auth = |client_authentication| ClientCredentialsFlow {
            endpoint: "http://127.0.0.1/token",
            client_id: "id",
            client_secret: "secret",
            audience: Some("api"),
            client_authentication,
            scopes: Some(" "),
        };

        let (in_body, credentials) =
            auth(ClientAuthentication::CredentialsBody).token_request(Timeouts::default());
        assert_eq!(credentials, Credentials::None);
        assert_eq!(
            in_body.body,
            Some(json!({
                "grant_type": "client_credentials",
                "audience": "api",
                "client_id": "id",
                "client_secret": "secret"
            }))
        );

        let (in_header, credentials) =
            auth(ClientAuthentication::BasicAuthHeader).token_request(Timeouts::default());
        assert_eq!(
            in_header.body,
            Some(json!({"grant_type": "client_credentials", "audience": "api"}))
        );
        assert!(matches!(credentials, Credentials::Basic { .. }));
    }

    #[test]
    fn finds_nested_access_tokens_and_ignores_empty_ones() {
        assert_eq!(
            find_access_token(&json!({"access_token": "a"})),
            Some("a".into())
        );
        assert_eq!(
            find_access_token(&json!({"data": {"access_token": "b"}})),
            Some("b".into())
        );
        assert_eq!(find_access_token(&json!({"access_token": ""})), None);
        assert_eq!(find_access_token(&json!("access_token")), None);
    }
}
