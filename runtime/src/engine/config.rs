//! Where the engine is and how to authenticate: command-line flags, then `CAMUNDA_*`
//! environment variables, then the legacy `ZEEBE_*` names.

use std::borrow::Cow;
use std::time::Duration;

use super::auth::{Auth, OAuthConfig, Secret};

/// The default REST address of a local cluster (Camunda 8 Run, docker compose).
pub const DEFAULT_REST_ADDRESS: &str = "http://localhost:8080";
/// The token endpoint of Camunda SaaS.
pub const SAAS_OAUTH_URL: &str = "https://login.cloud.camunda.io/oauth/token";
/// The token audience of Camunda SaaS.
pub const SAAS_TOKEN_AUDIENCE: &str = "zeebe.camunda.io";

/// A setting that is missing or malformed; the message names the flag or variable.
///
/// ```
/// use camunda_connector_runtime::engine::{ConfigError, EngineArgs};
/// let mut args = EngineArgs::default();
/// args.auth_strategy = Some("kerberos".into());
/// let err = args.resolve_with(|_| None).unwrap_err();
/// assert!(err.to_string().contains("CAMUNDA_AUTH_STRATEGY"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A value is present but unusable.
    #[error("invalid {name}: {reason}")]
    Invalid {
        /// The flag (with its variable) or the variable the value came from.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A value needed by the chosen settings is absent.
    #[error("missing {name}: {reason}")]
    Missing {
        /// The variable (and flag) that should hold the value.
        name: &'static str,
        /// Why it is needed.
        reason: &'static str,
    },
}

/// The engine connection as flags; each flag falls back to its environment variable(s).
///
/// Flatten it into a clap command with `#[command(flatten)]`, then call
/// [`resolve`](Self::resolve). The variables are read by [`resolve`](Self::resolve), not by
/// clap, so a field that holds a value was set by its flag (or in code), and an error names
/// the flag or the variable the bad value came from.
///
/// ```
/// use camunda_connector_runtime::engine::EngineArgs;
/// let mut args = EngineArgs::default();
/// args.rest_address = Some("http://127.0.0.1:8080".into());
/// let config = args.resolve_with(|_| None).unwrap();
/// assert_eq!(config.rest_address.as_str(), "http://127.0.0.1:8080/v2");
/// ```
#[derive(Clone, Default, PartialEq, Eq, clap::Args)]
#[non_exhaustive]
pub struct EngineArgs {
    /// The REST address of the cluster [env: CAMUNDA_REST_ADDRESS, then ZEEBE_REST_ADDRESS;
    /// default http://localhost:8080, or the SaaS address when a cluster id is set]
    #[arg(long, value_name = "URL")]
    pub rest_address: Option<String>,
    /// Use the REST address exactly as given, without appending /v2 (for a proxy that maps
    /// the API elsewhere) [env: CAMUNDA_REST_ADDRESS_EXACT=true|false]
    #[arg(long)]
    pub rest_address_exact: bool,
    /// OAUTH, BASIC or NONE [env: CAMUNDA_AUTH_STRATEGY; default: inferred from the
    /// credentials present]
    #[arg(long, value_name = "STRATEGY")]
    pub auth_strategy: Option<String>,
    /// The OAuth client id [env: CAMUNDA_CLIENT_ID, then CAMUNDA_CLIENT_AUTH_CLIENTID,
    /// ZEEBE_CLIENT_ID]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The OAuth client secret [env: CAMUNDA_CLIENT_SECRET, then
    /// CAMUNDA_CLIENT_AUTH_CLIENTSECRET, ZEEBE_CLIENT_SECRET]
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<String>,
    /// The OAuth token endpoint [env: CAMUNDA_OAUTH_URL, then ZEEBE_AUTHORIZATION_SERVER_URL]
    #[arg(long, value_name = "URL")]
    pub oauth_url: Option<String>,
    /// The token audience [env: CAMUNDA_TOKEN_AUDIENCE, then ZEEBE_TOKEN_AUDIENCE]
    #[arg(long, value_name = "AUDIENCE")]
    pub token_audience: Option<String>,
    /// The token scope [env: CAMUNDA_TOKEN_SCOPE, then CAMUNDA_OAUTH_SCOPE]
    #[arg(long, value_name = "SCOPE")]
    pub token_scope: Option<String>,
    /// The basic-auth user name [env: CAMUNDA_BASIC_AUTH_USERNAME]
    #[arg(long, value_name = "USER")]
    pub basic_auth_username: Option<String>,
    /// The basic-auth password [env: CAMUNDA_BASIC_AUTH_PASSWORD]
    #[arg(long, value_name = "PASSWORD")]
    pub basic_auth_password: Option<String>,
    /// The SaaS cluster id [env: CAMUNDA_CLUSTER_ID]
    #[arg(long, value_name = "ID")]
    pub cluster_id: Option<String>,
    /// The SaaS cluster region, such as bru-2 [env: CAMUNDA_CLUSTER_REGION]
    #[arg(long, value_name = "REGION")]
    pub cluster_region: Option<String>,
}

impl std::fmt::Debug for EngineArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineArgs")
            .field("rest_address", &self.rest_address.as_deref().map(shown))
            .field("rest_address_exact", &self.rest_address_exact)
            .field("auth_strategy", &self.auth_strategy)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("oauth_url", &self.oauth_url.as_deref().map(shown))
            .field("basic_auth_username", &self.basic_auth_username)
            .field(
                "basic_auth_password",
                &self.basic_auth_password.as_ref().map(|_| "***"),
            )
            .field("cluster_id", &self.cluster_id)
            .field("cluster_region", &self.cluster_region)
            .finish_non_exhaustive()
    }
}

/// A resolved, valid engine connection.
///
/// ```
/// use camunda_connector_runtime::engine::{Auth, EngineConfig};
/// let config = EngineConfig::new("http://127.0.0.1:8080").unwrap();
/// assert_eq!(config.auth, Auth::None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EngineConfig {
    /// The API base, ending in `/v2`.
    pub rest_address: url::Url,
    /// How requests are authenticated.
    pub auth: Auth,
    /// How long a request other than a long poll may take.
    pub request_timeout: Duration,
}

impl EngineConfig {
    /// An unauthenticated connection to `address` (`/v2` appended when missing).
    ///
    /// # Errors
    ///
    /// [`ConfigError::Invalid`] when `address` is not an http(s) URL with a host, or has
    /// user info (`user:password@`), a query or a fragment.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::EngineConfig;
    /// assert!(EngineConfig::new("not a url").is_err());
    /// assert!(EngineConfig::new("http://demo:demo@127.0.0.1:8080").is_err());
    /// ```
    pub fn new(address: &str) -> Result<Self, ConfigError> {
        Ok(EngineConfig {
            rest_address: api_base(address, "CAMUNDA_REST_ADDRESS")?,
            auth: Auth::None,
            request_timeout: Duration::from_secs(30),
        })
    }

    /// The same connection with other credentials.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{Auth, EngineConfig, Secret};
    /// let config = EngineConfig::new("http://127.0.0.1:8080").unwrap()
    ///     .with_auth(Auth::Basic { username: "demo".into(), password: Secret::new("demo") });
    /// assert_ne!(config.auth, Auth::None);
    /// ```
    pub fn with_auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self
    }

    /// Reads the settings from the environment only.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first bad variable.
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::EngineConfig;
    /// let config = EngineConfig::from_env()?;
    /// # Ok::<(), camunda_connector_runtime::engine::ConfigError>(())
    /// ```
    pub fn from_env() -> Result<Self, ConfigError> {
        EngineArgs::default().resolve()
    }
}

impl EngineArgs {
    /// Resolves the flags, filling gaps from the process environment.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first bad setting.
    ///
    /// ```no_run
    /// # use camunda_connector_runtime::engine::EngineArgs;
    /// let config = EngineArgs::default().resolve()?;
    /// # Ok::<(), camunda_connector_runtime::engine::ConfigError>(())
    /// ```
    pub fn resolve(&self) -> Result<EngineConfig, ConfigError> {
        self.resolve_with(|name| std::env::var(name).ok())
    }

    /// Resolves the flags, filling gaps from `lookup` (an environment).
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] naming the first bad setting.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::{Auth, EngineArgs};
    /// let env = |name: &str| match name {
    ///     "ZEEBE_CLIENT_ID" => Some("id".to_owned()),
    ///     "ZEEBE_CLIENT_SECRET" => Some("secret".to_owned()),
    ///     "CAMUNDA_CLUSTER_ID" => Some("abc".to_owned()),
    ///     "CAMUNDA_CLUSTER_REGION" => Some("bru-2".to_owned()),
    ///     _ => None,
    /// };
    /// let config = EngineArgs::default().resolve_with(env).unwrap();
    /// assert_eq!(config.rest_address.as_str(), "https://bru-2.zeebe.camunda.io/abc/v2");
    /// assert!(matches!(config.auth, Auth::OAuth(_)));
    /// ```
    pub fn resolve_with(
        &self,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<EngineConfig, ConfigError> {
        let get = |field: &Option<String>, setting: &Setting| setting.read(field, &lookup);
        let exact = match self.rest_address_exact {
            true => true,
            false => exact_flag(lookup(REST_ADDRESS_EXACT).as_deref())?,
        };
        let settings = Settings {
            address: get(&self.rest_address, &REST_ADDRESS)?,
            exact,
            strategy: get(&self.auth_strategy, &AUTH_STRATEGY)?,
            client_id: get(&self.client_id, &CLIENT_ID)?,
            client_secret: get(&self.client_secret, &CLIENT_SECRET)?,
            oauth_url: get(&self.oauth_url, &OAUTH_URL)?,
            audience: get(&self.token_audience, &TOKEN_AUDIENCE)?,
            scope: get(&self.token_scope, &TOKEN_SCOPE)?,
            username: get(&self.basic_auth_username, &BASIC_AUTH_USERNAME)?,
            password: get(&self.basic_auth_password, &BASIC_AUTH_PASSWORD)?,
            cluster_id: get(&self.cluster_id, &CLUSTER_ID)?,
            region: get(&self.cluster_region, &CLUSTER_REGION)?,
        };
        settings.resolve()
    }
}

/// One setting: what its flag is called in messages, and the variables that fill it when the
/// flag is absent, in the order they are read.
struct Setting {
    flag: &'static str,
    vars: &'static [&'static str],
}

const REST_ADDRESS: Setting = Setting {
    flag: "--rest-address (CAMUNDA_REST_ADDRESS)",
    vars: &["CAMUNDA_REST_ADDRESS", "ZEEBE_REST_ADDRESS"],
};
const REST_ADDRESS_EXACT: &str = "CAMUNDA_REST_ADDRESS_EXACT";
const AUTH_STRATEGY: Setting = Setting {
    flag: "--auth-strategy (CAMUNDA_AUTH_STRATEGY)",
    vars: &["CAMUNDA_AUTH_STRATEGY"],
};
const CLIENT_ID: Setting = Setting {
    flag: "--client-id (CAMUNDA_CLIENT_ID)",
    vars: &[
        "CAMUNDA_CLIENT_ID",
        "CAMUNDA_CLIENT_AUTH_CLIENTID",
        "ZEEBE_CLIENT_ID",
    ],
};
const CLIENT_SECRET: Setting = Setting {
    flag: "--client-secret (CAMUNDA_CLIENT_SECRET)",
    vars: &[
        "CAMUNDA_CLIENT_SECRET",
        "CAMUNDA_CLIENT_AUTH_CLIENTSECRET",
        "ZEEBE_CLIENT_SECRET",
    ],
};
const OAUTH_URL: Setting = Setting {
    flag: "--oauth-url (CAMUNDA_OAUTH_URL)",
    vars: &["CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL"],
};
const TOKEN_AUDIENCE: Setting = Setting {
    flag: "--token-audience (CAMUNDA_TOKEN_AUDIENCE)",
    vars: &["CAMUNDA_TOKEN_AUDIENCE", "ZEEBE_TOKEN_AUDIENCE"],
};
const TOKEN_SCOPE: Setting = Setting {
    flag: "--token-scope (CAMUNDA_TOKEN_SCOPE)",
    vars: &["CAMUNDA_TOKEN_SCOPE", "CAMUNDA_OAUTH_SCOPE"],
};
const BASIC_AUTH_USERNAME: Setting = Setting {
    flag: "--basic-auth-username (CAMUNDA_BASIC_AUTH_USERNAME)",
    vars: &["CAMUNDA_BASIC_AUTH_USERNAME"],
};
const BASIC_AUTH_PASSWORD: Setting = Setting {
    flag: "--basic-auth-password (CAMUNDA_BASIC_AUTH_PASSWORD)",
    vars: &["CAMUNDA_BASIC_AUTH_PASSWORD"],
};
const CLUSTER_ID: Setting = Setting {
    flag: "--cluster-id (CAMUNDA_CLUSTER_ID)",
    vars: &["CAMUNDA_CLUSTER_ID"],
};
const CLUSTER_REGION: Setting = Setting {
    flag: "--cluster-region (CAMUNDA_CLUSTER_REGION)",
    vars: &["CAMUNDA_CLUSTER_REGION"],
};

impl Setting {
    /// The flag's value, else the first variable that is set. A value that is set but blank
    /// is an error, not a silent default: it hides the fallbacks after it too.
    fn read(
        &self,
        field: &Option<String>,
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<Option<Given>, ConfigError> {
        let given = match field {
            Some(text) => Some(Given::new(text, self.flag)),
            None => self
                .vars
                .iter()
                .find_map(|var| lookup(var).map(|text| Given::new(&text, var))),
        };
        match given {
            Some(given) if given.text.trim().is_empty() => Err(blank(given.name)),
            given => Ok(given),
        }
    }
}

/// A value and the flag or variable it came from, so an error can name the right one.
struct Given {
    text: String,
    name: &'static str,
}

impl Given {
    fn new(text: &str, name: &'static str) -> Self {
        Given {
            text: text.to_owned(),
            name,
        }
    }
}

/// The settings as given; each [`Given`] knows where it came from.
struct Settings {
    address: Option<Given>,
    exact: bool,
    strategy: Option<Given>,
    client_id: Option<Given>,
    client_secret: Option<Given>,
    oauth_url: Option<Given>,
    audience: Option<Given>,
    scope: Option<Given>,
    username: Option<Given>,
    password: Option<Given>,
    cluster_id: Option<Given>,
    region: Option<Given>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strategy {
    None,
    Basic,
    OAuth,
}

impl Settings {
    fn resolve(self) -> Result<EngineConfig, ConfigError> {
        let saas = self.saas_address()?;
        let (address, name) = match (&self.address, &saas) {
            (Some(address), _) => (address.text.as_str(), address.name),
            (None, Some((saas, name))) => (saas.as_str(), *name),
            (None, None) => (DEFAULT_REST_ADDRESS, REST_ADDRESS.vars[0]),
        };
        let address = match self.exact {
            true => exact_base(address, name)?,
            false => api_base(address, name)?,
        };

        let auth = match self.strategy()? {
            Strategy::None => Auth::None,
            Strategy::Basic => self.basic()?,
            Strategy::OAuth => self.oauth(saas.is_some())?,
        };
        Ok(EngineConfig {
            rest_address: address,
            auth,
            request_timeout: Duration::from_secs(30),
        })
    }

    /// The SaaS cluster address, and the setting named when it is unusable. The id and the
    /// region are checked whenever they are set, used or not.
    fn saas_address(&self) -> Result<Option<(String, &'static str)>, ConfigError> {
        let id = self.cluster_id.as_ref().map(check_cluster_id).transpose()?;
        let region = self.region.as_ref().map(check_region).transpose()?;
        match (id, region) {
            (Some((id, name)), Some((region, _))) => Ok(Some((
                format!("https://{region}.zeebe.camunda.io/{id}"),
                name,
            ))),
            (Some(_), None) if self.address.is_none() => Err(ConfigError::Missing {
                name: "CAMUNDA_CLUSTER_REGION",
                reason: "a SaaS cluster id needs its region to form the cluster address",
            }),
            _ => Ok(None),
        }
    }

    fn strategy(&self) -> Result<Strategy, ConfigError> {
        let Some(strategy) = &self.strategy else {
            return Ok(self.inferred_strategy());
        };
        match strategy.text.trim().to_ascii_uppercase().as_str() {
            "NONE" => Ok(Strategy::None),
            "BASIC" => Ok(Strategy::Basic),
            "OAUTH" => Ok(Strategy::OAuth),
            _ => Err(ConfigError::Invalid {
                name: strategy.name,
                reason: format!(
                    "`{}` is not one of OAUTH, BASIC, NONE",
                    strategy.text.trim()
                ),
            }),
        }
    }

    fn inferred_strategy(&self) -> Strategy {
        if self.client_id.is_some() || self.client_secret.is_some() {
            Strategy::OAuth
        } else if self.username.is_some() || self.password.is_some() {
            Strategy::Basic
        } else {
            Strategy::None
        }
    }

    fn basic(&self) -> Result<Auth, ConfigError> {
        let reason = "BASIC authentication needs a user name and a password";
        Ok(Auth::Basic {
            username: required(&self.username, "CAMUNDA_BASIC_AUTH_USERNAME", reason)?,
            password: Secret::new(required(
                &self.password,
                "CAMUNDA_BASIC_AUTH_PASSWORD",
                reason,
            )?),
        })
    }

    fn oauth(&self, saas: bool) -> Result<Auth, ConfigError> {
        let reason = "OAUTH authentication needs a client id, a client secret and a token endpoint";
        let token_url = match (&self.oauth_url, saas) {
            (Some(url), _) => {
                check_url(&url.text, url.name, CLIENT_CREDENTIALS)?;
                url.text.clone()
            }
            (None, true) => SAAS_OAUTH_URL.to_owned(),
            (None, false) => {
                return Err(ConfigError::Missing {
                    name: "CAMUNDA_OAUTH_URL",
                    reason,
                });
            }
        };
        let audience =
            text(&self.audience).or_else(|| saas.then(|| SAAS_TOKEN_AUDIENCE.to_owned()));

        Ok(Auth::OAuth(OAuthConfig {
            token_url,
            client_id: required(&self.client_id, "CAMUNDA_CLIENT_ID", reason)?,
            client_secret: Secret::new(required(
                &self.client_secret,
                "CAMUNDA_CLIENT_SECRET",
                reason,
            )?),
            audience,
            scope: text(&self.scope),
            request_timeout: super::auth::TOKEN_REQUEST_TIMEOUT,
        }))
    }
}

/// The longest SaaS cluster id accepted; Console's ids are 36-character UUIDs.
const CLUSTER_ID_MAX_LEN: usize = 64;
/// The longest DNS label, and so the longest cluster region.
const REGION_MAX_LEN: usize = 63;

/// A cluster id, which becomes one path segment of the SaaS address: 1 to 64 ASCII letters,
/// digits, `-` or `_`.
fn check_cluster_id(id: &Given) -> Result<(&str, &'static str), ConfigError> {
    let text = id.text.trim();
    let fits = (1..=CLUSTER_ID_MAX_LEN).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !fits {
        return Err(ConfigError::Invalid {
            name: id.name,
            reason: format!(
                "`{text}` is not a cluster id: 1 to {CLUSTER_ID_MAX_LEN} letters, digits, `-` or `_`"
            ),
        });
    }
    Ok((text, id.name))
}

/// A cluster region, which becomes the first label of the SaaS host name: 1 to 63 ASCII
/// letters, digits or `-`, neither first nor last.
fn check_region(region: &Given) -> Result<(&str, &'static str), ConfigError> {
    let text = region.text.trim();
    let fits = (1..=REGION_MAX_LEN).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-');
    if !fits {
        return Err(ConfigError::Invalid {
            name: region.name,
            reason: format!(
                "`{text}` is not a cluster region such as bru-2: 1 to {REGION_MAX_LEN} letters, \
                 digits or `-`, not starting or ending with `-`"
            ),
        });
    }
    Ok((text, region.name))
}

fn blank(name: &'static str) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: "it is set but blank; give a value or unset it".to_owned(),
    }
}

fn text(value: &Option<Given>) -> Option<String> {
    value.as_ref().map(|given| given.text.clone())
}

fn required(
    value: &Option<Given>,
    name: &'static str,
    reason: &'static str,
) -> Result<String, ConfigError> {
    text(value).ok_or(ConfigError::Missing { name, reason })
}

/// Where the credentials go instead of a URL's user info.
const BASIC_CREDENTIALS: &str = "CAMUNDA_BASIC_AUTH_USERNAME and CAMUNDA_BASIC_AUTH_PASSWORD";
const CLIENT_CREDENTIALS: &str = "CAMUNDA_CLIENT_ID and CAMUNDA_CLIENT_SECRET";

/// An http(s) URL with a host and without user info. `credentials` names the settings that
/// hold what user info would carry. No message repeats user info, even from a malformed URL.
fn check_url(
    value: &str,
    name: &'static str,
    credentials: &'static str,
) -> Result<url::Url, ConfigError> {
    let text = value.trim();
    let invalid = |reason: String| ConfigError::Invalid { name, reason };
    // Not echoed: text that is no URL at all may be a secret set in the wrong variable.
    let Some(authority) = written_authority(text) else {
        return Err(invalid(
            "the value is not an http or https URL such as http://localhost:8080".to_owned(),
        ));
    };
    // `\` (which the `url` crate reads as `/`) or `@` anywhere could hide user info in what
    // parses as a path or a fragment; neither belongs in an API address.
    if text.contains('\\') {
        return Err(invalid(
            "the value has a `\\`, which no http or https address needs".to_owned(),
        ));
    }
    if text.contains('@') {
        return Err(invalid(format!(
            "`{}` has user info before `@`; give the credentials in {credentials} instead",
            shown(text)
        )));
    }
    if authority.is_empty() {
        return Err(invalid(format!("`{}` has no host", shown(text))));
    }
    let url = url::Url::parse(text)
        .map_err(|err| invalid(format!("`{}` is not a URL ({err})", shown(text))))?;
    if url.host().is_none() {
        return Err(invalid(format!("`{}` has no host", shown(text))));
    }
    Ok(url)
}

/// The authority of an http(s) URL as written, between `://` and the path, query or fragment.
/// The `url` crate reads `http:host`, `http:/host` and `http:///host` all as `http://host/`,
/// so an empty or missing authority can only be seen in the text.
fn written_authority(text: &str) -> Option<&str> {
    let (scheme, rest) = text.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// A URL as it may appear in a message or in debug output: whatever precedes its last `@`
/// (after the scheme) is masked, so a password never shows, wherever it ended up.
///
/// `@` is where user info ends; masking up to the last one also covers passwords that hold
/// `/`, `?` or `#` and so break the URL apart.
fn shown(value: &str) -> Cow<'_, str> {
    let Some(at) = value.rfind('@') else {
        return Cow::Borrowed(value);
    };
    let start = value[..at].find("://").map_or(0, |scheme| scheme + 3);
    Cow::Owned(format!("{}***{}", &value[..start], &value[at..]))
}

/// `CAMUNDA_REST_ADDRESS_EXACT` as Camunda's clients read it (`true`, `1`, `yes`, `on`), but
/// text that is neither true nor false, blank included, is an error rather than a silent
/// `false`.
fn exact_flag(value: Option<&str>) -> Result<bool, ConfigError> {
    let Some(value) = value else {
        return Ok(false);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        "" => Err(blank(REST_ADDRESS_EXACT)),
        _ => Err(ConfigError::Invalid {
            name: REST_ADDRESS_EXACT,
            reason: format!("`{value}` is not true or false"),
        }),
    }
}

/// The API base exactly as given (`CAMUNDA_REST_ADDRESS_EXACT`): only a trailing slash goes.
fn exact_base(address: &str, name: &'static str) -> Result<url::Url, ConfigError> {
    let (mut url, path) = cluster_address(address, name)?;
    url.set_path(&path);
    Ok(url)
}

/// The API base: the address with `/v2` appended unless it already ends with it.
fn api_base(address: &str, name: &'static str) -> Result<url::Url, ConfigError> {
    let (mut url, path) = cluster_address(address, name)?;
    if path.ends_with("/v2") {
        url.set_path(&path);
    } else {
        url.set_path(&format!("{path}/v2"));
    }
    Ok(url)
}

/// The cluster address and its path without a trailing slash. Endpoints are appended as path
/// segments, so a query or fragment could only end up in the wrong place: both are rejected.
fn cluster_address(address: &str, name: &'static str) -> Result<(url::Url, String), ConfigError> {
    let url = check_url(address, name, BASIC_CREDENTIALS)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::Invalid {
            name,
            // Not echoed: a query is where a token would go.
            reason: "the address has a query or fragment; give the cluster address without `?` \
                     or `#`"
                .to_owned(),
        });
    }
    let path = url.path().trim_end_matches('/').to_owned();
    Ok((url, path))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use clap::Parser;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        engine: EngineArgs,
    }

    #[test]
    fn an_exact_rest_address_is_used_as_given() {
        let address = ("CAMUNDA_REST_ADDRESS", "http://proxy:8000/camunda/api/");
        let resolve = |pairs: &[(&str, &str)]| EngineArgs::default().resolve_with(env(pairs));

        for truthy in ["true", "1", "YES", " on "] {
            let config = resolve(&[address, ("CAMUNDA_REST_ADDRESS_EXACT", truthy)]).unwrap();
            assert_eq!(
                config.rest_address.as_str(),
                "http://proxy:8000/camunda/api"
            );
        }
        for falsy in ["false", "0", "no", "off"] {
            let config = resolve(&[address, ("CAMUNDA_REST_ADDRESS_EXACT", falsy)]).unwrap();
            assert_eq!(
                config.rest_address.as_str(),
                "http://proxy:8000/camunda/api/v2"
            );
        }
        for neither in ["maybe", "", " "] {
            let err = resolve(&[address, ("CAMUNDA_REST_ADDRESS_EXACT", neither)]).unwrap_err();
            assert!(
                err.to_string().contains("CAMUNDA_REST_ADDRESS_EXACT"),
                "{err}"
            );
        }

        let cli = Cli::try_parse_from([
            "connectors",
            "--rest-address=http://h:1/",
            "--rest-address-exact",
        ])
        .unwrap();
        let config = cli.engine.resolve_with(env(&[])).unwrap();
        assert_eq!(config.rest_address.as_str(), "http://h:1/");
        let client = crate::engine::EngineClient::new(config).unwrap();
        assert_eq!(
            client.base_url().join("jobs").unwrap().as_str(),
            "http://h:1/jobs"
        );
    }

    #[test]
    fn defaults_to_an_unauthenticated_local_cluster() {
        let config = EngineArgs::default().resolve_with(env(&[])).unwrap();

        assert_eq!(config.rest_address.as_str(), "http://localhost:8080/v2");
        assert_eq!(config.auth, Auth::None);
    }

    #[test]
    fn appends_v2_only_when_missing() {
        for (given, expected) in [
            ("http://h:8080", "http://h:8080/v2"),
            ("http://h:8080/", "http://h:8080/v2"),
            ("http://h:8080/v2", "http://h:8080/v2"),
            ("http://h:8080/v2/", "http://h:8080/v2"),
            (
                "https://bru-2.zeebe.camunda.io/abc",
                "https://bru-2.zeebe.camunda.io/abc/v2",
            ),
        ] {
            assert_eq!(api_base(given, "X").unwrap().as_str(), expected, "{given}");
        }
    }

    #[test]
    fn addresses_with_a_query_or_fragment_are_rejected_naming_the_variable() {
        for address in [
            "http://127.0.0.1:1/v2?x",
            "http://h:1/?a=b",
            "http://h:1/v2#top",
        ] {
            let err = EngineArgs::default()
                .resolve_with(env(&[("CAMUNDA_REST_ADDRESS", address)]))
                .unwrap_err();
            assert!(
                err.to_string().contains("CAMUNDA_REST_ADDRESS")
                    && err.to_string().contains("query"),
                "{address}: {err}"
            );
            assert!(EngineConfig::new(address).is_err(), "{address}");
        }
    }

    const PASSWORD: &str = "PASSMARKER77";

    /// Resolves with an OAuth client, so the token URL is read as well.
    fn resolve_oauth(pairs: &[(&str, &str)]) -> Result<EngineConfig, ConfigError> {
        let mut vars = vec![("CAMUNDA_CLIENT_ID", "i"), ("CAMUNDA_CLIENT_SECRET", "s")];
        vars.extend_from_slice(pairs);
        EngineArgs::default().resolve_with(env(&vars))
    }

    #[test]
    fn urls_with_user_info_are_rejected_without_repeating_it() {
        let urls = [
            "http://u:PASSMARKER77@127.0.0.1:18080",
            "HTTPS://u:PASSMARKER77@h/v2",
            "http://:PASSMARKER77@h",
            "http://PASSMARKER77@h",
            "http://@h",
            "http://u:PASSMARKER77@h@h",
        ];
        for url in urls {
            for (var, hint) in [
                ("CAMUNDA_REST_ADDRESS", "CAMUNDA_BASIC_AUTH_PASSWORD"),
                ("ZEEBE_REST_ADDRESS", "CAMUNDA_BASIC_AUTH_PASSWORD"),
                ("CAMUNDA_OAUTH_URL", "CAMUNDA_CLIENT_SECRET"),
                ("ZEEBE_AUTHORIZATION_SERVER_URL", "CAMUNDA_CLIENT_SECRET"),
            ] {
                let err = resolve_oauth(&[(var, url)]).unwrap_err().to_string();
                assert!(
                    err.starts_with(&format!("invalid {var}: ")) && err.contains(hint),
                    "{var}={url}: {err}"
                );
                assert!(!err.contains(PASSWORD), "{err}");
            }
            let err = EngineConfig::new(url).unwrap_err().to_string();
            assert!(
                !err.contains(PASSWORD) && err.contains("user info"),
                "{err}"
            );
        }

        let hidden = [
            r"http://localhost:1\PASSMARKER77@127.0.0.1:18080",
            r"http://h/x\PASSMARKER77",
            "http://localhost:1#PASSMARKER77@kc.example/token",
            "http://h/PASSMARKER77@x",
            "PASSMARKER77",
        ];
        for url in hidden {
            for var in ["CAMUNDA_REST_ADDRESS", "CAMUNDA_OAUTH_URL"] {
                let err = resolve_oauth(&[(var, url)]).unwrap_err().to_string();
                assert!(err.starts_with(&format!("invalid {var}: ")), "{err}");
                assert!(!err.contains(PASSWORD), "{var}={url}: {err}");
            }
        }

        let cli = Cli::try_parse_from(["x", "--rest-address", urls[0]]).unwrap();
        let err = cli.engine.resolve_with(env(&[])).unwrap_err().to_string();
        assert!(
            err.starts_with("invalid --rest-address") && !err.contains(PASSWORD),
            "{err}"
        );
    }

    #[test]
    fn malformed_urls_never_show_a_password() {
        for url in [
            "http://u:QQ17/ZZ42@h",
            "http://u:QQ17?ZZ42@h",
            "http://u:QQ17#ZZ42@h",
            "http://u:QQ17ZZ42@h:99999",
            "http://u:QQ17ZZ42@[::1",
            "u:QQ17ZZ42@h:8080",
            "u:QQ17ZZ42@h://x",
            "ftp://u:QQ17ZZ42@h",
            "http:\\\\u:QQ17ZZ42@h",
        ] {
            for var in ["CAMUNDA_REST_ADDRESS", "CAMUNDA_OAUTH_URL"] {
                let err = resolve_oauth(&[(var, url)]).unwrap_err().to_string();
                assert!(err.contains(var), "{var}={url}: {err}");
                assert!(!err.contains("QQ17") && !err.contains("ZZ42"), "{err}");
            }
        }
    }

    #[test]
    fn debug_output_masks_user_info_in_urls() {
        let args = EngineArgs {
            rest_address: Some("http://u:PASSMARKER77@h".into()),
            oauth_url: Some("http://u:PASSMARKER77@h/t".into()),
            ..EngineArgs::default()
        };

        let printed = format!("{args:?}");
        assert!(
            !printed.contains(PASSWORD) && printed.contains("http://***@h/t"),
            "{printed}"
        );
    }

    #[test]
    fn urls_without_a_host_as_written_are_rejected() {
        for url in [
            "http:///v2",
            "http://",
            "https:///",
            "http://?x",
            "http://#x",
            "http:/h",
            "http:h",
            "http:\\\\h",
            "http://:8080",
        ] {
            for var in ["CAMUNDA_REST_ADDRESS", "CAMUNDA_OAUTH_URL"] {
                let err = resolve_oauth(&[(var, url)]).unwrap_err().to_string();
                assert!(
                    err.starts_with(&format!("invalid {var}: ")),
                    "{var}={url}: {err}"
                );
            }
            assert!(EngineConfig::new(url).is_err(), "{url}");
        }
    }

    #[test]
    fn flags_win_over_camunda_names_which_win_over_zeebe_names() {
        let vars = env(&[
            ("CAMUNDA_REST_ADDRESS", "http://camunda:1"),
            ("ZEEBE_REST_ADDRESS", "http://zeebe:2"),
        ]);
        let from_env = EngineArgs::default().resolve_with(&vars).unwrap();
        let from_flag = Cli::try_parse_from(["x", "--rest-address", "http://flag:3"]).unwrap();
        let zeebe_only = EngineArgs::default()
            .resolve_with(env(&[("ZEEBE_REST_ADDRESS", "http://zeebe:2")]))
            .unwrap();

        assert_eq!(from_env.rest_address.as_str(), "http://camunda:1/v2");
        assert_eq!(
            from_flag
                .engine
                .resolve_with(&vars)
                .unwrap()
                .rest_address
                .as_str(),
            "http://flag:3/v2"
        );
        assert_eq!(zeebe_only.rest_address.as_str(), "http://zeebe:2/v2");
    }

    #[test]
    fn errors_name_the_fallback_variable_the_value_came_from() {
        let oauth = [("ZEEBE_CLIENT_ID", "id"), ("ZEEBE_CLIENT_SECRET", "s")];
        let cases: [(&[(&str, &str)], &str); 4] = [
            (&[("ZEEBE_REST_ADDRESS", "nonsense")], "ZEEBE_REST_ADDRESS"),
            (
                &[
                    ("ZEEBE_AUTHORIZATION_SERVER_URL", "nonsense"),
                    oauth[0],
                    oauth[1],
                ],
                "ZEEBE_AUTHORIZATION_SERVER_URL",
            ),
            (
                &[
                    ("CAMUNDA_CLIENT_AUTH_CLIENTID", "id"),
                    ("CAMUNDA_OAUTH_URL", "ftp://h/t"),
                ],
                "CAMUNDA_OAUTH_URL",
            ),
            (
                &[("CAMUNDA_AUTH_STRATEGY", "token")],
                "CAMUNDA_AUTH_STRATEGY",
            ),
        ];
        for (vars, name) in cases {
            let err = EngineArgs::default().resolve_with(env(vars)).unwrap_err();
            let text = err.to_string();
            assert!(text.starts_with(&format!("invalid {name}: ")), "{text}");
            assert!(!text.contains("--"), "no flag was given: {text}");
        }
    }

    #[test]
    fn errors_name_the_flag_when_a_flag_gave_the_value() {
        let camunda = env(&[
            ("CAMUNDA_REST_ADDRESS", "http://h:1"),
            ("CAMUNDA_OAUTH_URL", "http://h/t"),
            ("CAMUNDA_AUTH_STRATEGY", "NONE"),
        ]);
        for (flag, value) in [
            ("--rest-address", "nonsense"),
            ("--oauth-url", "nonsense"),
            ("--auth-strategy", "token"),
        ] {
            let cli = Cli::try_parse_from(["x", flag, value, "--client-id=i"]).unwrap();
            let mut engine = cli.engine;
            engine.client_secret = Some("s".into());
            if flag != "--auth-strategy" {
                engine.auth_strategy = Some("OAUTH".into());
            }
            let err = engine.resolve_with(&camunda).unwrap_err().to_string();
            assert!(
                err.starts_with(&format!("invalid {flag} (CAMUNDA_")),
                "{err}"
            );
        }
    }

    #[test]
    fn a_blank_setting_is_an_error_naming_where_it_came_from() {
        let names = [
            (
                "--rest-address",
                "CAMUNDA_REST_ADDRESS",
                "ZEEBE_REST_ADDRESS",
            ),
            (
                "--auth-strategy",
                "CAMUNDA_AUTH_STRATEGY",
                "CAMUNDA_AUTH_STRATEGY",
            ),
            ("--client-id", "CAMUNDA_CLIENT_ID", "ZEEBE_CLIENT_ID"),
            (
                "--client-secret",
                "CAMUNDA_CLIENT_SECRET",
                "ZEEBE_CLIENT_SECRET",
            ),
            (
                "--oauth-url",
                "CAMUNDA_OAUTH_URL",
                "ZEEBE_AUTHORIZATION_SERVER_URL",
            ),
            (
                "--token-audience",
                "CAMUNDA_TOKEN_AUDIENCE",
                "ZEEBE_TOKEN_AUDIENCE",
            ),
            (
                "--token-scope",
                "CAMUNDA_TOKEN_SCOPE",
                "CAMUNDA_OAUTH_SCOPE",
            ),
            (
                "--basic-auth-username",
                "CAMUNDA_BASIC_AUTH_USERNAME",
                "CAMUNDA_BASIC_AUTH_USERNAME",
            ),
            (
                "--basic-auth-password",
                "CAMUNDA_BASIC_AUTH_PASSWORD",
                "CAMUNDA_BASIC_AUTH_PASSWORD",
            ),
            ("--cluster-id", "CAMUNDA_CLUSTER_ID", "CAMUNDA_CLUSTER_ID"),
            (
                "--cluster-region",
                "CAMUNDA_CLUSTER_REGION",
                "CAMUNDA_CLUSTER_REGION",
            ),
        ];
        for (flag, var, fallback) in names {
            for value in ["", "  "] {
                let from_var = EngineArgs::default().resolve_with(env(&[(var, value)]));
                let from_fallback = EngineArgs::default().resolve_with(env(&[(fallback, value)]));
                let cli = Cli::try_parse_from(["x", &format!("{flag}={value}")]).unwrap();
                let from_flag = cli.engine.resolve_with(env(&[]));

                for (result, name) in [
                    (from_var, var),
                    (from_fallback, fallback),
                    (from_flag, flag),
                ] {
                    let err = result.unwrap_err().to_string();
                    assert!(
                        err.starts_with(&format!("invalid {name}")) && err.contains("blank"),
                        "{name}={value:?}: {err}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_blank_primary_variable_does_not_fall_back_silently() {
        let err = EngineArgs::default()
            .resolve_with(env(&[
                ("CAMUNDA_REST_ADDRESS", ""),
                ("ZEEBE_REST_ADDRESS", "http://zeebe:2"),
            ]))
            .unwrap_err();

        assert!(
            err.to_string().starts_with("invalid CAMUNDA_REST_ADDRESS"),
            "{err}"
        );
    }

    /// Were clap to fill a field from a variable, the value would look as if a flag gave it.
    #[test]
    fn clap_leaves_the_variables_to_resolve() {
        use clap::CommandFactory;

        let command = Cli::command();
        let from_env: Vec<_> = command
            .get_arguments()
            .filter(|arg| arg.get_env().is_some())
            .map(|arg| arg.get_id().to_string())
            .collect();
        assert!(from_env.is_empty(), "{from_env:?}");
    }

    #[test]
    fn oauth_is_inferred_from_client_credentials_with_scope_from_either_name() {
        let config = EngineArgs::default()
            .resolve_with(env(&[
                ("CAMUNDA_CLIENT_ID", "id"),
                ("CAMUNDA_CLIENT_SECRET", "secret"),
                ("CAMUNDA_OAUTH_URL", "http://127.0.0.1:9/token"),
                ("CAMUNDA_TOKEN_AUDIENCE", "aud"),
                ("CAMUNDA_OAUTH_SCOPE", "scope-1"),
            ]))
            .unwrap();

        let Auth::OAuth(oauth) = config.auth else {
            panic!("expected OAuth")
        };
        assert_eq!(oauth.client_secret.expose(), "secret");
        assert_eq!(oauth.audience.as_deref(), Some("aud"));
        assert_eq!(oauth.scope.as_deref(), Some("scope-1"));
    }

    #[test]
    fn saas_cluster_ids_give_the_saas_address_token_url_and_audience() {
        let config = EngineArgs::default()
            .resolve_with(env(&[
                ("CAMUNDA_CLUSTER_ID", "c1"),
                ("CAMUNDA_CLUSTER_REGION", "bru-2"),
                ("CAMUNDA_CLIENT_ID", "id"),
                ("CAMUNDA_CLIENT_SECRET", "s"),
            ]))
            .unwrap();

        let Auth::OAuth(oauth) = config.auth else {
            panic!("expected OAuth")
        };
        assert_eq!(
            config.rest_address.as_str(),
            "https://bru-2.zeebe.camunda.io/c1/v2"
        );
        assert_eq!(oauth.token_url, SAAS_OAUTH_URL);
        assert_eq!(oauth.audience.as_deref(), Some(SAAS_TOKEN_AUDIENCE));
    }

    #[test]
    fn bad_cluster_ids_and_regions_are_rejected_naming_their_own_setting() {
        let good_id = ("CAMUNDA_CLUSTER_ID", "7d8f6a2b-1c3e-4f5a-9b8c-0d1e2f3a4b5c");
        let good_region = ("CAMUNDA_CLUSTER_REGION", "bru-2");
        let long_id = "a".repeat(65);
        let long_region = "a".repeat(64);
        let bad_regions = [
            "a#b",
            "a.b",
            "a/b",
            "u@h",
            "-bru",
            "bru-",
            "br u",
            &long_region,
        ];
        let bad_ids = ["a#b", "a/b", "..", "a?b", "a b", "x@y", &long_id];

        for region in bad_regions {
            let err = resolve_oauth(&[good_id, ("CAMUNDA_CLUSTER_REGION", region)])
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("invalid CAMUNDA_CLUSTER_REGION: ") && !err.contains("https://"),
                "{region}: {err}"
            );
        }
        for id in bad_ids {
            let err = resolve_oauth(&[("CAMUNDA_CLUSTER_ID", id), good_region])
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("invalid CAMUNDA_CLUSTER_ID: "),
                "{id}: {err}"
            );
        }

        let cli = Cli::try_parse_from(["x", "--cluster-region=a#b", "--cluster-id=c1"]).unwrap();
        let err = cli.engine.resolve_with(env(&[])).unwrap_err().to_string();
        assert!(err.starts_with("invalid --cluster-region"), "{err}");

        let address = ("CAMUNDA_REST_ADDRESS", "http://h:1");
        let unused = resolve_oauth(&[address, ("CAMUNDA_CLUSTER_REGION", "a#b")]).unwrap_err();
        assert!(
            unused.to_string().contains("CAMUNDA_CLUSTER_REGION"),
            "{unused}"
        );

        let config = resolve_oauth(&[("CAMUNDA_CLUSTER_ID", " c_1-X "), good_region]).unwrap();
        assert_eq!(
            config.rest_address.as_str(),
            "https://bru-2.zeebe.camunda.io/c_1-X/v2"
        );
    }

    #[test]
    fn basic_auth_from_username_and_password() {
        let config = EngineArgs::default()
            .resolve_with(env(&[
                ("CAMUNDA_BASIC_AUTH_USERNAME", "demo"),
                ("CAMUNDA_BASIC_AUTH_PASSWORD", "pw"),
            ]))
            .unwrap();

        assert!(matches!(config.auth, Auth::Basic { ref username, .. } if username == "demo"));
    }

    #[test]
    fn bad_settings_name_their_variable() {
        let cases: [(&[(&str, &str)], &str); 5] = [
            (
                &[("CAMUNDA_REST_ADDRESS", "localhost:8080")],
                "CAMUNDA_REST_ADDRESS",
            ),
            (
                &[("CAMUNDA_AUTH_STRATEGY", "token")],
                "CAMUNDA_AUTH_STRATEGY",
            ),
            (
                &[("CAMUNDA_CLIENT_ID", "id"), ("CAMUNDA_CLIENT_SECRET", "s")],
                "CAMUNDA_OAUTH_URL",
            ),
            (
                &[
                    ("CAMUNDA_AUTH_STRATEGY", "oauth"),
                    ("CAMUNDA_OAUTH_URL", "http://h/t"),
                ],
                "CAMUNDA_CLIENT_ID",
            ),
            (
                &[("CAMUNDA_BASIC_AUTH_USERNAME", "u")],
                "CAMUNDA_BASIC_AUTH_PASSWORD",
            ),
        ];
        for (vars, name) in cases {
            let err = EngineArgs::default().resolve_with(env(vars)).unwrap_err();
            assert!(err.to_string().contains(name), "{err} should name {name}");
        }
    }

    #[test]
    fn debug_output_redacts_secrets() {
        let args = EngineArgs {
            client_secret: Some("topsecret".into()),
            basic_auth_password: Some("pw-123".into()),
            ..EngineArgs::default()
        };
        let config = args
            .resolve_with(env(&[
                ("CAMUNDA_OAUTH_URL", "http://h/t"),
                ("CAMUNDA_CLIENT_ID", "i"),
            ]))
            .unwrap();

        let printed = format!("{args:?} {config:?}");
        assert!(
            !printed.contains("topsecret") && !printed.contains("pw-123"),
            "{printed}"
        );
    }
}
