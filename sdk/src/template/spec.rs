//! What an input type says about itself: the shape of each field and how it is presented.
//!
//! `#[derive(ConnectorInput)]` writes these descriptions; the builder in this module's parent
//! turns them into template properties. They can also be written by hand for a type the derive
//! cannot see:
//!
//! ```
//! use camunda_connector_sdk::template::{InputTemplate, spec::{FieldSpec, ObjectShape, Shape}};
//!
//! struct Login { user: String, password: String }
//!
//! impl InputTemplate for Login {
//!     fn shape() -> Shape {
//!         Shape::Object(ObjectShape::new("Login", vec![
//!             FieldSpec::of::<String>("user", "user").not_empty(),
//!             FieldSpec::of::<String>("password", "password").label("Password"),
//!         ]))
//!     }
//! }
//! # let login = Login { user: String::new(), password: String::new() };
//! # let _ = (login.user, login.password);
//! ```

use serde_json::Value;

use super::InputTemplate;
use super::model::{Category, Choice, Condition, FeelMode, Group, Icon, PropertyType};

/// The shape of a type in the template.
///
/// ```
/// use camunda_connector_sdk::template::{InputTemplate, spec::Shape};
/// assert!(matches!(<u32 as InputTemplate>::shape(), Shape::Number));
/// assert!(matches!(<Option<String> as InputTemplate>::shape(), Shape::String));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Shape {
    /// Text: a `String` property, FEEL optional.
    String,
    /// A number: a `Number` property, FEEL static.
    Number,
    /// A boolean: a `Boolean` property, FEEL static.
    Boolean,
    /// Structured data (maps, lists, JSON values): a `String` property that must be FEEL.
    Json,
    /// A fixed set of values: a `Dropdown` property.
    Dropdown(Vec<Choice>),
    /// A struct: one property per field, nested under the field's name.
    Object(ObjectShape),
    /// An internally tagged enum: a discriminator dropdown plus each variant's fields.
    Tagged(Box<TaggedShape>),
}

/// The kind of a [`Shape`], as a constant: [`InputTemplate::SHAPE_KIND`].
///
/// ```
/// use camunda_connector_sdk::template::{InputTemplate, spec::ShapeKind};
/// assert!(matches!(<String as InputTemplate>::SHAPE_KIND, ShapeKind::String));
/// assert!(matches!(<Vec<u8> as InputTemplate>::SHAPE_KIND, ShapeKind::Json));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShapeKind {
    /// Not declared: the compile-time checks that need the kind are skipped.
    Unspecified,
    /// [`Shape::String`].
    String,
    /// [`Shape::Number`].
    Number,
    /// [`Shape::Boolean`].
    Boolean,
    /// [`Shape::Json`].
    Json,
    /// [`Shape::Dropdown`].
    Dropdown,
    /// [`Shape::Object`].
    Object,
    /// [`Shape::Tagged`].
    Tagged,
}

/// The fields of a struct.
///
/// ```
/// use camunda_connector_sdk::template::spec::{FieldSpec, ObjectShape};
/// let shape = ObjectShape::new("Req", vec![FieldSpec::of::<String>("url", "url")]);
/// assert_eq!(shape.fields().len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct ObjectShape {
    pub(crate) type_name: &'static str,
    pub(crate) fields: Vec<FieldSpec>,
}

impl ObjectShape {
    /// The shape of the struct `type_name` with `fields` in declaration order.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::ObjectShape;
    /// assert_eq!(ObjectShape::new("Empty", vec![]).type_name(), "Empty");
    /// ```
    pub fn new(type_name: &'static str, fields: Vec<FieldSpec>) -> Self {
        ObjectShape { type_name, fields }
    }

    /// The Rust type name, for error messages.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::ObjectShape;
    /// assert_eq!(ObjectShape::new("A", vec![]).type_name(), "A");
    /// ```
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The fields.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::ObjectShape;
    /// assert!(ObjectShape::new("A", vec![]).fields().is_empty());
    /// ```
    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }
}

/// An enum with `#[serde(tag = "...")]`: the discriminator and the variants.
///
/// ```
/// use camunda_connector_sdk::template::spec::{FieldSpec, TaggedShape, VariantSpec};
/// let shape = TaggedShape::new("Auth", "type", vec![
///     VariantSpec::unit("none", "None"),
///     VariantSpec::fields("basic", "Basic", vec![FieldSpec::of::<String>("user", "user")]),
/// ]);
/// assert_eq!(shape.tag(), "type");
/// ```
#[derive(Debug, Clone)]
pub struct TaggedShape {
    pub(crate) type_name: &'static str,
    pub(crate) tag: String,
    pub(crate) discriminator: Presentation,
    pub(crate) variants: Vec<VariantSpec>,
}

impl TaggedShape {
    /// The enum `type_name`, tagged by the field `tag`, with `variants` in declaration order.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TaggedShape;
    /// assert_eq!(TaggedShape::new("A", "kind", vec![]).tag(), "kind");
    /// ```
    pub fn new(
        type_name: &'static str,
        tag: impl Into<String>,
        variants: Vec<VariantSpec>,
    ) -> Self {
        TaggedShape {
            type_name,
            tag: tag.into(),
            discriminator: Presentation::default(),
            variants,
        }
    }

    /// Sets how the discriminator dropdown is presented.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::{Presentation, TaggedShape};
    /// let shape = TaggedShape::new("A", "type", vec![])
    ///     .discriminator(Presentation::default().label("Authentication type"));
    /// # let _ = shape;
    /// ```
    #[must_use]
    pub fn discriminator(mut self, presentation: Presentation) -> Self {
        self.discriminator = presentation;
        self
    }

    /// The tag field's name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TaggedShape;
    /// assert_eq!(TaggedShape::new("A", "t", vec![]).tag(), "t");
    /// ```
    pub fn tag(&self) -> &str {
        &self.tag
    }
}

/// One variant of a tagged enum.
///
/// ```
/// use camunda_connector_sdk::template::spec::VariantSpec;
/// assert_eq!(VariantSpec::unit("noAuth", "No auth").value(), "noAuth");
/// ```
#[derive(Debug, Clone)]
pub struct VariantSpec {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) fields: VariantFields,
}

#[derive(Debug, Clone)]
pub(crate) enum VariantFields {
    Unit,
    Fields(Vec<FieldSpec>),
    Newtype(&'static str, fn() -> Shape),
}

impl VariantSpec {
    /// A variant without fields.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::VariantSpec;
    /// assert_eq!(VariantSpec::unit("a", "A").label(), "A");
    /// ```
    pub fn unit(value: impl Into<String>, label: impl Into<String>) -> Self {
        VariantSpec {
            value: value.into(),
            label: label.into(),
            fields: VariantFields::Unit,
        }
    }

    /// A struct variant.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::{FieldSpec, VariantSpec};
    /// let v = VariantSpec::fields("bearer", "Bearer", vec![FieldSpec::of::<String>("token", "token")]);
    /// assert_eq!(v.value(), "bearer");
    /// ```
    pub fn fields(
        value: impl Into<String>,
        label: impl Into<String>,
        fields: Vec<FieldSpec>,
    ) -> Self {
        VariantSpec {
            value: value.into(),
            label: label.into(),
            fields: VariantFields::Fields(fields),
        }
    }

    /// A newtype variant holding the struct `T`, whose fields become the variant's fields.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::VariantSpec;
    /// let v = VariantSpec::newtype::<serde_json::Value>("raw", "Raw");
    /// assert_eq!(v.label(), "Raw");
    /// ```
    pub fn newtype<T: InputTemplate + ?Sized>(
        value: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        VariantSpec {
            value: value.into(),
            label: label.into(),
            fields: VariantFields::Newtype(std::any::type_name::<T>(), T::shape),
        }
    }

    /// The tag value (the serde variant name).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::VariantSpec;
    /// assert_eq!(VariantSpec::unit("x", "X").value(), "x");
    /// ```
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The dropdown label.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::VariantSpec;
    /// assert_eq!(VariantSpec::unit("x", "X").label(), "X");
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// How a property is presented: the `#[template(...)]` settings shared by fields and
/// discriminators. Unset members take the defaults described in the attribute reference.
///
/// ```
/// use camunda_connector_sdk::template::spec::Presentation;
/// let p = Presentation::default().label("Method").group("endpoint");
/// # let _ = p;
/// ```
#[derive(Debug, Clone, Default)]
pub struct Presentation {
    pub(crate) id: Option<String>,
    pub(crate) label: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) tooltip: Option<String>,
    pub(crate) placeholder: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) value: Option<Value>,
}

impl Presentation {
    /// Sets the property id.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().id("authType");
    /// ```
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the label.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().label("Type");
    /// ```
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().description("How to authenticate");
    /// ```
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the tooltip.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().tooltip("More");
    /// ```
    #[must_use]
    pub fn tooltip(mut self, tooltip: impl Into<String>) -> Self {
        self.tooltip = Some(tooltip.into());
        self
    }

    /// Sets the placeholder.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().placeholder("https://");
    /// ```
    #[must_use]
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }

    /// Sets the group id.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().group("auth");
    /// ```
    #[must_use]
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Sets the default value.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::Presentation;
    /// let _ = Presentation::default().value("basic");
    /// ```
    #[must_use]
    pub fn value(mut self, value: impl Into<Value>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// One field of a struct or struct variant.
///
/// ```
/// use camunda_connector_sdk::template::{FeelMode, spec::FieldSpec};
/// let field = FieldSpec::of::<Option<u32>>("timeout_s", "timeoutS")
///     .label("Timeout (seconds)")
///     .feel(FeelMode::Static)
///     .value(20);
/// assert!(field.is_optional());
/// ```
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub(crate) rust_name: &'static str,
    pub(crate) wire_name: String,
    pub(crate) shape: fn() -> Shape,
    pub(crate) type_optional: bool,
    pub(crate) presentation: Presentation,
    pub(crate) property_type: Option<PropertyType>,
    pub(crate) feel: Option<FeelMode>,
    pub(crate) optional: bool,
    pub(crate) binding: Option<String>,
    pub(crate) condition: Option<Condition>,
    pub(crate) choices: Option<Vec<Choice>>,
    pub(crate) nested_path: bool,
    pub(crate) rules: Rules,
}

/// The validation rules that also become template constraints.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    pub(crate) not_empty: bool,
    pub(crate) min_length: Option<u64>,
    pub(crate) max_length: Option<u64>,
    pub(crate) pattern: Option<(String, Option<String>)>,
    pub(crate) url: bool,
}

impl FieldSpec {
    /// The field `rust_name` of type `T`, named `wire_name` in the job variables.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// assert_eq!(FieldSpec::of::<bool>("follow_redirects", "followRedirects").wire_name(), "followRedirects");
    /// ```
    pub fn of<T: InputTemplate + ?Sized>(
        rust_name: &'static str,
        wire_name: impl Into<String>,
    ) -> Self {
        FieldSpec {
            rust_name,
            wire_name: wire_name.into(),
            shape: T::shape,
            type_optional: T::OPTIONAL,
            presentation: Presentation::default(),
            property_type: None,
            feel: None,
            optional: false,
            binding: None,
            condition: None,
            choices: None,
            nested_path: true,
            rules: Rules::default(),
        }
    }

    /// The field `rust_name` shown as one property of the given type, described entirely by
    /// its settings: the field's Rust type needs no [`InputTemplate`] (a foreign type such as
    /// `std::net::IpAddr`). `Dropdown` needs [`FieldSpec::choices`].
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{PropertyType, spec::FieldSpec};
    /// let host = FieldSpec::with_type("host", "host", PropertyType::String);
    /// assert!(!host.is_optional());
    /// ```
    pub fn with_type(
        rust_name: &'static str,
        wire_name: impl Into<String>,
        property_type: PropertyType,
    ) -> Self {
        let shape: fn() -> Shape = match property_type {
            PropertyType::Number => || Shape::Number,
            PropertyType::Boolean => || Shape::Boolean,
            _ => || Shape::String,
        };
        FieldSpec {
            rust_name,
            wire_name: wire_name.into(),
            shape,
            type_optional: false,
            presentation: Presentation::default(),
            property_type: Some(property_type),
            feel: None,
            optional: false,
            binding: None,
            condition: None,
            choices: None,
            nested_path: true,
            rules: Rules::default(),
        }
    }

    /// The Rust field name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// assert_eq!(FieldSpec::of::<String>("api_key", "apiKey").rust_name(), "api_key");
    /// ```
    pub fn rust_name(&self) -> &'static str {
        self.rust_name
    }

    /// The name in the job variables.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// assert_eq!(FieldSpec::of::<String>("a", "b").wire_name(), "b");
    /// ```
    pub fn wire_name(&self) -> &str {
        &self.wire_name
    }

    /// Whether the field may be empty: an `Option` or marked `optional`.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// assert!(!FieldSpec::of::<String>("a", "a").is_optional());
    /// assert!(FieldSpec::of::<String>("a", "a").optional().is_optional());
    /// ```
    pub fn is_optional(&self) -> bool {
        self.type_optional || self.optional
    }

    /// Sets the property id (the binding is unchanged).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").id("authType");
    /// ```
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.presentation.id = Some(id.into());
        self
    }

    /// Sets the label.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").label("A");
    /// ```
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.presentation.label = Some(label.into());
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").description("The endpoint");
    /// ```
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.presentation.description = Some(description.into());
        self
    }

    /// Sets the tooltip.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").tooltip("t");
    /// ```
    #[must_use]
    pub fn tooltip(mut self, tooltip: impl Into<String>) -> Self {
        self.presentation.tooltip = Some(tooltip.into());
        self
    }

    /// Sets the placeholder.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").placeholder("p");
    /// ```
    #[must_use]
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.presentation.placeholder = Some(placeholder.into());
        self
    }

    /// Sets the group; on a nested struct, the group of every nested property without one.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").group("g");
    /// ```
    #[must_use]
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.presentation.group = Some(group.into());
        self
    }

    /// Sets the default value.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<u32>("a", "a").value(5);
    /// ```
    #[must_use]
    pub fn value(mut self, value: impl Into<Value>) -> Self {
        self.presentation.value = Some(value.into());
        self
    }

    /// Overrides the property type; the field then becomes one property, never expanded.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{PropertyType, spec::FieldSpec};
    /// let _ = FieldSpec::of::<String>("a", "a").property_type(PropertyType::Text);
    /// ```
    #[must_use]
    pub fn property_type(mut self, property_type: PropertyType) -> Self {
        self.property_type = Some(property_type);
        self
    }

    /// Sets the FEEL mode.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{FeelMode, spec::FieldSpec};
    /// let _ = FieldSpec::of::<String>("a", "a").feel(FeelMode::Required);
    /// ```
    #[must_use]
    pub fn feel(mut self, feel: FeelMode) -> Self {
        self.feel = Some(feel);
        self
    }

    /// Marks the field as allowed to be empty.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// assert!(FieldSpec::of::<String>("a", "a").optional().is_optional());
    /// ```
    #[must_use]
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Overrides the binding name (the id is unchanged).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").binding("b");
    /// ```
    #[must_use]
    pub fn binding(mut self, name: impl Into<String>) -> Self {
        self.binding = Some(name.into());
        self
    }

    /// Shows the property only when `condition` holds; ids are those of the same struct.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Condition, spec::FieldSpec};
    /// let _ = FieldSpec::of::<String>("a", "a").condition(Condition::equals("method", "POST"));
    /// ```
    #[must_use]
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    /// Sets the dropdown choices.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Choice, spec::FieldSpec};
    /// let _ = FieldSpec::of::<String>("a", "a").choices(vec![Choice::new("GET", "GET")]);
    /// ```
    #[must_use]
    pub fn choices(mut self, choices: Vec<Choice>) -> Self {
        self.choices = Some(choices);
        self
    }

    /// Whether a nested struct's ids and bindings are prefixed with this field's (default true).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").nested_path(false);
    /// ```
    #[must_use]
    pub fn nested_path(mut self, nested: bool) -> Self {
        self.nested_path = nested;
        self
    }

    /// The value must not be empty (`notEmpty: true`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").not_empty();
    /// ```
    #[must_use]
    pub fn not_empty(mut self) -> Self {
        self.rules.not_empty = true;
        self
    }

    /// The minimum length (`minLength`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").min_length(2);
    /// ```
    #[must_use]
    pub fn min_length(mut self, min: u64) -> Self {
        self.rules.min_length = Some(min);
        self
    }

    /// The maximum length (`maxLength`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").max_length(8);
    /// ```
    #[must_use]
    pub fn max_length(mut self, max: u64) -> Self {
        self.rules.max_length = Some(max);
        self
    }

    /// A pattern the final value must match; the template's pattern also admits FEEL and
    /// secret placeholders.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").pattern("^[0-9]+$", Some("digits only"));
    /// ```
    #[must_use]
    pub fn pattern(mut self, pattern: impl Into<String>, message: Option<&str>) -> Self {
        self.rules.pattern = Some((pattern.into(), message.map(str::to_owned)));
        self
    }

    /// The value must be an absolute http or https URL.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::FieldSpec;
    /// let _ = FieldSpec::of::<String>("a", "a").url();
    /// ```
    #[must_use]
    pub fn url(mut self) -> Self {
        self.rules.url = true;
        self
    }
}

/// The container-level `#[template(...)]` settings of an input type: what the template itself
/// says about the connector.
///
/// ```
/// use camunda_connector_sdk::template::{Group, spec::TemplateMetadata};
/// let meta = TemplateMetadata::new("io.example.echo.v1", "Echo")
///     .version(2)
///     .groups(vec![Group::new("input", "Input")]);
/// assert_eq!(meta.id(), "io.example.echo.v1");
/// ```
#[derive(Debug, Clone)]
pub struct TemplateMetadata {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) version: u32,
    pub(crate) description: Option<String>,
    pub(crate) documentation_ref: Option<String>,
    pub(crate) icon: Option<Icon>,
    pub(crate) keywords: Vec<String>,
    pub(crate) groups: Vec<Group>,
    pub(crate) engines: Option<String>,
    pub(crate) category: Category,
    pub(crate) default_result_variable: Option<String>,
    pub(crate) default_result_expression: Option<String>,
}

impl TemplateMetadata {
    /// Metadata for the template `id` named `name`, version 0.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// assert_eq!(TemplateMetadata::new("a", "A").name(), "A");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        TemplateMetadata {
            id: id.into(),
            name: name.into(),
            version: 0,
            description: None,
            documentation_ref: None,
            icon: None,
            keywords: Vec::new(),
            groups: Vec::new(),
            engines: None,
            category: Category::connectors(),
            default_result_variable: None,
            default_result_expression: None,
        }
    }

    /// The template id.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// assert_eq!(TemplateMetadata::new("a", "A").id(), "a");
    /// ```
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The template name.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// assert_eq!(TemplateMetadata::new("a", "A").name(), "A");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sets the version.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").version(3);
    /// ```
    #[must_use]
    pub fn version(mut self, version: u32) -> Self {
        self.version = version;
        self
    }

    /// Sets the description.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").description("Calls A");
    /// ```
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the documentation link.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").documentation_ref("https://docs.example.test/a");
    /// ```
    #[must_use]
    pub fn documentation_ref(mut self, link: impl Into<String>) -> Self {
        self.documentation_ref = Some(link.into());
        self
    }

    /// Sets the icon.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Icon, spec::TemplateMetadata};
    /// let _ = TemplateMetadata::new("a", "A").icon(Icon::svg(b"<svg/>"));
    /// ```
    #[must_use]
    pub fn icon(mut self, icon: Icon) -> Self {
        self.icon = Some(icon);
        self
    }

    /// Sets the search keywords.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").keywords(vec!["http".into()]);
    /// ```
    #[must_use]
    pub fn keywords(mut self, keywords: Vec<String>) -> Self {
        self.keywords = keywords;
        self
    }

    /// Sets the declared groups, in display order.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Group, spec::TemplateMetadata};
    /// let _ = TemplateMetadata::new("a", "A").groups(vec![Group::new("g", "G")]);
    /// ```
    #[must_use]
    pub fn groups(mut self, groups: Vec<Group>) -> Self {
        self.groups = groups;
        self
    }

    /// Sets the Camunda engine range (`engines.camunda`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").engines("^8.8");
    /// ```
    #[must_use]
    pub fn engines(mut self, camunda: impl Into<String>) -> Self {
        self.engines = Some(camunda.into());
        self
    }

    /// Sets the category.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::{Category, spec::TemplateMetadata};
    /// let _ = TemplateMetadata::new("a", "A").category(Category::new("aiTools", "AI Tools"));
    /// ```
    #[must_use]
    pub fn category(mut self, category: Category) -> Self {
        self.category = category;
        self
    }

    /// Sets the default of the `resultVariable` property.
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").default_result_variable("response");
    /// ```
    #[must_use]
    pub fn default_result_variable(mut self, name: impl Into<String>) -> Self {
        self.default_result_variable = Some(name.into());
        self
    }

    /// Sets the default of the `resultExpression` property (a FEEL expression starting with `=`).
    ///
    /// ```
    /// # use camunda_connector_sdk::template::spec::TemplateMetadata;
    /// let _ = TemplateMetadata::new("a", "A").default_result_expression("={body: body}");
    /// ```
    #[must_use]
    pub fn default_result_expression(mut self, expression: impl Into<String>) -> Self {
        self.default_result_expression = Some(expression.into());
        self
    }
}
