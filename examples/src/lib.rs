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

use camunda_connector_runtime::cli::Connectors;

/// Every example connector, for the `connectors` binary and the tests.
///
/// ```
/// let connectors = example_connectors::connectors();
/// assert!(connectors.find("io.camunda:http-json:1").is_some());
/// assert_eq!(connectors.job_types()[1], "io.camunda:connector-graphql:1");
/// ```
pub fn connectors() -> Connectors {
    Connectors::new()
        .with(http_json::HttpJsonConnector::new())
        .with(graphql::GraphQlConnector::new())
}
