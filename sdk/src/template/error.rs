//! Why a template could not be built.

use std::fmt;

/// A template could not be built from the input type.
///
/// ```
/// use camunda_connector_sdk::template::{TemplateError, TemplateProblem};
/// let err = TemplateError::Invalid {
///     template: "io.example.v1".into(),
///     problems: vec![TemplateProblem::UnusedGroup { group: "advanced".into() }],
/// };
/// assert!(err.to_string().contains("group `advanced` is declared but no property uses it"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// The input type carries no `#[template(id = "...", name = "...")]`.
    #[error(
        "the input type `{type_name}` has no template metadata; add `#[template(id = \"...\", name = \"...\")]` to it"
    )]
    MissingMetadata {
        /// The Rust type.
        type_name: &'static str,
    },
    /// The template has problems; every one is listed.
    #[error("element template `{template}` is invalid:{}", render(.problems))]
    Invalid {
        /// The template id.
        template: String,
        /// Every problem found.
        problems: Vec<TemplateProblem>,
    },
}

impl TemplateError {
    /// The problems found; empty for [`TemplateError::MissingMetadata`].
    ///
    /// ```
    /// # use camunda_connector_sdk::template::TemplateError;
    /// assert!(TemplateError::MissingMetadata { type_name: "A" }.problems().is_empty());
    /// ```
    pub fn problems(&self) -> &[TemplateProblem] {
        match self {
            TemplateError::Invalid { problems, .. } => problems,
            TemplateError::MissingMetadata { .. } => &[],
        }
    }
}

fn render(problems: &[TemplateProblem]) -> String {
    problems.iter().map(|p| format!("\n- {p}")).collect()
}

/// One problem in a template.
///
/// ```
/// use camunda_connector_sdk::template::TemplateProblem;
/// let p = TemplateProblem::DuplicateId { id: "url".into() };
/// assert_eq!(p.to_string(), "two properties have the id `url`; give one `#[template(id = \"...\")]`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateProblem {
    /// A condition reads a property id that does not exist.
    UnknownConditionProperty {
        /// The property carrying the condition.
        property: String,
        /// The id it reads.
        target: String,
    },
    /// A condition reads a property shown after the one it controls.
    ConditionOnLaterProperty {
        /// The property carrying the condition.
        property: String,
        /// The id it reads.
        target: String,
    },
    /// A `oneOf` condition without values.
    EmptyCondition {
        /// The property carrying the condition.
        property: String,
    },
    /// A property names a group the template does not declare.
    UndeclaredGroup {
        /// The property.
        property: String,
        /// The group id.
        group: String,
    },
    /// A declared group that no property uses.
    UnusedGroup {
        /// The group id.
        group: String,
    },
    /// Two properties share an id.
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A dropdown's default is not one of its choices.
    DefaultNotAChoice {
        /// The property.
        property: String,
        /// The default.
        value: String,
    },
    /// A dropdown without choices.
    NoChoices {
        /// The property.
        property: String,
    },
    /// A dropdown choice with an empty label.
    EmptyChoiceName {
        /// The property.
        property: String,
        /// The choice's value.
        value: String,
    },
    /// A hidden property without a value.
    HiddenWithoutValue {
        /// The property.
        property: String,
    },
    /// A FEEL-required property whose default is not an expression.
    DefaultNotFeel {
        /// The property.
        property: String,
    },
    /// A FEEL mode the property type does not allow.
    FeelNotAllowed {
        /// The property.
        property: String,
        /// The property type.
        property_type: &'static str,
        /// The FEEL mode.
        feel: &'static str,
    },
    /// A default whose JSON type does not suit the property type.
    DefaultTypeMismatch {
        /// The property.
        property: String,
        /// What the type needs.
        expected: &'static str,
    },
    /// A binding name the engine cannot use as an input target.
    InvalidBindingName {
        /// The property.
        property: String,
        /// The binding name.
        binding: String,
    },
    /// A field's own binding name contains a dot: the engine would nest the value
    /// (`{a: {b: ..}}`) while serde expects one top-level key.
    DottedBinding {
        /// The property.
        property: String,
        /// The field's own binding name.
        binding: String,
    },
    /// A validation pattern that does not compile.
    InvalidPattern {
        /// The property.
        property: String,
        /// The regex error.
        message: String,
    },
    /// A type that should contribute fields is not a struct or tagged enum.
    NotAnObject {
        /// Where it was found.
        path: String,
        /// The Rust type.
        type_name: String,
    },
    /// A tagged enum without any variant left in the template.
    NoVariants {
        /// The discriminator property.
        property: String,
    },
    /// Nesting deeper than the builder follows (usually a recursive type).
    TooDeep {
        /// Where it stopped.
        path: String,
    },
}

impl fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TemplateProblem as P;
        match self {
            P::UnknownConditionProperty { property, target } => write!(
                f,
                "the condition of `{property}` refers to `{target}`, which is not a property id"
            ),
            P::ConditionOnLaterProperty { property, target } => write!(
                f,
                "the condition of `{property}` refers to `{target}`, which is shown after it; a condition may only read properties listed before it"
            ),
            P::EmptyCondition { property } => {
                write!(f, "the condition of `{property}` lists no values")
            }
            P::UndeclaredGroup { property, group } => write!(
                f,
                "`{property}` is in group `{group}`, which the template does not declare; declare it on the input type with `#[template(groups = [...])]` or `#[template(group(id = \"...\"))]`"
            ),
            P::UnusedGroup { group } => {
                write!(f, "group `{group}` is declared but no property uses it")
            }
            P::DuplicateId { id } => write!(
                f,
                "two properties have the id `{id}`; give one `#[template(id = \"...\")]`"
            ),
            P::DefaultNotAChoice { property, value } => write!(
                f,
                "the default `{value}` of `{property}` is not one of its choices"
            ),
            P::NoChoices { property } => write!(f, "the dropdown `{property}` has no choices"),
            P::EmptyChoiceName { property, value } => {
                write!(f, "the choice `{value}` of `{property}` has an empty label")
            }
            P::HiddenWithoutValue { property } => {
                write!(f, "the hidden property `{property}` has no value")
            }
            P::DefaultNotFeel { property } => write!(
                f,
                "the default of `{property}` must be a FEEL expression starting with `=`, because the property requires FEEL"
            ),
            P::FeelNotAllowed {
                property,
                property_type,
                feel,
            } => write!(
                f,
                "`{property}` is a {property_type} property, which does not allow `feel = \"{feel}\"`"
            ),
            P::DefaultTypeMismatch { property, expected } => {
                write!(f, "the default of `{property}` must be {expected}")
            }
            P::InvalidBindingName { property, binding } => write!(
                f,
                "the binding `{binding}` of `{property}` is not a valid input target: each dot-separated part must start with an ASCII letter or `_` and hold only ASCII letters, digits and `_`"
            ),
            P::DottedBinding { property, binding } => write!(
                f,
                "the binding `{binding}` of `{property}` contains a dot: the engine would create nested variables while the field expects one key named `{binding}`; use a nested struct instead"
            ),
            P::InvalidPattern { property, message } => {
                write!(f, "the pattern of `{property}` does not compile: {message}")
            }
            P::NotAnObject { path, type_name } => write!(
                f,
                "`{path}` has type `{type_name}`, which is not a struct or tagged enum with fields"
            ),
            P::NoVariants { property } => {
                write!(f, "the discriminator `{property}` has no variants left")
            }
            P::TooDeep { path } => write!(
                f,
                "`{path}` is nested too deeply (is the type recursive?); give the field `#[template(type = \"Text\")]` or `#[template(skip)]`"
            ),
        }
    }
}
