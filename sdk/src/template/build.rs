//! Turns the shape of an input type into template properties, and checks the result.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::InputTemplate;
use super::error::TemplateProblem;
use super::model::{
    Binding, Choice, Condition, Constraints, FeelMode, Group, Pattern, Property, PropertyType,
};
use super::spec::{FieldSpec, ObjectShape, Presentation, Shape, TaggedShape, VariantFields};
use super::text::{URL_PATTERN, humanize, template_pattern};

/// Nesting deeper than this is reported instead of followed (recursive types).
const MAX_DEPTH: usize = 24;

/// Where the connector's own properties are bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BindingKind {
    /// `zeebe:input` mappings: outbound connectors.
    Input,
    /// `zeebe:property` entries: inbound connectors.
    Property,
}

/// The properties of input type `T`, in field order, before grouping; every problem found is
/// appended to `problems`.
pub(crate) fn properties_of<T: InputTemplate + ?Sized>(
    kind: BindingKind,
    problems: &mut Vec<TemplateProblem>,
) -> Vec<Property> {
    let mut builder = Builder {
        kind,
        problems,
        out: Vec::new(),
    };
    let root = Scope::default();
    match T::shape() {
        Shape::Object(object) => builder.object(&object, &root),
        Shape::Tagged(tagged) => builder.tagged(&tagged, &Presentation::default(), &root),
        Shape::Json => {}
        _ => builder.problems.push(TemplateProblem::NotAnObject {
            path: "(input)".to_owned(),
            type_name: std::any::type_name::<T>().to_owned(),
        }),
    }
    builder.out
}

struct Builder<'a> {
    kind: BindingKind,
    problems: &'a mut Vec<TemplateProblem>,
    out: Vec<Property>,
}

/// What a nested struct inherits from the field holding it.
#[derive(Clone, Default)]
struct Scope {
    id_prefix: String,
    binding_prefix: String,
    condition: Option<Condition>,
    group: Option<String>,
    depth: usize,
}

impl Scope {
    fn child(&self, id: &str, binding: &str, nested_path: bool) -> Scope {
        let (id_prefix, binding_prefix) = if nested_path {
            (format!("{id}."), format!("{binding}."))
        } else {
            (self.id_prefix.clone(), self.binding_prefix.clone())
        };
        Scope {
            id_prefix,
            binding_prefix,
            condition: self.condition.clone(),
            group: self.group.clone(),
            depth: self.depth + 1,
        }
    }

    fn absolute(&self, condition: &Condition) -> Condition {
        let prefix = self.id_prefix.clone();
        condition
            .clone()
            .map_properties(&move |id| format!("{prefix}{id}"))
    }
}

/// A field's place in the template once its scope is applied.
struct Placed {
    id: String,
    local_id: String,
    binding: String,
    condition: Option<Condition>,
    group: Option<String>,
}

fn combine(own: Option<Condition>, inherited: Option<Condition>) -> Option<Condition> {
    match (own, inherited) {
        (Some(own), Some(inherited)) => Some(own.and(inherited)),
        (own, inherited) => own.or(inherited),
    }
}

impl Builder<'_> {
    fn object(&mut self, object: &ObjectShape, scope: &Scope) {
        for field in &object.fields {
            self.field(field, scope);
        }
    }

    fn field(&mut self, field: &FieldSpec, scope: &Scope) {
        let placed = place(field, scope);
        let own_binding = field.binding.as_deref().unwrap_or(&field.wire_name);
        if self.kind == BindingKind::Input && own_binding.contains('.') {
            self.problems.push(TemplateProblem::DottedBinding {
                property: placed.id.clone(),
                binding: own_binding.to_owned(),
            });
        }
        if scope.depth > MAX_DEPTH {
            self.problems
                .push(TemplateProblem::TooDeep { path: placed.id });
            return;
        }
        let shape = (field.shape)();
        if field.property_type.is_some() || field.choices.is_some() {
            self.leaf(field, placed, &shape);
            return;
        }
        match &shape {
            Shape::Object(object) => {
                let child = self.child_scope(field, scope, &placed);
                self.object(object, &child);
            }
            Shape::Tagged(tagged) => {
                let child = self.child_scope(field, scope, &placed);
                self.tagged(tagged, &field.presentation, &child);
            }
            _ => self.leaf(field, placed, &shape),
        }
    }

    fn child_scope(&self, field: &FieldSpec, scope: &Scope, placed: &Placed) -> Scope {
        let mut child = scope.child(&placed.id, &placed.binding, field.nested_path);
        child.condition = placed.condition.clone();
        child.group = placed.group.clone();
        child
    }

    fn tagged(&mut self, tagged: &TaggedShape, outer: &Presentation, scope: &Scope) {
        let discriminator = self.discriminator(tagged, outer, scope);
        let id = discriminator.id.clone().unwrap_or_default();
        self.out.push(discriminator);
        for variant in &tagged.variants {
            let mut child = scope.clone();
            child.depth += 1;
            let when = Condition::equals(id.clone(), variant.value.clone());
            child.condition = combine(scope.condition.clone(), Some(when));
            match &variant.fields {
                VariantFields::Unit => {}
                VariantFields::Fields(fields) => fields.iter().for_each(|f| self.field(f, &child)),
                VariantFields::Newtype(type_name, shape) => match shape() {
                    Shape::Object(object) => self.object(&object, &child),
                    _ => self.problems.push(TemplateProblem::NotAnObject {
                        path: format!("{id}={}", variant.value),
                        type_name: (*type_name).to_owned(),
                    }),
                },
            }
        }
    }

    fn discriminator(
        &mut self,
        tagged: &TaggedShape,
        outer: &Presentation,
        scope: &Scope,
    ) -> Property {
        let own = &tagged.discriminator;
        let local_id = own.id.clone().unwrap_or_else(|| tagged.tag.clone());
        let id = format!("{}{local_id}", scope.id_prefix);
        let binding = format!("{}{}", scope.binding_prefix, tagged.tag);
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        let mut property = Property::new(PropertyType::Dropdown, self.binding(&id, binding));
        property.label =
            Some(pick(&outer.label, &own.label).unwrap_or_else(|| humanize(tagged.type_name)));
        property.description = pick(&outer.description, &own.description);
        property.tooltip = pick(&outer.tooltip, &own.tooltip);
        property.group = pick(&outer.group, &own.group).or_else(|| scope.group.clone());
        property.value = outer.value.clone().or_else(|| own.value.clone());
        property.condition = scope.condition.clone();
        let choices: Vec<Choice> = tagged
            .variants
            .iter()
            .map(|v| Choice::new(v.label.clone(), v.value.clone()))
            .collect();
        if choices.is_empty() {
            self.problems.push(TemplateProblem::NoVariants {
                property: id.clone(),
            });
        }
        property.choices = Some(choices);
        property.id = Some(id);
        property
    }

    fn binding(&mut self, id: &str, name: String) -> Binding {
        if self.kind == BindingKind::Input && !valid_input_target(&name) {
            self.problems.push(TemplateProblem::InvalidBindingName {
                property: id.to_owned(),
                binding: name.clone(),
            });
        }
        match self.kind {
            BindingKind::Input => Binding::input(name),
            BindingKind::Property => Binding::property(name),
        }
    }

    fn leaf(&mut self, field: &FieldSpec, placed: Placed, shape: &Shape) {
        let property_type = leaf_type(field, shape);
        let mut property = Property::new(property_type, self.binding(&placed.id, placed.binding));
        let presentation = &field.presentation;
        property.label = Some(
            presentation
                .label
                .clone()
                .unwrap_or_else(|| humanize(last_segment(&placed.local_id))),
        );
        property.description = presentation.description.clone();
        property.tooltip = presentation.tooltip.clone();
        property.placeholder = presentation.placeholder.clone();
        property.value = presentation.value.clone();
        property.group = placed.group;
        property.condition = placed.condition;
        property.choices = self.choices(field, shape, property_type);
        property.feel = self.feel(field, shape, property_type, &placed.id);
        property.constraints = self.constraints(field, property_type, &placed.id);
        if self.kind == BindingKind::Property && field.is_optional() {
            property.optional = Some(true);
        }
        property.id = Some(placed.id);
        self.out.push(property);
    }

    fn choices(
        &mut self,
        field: &FieldSpec,
        shape: &Shape,
        property_type: PropertyType,
    ) -> Option<Vec<Choice>> {
        if property_type != PropertyType::Dropdown {
            return None;
        }
        match (&field.choices, shape) {
            (Some(choices), _) | (None, Shape::Dropdown(choices)) => Some(choices.clone()),
            _ => Some(Vec::new()),
        }
    }

    fn feel(
        &mut self,
        field: &FieldSpec,
        shape: &Shape,
        property_type: PropertyType,
        id: &str,
    ) -> Option<FeelMode> {
        let default = match (property_type, shape) {
            (PropertyType::Dropdown | PropertyType::Hidden, _) => None,
            (PropertyType::Number | PropertyType::Boolean, _) => Some(FeelMode::Static),
            (_, Shape::Json) => Some(FeelMode::Required),
            _ => Some(FeelMode::Optional),
        };
        let Some(explicit) = field.feel else {
            return default;
        };
        if !feel_allowed(property_type, explicit) {
            self.problems.push(TemplateProblem::FeelNotAllowed {
                property: id.to_owned(),
                property_type: property_type.as_str(),
                feel: feel_name(explicit),
            });
        }
        Some(explicit)
    }

    fn constraints(
        &mut self,
        field: &FieldSpec,
        property_type: PropertyType,
        id: &str,
    ) -> Option<Constraints> {
        let rules = &field.rules;
        let textual = matches!(property_type, PropertyType::String | PropertyType::Text);
        let mut constraints = Constraints::default();
        if rules.not_empty {
            constraints.not_empty = Some(true);
        }
        if textual {
            constraints.min_length = rules.min_length;
            constraints.max_length = rules.max_length;
            constraints.pattern = self.pattern(field, id);
        }
        let has_checks = constraints.pattern.is_some()
            || constraints.min_length.is_some()
            || constraints.max_length.is_some();
        if has_checks && !rules.not_empty && field.is_optional() {
            constraints.not_empty = Some(false);
        }
        (!constraints.is_empty()).then_some(constraints)
    }

    fn pattern(&mut self, field: &FieldSpec, id: &str) -> Option<Pattern> {
        if let Some((pattern, message)) = &field.rules.pattern {
            if let Err(err) = regex::Regex::new(pattern) {
                self.problems.push(TemplateProblem::InvalidPattern {
                    property: id.to_owned(),
                    message: err.to_string(),
                });
            }
            let message = message
                .clone()
                .unwrap_or_else(|| format!("Must match the pattern {pattern}"));
            return Some(Pattern::new(template_pattern(pattern), Some(message)));
        }
        field.rules.url.then(|| {
            Pattern::new(
                template_pattern(URL_PATTERN),
                Some("Must be an http:// or https:// URL".to_owned()),
            )
        })
    }
}

fn place(field: &FieldSpec, scope: &Scope) -> Placed {
    let local_id = field
        .presentation
        .id
        .clone()
        .unwrap_or_else(|| field.wire_name.clone());
    let local_binding = field
        .binding
        .clone()
        .unwrap_or_else(|| field.wire_name.clone());
    let own = field.condition.as_ref().map(|c| scope.absolute(c));
    Placed {
        id: format!("{}{local_id}", scope.id_prefix),
        binding: format!("{}{local_binding}", scope.binding_prefix),
        local_id,
        condition: combine(own, scope.condition.clone()),
        group: field
            .presentation
            .group
            .clone()
            .or_else(|| scope.group.clone()),
    }
}

fn leaf_type(field: &FieldSpec, shape: &Shape) -> PropertyType {
    if let Some(explicit) = field.property_type {
        return explicit;
    }
    if field.choices.is_some() {
        return PropertyType::Dropdown;
    }
    match shape {
        Shape::Number => PropertyType::Number,
        Shape::Boolean => PropertyType::Boolean,
        Shape::Dropdown(_) => PropertyType::Dropdown,
        _ => PropertyType::String,
    }
}

fn feel_allowed(property_type: PropertyType, feel: FeelMode) -> bool {
    match property_type {
        PropertyType::String | PropertyType::Text => feel != FeelMode::Static,
        PropertyType::Number | PropertyType::Boolean => true,
        PropertyType::Dropdown | PropertyType::Hidden => false,
    }
}

fn feel_name(feel: FeelMode) -> &'static str {
    match feel {
        FeelMode::Optional => "optional",
        FeelMode::Required => "required",
        FeelMode::Static => "static",
    }
}

fn last_segment(id: &str) -> &str {
    id.rsplit('.').next().unwrap_or(id)
}

/// Whether `name` is a `zeebe:input` target the engine turns into (nested) variables.
fn valid_input_target(name: &str) -> bool {
    name.split('.').all(|part| {
        let mut chars = part.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Puts the properties into groups: declared groups in their order, or (when none is declared)
/// groups in order of first use, or the single group `default` when no property has a group.
/// Returns the groups and the properties ungrouped first, then group by group.
pub(crate) fn group_properties(
    declared: &[Group],
    mut properties: Vec<Property>,
    problems: &mut Vec<TemplateProblem>,
) -> (Vec<Group>, Vec<Property>) {
    if declared.is_empty() && !properties.is_empty() && properties.iter().all(|p| p.group.is_none())
    {
        properties
            .iter_mut()
            .for_each(|p| p.group = Some("default".to_owned()));
        return (vec![Group::new("default", "Properties")], properties);
    }
    let groups = if declared.is_empty() {
        auto_groups(&properties)
    } else {
        check_declared(declared, &properties, problems);
        declared.to_vec()
    };
    let order: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let rank = |p: &Property| match &p.group {
        None => 0,
        Some(g) => order.get(g.as_str()).map_or(usize::MAX, |i| i + 1),
    };
    properties.sort_by_key(rank);
    (groups, properties)
}

fn auto_groups(properties: &[Property]) -> Vec<Group> {
    let mut seen = HashSet::new();
    properties
        .iter()
        .filter_map(|p| p.group.as_deref())
        .filter(|g| seen.insert(*g))
        .map(|g| Group::new(g, humanize(g)))
        .collect()
}

fn check_declared(
    declared: &[Group],
    properties: &[Property],
    problems: &mut Vec<TemplateProblem>,
) {
    let ids: HashSet<&str> = declared.iter().map(|g| g.id.as_str()).collect();
    for property in properties {
        if let Some(group) = property.group.as_deref().filter(|g| !ids.contains(g)) {
            problems.push(TemplateProblem::UndeclaredGroup {
                property: display_id(property),
                group: group.to_owned(),
            });
        }
    }
    let used: HashSet<&str> = properties
        .iter()
        .filter_map(|p| p.group.as_deref())
        .collect();
    for group in declared.iter().filter(|g| !used.contains(g.id.as_str())) {
        problems.push(TemplateProblem::UnusedGroup {
            group: group.id.clone(),
        });
    }
}

fn display_id(property: &Property) -> String {
    property
        .id
        .clone()
        .unwrap_or_else(|| property.binding.name().to_owned())
}

/// Checks what only the whole property list shows: unique ids, conditions reading earlier
/// properties, dropdown defaults among the choices, hidden values, FEEL defaults.
pub(crate) fn check_properties(properties: &[Property], problems: &mut Vec<TemplateProblem>) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, property) in properties.iter().enumerate() {
        if let Some(id) = property.id.as_deref()
            && seen.insert(id, index).is_some()
        {
            problems.push(TemplateProblem::DuplicateId { id: id.to_owned() });
        }
    }
    let all: HashMap<&str, usize> = properties
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.id.as_deref().map(|id| (id, i)))
        .collect();
    for (index, property) in properties.iter().enumerate() {
        check_condition(property, index, &all, problems);
        check_value(property, problems);
    }
}

fn check_condition(
    property: &Property,
    index: usize,
    ids: &HashMap<&str, usize>,
    problems: &mut Vec<TemplateProblem>,
) {
    let Some(condition) = &property.condition else {
        return;
    };
    if has_empty_one_of(condition) {
        problems.push(TemplateProblem::EmptyCondition {
            property: display_id(property),
        });
    }
    for target in condition.properties() {
        let problem = match ids.get(target) {
            None => TemplateProblem::UnknownConditionProperty {
                property: display_id(property),
                target: target.to_owned(),
            },
            Some(&at) if at >= index => TemplateProblem::ConditionOnLaterProperty {
                property: display_id(property),
                target: target.to_owned(),
            },
            Some(_) => continue,
        };
        problems.push(problem);
    }
}

fn has_empty_one_of(condition: &Condition) -> bool {
    match condition {
        Condition::OneOf { one_of, .. } => one_of.is_empty(),
        Condition::AllMatch(all) => all.is_empty() || all.iter().any(has_empty_one_of),
        _ => false,
    }
}

fn check_value(property: &Property, problems: &mut Vec<TemplateProblem>) {
    let id = display_id(property);
    let value = property.value.as_ref();
    match property.property_type {
        PropertyType::Dropdown => check_choices(property, &id, problems),
        PropertyType::Hidden if value.is_none() => {
            problems.push(TemplateProblem::HiddenWithoutValue {
                property: id.clone(),
            });
        }
        _ => {}
    }
    let expected = match property.property_type {
        PropertyType::Number => {
            (!matches!(value, None | Some(Value::Number(_)))).then_some("a number")
        }
        PropertyType::Boolean => {
            (!matches!(value, None | Some(Value::Bool(_)))).then_some("a boolean")
        }
        _ => (!matches!(value, None | Some(Value::String(_)))).then_some("a string"),
    };
    if let Some(expected) = expected {
        problems.push(TemplateProblem::DefaultTypeMismatch {
            property: id.clone(),
            expected,
        });
    }
    let not_feel = matches!(value, Some(Value::String(s)) if !s.starts_with('='));
    if property.feel == Some(FeelMode::Required) && not_feel {
        problems.push(TemplateProblem::DefaultNotFeel { property: id });
    }
}

fn check_choices(property: &Property, id: &str, problems: &mut Vec<TemplateProblem>) {
    let choices = property.choices.as_deref().unwrap_or_default();
    if choices.is_empty() {
        problems.push(TemplateProblem::NoChoices {
            property: id.to_owned(),
        });
    }
    for choice in choices.iter().filter(|c| c.name.trim().is_empty()) {
        problems.push(TemplateProblem::EmptyChoiceName {
            property: id.to_owned(),
            value: choice.value.clone(),
        });
    }
    if let Some(Value::String(value)) = &property.value
        && !choices.iter().any(|c| &c.value == value)
    {
        problems.push(TemplateProblem::DefaultNotAChoice {
            property: id.to_owned(),
            value: value.clone(),
        });
    }
}
