//! The element-template JSON model, serialised with the key order the Camunda generator uses.

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `$schema` every generated template carries.
pub const SCHEMA_URL: &str =
    "https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json";

/// One element template, as the Camunda Modeler reads it.
///
/// Build one with [`outbound_template`](crate::template::outbound_template); serialise it with
/// [`to_json_pretty`](Self::to_json_pretty).
///
/// ```
/// use camunda_connector_sdk::template::{Category, ElementTemplate};
/// let template = ElementTemplate::new("io.example.echo.v1", "Echo");
/// assert_eq!(template.category, Category::connectors());
/// assert!(template.to_json_pretty().ends_with("}\n"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ElementTemplate {
    /// Always [`SCHEMA_URL`].
    #[serde(rename = "$schema")]
    pub schema: String,
    /// The name shown in the Modeler.
    pub name: String,
    /// The template id.
    pub id: String,
    /// A one-line description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Search keywords.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// A link to the connector's documentation.
    #[serde(rename = "documentationRef", skip_serializing_if = "Option::is_none")]
    pub documentation_ref: Option<String>,
    /// The template version; it must go up whenever the template changes.
    pub version: u32,
    /// The Modeler category.
    pub category: Category,
    /// The BPMN element types the template applies to.
    #[serde(rename = "appliesTo")]
    pub applies_to: Vec<String>,
    /// The element type an element is changed into when the template is applied.
    #[serde(rename = "elementType")]
    pub element_type: ElementType,
    /// The engine versions the template supports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engines: Option<Engines>,
    /// The property groups, in display order.
    pub groups: Vec<Group>,
    /// The properties, in display order.
    pub properties: Vec<Property>,
    /// The icon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub icon: Option<Icon>,
}

impl ElementTemplate {
    /// An empty service-task template with the default category.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::ElementTemplate;
    /// assert_eq!(ElementTemplate::new("a", "A").applies_to, ["bpmn:Task"]);
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        ElementTemplate {
            schema: SCHEMA_URL.to_owned(),
            name: name.into(),
            id: id.into(),
            description: None,
            keywords: Vec::new(),
            documentation_ref: None,
            version: 0,
            category: Category::connectors(),
            applies_to: vec!["bpmn:Task".to_owned()],
            element_type: ElementType::new("bpmn:ServiceTask"),
            engines: None,
            groups: Vec::new(),
            properties: Vec::new(),
            icon: None,
        }
    }

    /// Pretty JSON (two-space indent) with a trailing newline: the form snapshot files use.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::ElementTemplate;
    /// let json = ElementTemplate::new("a", "A").to_json_pretty();
    /// assert!(json.starts_with("{\n  \"$schema\""));
    /// ```
    pub fn to_json_pretty(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The template as a JSON value.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::ElementTemplate;
    /// assert_eq!(ElementTemplate::new("a", "A").to_value()["id"], "a");
    /// ```
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The property with this id.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::ElementTemplate;
    /// assert!(ElementTemplate::new("a", "A").property("url").is_none());
    /// ```
    pub fn property(&self, id: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.id.as_deref() == Some(id))
    }
}

/// The Modeler category of a template.
///
/// ```
/// use camunda_connector_sdk::template::Category;
/// assert_eq!(Category::connectors().name, "Connectors");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Category {
    /// The category id.
    pub id: String,
    /// The category name.
    pub name: String,
}

impl Category {
    /// A category.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Category;
    /// assert_eq!(Category::new("aiTools", "AI Tools").id, "aiTools");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Category {
            id: id.into(),
            name: name.into(),
        }
    }

    /// The default category, `connectors` / "Connectors".
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Category;
    /// assert_eq!(Category::connectors().id, "connectors");
    /// ```
    pub fn connectors() -> Self {
        Category::new("connectors", "Connectors")
    }
}

/// The `elementType` member.
///
/// ```
/// use camunda_connector_sdk::template::ElementType;
/// assert_eq!(ElementType::new("bpmn:ServiceTask").value, "bpmn:ServiceTask");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ElementType {
    /// The BPMN type.
    pub value: String,
    /// The event definition, for message events.
    #[serde(rename = "eventDefinition", skip_serializing_if = "Option::is_none")]
    pub event_definition: Option<String>,
}

impl ElementType {
    /// An element type without an event definition.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::ElementType;
    /// assert!(ElementType::new("bpmn:SendTask").event_definition.is_none());
    /// ```
    pub fn new(value: impl Into<String>) -> Self {
        ElementType {
            value: value.into(),
            event_definition: None,
        }
    }
}

/// The `engines` member: the Camunda versions the template needs.
///
/// ```
/// use camunda_connector_sdk::template::Engines;
/// assert_eq!(Engines::camunda("^8.8").camunda, "^8.8");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Engines {
    /// A semver range such as `^8.8`.
    pub camunda: String,
}

impl Engines {
    /// A Camunda engine range.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Engines;
    /// assert_eq!(Engines::camunda("8.8").camunda, "8.8");
    /// ```
    pub fn camunda(range: impl Into<String>) -> Self {
        Engines {
            camunda: range.into(),
        }
    }
}

/// The template icon, a data URI.
///
/// ```
/// use camunda_connector_sdk::template::Icon;
/// assert!(Icon::svg(b"<svg/>").contents.starts_with("data:image/svg+xml;base64,"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Icon {
    /// The data URI.
    pub contents: String,
}

impl Icon {
    /// An SVG icon from the file's bytes.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Icon;
    /// assert_eq!(Icon::svg(b"x").contents, "data:image/svg+xml;base64,eA==");
    /// ```
    pub fn svg(bytes: &[u8]) -> Self {
        Icon::data_uri("image/svg+xml", bytes)
    }

    /// A PNG icon from the file's bytes.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Icon;
    /// assert!(Icon::png(b"x").contents.starts_with("data:image/png;base64,"));
    /// ```
    pub fn png(bytes: &[u8]) -> Self {
        Icon::data_uri("image/png", bytes)
    }

    fn data_uri(media_type: &str, bytes: &[u8]) -> Self {
        use base64::Engine as _;
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        Icon {
            contents: format!("data:{media_type};base64,{encoded}"),
        }
    }
}

/// A property group.
///
/// ```
/// use camunda_connector_sdk::template::Group;
/// let group = Group::new("auth", "Authentication").with_open_by_default(false);
/// assert_eq!(
///     serde_json::to_string(&group).unwrap(),
///     r#"{"id":"auth","label":"Authentication","openByDefault":false}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Group {
    /// The group id properties refer to.
    pub id: String,
    /// The group label.
    pub label: String,
    /// A tooltip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tooltip: Option<String>,
    /// `Some(false)` collapses the group; open is the Modeler's default and is not written.
    #[serde(rename = "openByDefault", skip_serializing_if = "Option::is_none")]
    pub open_by_default: Option<bool>,
}

impl Group {
    /// A group open by default, without tooltip.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Group;
    /// assert_eq!(Group::new("a", "A").label, "A");
    /// ```
    pub fn new(id: impl Into<String>, label: impl Into<String>) -> Self {
        Group {
            id: id.into(),
            label: label.into(),
            tooltip: None,
            open_by_default: None,
        }
    }

    /// Sets the tooltip.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Group;
    /// assert_eq!(Group::new("a", "A").with_tooltip("t").tooltip.as_deref(), Some("t"));
    /// ```
    #[must_use]
    pub fn with_tooltip(mut self, tooltip: impl Into<String>) -> Self {
        self.tooltip = Some(tooltip.into());
        self
    }

    /// Sets whether the group starts open; only `false` is written.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Group;
    /// assert_eq!(Group::new("a", "A").with_open_by_default(true).open_by_default, None);
    /// ```
    #[must_use]
    pub fn with_open_by_default(mut self, open: bool) -> Self {
        self.open_by_default = if open { None } else { Some(false) };
        self
    }
}

/// One template property.
///
/// ```
/// use camunda_connector_sdk::template::{Binding, Property, PropertyType};
/// let property = Property::new(PropertyType::String, Binding::input("url"));
/// assert_eq!(
///     serde_json::to_string(&property).unwrap(),
///     r#"{"binding":{"name":"url","type":"zeebe:input"},"type":"String"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Property {
    /// The id conditions refer to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The description below the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether an empty value is left out of the BPMN; never written for `zeebe:input`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// The default value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// Constraints the Modeler checks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraints: Option<Constraints>,
    /// Whether the value may or must be a FEEL expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feel: Option<FeelMode>,
    /// The group id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Where the value goes in the BPMN.
    pub binding: Binding,
    /// When the property is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// A tooltip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tooltip: Option<String>,
    /// A placeholder shown in an empty input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// The input kind.
    #[serde(rename = "type")]
    pub property_type: PropertyType,
    /// The choices of a dropdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<Choice>>,
}

impl Property {
    /// A property with only a type and a binding.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Binding, Property, PropertyType};
    /// assert!(Property::new(PropertyType::Text, Binding::input("b")).id.is_none());
    /// ```
    pub fn new(property_type: PropertyType, binding: Binding) -> Self {
        Property {
            id: None,
            label: None,
            description: None,
            optional: None,
            value: None,
            constraints: None,
            feel: None,
            group: None,
            binding,
            condition: None,
            tooltip: None,
            placeholder: None,
            property_type,
            choices: None,
        }
    }
}

/// The kind of input the Modeler shows.
///
/// ```
/// use camunda_connector_sdk::template::PropertyType;
/// assert_eq!(PropertyType::parse("Dropdown"), Some(PropertyType::Dropdown));
/// assert_eq!(PropertyType::Text.as_str(), "Text");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum PropertyType {
    /// A one-line text input.
    String,
    /// A multi-line text input.
    Text,
    /// A checkbox.
    Boolean,
    /// A number input.
    Number,
    /// A select box with fixed choices.
    Dropdown,
    /// Not shown; its value is always written.
    Hidden,
}

impl PropertyType {
    /// The type with this JSON name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::PropertyType;
    /// assert_eq!(PropertyType::parse("Nope"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "String" => PropertyType::String,
            "Text" => PropertyType::Text,
            "Boolean" => PropertyType::Boolean,
            "Number" => PropertyType::Number,
            "Dropdown" => PropertyType::Dropdown,
            "Hidden" => PropertyType::Hidden,
            _ => return None,
        })
    }

    /// The JSON name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::PropertyType;
    /// assert_eq!(PropertyType::Hidden.as_str(), "Hidden");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::String => "String",
            PropertyType::Text => "Text",
            PropertyType::Boolean => "Boolean",
            PropertyType::Number => "Number",
            PropertyType::Dropdown => "Dropdown",
            PropertyType::Hidden => "Hidden",
        }
    }
}

/// Whether a property's value may or must be a FEEL expression.
///
/// ```
/// use camunda_connector_sdk::template::FeelMode;
/// assert_eq!(serde_json::to_string(&FeelMode::Static).unwrap(), r#""static""#);
/// assert_eq!(FeelMode::parse("required"), Some(FeelMode::Required));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FeelMode {
    /// A literal value or, after a toggle, a FEEL expression.
    Optional,
    /// Always a FEEL expression.
    Required,
    /// A literal number or boolean, switchable to FEEL.
    Static,
}

impl FeelMode {
    /// The mode with this JSON name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::FeelMode;
    /// assert_eq!(FeelMode::parse("static"), Some(FeelMode::Static));
    /// ```
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "optional" => FeelMode::Optional,
            "required" => FeelMode::Required,
            "static" => FeelMode::Static,
            _ => return None,
        })
    }
}

/// Where a property's value is written in the BPMN.
///
/// ```
/// use camunda_connector_sdk::template::Binding;
/// assert_eq!(
///     serde_json::to_string(&Binding::task_header("resultVariable")).unwrap(),
///     r#"{"key":"resultVariable","type":"zeebe:taskHeader"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Binding {
    /// A `zeebe:input` mapping: the job variable `name` (dotted names build nested objects).
    Input {
        /// The target variable.
        name: String,
    },
    /// A `zeebe:taskHeader` with this key.
    TaskHeader {
        /// The header key.
        key: String,
    },
    /// A `zeebe:taskDefinition` attribute (`type` or `retries`).
    TaskDefinition {
        /// The attribute.
        property: String,
    },
    /// A `zeebe:property` of the element (inbound connectors).
    Property {
        /// The property name.
        name: String,
    },
}

impl Binding {
    /// A `zeebe:input` binding.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::input("a.b").name(), "a.b");
    /// ```
    pub fn input(name: impl Into<String>) -> Self {
        Binding::Input { name: name.into() }
    }

    /// A `zeebe:taskHeader` binding.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::task_header("k").type_name(), "zeebe:taskHeader");
    /// ```
    pub fn task_header(key: impl Into<String>) -> Self {
        Binding::TaskHeader { key: key.into() }
    }

    /// A `zeebe:taskDefinition` binding.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::task_definition("type").name(), "type");
    /// ```
    pub fn task_definition(property: impl Into<String>) -> Self {
        Binding::TaskDefinition {
            property: property.into(),
        }
    }

    /// A `zeebe:property` binding.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::property("inbound.type").type_name(), "zeebe:property");
    /// ```
    pub fn property(name: impl Into<String>) -> Self {
        Binding::Property { name: name.into() }
    }

    /// The name, key or property the binding targets.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::task_header("k").name(), "k");
    /// ```
    pub fn name(&self) -> &str {
        match self {
            Binding::Input { name } | Binding::Property { name } => name,
            Binding::TaskHeader { key } => key,
            Binding::TaskDefinition { property } => property,
        }
    }

    /// The binding's `type` in the JSON.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Binding;
    /// assert_eq!(Binding::input("a").type_name(), "zeebe:input");
    /// ```
    pub fn type_name(&self) -> &'static str {
        match self {
            Binding::Input { .. } => "zeebe:input",
            Binding::TaskHeader { .. } => "zeebe:taskHeader",
            Binding::TaskDefinition { .. } => "zeebe:taskDefinition",
            Binding::Property { .. } => "zeebe:property",
        }
    }

    fn name_key(&self) -> &'static str {
        match self {
            Binding::Input { .. } | Binding::Property { .. } => "name",
            Binding::TaskHeader { .. } => "key",
            Binding::TaskDefinition { .. } => "property",
        }
    }
}

impl Serialize for Binding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry(self.name_key(), self.name())?;
        map.serialize_entry("type", self.type_name())?;
        map.end()
    }
}

/// When a property is shown.
///
/// ```
/// use camunda_connector_sdk::template::Condition;
/// let condition = Condition::all_match([
///     Condition::equals("auth.type", "basic"),
///     Condition::is_active("auth.user", true),
/// ]);
/// assert_eq!(
///     serde_json::to_string(&condition).unwrap(),
///     r#"{"allMatch":[{"property":"auth.type","equals":"basic","type":"simple"},{"property":"auth.user","isActive":true,"type":"simple"}]}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// The property's value equals this string or boolean.
    Equals {
        /// The property id.
        property: String,
        /// The value.
        equals: Value,
    },
    /// The property's value is one of these.
    OneOf {
        /// The property id.
        property: String,
        /// The values.
        one_of: Vec<String>,
    },
    /// The property is (or is not) shown.
    IsActive {
        /// The property id.
        property: String,
        /// Whether it is shown.
        is_active: bool,
    },
    /// Every condition holds.
    AllMatch(Vec<Condition>),
}

impl Condition {
    /// The property equals a string or a boolean.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// let condition = Condition::equals("flag", true);
    /// assert_eq!(serde_json::to_value(&condition).unwrap()["equals"], true);
    /// ```
    pub fn equals(property: impl Into<String>, value: impl Into<Value>) -> Self {
        Condition::Equals {
            property: property.into(),
            equals: value.into(),
        }
    }

    /// The property is one of `values`.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// let condition = Condition::one_of("method", ["POST", "PUT"]);
    /// assert_eq!(serde_json::to_value(&condition).unwrap()["oneOf"][1], "PUT");
    /// ```
    pub fn one_of<I, S>(property: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Condition::OneOf {
            property: property.into(),
            one_of: values.into_iter().map(Into::into).collect(),
        }
    }

    /// The property is shown (`true`) or hidden (`false`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// assert_eq!(serde_json::to_value(Condition::is_active("a", false)).unwrap()["isActive"], false);
    /// ```
    pub fn is_active(property: impl Into<String>, active: bool) -> Self {
        Condition::IsActive {
            property: property.into(),
            is_active: active,
        }
    }

    /// All of `conditions` hold; nested `allMatch` lists are flattened.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// let inner = Condition::all_match([Condition::is_active("a", true)]);
    /// let outer = Condition::all_match([inner, Condition::is_active("b", true)]);
    /// assert_eq!(outer.properties(), ["a", "b"]);
    /// ```
    pub fn all_match(conditions: impl IntoIterator<Item = Condition>) -> Self {
        let mut flat = Vec::new();
        for condition in conditions {
            match condition {
                Condition::AllMatch(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        Condition::AllMatch(flat)
    }

    /// Both `self` and `other` hold.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// let both = Condition::is_active("a", true).and(Condition::equals("b", "x"));
    /// assert_eq!(both.properties(), ["a", "b"]);
    /// ```
    #[must_use]
    pub fn and(self, other: Condition) -> Self {
        Condition::all_match([self, other])
    }

    /// The ids of the properties the condition reads, in order.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// assert_eq!(Condition::equals("a", "x").properties(), ["a"]);
    /// ```
    pub fn properties(&self) -> Vec<&str> {
        match self {
            Condition::Equals { property, .. }
            | Condition::OneOf { property, .. }
            | Condition::IsActive { property, .. } => vec![property.as_str()],
            Condition::AllMatch(all) => all.iter().flat_map(Condition::properties).collect(),
        }
    }

    /// The same condition with every property id passed through `rename`.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Condition;
    /// let moved = Condition::equals("type", "basic").map_properties(&|id| format!("auth.{id}"));
    /// assert_eq!(moved.properties(), ["auth.type"]);
    /// ```
    #[must_use]
    pub fn map_properties(self, rename: &dyn Fn(&str) -> String) -> Self {
        match self {
            Condition::Equals { property, equals } => Condition::Equals {
                property: rename(&property),
                equals,
            },
            Condition::OneOf { property, one_of } => Condition::OneOf {
                property: rename(&property),
                one_of,
            },
            Condition::IsActive {
                property,
                is_active,
            } => Condition::IsActive {
                property: rename(&property),
                is_active,
            },
            Condition::AllMatch(all) => {
                Condition::AllMatch(all.into_iter().map(|c| c.map_properties(rename)).collect())
            }
        }
    }
}

impl Serialize for Condition {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match self {
            Condition::Equals { property, equals } => {
                map.serialize_entry("property", property)?;
                map.serialize_entry("equals", equals)?;
            }
            Condition::OneOf { property, one_of } => {
                map.serialize_entry("property", property)?;
                map.serialize_entry("oneOf", one_of)?;
            }
            Condition::IsActive {
                property,
                is_active,
            } => {
                map.serialize_entry("property", property)?;
                map.serialize_entry("isActive", is_active)?;
            }
            Condition::AllMatch(all) => {
                map.serialize_entry("allMatch", all)?;
                return map.end();
            }
        }
        map.serialize_entry("type", "simple")?;
        map.end()
    }
}

/// Constraints the Modeler checks while the user types.
///
/// ```
/// use camunda_connector_sdk::template::Constraints;
/// let mut constraints = Constraints::default();
/// constraints.not_empty = Some(true);
/// assert_eq!(serde_json::to_string(&constraints).unwrap(), r#"{"notEmpty":true}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Constraints {
    /// The value must (true) or may (false) be empty.
    #[serde(rename = "notEmpty", skip_serializing_if = "Option::is_none")]
    pub not_empty: Option<bool>,
    /// The minimum length.
    #[serde(rename = "minLength", skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    /// The maximum length.
    #[serde(rename = "maxLength", skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    /// A pattern the value must match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Pattern>,
}

impl Constraints {
    /// Whether no constraint is set.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Constraints;
    /// assert!(Constraints::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self == &Constraints::default()
    }
}

/// A pattern constraint.
///
/// ```
/// use camunda_connector_sdk::template::Pattern;
/// let pattern = Pattern::new("^[0-9]+$", Some("digits only".into()));
/// assert_eq!(serde_json::to_value(&pattern).unwrap()["message"], "digits only");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Pattern {
    /// A JavaScript regular expression.
    pub value: String,
    /// The message shown when the value does not match.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Pattern {
    /// A pattern with an optional message.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Pattern;
    /// assert!(Pattern::new("^a$", None).message.is_none());
    /// ```
    pub fn new(value: impl Into<String>, message: Option<String>) -> Self {
        Pattern {
            value: value.into(),
            message,
        }
    }
}

/// One dropdown choice.
///
/// ```
/// use camunda_connector_sdk::template::Choice;
/// assert_eq!(
///     serde_json::to_string(&Choice::new("Basic", "basic")).unwrap(),
///     r#"{"name":"Basic","value":"basic"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Choice {
    /// The label shown.
    pub name: String,
    /// The value written.
    pub value: String,
}

impl Choice {
    /// A choice.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::Choice;
    /// assert_eq!(Choice::new("A", "a").value, "a");
    /// ```
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Choice {
            name: name.into(),
            value: value.into(),
        }
    }
}
