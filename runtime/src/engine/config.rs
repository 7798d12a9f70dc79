//! Where the engine is and how to authenticate: command-line flags, then `CAMUNDA_*`
//! environment variables, then the legacy `ZEEBE_*` names.

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
        /// The variable (and flag) that holds the value.
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
/// [`resolve`](Self::resolve).
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
    /// The REST address of the cluster [fallback: ZEEBE_REST_ADDRESS; default
    /// http://localhost:8080, or the SaaS address when a cluster id is set]
    #[arg(long, env = "CAMUNDA_REST_ADDRESS", value_name = "URL")]
    pub rest_address: Option<String>,
    /// Use the REST address exactly as given, without appending /v2 (for a proxy that maps
    /// the API elsewhere) [env: CAMUNDA_REST_ADDRESS_EXACT=true|false]
    #[arg(long)]
    pub rest_address_exact: bool,
    /// OAUTH, BASIC or NONE [default: inferred from the credentials present]
    #[arg(long, env = "CAMUNDA_AUTH_STRATEGY", value_name = "STRATEGY")]
    pub auth_strategy: Option<String>,
    /// The OAuth client id [fallbacks: CAMUNDA_CLIENT_AUTH_CLIENTID, ZEEBE_CLIENT_ID]
    #[arg(long, env = "CAMUNDA_CLIENT_ID", value_name = "ID")]
    pub client_id: Option<String>,
    /// The OAuth client secret [fallbacks: CAMUNDA_CLIENT_AUTH_CLIENTSECRET, ZEEBE_CLIENT_SECRET]
    #[arg(
        long,
        env = "CAMUNDA_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// The OAuth token endpoint [fallback: ZEEBE_AUTHORIZATION_SERVER_URL]
    #[arg(long, env = "CAMUNDA_OAUTH_URL", value_name = "URL")]
    pub oauth_url: Option<String>,
    /// The token audience [fallback: ZEEBE_TOKEN_AUDIENCE]
    #[arg(long, env = "CAMUNDA_TOKEN_AUDIENCE", value_name = "AUDIENCE")]
    pub token_audience: Option<String>,
    /// The token scope [fallback: CAMUNDA_OAUTH_SCOPE]
    #[arg(long, env = "CAMUNDA_TOKEN_SCOPE", value_name = "SCOPE")]
    pub token_scope: Option<String>,
    /// The basic-auth user name
    #[arg(long, env = "CAMUNDA_BASIC_AUTH_USERNAME", value_name = "USER")]
    pub basic_auth_username: Option<String>,
    /// The basic-auth password
    #[arg(
        long,
        env = "CAMUNDA_BASIC_AUTH_PASSWORD",
        value_name = "PASSWORD",
        hide_env_values = true
    )]
    pub basic_auth_password: Option<String>,
    /// The SaaS cluster id
    #[arg(long, env = "CAMUNDA_CLUSTER_ID", value_name = "ID")]
    pub cluster_id: Option<String>,
    /// The SaaS cluster region, such as bru-2
    #[arg(long, env = "CAMUNDA_CLUSTER_REGION", value_name = "REGION")]
    pub cluster_region: Option<String>,
}

impl std::fmt::Debug for EngineArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineArgs")
            .field("rest_address", &self.rest_address)
            .field("rest_address_exact", &self.rest_address_exact)
            .field("auth_strategy", &self.auth_strategy)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("oauth_url", &self.oauth_url)
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
    /// [`ConfigError::Invalid`] when `address` is not an http(s) URL.
    ///
    /// ```
    /// # use camunda_connector_runtime::engine::EngineConfig;
    /// assert!(EngineConfig::new("not a url").is_err());
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
        let get = |flag: &Option<String>, names: &[&str]| {
            flag.clone()
                .or_else(|| names.iter().find_map(|name| lookup(name)))
                .filter(|value| !value.trim().is_empty())
        };
        let exact = match self.rest_address_exact {
            true => true,
            false => exact_flag(lookup("CAMUNDA_REST_ADDRESS_EXACT").as_deref())?,
        };
        let settings = Settings {
            address: get(
                &self.rest_address,
                &["CAMUNDA_REST_ADDRESS", "ZEEBE_REST_ADDRESS"],
            ),
            exact,
            strategy: get(&self.auth_strategy, &["CAMUNDA_AUTH_STRATEGY"]),
            client_id: get(
                &self.client_id,
                &[
                    "CAMUNDA_CLIENT_ID",
                    "CAMUNDA_CLIENT_AUTH_CLIENTID",
                    "ZEEBE_CLIENT_ID",
                ],
            ),
            client_secret: get(
                &self.client_secret,
                &[
                    "CAMUNDA_CLIENT_SECRET",
                    "CAMUNDA_CLIENT_AUTH_CLIENTSECRET",
                    "ZEEBE_CLIENT_SECRET",
                ],
            ),
            oauth_url: get(
                &self.oauth_url,
                &["CAMUNDA_OAUTH_URL", "ZEEBE_AUTHORIZATION_SERVER_URL"],
            ),
            audience: get(
                &self.token_audience,
                &["CAMUNDA_TOKEN_AUDIENCE", "ZEEBE_TOKEN_AUDIENCE"],
            ),
            scope: get(
                &self.token_scope,
                &["CAMUNDA_TOKEN_SCOPE", "CAMUNDA_OAUTH_SCOPE"],
            ),
            username: get(&self.basic_auth_username, &["CAMUNDA_BASIC_AUTH_USERNAME"]),
            password: get(&self.basic_auth_password, &["CAMUNDA_BASIC_AUTH_PASSWORD"]),
            cluster_id: get(&self.cluster_id, &["CAMUNDA_CLUSTER_ID"]),
            region: get(&self.cluster_region, &["CAMUNDA_CLUSTER_REGION"]),
        };
        settings.resolve()
    }
}

struct Settings {
    address: Option<String>,
    exact: bool,
    strategy: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    oauth_url: Option<String>,
    audience: Option<String>,
    scope: Option<String>,
    username: Option<String>,
    password: Option<String>,
    cluster_id: Option<String>,
    region: Option<String>,
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
            (Some(address), _) => (address.as_str(), "CAMUNDA_REST_ADDRESS"),
            (None, Some(saas)) => (saas.as_str(), "CAMUNDA_CLUSTER_ID"),
            (None, None) => (DEFAULT_REST_ADDRESS, "CAMUNDA_REST_ADDRESS"),
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

    fn saas_address(&self) -> Result<Option<String>, ConfigError> {
        match (&self.cluster_id, &self.region) {
            (Some(id), Some(region)) => Ok(Some(format!("https://{region}.zeebe.camunda.io/{id}"))),
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
        match strategy.trim().to_ascii_uppercase().as_str() {
            "NONE" => Ok(Strategy::None),
            "BASIC" => Ok(Strategy::Basic),
            "OAUTH" => Ok(Strategy::OAuth),
            _ => Err(ConfigError::Invalid {
                name: "CAMUNDA_AUTH_STRATEGY",
                reason: format!("`{}` is not one of OAUTH, BASIC, NONE", strategy.trim()),
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
            (Some(url), _) => url.clone(),
            (None, true) => SAAS_OAUTH_URL.to_owned(),
            (None, false) => {
                return Err(ConfigError::Missing {
                    name: "CAMUNDA_OAUTH_URL",
                    reason,
                });
            }
        };
        check_url(&token_url, "CAMUNDA_OAUTH_URL")?;
        let audience = self
            .audience
            .clone()
            .or_else(|| saas.then(|| SAAS_TOKEN_AUDIENCE.to_owned()));

        Ok(Auth::OAuth(OAuthConfig {
            token_url,
            client_id: required(&self.client_id, "CAMUNDA_CLIENT_ID", reason)?,
            client_secret: Secret::new(required(
                &self.client_secret,
                "CAMUNDA_CLIENT_SECRET",
                reason,
            )?),
            audience,
            scope: self.scope.clone(),
            request_timeout: super::auth::TOKEN_REQUEST_TIMEOUT,
        }))
    }
}

fn required(
    value: &Option<String>,
    name: &'static str,
    reason: &'static str,
) -> Result<String, ConfigError> {
    value.clone().ok_or(ConfigError::Missing { name, reason })
}

fn check_url(value: &str, name: &'static str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(value.trim()).map_err(|err| ConfigError::Invalid {
        name,
        reason: format!("`{value}` is not a URL ({err})"),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(ConfigError::Invalid {
            name,
            reason: format!("`{value}` is not an http or https URL"),
        });
    }
    Ok(url)
}

/// `CAMUNDA_REST_ADDRESS_EXACT` as Camunda's clients read it (`true`, `1`, `yes`, `on`), but
/// text that is neither true nor false is an error rather than a silent `false`.
fn exact_flag(value: Option<&str>) -> Result<bool, ConfigError> {
    let Some(value) = value else {
        return Ok(false);
    };
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "" | "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::Invalid {
            name: "CAMUNDA_REST_ADDRESS_EXACT",
            reason: format!("`{value}` is not true or false"),
        }),
    }
}

/// The API base exactly as given (`CAMUNDA_REST_ADDRESS_EXACT`): only a trailing slash goes.
fn exact_base(address: &str, name: &'static str) -> Result<url::Url, ConfigError> {
    let mut url = api_base(address, name)?;
    let path = check_url(address, name)?
        .path()
        .trim_end_matches('/')
        .to_owned();
    url.set_path(&path);
    Ok(url)
}

/// The API base: the address with `/v2` appended unless it already ends with it.
/// Endpoints are appended as path segments, so a query or fragment could only end up in the
/// wrong place: both are rejected.
fn api_base(address: &str, name: &'static str) -> Result<url::Url, ConfigError> {
    let mut url = check_url(address, name)?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::Invalid {
            name,
            reason: format!(
                "`{address}` has a query or fragment; give the cluster address without `?` or `#`"
            ),
        });
    }
    let path = url.path().trim_end_matches('/').to_owned();
    if path.ends_with("/v2") {
        url.set_path(&path);
    } else {
        url.set_path(&format!("{path}/v2"));
    }
    Ok(url)
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
        for falsy in ["false", "0", "no", "off", ""] {
            let config = resolve(&[address, ("CAMUNDA_REST_ADDRESS_EXACT", falsy)]).unwrap();
            assert_eq!(
                config.rest_address.as_str(),
                "http://proxy:8000/camunda/api/v2"
            );
        }
        let err = resolve(&[address, ("CAMUNDA_REST_ADDRESS_EXACT", "maybe")]).unwrap_err();
        assert!(
            err.to_string().contains("CAMUNDA_REST_ADDRESS_EXACT"),
            "{err}"
        );

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
