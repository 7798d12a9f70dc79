//! Rules that involve several attributes, one function per rule. Rules that need the types of
//! other structs (ids after nesting, conditions across structs) run when the template is built.

use std::collections::{HashMap, HashSet};

use syn::LitStr;

use super::ast::{Container, Data, Field, Style};
use super::attr::DefaultKind;
use super::ctxt::Ctxt;

pub(crate) fn check(cx: &Ctxt, cont: &Container<'_>) {
    check_metadata(cx, cont);
    check_icon(cx, cont);
    check_enum_shape(cx, cont);
    let scopes = field_scopes(cont);
    for fields in &scopes {
        check_duplicate_ids(cx, fields);
        check_condition_targets(cx, cont, fields);
        for field in fields {
            check_field(cx, cont, field);
        }
    }
}

fn field_scopes<'c, 'a>(cont: &'c Container<'a>) -> Vec<Vec<&'c Field<'a>>> {
    match &cont.data {
        Data::Struct(fields) => vec![fields.iter().collect()],
        // Every variant's fields share the enum's scope: they sit next to each other (and to
        // the discriminator) in the template.
        Data::Enum(variants) => vec![
            variants
                .iter()
                .filter_map(|v| match &v.style {
                    Style::Struct(fields) => Some(fields.iter()),
                    _ => None,
                })
                .flatten()
                .collect(),
        ],
    }
}

/// A template needs both an id and a name; the other metadata keys describe that template, so
/// they mean nothing on a type that is only nested in another input.
fn check_metadata(cx: &Ctxt, cont: &Container<'_>) {
    let attrs = &cont.attrs;
    let Some(first) = attrs.first_metadata_key else {
        return;
    };
    // A key that was written but invalid is already reported.
    if attrs.id.is_none() && !attrs.keys.contains("id") {
        cx.error_at(
            first,
            "the template metadata needs `template(id = \"...\")`",
        );
    }
    if attrs.name.is_none() && !attrs.keys.contains("name") {
        cx.error_at(
            first,
            "the template metadata needs `template(name = \"...\")`",
        );
    }
    let mut seen = HashSet::new();
    for group in &attrs.groups {
        if !seen.insert(group.id.value()) {
            cx.error_spanned_by(
                &group.id,
                format!("group `{}` is declared twice", group.id.value()),
            );
        }
    }
    if let Some(expr) = &attrs.default_result_expression
        && !expr.value().trim_start().starts_with('=')
    {
        cx.error_spanned_by(expr, "`template(default_result_expression = ...)` must be a FEEL expression starting with `=`");
    }
}

/// The Modeler only shows data-URI icons; we embed SVG and PNG files.
fn check_icon(cx: &Ctxt, cont: &Container<'_>) {
    let Some(icon) = &cont.attrs.icon else {
        return;
    };
    let path = icon.value();
    let lower = path.to_ascii_lowercase();
    if !(lower.ends_with(".svg") || lower.ends_with(".png")) {
        cx.error_spanned_by(icon, "`template(icon = ...)` must name an `.svg` or `.png` file, relative to the crate's Cargo.toml");
        return;
    }
    // Checked here so the error names the path as written; `include_bytes!` in the expansion
    // still makes cargo rebuild when the file changes.
    let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") else {
        return;
    };
    let file = std::path::Path::new(&manifest_dir).join(path.trim_start_matches("./"));
    if !file.is_file() {
        cx.error_spanned_by(
            icon,
            format!("the icon file `{path}` does not exist; `template(icon = ...)` is relative to the directory of the crate's Cargo.toml"),
        );
    }
}

/// Data-carrying variants can only be told apart in the template through a tag field.
fn check_enum_shape(cx: &Ctxt, cont: &Container<'_>) {
    if let Some(span) = cont.attrs.discriminator_key
        && (cont.serde.tag.is_none() || matches!(cont.data, Data::Struct(_)))
    {
        cx.error_at(
            span,
            "`template(discriminator(...))` applies to enums with `#[serde(tag = \"...\")]`",
        );
    }
    let Data::Enum(variants) = &cont.data else {
        return;
    };
    let has_data = variants.iter().any(|v| !matches!(v.style, Style::Unit));
    if has_data && cont.serde.tag.is_none() && !cont.serde.rejected {
        cx.error_spanned_by(
            cont.ident,
            "an enum with fields needs `#[serde(tag = \"...\")]`: the template shows its variants as a dropdown bound to the tag field",
        );
    }
    if variants.iter().all(|v| !v.in_template()) {
        cx.error_spanned_by(
            cont.ident,
            "the enum has no variant left for the template's dropdown",
        );
    }
}

/// Conditions and the Modeler find properties by id, so two fields may not share one.
fn check_duplicate_ids(cx: &Ctxt, fields: &[&Field<'_>]) {
    let mut seen: HashMap<String, &syn::Ident> = HashMap::new();
    for field in fields.iter().filter(|f| f.in_template()) {
        let id = field.local_id();
        if let Some(first) = seen.get(&id) {
            let message = format!(
                "the property id `{id}` is already used by field `{first}`; set a different `template(id = \"...\")`"
            );
            match &field.attrs.presentation.id {
                Some(lit) => cx.error_spanned_by(lit, message),
                None => cx.error_spanned_by(field.ident, message),
            }
        } else {
            seen.insert(id, field.ident);
        }
    }
}

/// A condition naming a property that does not exist hides its field forever (C01). Ids of
/// nested structs are only known when the template is built, so a dotted id is checked by its
/// first part here, and fully at build time.
fn check_condition_targets(cx: &Ctxt, cont: &Container<'_>, fields: &[&Field<'_>]) {
    if fields
        .iter()
        .any(|f| f.attrs.nested_path.as_ref().is_some_and(|b| !b.value))
    {
        return;
    }
    let all: HashSet<String> = fields
        .iter()
        .filter(|f| f.in_template())
        .map(|f| f.local_id())
        .collect();
    // The template lists properties in field order (a discriminator before its variants'
    // fields), and a condition may only read properties listed before it.
    let mut before: Vec<String> = Vec::new();
    if let Some(tag) = &cont.serde.tag {
        let id = cont
            .attrs
            .discriminator
            .id
            .as_ref()
            .map_or_else(|| tag.value(), LitStr::value);
        before.push(id);
    }
    for field in fields {
        if let Some((_, condition)) = &field.attrs.condition {
            for target in condition.properties() {
                check_condition_target(cx, target, &before, &all, field);
            }
        }
        if field.in_template() {
            before.push(field.local_id());
        }
    }
}

fn check_condition_target(
    cx: &Ctxt,
    target: &LitStr,
    before: &[String],
    all: &HashSet<String>,
    field: &Field<'_>,
) {
    let value = target.value();
    let first = value.split('.').next().unwrap_or_default();
    let listed_before = |id: &str| before.iter().any(|b| b == id);
    if listed_before(&value) || listed_before(first) {
        return;
    }
    if all.contains(&value) || all.contains(first) {
        let what = if field.local_id() == value || field.local_id() == first {
            "this field itself".to_owned()
        } else {
            "a field declared after this one".to_owned()
        };
        cx.error_spanned_by(target, format!("the condition refers to `{value}`, which is {what}; a condition may only read properties listed before it, so declare that field first"));
        return;
    }
    let mut ids: Vec<&String> = before.iter().collect();
    ids.sort();
    ids.dedup();
    let list = if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    cx.error_spanned_by(target, format!("the condition refers to `{value}`, which is not a property id of this type; ids declared before this field: {list}"));
}

fn check_field(cx: &Ctxt, cont: &Container<'_>, field: &Field<'_>) {
    check_group_declared(cx, cont, field);
    check_binding_name(cx, field);
    check_pattern(cx, field);
    check_type_and_feel(cx, field);
    check_choices(cx, field);
    check_default(cx, field);
    check_rules(cx, field);
    check_nested_only(cx, field);
}

/// A property in an undeclared group vanishes from the Modeler (C01).
fn check_group_declared(cx: &Ctxt, cont: &Container<'_>, field: &Field<'_>) {
    let declared = &cont.attrs.groups;
    let Some(group) = &field.attrs.presentation.group else {
        return;
    };
    if declared.is_empty() || declared.iter().any(|g| g.id.value() == group.value()) {
        return;
    }
    let list = declared
        .iter()
        .map(|g| format!("`{}`", g.id.value()))
        .collect::<Vec<_>>()
        .join(", ");
    cx.error_spanned_by(group, format!("group `{}` is not declared on the type (with `template(groups = [...])` or `template(group(id = \"...\"))`); declared: {list}", group.value()));
}

fn property_type(field: &Field<'_>) -> Option<String> {
    field.attrs.property_type.as_ref().map(LitStr::value)
}

/// The schema allows FEEL only on String/Text (optional, required) and Number/Boolean (also
/// static); a dropdown or hidden value is never an expression.
fn check_type_and_feel(cx: &Ctxt, field: &Field<'_>) {
    let Some(feel) = &field.attrs.feel else {
        return;
    };
    let ty = property_type(field)
        .or_else(|| field.attrs.choices.as_ref().map(|_| "Dropdown".to_owned()));
    let allowed = match ty.as_deref() {
        Some("Dropdown") | Some("Hidden") => false,
        Some("String") | Some("Text") => feel.value() != "static",
        _ => true,
    };
    if !allowed {
        let ty = ty.unwrap_or_default();
        cx.error_spanned_by(
            feel,
            format!(
                "a {ty} property does not allow `feel = \"{}\"`",
                feel.value()
            ),
        );
    }
}

/// Choices only make sense on a dropdown.
fn check_choices(cx: &Ctxt, field: &Field<'_>) {
    let Some((span, _)) = &field.attrs.choices else {
        return;
    };
    if let Some(ty) = &field.attrs.property_type
        && ty.value() != "Dropdown"
    {
        cx.error_at(
            *span,
            format!(
                "`template(choices(...))` needs a Dropdown property, not `type = \"{}\"`",
                ty.value()
            ),
        );
    }
}

/// Defaults must fit the property: a choice of the dropdown, an expression when FEEL is
/// required, the JSON type the property type writes; a hidden property needs one.
fn check_default(cx: &Ctxt, field: &Field<'_>) {
    let default = &field.attrs.presentation.default;
    let ty = property_type(field);
    if ty.as_deref() == Some("Hidden") && default.is_none() {
        let lit = field
            .attrs
            .property_type
            .as_ref()
            .unwrap_or_else(|| unreachable!("type is set"));
        cx.error_spanned_by(
            lit,
            "a Hidden property needs a `template(default = ...)` value",
        );
    }
    let Some(default) = default else {
        return;
    };
    if let (Some((_, choices)), DefaultKind::Str(value)) = (&field.attrs.choices, &default.kind)
        && !choices.iter().any(|c| &c.value.value() == value)
    {
        let list = choices
            .iter()
            .map(|c| format!("`{}`", c.value.value()))
            .collect::<Vec<_>>()
            .join(", ");
        cx.error_spanned_by(
            &default.expr,
            format!("the default `{value}` is not one of the choices: {list}"),
        );
    }
    if let (Some(feel), DefaultKind::Str(value)) = (&field.attrs.feel, &default.kind)
        && feel.value() == "required"
        && !value.starts_with('=')
    {
        cx.error_spanned_by(
            &default.expr,
            "with `feel = \"required\"` the default must be a FEEL expression starting with `=`",
        );
    }
    let expected = match ty.as_deref() {
        Some("Number") => (default.kind != DefaultKind::Number).then_some("a number"),
        Some("Boolean") => (default.kind != DefaultKind::Bool).then_some("`true` or `false`"),
        Some(_) => (!matches!(default.kind, DefaultKind::Str(_))).then_some("a string"),
        None if field.attrs.choices.is_some() => {
            (!matches!(default.kind, DefaultKind::Str(_))).then_some("a string")
        }
        None => None,
    };
    if let Some(expected) = expected {
        cx.error_spanned_by(
            &default.expr,
            format!("the default of this property must be {expected}"),
        );
    }
}

/// Validation rules that contradict each other can never pass.
fn check_rules(cx: &Ctxt, field: &Field<'_>) {
    let rules = &field.validate;
    if let (Some(message), None) = (&rules.message, &rules.pattern) {
        cx.error_spanned_by(
            message,
            "`validate(message = ...)` is the message of `pattern`, which is missing",
        );
    }
    if let (Some(min), Some(max)) = (&rules.min_length, &rules.max_length) {
        let (a, b) = (
            min.base10_parse::<u32>().unwrap_or(0),
            max.base10_parse::<u32>().unwrap_or(0),
        );
        if a > b {
            cx.error_spanned_by(
                max,
                format!("`max_length = {b}` is less than `min_length = {a}`"),
            );
        }
    }
    if let Some((_, Some(min), Some(max))) = &rules.range
        && min.value > max.value
    {
        cx.error_spanned_by(&max.expr, "`range(max = ...)` is less than `min`");
    }
    if rules.skip.is_some()
        && (rules.not_empty.is_some()
            || rules.pattern.is_some()
            || rules.url.is_some()
            || rules.range.is_some()
            || rules.min_length.is_some()
            || rules.max_length.is_some())
    {
        let span = rules.skip.unwrap_or_else(|| unreachable!("checked"));
        cx.error_at(span, "`validate(skip)` skips the nested type's validation only; it cannot be combined with other rules");
    }
}

/// `nested_path` only changes how a nested struct's properties are named; the key on a field
/// that is one property (explicit type or choices) would silently do nothing.
fn check_nested_only(cx: &Ctxt, field: &Field<'_>) {
    let Some(flag) = &field.attrs.nested_path else {
        return;
    };
    if field.attrs.property_type.is_some() || field.attrs.choices.is_some() {
        cx.error_spanned_by(flag, "`template(nested_path = ...)` applies to nested structs, not to a field with `type` or `choices`");
    }
    if field.attrs.binding.is_some() && !flag.value {
        cx.error_spanned_by(flag, "`nested_path = false` and `binding` cannot be combined: without a path the field has no binding of its own");
    }
}

/// Zeebe turns a dotted input target into nested variables (`a.b` → `{a: {b: ..}}`), while
/// serde reads one top-level key `"a.b"`: every job would fail to bind.
fn check_binding_name(cx: &Ctxt, field: &Field<'_>) {
    if !field.in_template() {
        return;
    }
    const ADVICE: &str = "Zeebe would create the nested variables `{a: {b: ..}}` while serde expects one key; use a nested struct (a field holding a struct with the inner field) instead";
    if let Some(binding) = &field.attrs.binding
        && binding.value().contains('.')
    {
        cx.error_spanned_by(
            binding,
            format!("the binding `{}` contains a dot: {ADVICE}", binding.value()),
        );
    } else if field.attrs.binding.is_none() && field.wire_name.contains('.') {
        cx.error_spanned_by(
            field.ident,
            format!("the serde name `{}` contains a dot, which the template would use as binding: {ADVICE}", field.wire_name),
        );
    }
}

/// A pattern that does not parse would fail every job at run time.
fn check_pattern(cx: &Ctxt, field: &Field<'_>) {
    let Some(pattern) = &field.validate.pattern else {
        return;
    };
    if let Err(err) = regex_syntax::Parser::new().parse(&pattern.value()) {
        let detail = match &err {
            regex_syntax::Error::Parse(e) => e.kind().to_string(),
            regex_syntax::Error::Translate(e) => e.kind().to_string(),
            other => other.to_string(),
        };
        cx.error_spanned_by(
            pattern,
            format!("`validate(pattern = ...)` is not a valid regular expression: {detail}"),
        );
    }
}
