//! Typed attributes per level (container, field, variant), parsed from `#[template(...)]`,
//! `#[validate(...)]` and the `#[serde(...)]` attributes that decide binding names.
//!
//! Simple checks (value kinds, unknown and duplicate keys) happen here; rules spanning several
//! attributes live in `check.rs`.

use std::collections::HashSet;

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprUnary, Lit, LitBool, LitInt, LitStr, UnOp};

use super::case::RenameRule;
use super::ctxt::Ctxt;
use super::symbol::*;

/// Keys accepted in `#[template(...)]` on a struct or enum.
const CONTAINER_KEYS: &str = "`crate`, `id`, `name`, `version`, `description`, `documentation_ref`, `icon`, `keywords`, `groups`, `group`, `engine_version`, `category`, `default_result_variable`, `default_result_expression`, `discriminator`";
/// Keys accepted in `#[template(...)]` on a field.
const FIELD_KEYS: &str = "`id`, `label`, `description`, `tooltip`, `placeholder`, `group`, `type`, `feel`, `default`, `optional`, `binding`, `condition`, `choices`, `nested_path`, `skip`";
/// Keys accepted in `#[template(...)]` on a variant.
const VARIANT_KEYS: &str = "`label`, `skip`";
/// Keys accepted in `#[validate(...)]`.
const VALIDATE_KEYS: &str =
    "`not_empty`, `min_length`, `max_length`, `pattern`, `message`, `range`, `url`, `skip`";
const GROUP_KEYS: &str = "`id`, `label`, `tooltip`, `open_by_default`";
const DISCRIMINATOR_KEYS: &str = "`id`, `label`, `description`, `tooltip`, `group`, `default`";
const CONDITION_KEYS: &str = "`property`, `equals`, `one_of`, `is_active`, `all_match`";
const CHOICE_KEYS: &str = "`value`, `label`";
const CATEGORY_KEYS: &str = "`id`, `name`";
const RANGE_KEYS: &str = "`min`, `max`";
pub(crate) const PROPERTY_TYPES: &str =
    "`String`, `Text`, `Boolean`, `Number`, `Dropdown`, `Hidden`";
pub(crate) const FEEL_MODES: &str = "`optional`, `required`, `static`";

/// A literal default value, kept as written for the generated code.
#[derive(Clone)]
pub(crate) struct DefaultValue {
    pub(crate) expr: Expr,
    pub(crate) kind: DefaultKind,
}

#[derive(Clone, PartialEq)]
pub(crate) enum DefaultKind {
    Str(String),
    Number,
    Bool,
}

/// A number literal, possibly negative.
#[derive(Clone)]
pub(crate) struct Number {
    pub(crate) value: f64,
    pub(crate) expr: Expr,
}

/// One `group(...)` of the container.
pub(crate) struct GroupAttr {
    pub(crate) id: LitStr,
    pub(crate) label: Option<LitStr>,
    pub(crate) tooltip: Option<LitStr>,
    pub(crate) open_by_default: Option<LitBool>,
}

/// The presentation of a discriminator or a field.
#[derive(Default)]
pub(crate) struct Presentation {
    pub(crate) id: Option<LitStr>,
    pub(crate) label: Option<LitStr>,
    pub(crate) description: Option<LitStr>,
    pub(crate) tooltip: Option<LitStr>,
    pub(crate) placeholder: Option<LitStr>,
    pub(crate) group: Option<LitStr>,
    pub(crate) default: Option<DefaultValue>,
}

/// `#[template(...)]` on a struct or enum.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) crate_path: Option<syn::Path>,
    pub(crate) id: Option<LitStr>,
    pub(crate) name: Option<LitStr>,
    pub(crate) version: Option<LitInt>,
    pub(crate) description: Option<LitStr>,
    pub(crate) documentation_ref: Option<LitStr>,
    pub(crate) icon: Option<LitStr>,
    pub(crate) keywords: Vec<LitStr>,
    pub(crate) groups: Vec<GroupAttr>,
    pub(crate) engine_version: Option<LitStr>,
    pub(crate) category: Option<(LitStr, LitStr)>,
    pub(crate) default_result_variable: Option<LitStr>,
    pub(crate) default_result_expression: Option<LitStr>,
    pub(crate) discriminator: Presentation,
    /// The `discriminator` key, when given.
    pub(crate) discriminator_key: Option<Span>,
    /// The first metadata key seen, to point at when `id`/`name` are missing.
    pub(crate) first_metadata_key: Option<Span>,
    /// Every key written, valid or not.
    pub(crate) keys: HashSet<String>,
}

/// A `condition(...)`.
pub(crate) enum ConditionAttr {
    Equals {
        property: LitStr,
        value: Expr,
    },
    OneOf {
        property: LitStr,
        values: Vec<LitStr>,
    },
    IsActive {
        property: LitStr,
        value: LitBool,
    },
    AllMatch(Vec<ConditionAttr>),
}

impl ConditionAttr {
    pub(crate) fn properties(&self) -> Vec<&LitStr> {
        match self {
            ConditionAttr::Equals { property, .. }
            | ConditionAttr::OneOf { property, .. }
            | ConditionAttr::IsActive { property, .. } => vec![property],
            ConditionAttr::AllMatch(all) => {
                all.iter().flat_map(ConditionAttr::properties).collect()
            }
        }
    }
}

/// One `choice(...)`.
pub(crate) struct ChoiceAttr {
    pub(crate) value: LitStr,
    pub(crate) label: Option<LitStr>,
}

/// `#[template(...)]` on a field.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) presentation: Presentation,
    pub(crate) property_type: Option<LitStr>,
    pub(crate) feel: Option<LitStr>,
    pub(crate) optional: Option<Span>,
    pub(crate) binding: Option<LitStr>,
    pub(crate) condition: Option<(Span, ConditionAttr)>,
    pub(crate) choices: Option<(Span, Vec<ChoiceAttr>)>,
    pub(crate) nested_path: Option<LitBool>,
    pub(crate) skip: Option<Span>,
}

/// `#[template(...)]` on a variant.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub(crate) label: Option<LitStr>,
    pub(crate) skip: Option<Span>,
}

/// `#[validate(...)]` on a field.
#[derive(Default)]
pub(crate) struct ValidateAttrs {
    pub(crate) not_empty: Option<Span>,
    pub(crate) min_length: Option<LitInt>,
    pub(crate) max_length: Option<LitInt>,
    pub(crate) pattern: Option<LitStr>,
    pub(crate) message: Option<LitStr>,
    pub(crate) range: Option<(Span, Option<Number>, Option<Number>)>,
    pub(crate) url: Option<Span>,
    pub(crate) skip: Option<Span>,
}

/// The serde attributes of a struct or enum that decide wire names.
#[derive(Default)]
pub(crate) struct SerdeContainer {
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) rename_all_fields: Option<RenameRule>,
    pub(crate) tag: Option<LitStr>,
    /// An enum representation the derive rejected (already reported).
    pub(crate) rejected: bool,
}

/// The serde attributes of a field.
#[derive(Default)]
pub(crate) struct SerdeField {
    pub(crate) rename: Option<String>,
    pub(crate) skip: bool,
    pub(crate) default: bool,
}

/// The serde attributes of a variant.
#[derive(Default)]
pub(crate) struct SerdeVariant {
    pub(crate) rename: Option<String>,
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) skip: bool,
}

/// Reads the values of one attribute list and records duplicates.
struct Reader<'c> {
    cx: &'c Ctxt,
    namespace: &'static str,
    seen: HashSet<String>,
}

impl<'c> Reader<'c> {
    fn new(cx: &'c Ctxt, namespace: &'static str) -> Self {
        Reader {
            cx,
            namespace,
            seen: HashSet::new(),
        }
    }

    fn key(meta: &ParseNestedMeta<'_>) -> String {
        meta.path
            .get_ident()
            .map_or_else(|| "?".to_owned(), ToString::to_string)
    }

    /// Records the key; a second occurrence is an error on the key.
    fn first(&mut self, meta: &ParseNestedMeta<'_>) -> bool {
        let key = Self::key(meta);
        if self.seen.insert(key.clone()) {
            return true;
        }
        let namespace = self.namespace;
        self.cx.error_spanned_by(
            &meta.path,
            format!("duplicate `{namespace}` attribute `{key}`"),
        );
        false
    }

    fn unknown(&self, meta: &ParseNestedMeta<'_>, valid: &str) -> syn::Result<()> {
        let key = Self::key(meta);
        let namespace = self.namespace;
        self.cx.error_spanned_by(
            &meta.path,
            format!("unknown `{namespace}` attribute `{key}`; expected one of {valid}"),
        );
        skip_value(meta)
    }

    fn expr(&self, meta: &ParseNestedMeta<'_>) -> syn::Result<Expr> {
        meta.value()?.parse()
    }

    fn string(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<LitStr>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        let lit = self.as_string(&expr, meta);
        Ok(lit.filter(|_| !duplicate))
    }

    fn as_string(&self, expr: &Expr, meta: &ParseNestedMeta<'_>) -> Option<LitStr> {
        match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(lit.clone()),
            other => {
                let (namespace, key) = (self.namespace, Self::key(meta));
                self.cx.error_spanned_by(
                    other,
                    format!("expected a string literal for `{namespace}({key} = ...)`"),
                );
                None
            }
        }
    }

    fn non_empty_string(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<LitStr>> {
        let lit = self.string(meta)?;
        Ok(lit.filter(|lit| {
            let empty = lit.value().trim().is_empty();
            if empty {
                let (namespace, key) = (self.namespace, Self::key(meta));
                self.cx
                    .error_spanned_by(lit, format!("`{namespace}({key} = ...)` must not be empty"));
            }
            !empty
        }))
    }

    fn boolean(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<LitBool>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(lit),
                ..
            }) => Ok(Some(lit).filter(|_| !duplicate)),
            other => {
                let (namespace, key) = (self.namespace, Self::key(meta));
                self.cx.error_spanned_by(
                    other,
                    format!("expected `true` or `false` for `{namespace}({key} = ...)`"),
                );
                Ok(None)
            }
        }
    }

    fn integer(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<LitInt>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        let lit = match expr {
            Expr::Lit(ExprLit {
                lit: Lit::Int(lit), ..
            }) if lit.base10_parse::<u32>().is_ok() => Some(lit),
            other => {
                let (namespace, key) = (self.namespace, Self::key(meta));
                self.cx.error_spanned_by(
                    other,
                    format!(
                        "expected a non-negative integer literal for `{namespace}({key} = ...)`"
                    ),
                );
                None
            }
        };
        Ok(lit.filter(|_| !duplicate))
    }

    fn number(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Number>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        let number = number_value(&expr).map(|value| Number {
            value,
            expr: expr.clone(),
        });
        if number.is_none() {
            let (namespace, key) = (self.namespace, Self::key(meta));
            self.cx.error_spanned_by(
                &expr,
                format!("expected a number literal for `{namespace}({key} = ...)`"),
            );
        }
        Ok(number.filter(|_| !duplicate))
    }

    fn strings(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Vec<LitStr>>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        let Expr::Array(array) = expr else {
            let (namespace, key) = (self.namespace, Self::key(meta));
            self.cx.error_spanned_by(
                &expr,
                format!("expected a list of string literals for `{namespace}({key} = [...])`"),
            );
            return Ok(None);
        };
        let items = array
            .elems
            .iter()
            .filter_map(|item| self.as_string(item, meta))
            .collect();
        Ok(Some(items).filter(|_| !duplicate))
    }

    fn flag(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<Span>> {
        let duplicate = !self.first(meta);
        if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
            let (namespace, key) = (self.namespace, Self::key(meta));
            self.cx
                .error_spanned_by(&meta.path, format!("`{namespace}({key})` takes no value"));
            skip_value(meta)?;
            return Ok(None);
        }
        Ok(Some(meta.path.span()).filter(|_| !duplicate))
    }

    fn default_value(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<DefaultValue>> {
        let duplicate = !self.first(meta);
        let expr = self.expr(meta)?;
        let kind = match &expr {
            Expr::Lit(ExprLit {
                lit: Lit::Str(lit), ..
            }) => Some(DefaultKind::Str(lit.value())),
            Expr::Lit(ExprLit {
                lit: Lit::Bool(_), ..
            }) => Some(DefaultKind::Bool),
            other if number_value(other).is_some() => Some(DefaultKind::Number),
            _ => None,
        };
        if kind.is_none() {
            let namespace = self.namespace;
            self.cx.error_spanned_by(
                &expr,
                format!(
                    "expected a string, number or boolean literal for `{namespace}(default = ...)`"
                ),
            );
        }
        Ok(kind
            .map(|kind| DefaultValue { expr, kind })
            .filter(|_| !duplicate))
    }
}

/// Stores `value` unless it is `None` (a duplicate or bad value keeps the first good one).
fn keep<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

fn number_value(expr: &Expr) -> Option<f64> {
    match expr {
        Expr::Lit(ExprLit {
            lit: Lit::Int(lit), ..
        }) => lit.base10_parse::<f64>().ok(),
        Expr::Lit(ExprLit {
            lit: Lit::Float(lit),
            ..
        }) => lit.base10_parse::<f64>().ok(),
        Expr::Unary(ExprUnary {
            op: UnOp::Neg(_),
            expr,
            ..
        }) => number_value(expr).map(|n| -n),
        _ => None,
    }
}

/// Whether the key is followed by an empty list `()`; the list is then consumed.
fn empty_list(meta: &ParseNestedMeta<'_>) -> syn::Result<bool> {
    let fork = meta.input.fork();
    let content;
    syn::parenthesized!(content in fork);
    if !content.is_empty() {
        return Ok(false);
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let _ = content;
    Ok(true)
}

/// Skips whatever follows a key: `= value`, `(...)` or nothing.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

fn is(meta: &ParseNestedMeta<'_>, word: Symbol) -> bool {
    meta.path == word
}

/// Parses `attr` with `logic`, recording syntax errors instead of stopping.
fn parse_list(
    cx: &Ctxt,
    attr: &syn::Attribute,
    logic: impl FnMut(ParseNestedMeta<'_>) -> syn::Result<()>,
) {
    if let Err(err) = attr.parse_nested_meta(logic) {
        cx.syn_error(err);
    }
}

impl ContainerAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = ContainerAttrs::default();
        let mut reader = Reader::new(cx, "template");
        for attr in attrs.iter().filter(|a| a.path() == TEMPLATE) {
            parse_list(cx, attr, |meta| out.parse_one(&mut reader, &meta));
        }
        out.keys = reader.seen;
        for attr in attrs.iter().filter(|a| a.path() == VALIDATE) {
            cx.error_spanned_by(
                attr.path(),
                "`validate` attributes belong on fields, not on the struct or enum",
            );
        }
        out
    }

    fn parse_one(&mut self, r: &mut Reader<'_>, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if !is(meta, CRATE) && !is(meta, DISCRIMINATOR) && self.first_metadata_key.is_none() {
            self.first_metadata_key = Some(meta.path.span());
        }
        if is(meta, CRATE) {
            if let Some(lit) = r.string(meta)? {
                match lit.parse::<syn::Path>() {
                    Ok(path) => self.crate_path = Some(path),
                    Err(_) => r.cx.error_spanned_by(
                        &lit,
                        "expected a path such as `\"::camunda_connector_sdk\"` for `template(crate = ...)`",
                    ),
                }
            }
        } else if is(meta, ID) {
            keep(&mut self.id, r.non_empty_string(meta)?);
        } else if is(meta, NAME) {
            keep(&mut self.name, r.non_empty_string(meta)?);
        } else if is(meta, VERSION) {
            keep(&mut self.version, r.integer(meta)?);
        } else if is(meta, DESCRIPTION) {
            keep(&mut self.description, r.non_empty_string(meta)?);
        } else if is(meta, DOCUMENTATION_REF) {
            keep(&mut self.documentation_ref, r.non_empty_string(meta)?);
        } else if is(meta, ICON) {
            keep(&mut self.icon, r.non_empty_string(meta)?);
        } else if is(meta, KEYWORDS) {
            if let Some(keywords) = r.strings(meta)? {
                self.keywords = keywords;
            }
        } else if is(meta, GROUPS) {
            let ids = r.strings(meta)?.unwrap_or_default();
            self.groups.extend(ids.into_iter().map(|id| GroupAttr {
                id,
                label: None,
                tooltip: None,
                open_by_default: None,
            }));
        } else if is(meta, GROUP) {
            if let Some(group) = parse_group(r.cx, meta)? {
                self.groups.push(group);
            }
        } else if is(meta, ENGINE_VERSION) {
            keep(&mut self.engine_version, r.non_empty_string(meta)?);
        } else if is(meta, CATEGORY) {
            if r.first(meta) {
                self.category = parse_category(r.cx, meta)?;
            } else {
                skip_value(meta)?;
            }
        } else if is(meta, DEFAULT_RESULT_VARIABLE) {
            keep(&mut self.default_result_variable, r.non_empty_string(meta)?);
        } else if is(meta, DEFAULT_RESULT_EXPRESSION) {
            keep(
                &mut self.default_result_expression,
                r.non_empty_string(meta)?,
            );
        } else if is(meta, DISCRIMINATOR) {
            self.discriminator_key = Some(meta.path.span());
            if r.first(meta) {
                self.discriminator = parse_discriminator(r.cx, meta)?;
            } else {
                skip_value(meta)?;
            }
        } else {
            r.unknown(meta, CONTAINER_KEYS)?;
        }
        Ok(())
    }
}

fn parse_group(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<GroupAttr>> {
    let mut r = Reader::new(cx, "group");
    let (mut id, mut label, mut tooltip, mut open) = (None, None, None, None);
    meta.parse_nested_meta(|inner| {
        if is(&inner, ID) {
            keep(&mut id, r.non_empty_string(&inner)?);
        } else if is(&inner, LABEL) {
            keep(&mut label, r.non_empty_string(&inner)?);
        } else if is(&inner, TOOLTIP) {
            keep(&mut tooltip, r.non_empty_string(&inner)?);
        } else if is(&inner, OPEN_BY_DEFAULT) {
            keep(&mut open, r.boolean(&inner)?);
        } else {
            r.unknown(&inner, GROUP_KEYS)?;
        }
        Ok(())
    })?;
    if id.is_none() && !r.seen.contains("id") {
        cx.error_spanned_by(&meta.path, "`template(group(...))` needs an `id = \"...\"`");
    }
    Ok(id.map(|id| GroupAttr {
        id,
        label,
        tooltip,
        open_by_default: open,
    }))
}

fn parse_category(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Option<(LitStr, LitStr)>> {
    let mut r = Reader::new(cx, "category");
    let (mut id, mut name) = (None, None);
    meta.parse_nested_meta(|inner| {
        if is(&inner, ID) {
            keep(&mut id, r.non_empty_string(&inner)?);
        } else if is(&inner, NAME) {
            keep(&mut name, r.non_empty_string(&inner)?);
        } else {
            r.unknown(&inner, CATEGORY_KEYS)?;
        }
        Ok(())
    })?;
    if id.is_none() || name.is_none() {
        cx.error_spanned_by(
            &meta.path,
            "`template(category(...))` needs both `id = \"...\"` and `name = \"...\"`",
        );
    }
    Ok(id.zip(name))
}

fn parse_discriminator(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Presentation> {
    let mut r = Reader::new(cx, "discriminator");
    let mut out = Presentation::default();
    meta.parse_nested_meta(|inner| {
        if is(&inner, ID) {
            keep(&mut out.id, r.non_empty_string(&inner)?);
        } else if is(&inner, LABEL) {
            keep(&mut out.label, r.non_empty_string(&inner)?);
        } else if is(&inner, DESCRIPTION) {
            keep(&mut out.description, r.non_empty_string(&inner)?);
        } else if is(&inner, TOOLTIP) {
            keep(&mut out.tooltip, r.non_empty_string(&inner)?);
        } else if is(&inner, GROUP) {
            keep(&mut out.group, r.non_empty_string(&inner)?);
        } else if is(&inner, DEFAULT) {
            keep(&mut out.default, r.default_value(&inner)?);
        } else {
            r.unknown(&inner, DISCRIMINATOR_KEYS)?;
        }
        Ok(())
    })?;
    Ok(out)
}

impl FieldAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        let mut reader = Reader::new(cx, "template");
        for attr in attrs.iter().filter(|a| a.path() == TEMPLATE) {
            parse_list(cx, attr, |meta| out.parse_one(&mut reader, &meta));
        }
        out
    }

    fn parse_one(&mut self, r: &mut Reader<'_>, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let p = &mut self.presentation;
        if is(meta, ID) {
            keep(&mut p.id, r.non_empty_string(meta)?);
        } else if is(meta, LABEL) {
            keep(&mut p.label, r.non_empty_string(meta)?);
        } else if is(meta, DESCRIPTION) {
            keep(&mut p.description, r.non_empty_string(meta)?);
        } else if is(meta, TOOLTIP) {
            keep(&mut p.tooltip, r.non_empty_string(meta)?);
        } else if is(meta, PLACEHOLDER) {
            keep(&mut p.placeholder, r.non_empty_string(meta)?);
        } else if is(meta, GROUP) {
            keep(&mut p.group, r.non_empty_string(meta)?);
        } else if is(meta, DEFAULT) {
            keep(&mut p.default, r.default_value(meta)?);
        } else if is(meta, TYPE) {
            self.property_type = r
                .string(meta)?
                .filter(|lit| known(r.cx, lit, TYPES, "type", PROPERTY_TYPES));
        } else if is(meta, FEEL) {
            self.feel = r
                .string(meta)?
                .filter(|lit| known(r.cx, lit, FEELS, "feel", FEEL_MODES));
        } else if is(meta, OPTIONAL) {
            keep(&mut self.optional, r.flag(meta)?);
        } else if is(meta, BINDING) {
            keep(&mut self.binding, r.non_empty_string(meta)?);
        } else if is(meta, NESTED_PATH) {
            keep(&mut self.nested_path, r.boolean(meta)?);
        } else if is(meta, SKIP) {
            keep(&mut self.skip, r.flag(meta)?);
        } else if is(meta, CONDITION) {
            if r.first(meta) {
                let span = meta.path.span();
                self.condition = parse_condition(r.cx, meta, true)?.map(|c| (span, c));
            } else {
                skip_value(meta)?;
            }
        } else if is(meta, CHOICES) {
            if r.first(meta) {
                self.choices = Some((meta.path.span(), parse_choices(r.cx, meta)?));
            } else {
                skip_value(meta)?;
            }
        } else {
            r.unknown(meta, FIELD_KEYS)?;
        }
        Ok(())
    }
}

const TYPES: &[&str] = &["String", "Text", "Boolean", "Number", "Dropdown", "Hidden"];
const FEELS: &[&str] = &["optional", "required", "static"];

fn known(cx: &Ctxt, lit: &LitStr, allowed: &[&str], key: &str, list: &str) -> bool {
    let ok = allowed.contains(&lit.value().as_str());
    if !ok {
        cx.error_spanned_by(
            lit,
            format!("unknown `template({key} = ...)` value; expected one of {list}"),
        );
    }
    ok
}

fn parse_condition(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
    outer: bool,
) -> syn::Result<Option<ConditionAttr>> {
    let mut r = Reader::new(cx, "condition");
    let mut property = None;
    let mut forms: Vec<(Span, ConditionAttr)> = Vec::new();
    let mut pending: Vec<(Span, Form)> = Vec::new();
    meta.parse_nested_meta(|inner| {
        let span = inner.path.span();
        if is(&inner, PROPERTY) {
            keep(&mut property, r.non_empty_string(&inner)?);
        } else if is(&inner, EQUALS) {
            let duplicate = !r.first(&inner);
            let expr = r.expr(&inner)?;
            let ok = matches!(
                &expr,
                Expr::Lit(ExprLit {
                    lit: Lit::Str(_) | Lit::Bool(_),
                    ..
                })
            );
            if !ok {
                cx.error_spanned_by(
                    &expr,
                    "expected a string or boolean literal for `condition(equals = ...)`",
                );
            } else if !duplicate {
                pending.push((span, Form::Equals(expr)));
            }
        } else if is(&inner, ONE_OF) {
            if let Some(values) = r.strings(&inner)? {
                if values.is_empty() {
                    cx.error_at(span, "`condition(one_of = [...])` needs at least one value");
                }
                pending.push((span, Form::OneOf(values)));
            }
        } else if is(&inner, IS_ACTIVE) {
            if let Some(value) = r.boolean(&inner)? {
                pending.push((span, Form::IsActive(value)));
            }
        } else if is(&inner, ALL_MATCH) {
            if !outer {
                cx.error_at(
                    span,
                    "`condition(all_match(...))` cannot be nested in another `all_match`",
                );
            }
            if r.first(&inner) {
                let all = parse_all_match(cx, &inner)?;
                forms.push((span, ConditionAttr::AllMatch(all)));
            } else {
                skip_value(&inner)?;
            }
        } else {
            r.unknown(&inner, CONDITION_KEYS)?;
        }
        Ok(())
    })?;
    let kinds = forms.len() + pending.len();
    let form_written = ["equals", "one_of", "is_active", "all_match"]
        .iter()
        .any(|k| r.seen.contains(*k));
    if kinds == 0 && form_written {
        return Ok(None);
    }
    if kinds == 0 {
        cx.error_spanned_by(
            &meta.path,
            "`condition(...)` needs one of `equals`, `one_of`, `is_active` or `all_match`",
        );
        return Ok(None);
    }
    if kinds > 1 {
        let span = forms
            .iter()
            .map(|f| f.0)
            .chain(pending.iter().map(|p| p.0))
            .nth(1);
        cx.error_at(
            span.unwrap_or_else(|| meta.path.span()),
            "`condition(...)` takes only one of `equals`, `one_of`, `is_active` and `all_match`; combine conditions with `all_match(condition(...), ...)`",
        );
        return Ok(None);
    }
    if let Some((_, all)) = forms.pop() {
        if let Some(property) = property {
            cx.error_spanned_by(&property, "`condition(all_match(...))` takes no `property`; give each inner condition its own");
        }
        return Ok(Some(all));
    }
    let Some(property) = property else {
        if !r.seen.contains("property") {
            cx.error_spanned_by(
                &meta.path,
                "`condition(...)` needs a `property = \"...\"` naming a property id",
            );
        }
        return Ok(None);
    };
    let (_, form) = pending
        .pop()
        .unwrap_or_else(|| unreachable!("one form was counted"));
    Ok(Some(match form {
        Form::Equals(value) => ConditionAttr::Equals { property, value },
        Form::OneOf(values) => ConditionAttr::OneOf { property, values },
        Form::IsActive(value) => ConditionAttr::IsActive { property, value },
    }))
}

enum Form {
    Equals(Expr),
    OneOf(Vec<LitStr>),
    IsActive(LitBool),
}

fn parse_all_match(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<ConditionAttr>> {
    let mut all = Vec::new();
    if empty_list(meta)? {
        cx.error_spanned_by(
            &meta.path,
            "`all_match(...)` needs at least one `condition(...)`",
        );
        return Ok(all);
    }
    let mut any = false;
    meta.parse_nested_meta(|inner| {
        any = true;
        if is(&inner, CONDITION) {
            if let Some(condition) = parse_condition(cx, &inner, false)? {
                all.push(condition);
            }
        } else {
            let key = Reader::key(&inner);
            cx.error_spanned_by(
                &inner.path,
                format!("unknown `all_match` entry `{key}`; expected `condition(...)`"),
            );
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    if !any {
        cx.error_spanned_by(
            &meta.path,
            "`all_match(...)` needs at least one `condition(...)`",
        );
    }
    Ok(all)
}

fn parse_choices(cx: &Ctxt, meta: &ParseNestedMeta<'_>) -> syn::Result<Vec<ChoiceAttr>> {
    let mut choices = Vec::new();
    if empty_list(meta)? {
        cx.error_spanned_by(
            &meta.path,
            "`choices(...)` needs at least one `choice(...)`",
        );
        return Ok(choices);
    }
    meta.parse_nested_meta(|inner| {
        if !is(&inner, CHOICE) {
            let key = Reader::key(&inner);
            cx.error_spanned_by(
                &inner.path,
                format!("unknown `choices` entry `{key}`; expected `choice(value = \"...\", label = \"...\")`"),
            );
            return skip_value(&inner);
        }
        let mut r = Reader::new(cx, "choice");
        let (mut value, mut label) = (None, None);
        inner.parse_nested_meta(|item| {
            if is(&item, VALUE) {
                keep(&mut value, r.string(&item)?);
            } else if is(&item, LABEL) {
                keep(&mut label, r.non_empty_string(&item)?);
            } else {
                r.unknown(&item, CHOICE_KEYS)?;
            }
            Ok(())
        })?;
        match value {
            Some(value) => choices.push(ChoiceAttr { value, label }),
            None if !r.seen.contains("value") => {
                cx.error_spanned_by(&inner.path, "`choice(...)` needs a `value = \"...\"`");
            }
            None => {}
        }
        Ok(())
    })?;
    if choices.is_empty() {
        cx.error_spanned_by(
            &meta.path,
            "`choices(...)` needs at least one `choice(...)`",
        );
    }
    Ok(choices)
}

impl VariantAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = VariantAttrs::default();
        let mut r = Reader::new(cx, "template");
        for attr in attrs.iter().filter(|a| a.path() == TEMPLATE) {
            parse_list(cx, attr, |meta| {
                if is(&meta, LABEL) {
                    keep(&mut out.label, r.non_empty_string(&meta)?);
                } else if is(&meta, SKIP) {
                    keep(&mut out.skip, r.flag(&meta)?);
                } else {
                    r.unknown(&meta, VARIANT_KEYS)?;
                }
                Ok(())
            });
        }
        for attr in attrs.iter().filter(|a| a.path() == VALIDATE) {
            cx.error_spanned_by(
                attr.path(),
                "`validate` attributes belong on fields, not on variants",
            );
        }
        out
    }
}

impl ValidateAttrs {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = ValidateAttrs::default();
        let mut r = Reader::new(cx, "validate");
        for attr in attrs.iter().filter(|a| a.path() == VALIDATE) {
            parse_list(cx, attr, |meta| out.parse_one(&mut r, &meta));
        }
        out
    }

    fn parse_one(&mut self, r: &mut Reader<'_>, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        if is(meta, NOT_EMPTY) {
            keep(&mut self.not_empty, r.flag(meta)?);
        } else if is(meta, MIN_LENGTH) {
            keep(&mut self.min_length, r.integer(meta)?);
        } else if is(meta, MAX_LENGTH) {
            keep(&mut self.max_length, r.integer(meta)?);
        } else if is(meta, PATTERN) {
            keep(&mut self.pattern, r.non_empty_string(meta)?);
        } else if is(meta, MESSAGE) {
            keep(&mut self.message, r.non_empty_string(meta)?);
        } else if is(meta, URL) {
            keep(&mut self.url, r.flag(meta)?);
        } else if is(meta, SKIP) {
            keep(&mut self.skip, r.flag(meta)?);
        } else if is(meta, RANGE) {
            if r.first(meta) {
                self.range = Some(parse_range(r.cx, meta)?);
            } else {
                skip_value(meta)?;
            }
        } else {
            r.unknown(meta, VALIDATE_KEYS)?;
        }
        Ok(())
    }
}

fn parse_range(
    cx: &Ctxt,
    meta: &ParseNestedMeta<'_>,
) -> syn::Result<(Span, Option<Number>, Option<Number>)> {
    let mut r = Reader::new(cx, "range");
    let (mut min, mut max) = (None, None);
    if empty_list(meta)? {
        cx.error_spanned_by(
            &meta.path,
            "`validate(range(...))` needs `min = ...`, `max = ...` or both",
        );
        return Ok((meta.path.span(), None, None));
    }
    meta.parse_nested_meta(|inner| {
        if is(&inner, MIN) {
            keep(&mut min, r.number(&inner)?);
        } else if is(&inner, MAX) {
            keep(&mut max, r.number(&inner)?);
        } else {
            r.unknown(&inner, RANGE_KEYS)?;
        }
        Ok(())
    })?;
    if r.seen.is_empty() {
        cx.error_spanned_by(
            &meta.path,
            "`validate(range(...))` needs `min = ...`, `max = ...` or both",
        );
    }
    Ok((meta.path.span(), min, max))
}

/// Reads a serde name: `rename = "x"` or `rename(deserialize = "x")`.
fn serde_name(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<String>> {
    if meta.input.peek(syn::Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        return Ok(Some(lit.value()));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path == DESERIALIZE {
            name = Some(lit.value());
        }
        Ok(())
    })?;
    Ok(name)
}

/// Reads a `rename_all` rule; an unknown rule is left to serde's own derive to report.
fn serde_rule(meta: &ParseNestedMeta<'_>) -> syn::Result<Option<RenameRule>> {
    Ok(serde_name(meta)?.and_then(|name| RenameRule::parse(&name)))
}

fn serde_lists(attrs: &[syn::Attribute]) -> impl Iterator<Item = &syn::Attribute> {
    attrs.iter().filter(|a| a.path() == SERDE)
}

impl SerdeContainer {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = SerdeContainer::default();
        for attr in serde_lists(attrs) {
            parse_list(cx, attr, |meta| {
                if is(&meta, RENAME_ALL) {
                    out.rename_all = serde_rule(&meta)?;
                } else if is(&meta, RENAME_ALL_FIELDS) {
                    out.rename_all_fields = serde_rule(&meta)?;
                } else if is(&meta, TAG) {
                    out.tag = Some(meta.value()?.parse()?);
                } else if is(&meta, CONTENT) || is(&meta, UNTAGGED) {
                    out.rejected = true;
                    let key = Reader::key(&meta);
                    cx.error_spanned_by(
                        &meta.path,
                        format!("`#[derive(ConnectorInput)]` cannot describe `#[serde({key})]` enums in a template; use an internally tagged enum (`#[serde(tag = \"...\")]`)"),
                    );
                    skip_value(&meta)?;
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
        out
    }
}

impl SerdeField {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = SerdeField::default();
        for attr in serde_lists(attrs) {
            parse_list(cx, attr, |meta| {
                if is(&meta, RENAME) {
                    out.rename = serde_name(&meta)?;
                } else if is(&meta, SKIP) || is(&meta, SKIP_DESERIALIZING) {
                    out.skip = true;
                } else if is(&meta, DEFAULT) {
                    out.default = true;
                    skip_value(&meta)?;
                } else if is(&meta, FLATTEN) {
                    cx.error_spanned_by(
                        &meta.path,
                        "`#[derive(ConnectorInput)]` cannot bind `#[serde(flatten)]` fields; use `#[template(nested_path = false)]` on a nested struct instead",
                    );
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
        out
    }
}

impl SerdeVariant {
    pub(crate) fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut out = SerdeVariant::default();
        for attr in serde_lists(attrs) {
            parse_list(cx, attr, |meta| {
                if is(&meta, RENAME) {
                    out.rename = serde_name(&meta)?;
                } else if is(&meta, RENAME_ALL) {
                    out.rename_all = serde_rule(&meta)?;
                } else if is(&meta, SKIP) || is(&meta, SKIP_DESERIALIZING) {
                    out.skip = true;
                } else if is(&meta, UNTAGGED) {
                    cx.error_spanned_by(
                        &meta.path,
                        "`#[derive(ConnectorInput)]` cannot describe `#[serde(untagged)]` variants in a template",
                    );
                } else {
                    skip_value(&meta)?;
                }
                Ok(())
            });
        }
        out
    }
}

/// The doc comment of an item, lines trimmed and joined; blank lines separate paragraphs.
pub(crate) fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let mut paragraphs: Vec<String> = vec![String::new()];
    for attr in attrs.iter().filter(|a| a.path() == DOC) {
        let syn::Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        let Expr::Lit(ExprLit {
            lit: Lit::Str(lit), ..
        }) = &nv.value
        else {
            continue;
        };
        for line in lit.value().lines() {
            let line = line.trim();
            let current = paragraphs
                .last_mut()
                .unwrap_or_else(|| unreachable!("never empty"));
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(String::new());
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(line);
            }
        }
    }
    let text = paragraphs
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    (!text.is_empty()).then_some(text)
}
