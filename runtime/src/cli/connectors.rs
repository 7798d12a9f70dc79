//! The connectors a binary serves, found by job type.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use camunda_connector_sdk::outbound::DynOutboundConnector;

/// The connectors a binary serves: `invoke` finds a job's connector here by job type,
/// `templates` writes each one's element template and `run` starts a worker for each.
///
/// Connectors keep the order they were added in.
///
/// ```
/// use camunda_connector_runtime::cli::Connectors;
/// use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
/// use serde_json::Value;
///
/// struct Echo;
///
/// #[async_trait]
/// impl OutboundConnector for Echo {
///     const NAME: &'static str = "echo";
///     const TYPE: &'static str = "io.example:echo:1";
///     type Input = Value;
///     type Output = Value;
///
///     async fn execute(&self, input: Value, _: &OutboundContext) -> Result<Value, ConnectorError> {
///         Ok(input)
///     }
/// }
///
/// let connectors = Connectors::new().with(Echo);
/// assert_eq!(connectors.job_types(), ["io.example:echo:1"]);
/// assert_eq!(connectors.find("io.example:echo:1").unwrap().metadata().name, "echo");
/// assert!(connectors.find("io.example:other:1").is_none());
/// ```
#[derive(Clone, Default)]
pub struct Connectors {
    connectors: Vec<Arc<dyn DynOutboundConnector>>,
}

impl Connectors {
    /// No connectors yet.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert!(Connectors::new().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a connector: any [`OutboundConnector`](camunda_connector_sdk::OutboundConnector).
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// # use camunda_connector_sdk::{async_trait, ConnectorError, OutboundConnector, OutboundContext};
    /// # struct Echo;
    /// # #[async_trait]
    /// # impl OutboundConnector for Echo {
    /// #     const NAME: &'static str = "echo";
    /// #     const TYPE: &'static str = "io.example:echo:1";
    /// #     type Input = serde_json::Value;
    /// #     type Output = serde_json::Value;
    /// #     async fn execute(&self, i: serde_json::Value, _: &OutboundContext) -> Result<serde_json::Value, ConnectorError> { Ok(i) }
    /// # }
    /// assert_eq!(Connectors::new().with(Echo).len(), 1);
    /// ```
    #[must_use]
    pub fn with(self, connector: impl DynOutboundConnector) -> Self {
        self.with_shared(Arc::new(connector))
    }

    /// Adds a connector that is already shared, such as one a worker holds too.
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use camunda_connector_runtime::cli::Connectors;
    /// # use camunda_connector_sdk::outbound::DynOutboundConnector;
    /// fn serve(shared: Vec<Arc<dyn DynOutboundConnector>>) -> Connectors {
    ///     shared.into_iter().fold(Connectors::new(), Connectors::with_shared)
    /// }
    /// assert!(serve(Vec::new()).is_empty());
    /// ```
    #[must_use]
    pub fn with_shared(mut self, connector: Arc<dyn DynOutboundConnector>) -> Self {
        self.connectors.push(connector);
        self
    }

    /// The connector that handles `job_type`; the first one added when several claim it.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert!(Connectors::new().find("io.example:echo:1").is_none());
    /// ```
    pub fn find(&self, job_type: &str) -> Option<&dyn DynOutboundConnector> {
        self.connectors
            .iter()
            .find(|connector| connector.metadata().job_type == job_type)
            .map(|connector| &**connector)
    }

    /// The job types, in the order the connectors were added.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert!(Connectors::new().job_types().is_empty());
    /// ```
    pub fn job_types(&self) -> Vec<String> {
        self.connectors
            .iter()
            .map(|connector| connector.metadata().job_type)
            .collect()
    }

    /// Every connector, in the order they were added.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert_eq!(Connectors::new().iter().count(), 0);
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, Arc<dyn DynOutboundConnector>> {
        self.connectors.iter()
    }

    /// How many connectors there are.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert_eq!(Connectors::new().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.connectors.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// # use camunda_connector_runtime::cli::Connectors;
    /// assert!(Connectors::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.connectors.is_empty()
    }

    /// The first job type that two connectors claim.
    pub(crate) fn duplicate_job_type(&self) -> Option<String> {
        let mut seen = BTreeSet::new();
        self.job_types()
            .into_iter()
            .find(|job_type| !seen.insert(job_type.clone()))
    }
}

impl<'a> IntoIterator for &'a Connectors {
    type Item = &'a Arc<dyn DynOutboundConnector>;
    type IntoIter = std::slice::Iter<'a, Arc<dyn DynOutboundConnector>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl fmt::Debug for Connectors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connectors")
            .field("job_types", &self.job_types())
            .finish()
    }
}
