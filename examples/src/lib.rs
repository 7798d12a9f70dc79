//! Real connectors built with `camunda-connector-sdk`, and what the `connectors` binary runs.
//!
//! - [`http_json`]: Camunda's REST connector (`io.camunda:http-json:1`), compatible with jobs
//!   and models made with the official element template;
//! - [`graphql`]: Camunda's GraphQL connector (`io.camunda:connector-graphql:1`);
//! - [`http`]: the HTTP machinery both share.
//!
//! ```text
//! cargo run -p examples -- demo                         # every connector against a local server
//! cargo run -p examples -- invoke --job examples/jobs/http-json-unreachable.json
//! cargo run -p examples -- templates --out target/templates
//! cargo run -p examples -- run --help                   # as job workers against Camunda 8
//! ```

#![doc(test(attr(deny(warnings))))]

pub mod demo;
pub mod graphql;
pub mod http;
pub mod http_json;

use std::sync::Arc;

use camunda_connector_sdk::outbound::DynOutboundConnector;

/// The element template of every example connector, with the connector's name.
///
/// ```
/// let templates = example_connectors::templates();
/// assert_eq!(templates.len(), example_connectors::Registry::new().connectors().len());
/// ```
pub fn templates() -> Vec<(
    &'static str,
    Result<
        camunda_connector_sdk::template::ElementTemplate,
        camunda_connector_sdk::template::TemplateError,
    >,
)> {
    use camunda_connector_sdk::OutboundConnector;
    use camunda_connector_sdk::template::outbound_template;

    vec![
        (
            http_json::HttpJsonConnector::NAME,
            outbound_template::<http_json::HttpJsonConnector>(),
        ),
        (
            graphql::GraphQlConnector::NAME,
            outbound_template::<graphql::GraphQlConnector>(),
        ),
    ]
}

/// Every example connector, found by job type.
///
/// ```
/// use example_connectors::Registry;
/// let registry = Registry::new();
/// assert!(registry.find("io.camunda:http-json:1").is_some());
/// assert!(registry.find("io.example:unknown:1").is_none());
/// ```
#[derive(Clone)]
pub struct Registry {
    connectors: Vec<Arc<dyn DynOutboundConnector>>,
}

impl Registry {
    /// The registry of every example connector.
    pub fn new() -> Self {
        Registry {
            connectors: vec![
                Arc::new(http_json::HttpJsonConnector::new()),
                Arc::new(graphql::GraphQlConnector::new()),
            ],
        }
    }

    /// The connector that handles `job_type`.
    pub fn find(&self, job_type: &str) -> Option<&dyn DynOutboundConnector> {
        self.connectors
            .iter()
            .find(|c| c.metadata().job_type == job_type)
            .map(|c| &**c)
    }

    /// Every connector, for a worker that subscribes to all of them.
    pub fn connectors(&self) -> &[Arc<dyn DynOutboundConnector>] {
        &self.connectors
    }

    /// The job types, in registration order.
    ///
    /// ```
    /// # use example_connectors::Registry;
    /// assert_eq!(Registry::new().job_types()[1], "io.camunda:connector-graphql:1");
    /// ```
    pub fn job_types(&self) -> Vec<String> {
        self.connectors
            .iter()
            .map(|c| c.metadata().job_type)
            .collect()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("job_types", &self.job_types())
            .finish()
    }
}
