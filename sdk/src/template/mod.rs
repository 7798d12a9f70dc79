//! Element templates: the JSON the Camunda Modeler reads to show a connector's properties.
//!
//! An input type describes itself through [`InputTemplate`] (written by
//! `#[derive(ConnectorInput)]`, see the attribute reference); [`outbound_template`] turns that
//! description into an [`ElementTemplate`], and [`ElementTemplate::to_json_pretty`] into the
//! file the Modeler loads.
//!
//! Field types are resolved through the trait at run time: strings become `String`
//! properties, numbers `Number`, booleans `Boolean`, unit enums `Dropdown`s, structs nest their
//! fields under dotted ids and bindings, internally tagged enums become a discriminator dropdown
//! with conditional fields, and maps, lists and JSON values become FEEL-required text.

mod build;
mod error;
mod model;
mod outbound;
pub mod spec;
mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde_json::Value;

pub use build::BindingKind;
pub use error::{TemplateError, TemplateProblem};
pub use model::{
    Binding, Category, Choice, Condition, Constraints, ElementTemplate, ElementType, Engines,
    FeelMode, Group, Icon, Pattern, Property, PropertyType, SCHEMA_URL,
};
pub use outbound::outbound_template;
pub use text::{humanize, template_pattern};

use spec::{Shape, TemplateMetadata};

/// A type that describes its own element-template properties.
///
/// `#[derive(ConnectorInput)]` implements it for structs and enums; this crate implements it
/// for strings, numbers, booleans, `Option`, `Box`, lists, maps and [`serde_json::Value`].
/// Used as a connector's whole input, `Value` contributes no properties.
///
/// ```
/// use camunda_connector_sdk::template::{InputTemplate, spec::Shape};
/// assert!(matches!(<Vec<String> as InputTemplate>::shape(), Shape::Json));
/// assert!(<Option<bool> as InputTemplate>::OPTIONAL);
/// assert!(<serde_json::Value as InputTemplate>::metadata().is_none());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot describe itself in an element template",
    label = "`{Self}` does not implement `InputTemplate`",
    note = "derive `ConnectorInput` on your own types; for a type you do not own, give the field an explicit `#[template(type = \"String\")]` (or `Text`, `Number`, `Boolean`, `Hidden`), or leave it out of the template with `#[template(skip)]`"
)]
pub trait InputTemplate {
    /// Whether the value may be absent (`Option`): it is then never `notEmpty`.
    const OPTIONAL: bool = false;

    /// What [`InputTemplate::shape`] returns, known at compile time, so that the derive can
    /// check a field's `default` and `feel` against its type while compiling.
    /// [`ShapeKind::Unspecified`](spec::ShapeKind::Unspecified) (the default) skips those
    /// checks; the template build still makes them.
    ///
    /// ```
    /// use camunda_connector_sdk::template::{InputTemplate, spec::ShapeKind};
    /// assert!(matches!(<Option<u8> as InputTemplate>::SHAPE_KIND, ShapeKind::Number));
    /// ```
    const SHAPE_KIND: spec::ShapeKind = spec::ShapeKind::Unspecified;

    /// The shape of the type.
    fn shape() -> Shape;

    /// The template metadata of a connector input (`#[template(id, name, ...)]` on the type).
    fn metadata() -> Option<TemplateMetadata> {
        None
    }
}

/// The properties of input type `T` with the given binding kind, in field order (no groups
/// assigned, no fixed properties).
///
/// # Errors
///
/// [`TemplateError::Invalid`] listing every problem found.
///
/// ```
/// use camunda_connector_sdk::template::{properties_of, BindingKind};
/// assert!(properties_of::<serde_json::Value>(BindingKind::Property).unwrap().is_empty());
/// ```
pub fn properties_of<T: InputTemplate + ?Sized>(
    kind: BindingKind,
) -> Result<Vec<Property>, TemplateError> {
    let mut problems = Vec::new();
    let properties = build::properties_of::<T>(kind, &mut problems);
    if problems.is_empty() {
        Ok(properties)
    } else {
        Err(TemplateError::Invalid {
            template: std::any::type_name::<T>().to_owned(),
            problems,
        })
    }
}

macro_rules! shaped {
    ($shape:ident: $($ty:ty),* $(,)?) => {
        $(impl InputTemplate for $ty {
            const SHAPE_KIND: spec::ShapeKind = spec::ShapeKind::$shape;

            fn shape() -> Shape {
                Shape::$shape
            }
        })*
    };
}

shaped!(String: String, str, char, url::Url);
shaped!(Number: u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64);
shaped!(Boolean: bool);
shaped!(Json: Value, serde_json::Map<String, Value>);

impl<T: InputTemplate + ?Sized> InputTemplate for Box<T> {
    const OPTIONAL: bool = T::OPTIONAL;
    const SHAPE_KIND: spec::ShapeKind = T::SHAPE_KIND;

    fn shape() -> Shape {
        T::shape()
    }

    fn metadata() -> Option<TemplateMetadata> {
        T::metadata()
    }
}

impl<T: InputTemplate> InputTemplate for Option<T> {
    const OPTIONAL: bool = true;
    const SHAPE_KIND: spec::ShapeKind = T::SHAPE_KIND;

    fn shape() -> Shape {
        T::shape()
    }
}

macro_rules! json_collection {
    ($($ty:ident<$($param:ident),*>),* $(,)?) => {
        $(impl<$($param),*> InputTemplate for $ty<$($param),*> {
            const SHAPE_KIND: spec::ShapeKind = spec::ShapeKind::Json;

            fn shape() -> Shape {
                Shape::Json
            }
        })*
    };
}

json_collection!(Vec<T>, HashSet<T, S>, BTreeSet<T>, HashMap<K, V, S>, BTreeMap<K, V>);
