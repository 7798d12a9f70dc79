//! The template of an outbound connector: its input's properties plus the fixed tail every
//! outbound template ends with.

use serde_json::Value;

use super::InputTemplate;
use super::build::{self, BindingKind};
use super::error::{TemplateError, TemplateProblem};
use super::model::{Binding, ElementTemplate, Engines, FeelMode, Group, Property, PropertyType};
use super::spec::TemplateMetadata;
use crate::outbound::OutboundConnector;

/// The element template of the outbound connector `C`.
///
/// The template's metadata and the connector's own properties come from `C::Input` (its
/// `#[derive(ConnectorInput)]` attributes); the job type is `C::TYPE`. The template starts with
/// the hidden task-type property and ends with the fixed outbound tail: `version` and `id`
/// (group `connector`), `resultVariable` and `resultExpression` (group `output`),
/// `errorExpression` (group `error`), `retryCount`, `retryBackoff` and `jobTimeout` (group
/// `retries`).
///
/// # Errors
///
/// [`TemplateError::MissingMetadata`] when the input type has no template id and name, and
/// [`TemplateError::Invalid`] listing every problem found (unknown condition targets,
/// undeclared or unused groups, duplicate ids, defaults that do not fit, ...).
///
/// # Examples
///
/// ```
/// use camunda_connector_sdk::{ConnectorError, ConnectorInput, OutboundConnector, OutboundContext, async_trait};
/// use camunda_connector_sdk::template::outbound_template;
///
/// #[derive(serde::Deserialize, ConnectorInput)]
/// #[template(id = "io.example.greet.v1", name = "Greet", version = 1)]
/// struct Greeting {
///     /// Who to greet.
///     #[validate(not_empty)]
///     name: String,
/// }
///
/// struct Greet;
///
/// #[async_trait]
/// impl OutboundConnector for Greet {
///     const NAME: &'static str = "greet";
///     const TYPE: &'static str = "io.example:greet:1";
///     type Input = Greeting;
///     type Output = String;
///     async fn execute(&self, input: Greeting, _: &OutboundContext) -> Result<String, ConnectorError> {
///         Ok(format!("hello {}", input.name))
///     }
/// }
///
/// let template = outbound_template::<Greet>().unwrap();
/// assert_eq!(template.properties[0].value, Some("io.example:greet:1".into()));
/// assert_eq!(template.property("name").unwrap().description.as_deref(), Some("Who to greet."));
/// assert_eq!(template.properties.last().unwrap().id.as_deref(), Some("jobTimeout"));
/// ```
pub fn outbound_template<C: OutboundConnector>() -> Result<ElementTemplate, TemplateError> {
    let meta = <C::Input as InputTemplate>::metadata().ok_or(TemplateError::MissingMetadata {
        type_name: std::any::type_name::<C::Input>(),
    })?;
    build_outbound(&meta, C::TYPE, |problems| {
        build::properties_of::<C::Input>(BindingKind::Input, problems)
    })
}

/// Assembles an outbound template from metadata, a job type and the connector's properties.
pub(crate) fn build_outbound(
    meta: &TemplateMetadata,
    job_type: &str,
    properties: impl FnOnce(&mut Vec<TemplateProblem>) -> Vec<Property>,
) -> Result<ElementTemplate, TemplateError> {
    let mut problems = Vec::new();
    let own = properties(&mut problems);
    let (mut groups, own) = build::group_properties(&meta.groups, own, &mut problems);
    groups.extend(fixed_groups());

    let mut template = skeleton(meta);
    template.groups = groups;
    template.properties.push(task_type(job_type));
    template.properties.extend(own);
    template.properties.extend(tail(meta));
    build::check_properties(&template.properties, &mut problems);

    if problems.is_empty() {
        Ok(template)
    } else {
        Err(TemplateError::Invalid {
            template: meta.id.clone(),
            problems,
        })
    }
}

fn skeleton(meta: &TemplateMetadata) -> ElementTemplate {
    let mut template = ElementTemplate::new(meta.id.clone(), meta.name.clone());
    template.description = meta.description.clone();
    template.keywords = meta.keywords.clone();
    template.documentation_ref = meta.documentation_ref.clone();
    template.version = meta.version;
    template.category = meta.category.clone();
    template.engines = meta.engines.clone().map(Engines::camunda);
    template.icon = meta.icon.clone();
    template
}

fn fixed_groups() -> [Group; 4] {
    [
        Group::new("connector", "Connector"),
        Group::new("output", "Output mapping"),
        Group::new("error", "Error handling"),
        Group::new("retries", "Retries"),
    ]
}

fn task_type(job_type: &str) -> Property {
    let mut property = Property::new(PropertyType::Hidden, Binding::task_definition("type"));
    property.value = Some(Value::from(job_type));
    property
}

struct Fixed {
    id: &'static str,
    label: &'static str,
    description: &'static str,
    group: &'static str,
    property_type: PropertyType,
    binding: Binding,
}

impl Fixed {
    fn into_property(self) -> Property {
        let mut property = Property::new(self.property_type, self.binding);
        property.id = Some(self.id.to_owned());
        property.label = Some(self.label.to_owned());
        property.description = Some(self.description.to_owned());
        property.group = Some(self.group.to_owned());
        property
    }
}

fn tail(meta: &TemplateMetadata) -> Vec<Property> {
    let mut version = Fixed {
        id: "version",
        label: "Version",
        description: "The version of this element template",
        group: "connector",
        property_type: PropertyType::Hidden,
        binding: Binding::task_header("elementTemplateVersion"),
    }
    .into_property();
    version.value = Some(Value::from(meta.version.to_string()));

    let mut id = Fixed {
        id: "id",
        label: "ID",
        description: "The id of this element template",
        group: "connector",
        property_type: PropertyType::Hidden,
        binding: Binding::task_header("elementTemplateId"),
    }
    .into_property();
    id.value = Some(Value::from(meta.id.clone()));

    let mut result_variable = Fixed {
        id: "resultVariable",
        label: "Result variable",
        description: "The process variable that receives the whole connector result",
        group: "output",
        property_type: PropertyType::String,
        binding: Binding::task_header("resultVariable"),
    }
    .into_property();
    result_variable.value = meta.default_result_variable.clone().map(Value::from);

    let mut result_expression = Fixed {
        id: "resultExpression",
        label: "Result expression",
        description: "A FEEL expression that maps the connector result (`response`) to process variables",
        group: "output",
        property_type: PropertyType::Text,
        binding: Binding::task_header("resultExpression"),
    }
    .into_property();
    result_expression.feel = Some(FeelMode::Required);
    result_expression.value = meta.default_result_expression.clone().map(Value::from);

    let mut error_expression = Fixed {
        id: "errorExpression",
        label: "Error expression",
        description: "A FEEL expression that turns a result or failure into a BPMN error or job error",
        group: "error",
        property_type: PropertyType::Text,
        binding: Binding::task_header("errorExpression"),
    }
    .into_property();
    error_expression.feel = Some(FeelMode::Required);

    vec![
        version,
        id,
        result_variable,
        result_expression,
        error_expression,
        retry_count(),
        retry_backoff(),
        job_timeout(),
    ]
}

fn retry_count() -> Property {
    let mut property = Fixed {
        id: "retryCount",
        label: "Retries",
        description: "How many times the job is retried after a failure",
        group: "retries",
        property_type: PropertyType::String,
        binding: Binding::task_definition("retries"),
    }
    .into_property();
    property.value = Some(Value::from("3"));
    property.feel = Some(FeelMode::Optional);
    property
}

fn retry_backoff() -> Property {
    let mut property = Fixed {
        id: "retryBackoff",
        label: "Retry backoff",
        description: "How long to wait before a retry, as an ISO-8601 duration such as PT30S",
        group: "retries",
        property_type: PropertyType::String,
        binding: Binding::task_header("retryBackoff"),
    }
    .into_property();
    property.value = Some(Value::from("PT30S"));
    property
}

fn job_timeout() -> Property {
    let mut property = Fixed {
        id: "jobTimeout",
        label: "Job timeout",
        description: "How long the engine waits for the job before handing it to another worker, as an ISO-8601 duration; empty uses the worker's default",
        group: "retries",
        property_type: PropertyType::String,
        binding: Binding::task_header("jobTimeout"),
    }
    .into_property();
    property.optional = Some(true);
    property
}
