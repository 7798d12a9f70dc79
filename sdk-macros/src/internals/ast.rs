//! The derive's model of the input: the container, its fields or variants, each with its
//! parsed attributes and a reference to the syn node it came from.

use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::attr::{
    ContainerAttrs, FieldAttrs, SerdeContainer, SerdeField, SerdeVariant, ValidateAttrs,
    VariantAttrs, doc_comment,
};
use super::case::RenameRule;
use super::ctxt::Ctxt;

pub(crate) struct Container<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) generics: &'a syn::Generics,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) serde: SerdeContainer,
    pub(crate) data: Data<'a>,
}

pub(crate) enum Data<'a> {
    Struct(Vec<Field<'a>>),
    Enum(Vec<Variant<'a>>),
}

pub(crate) struct Field<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) ty: &'a syn::Type,
    /// The name in the job variables, after serde's renames.
    pub(crate) wire_name: String,
    pub(crate) attrs: FieldAttrs,
    pub(crate) validate: ValidateAttrs,
    pub(crate) serde: SerdeField,
    pub(crate) doc: Option<String>,
}

pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) wire_name: String,
    pub(crate) style: Style<'a>,
    pub(crate) attrs: VariantAttrs,
    pub(crate) serde: SerdeVariant,
}

pub(crate) enum Style<'a> {
    Unit,
    Struct(Vec<Field<'a>>),
    Newtype(&'a syn::Type),
}

impl<'a> Container<'a> {
    pub(crate) fn from_ast(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Self> {
        let attrs = ContainerAttrs::from_ast(cx, &input.attrs);
        let serde = SerdeContainer::from_ast(cx, &input.attrs);
        let data = match &input.data {
            syn::Data::Struct(data) => Data::Struct(struct_fields(
                cx,
                &data.fields,
                serde.rename_all,
                &input.ident,
            )?),
            syn::Data::Enum(data) => Data::Enum(
                data.variants
                    .iter()
                    .filter_map(|v| Variant::from_ast(cx, v, &serde))
                    .collect(),
            ),
            syn::Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[derive(ConnectorInput)]` supports structs and enums, not unions",
                );
                return None;
            }
        };
        Some(Container {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            serde,
            data,
        })
    }
}

fn struct_fields<'a>(
    cx: &Ctxt,
    fields: &'a syn::Fields,
    rule: Option<RenameRule>,
    owner: &syn::Ident,
) -> Option<Vec<Field<'a>>> {
    match fields {
        syn::Fields::Named(named) => Some(
            named
                .named
                .iter()
                .map(|f| Field::from_ast(cx, f, rule))
                .collect(),
        ),
        syn::Fields::Unit => Some(Vec::new()),
        syn::Fields::Unnamed(unnamed) => {
            cx.error_spanned_by(
                unnamed,
                format!("`#[derive(ConnectorInput)]` needs named fields: job variables bind by name, so `{owner}` cannot be a tuple struct"),
            );
            None
        }
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &Ctxt, field: &'a syn::Field, rule: Option<RenameRule>) -> Self {
        let ident = field
            .ident
            .as_ref()
            .unwrap_or_else(|| unreachable!("named fields have identifiers"));
        let serde = SerdeField::from_ast(cx, &field.attrs);
        let raw = ident.unraw().to_string();
        let wire_name = serde
            .rename
            .clone()
            .unwrap_or_else(|| rule.map_or_else(|| raw.clone(), |r| r.apply_to_field(&raw)));
        Field {
            ident,
            ty: &field.ty,
            wire_name,
            attrs: FieldAttrs::from_ast(cx, &field.attrs),
            validate: ValidateAttrs::from_ast(cx, &field.attrs),
            serde,
            doc: doc_comment(&field.attrs),
        }
    }

    /// The property id within its struct: `template(id)`, else the wire name.
    pub(crate) fn local_id(&self) -> String {
        self.attrs
            .presentation
            .id
            .as_ref()
            .map_or_else(|| self.wire_name.clone(), syn::LitStr::value)
    }

    /// Whether the field produces template properties.
    pub(crate) fn in_template(&self) -> bool {
        self.attrs.skip.is_none() && !self.serde.skip
    }
}

impl<'a> Variant<'a> {
    fn from_ast(cx: &Ctxt, variant: &'a syn::Variant, container: &SerdeContainer) -> Option<Self> {
        let serde = SerdeVariant::from_ast(cx, &variant.attrs);
        let attrs = VariantAttrs::from_ast(cx, &variant.attrs);
        let raw = variant.ident.unraw().to_string();
        let wire_name = serde.rename.clone().unwrap_or_else(|| {
            container
                .rename_all
                .map_or_else(|| raw.clone(), |r| r.apply_to_variant(&raw))
        });
        let field_rule = serde.rename_all.or(container.rename_all_fields);
        let style = match &variant.fields {
            syn::Fields::Unit => Style::Unit,
            syn::Fields::Named(_) => Style::Struct(struct_fields(
                cx,
                &variant.fields,
                field_rule,
                &variant.ident,
            )?),
            syn::Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
                Style::Newtype(&unnamed.unnamed[0].ty)
            }
            syn::Fields::Unnamed(unnamed) => {
                cx.error_at(
                    unnamed.span(),
                    "`#[derive(ConnectorInput)]` supports unit, struct and newtype variants; a tuple variant has no field names to bind",
                );
                return None;
            }
        };
        if let Style::Newtype(_) = &style
            && let Some(span) = newtype_field_attrs(&variant.fields)
        {
            cx.error_at(span, "attributes on the field of a newtype variant have no effect; put them on the fields of the wrapped struct");
        }
        Some(Variant {
            ident: &variant.ident,
            wire_name,
            style,
            attrs,
            serde,
        })
    }

    pub(crate) fn label(&self) -> String {
        self.attrs.label.as_ref().map_or_else(
            || humanize(&self.ident.unraw().to_string()),
            syn::LitStr::value,
        )
    }

    pub(crate) fn in_template(&self) -> bool {
        self.attrs.skip.is_none() && !self.serde.skip
    }
}

fn newtype_field_attrs(fields: &syn::Fields) -> Option<proc_macro2::Span> {
    let syn::Fields::Unnamed(unnamed) = fields else {
        return None;
    };
    unnamed.unnamed[0]
        .attrs
        .iter()
        .find(|a| a.path().is_ident("template") || a.path().is_ident("validate"))
        .map(|a| a.path().span())
}

/// The label the SDK derives from a name (kept identical to `sdk::template::humanize`).
pub(crate) fn humanize(id: &str) -> String {
    let has_lower = id.chars().any(char::is_lowercase);
    if !has_lower && id.chars().any(char::is_uppercase) && !id.contains(['_', '-']) {
        return id.to_owned();
    }
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in id.chars() {
        let word_start = previous
            .is_some_and(|p| c.is_uppercase() || (c.is_ascii_digit() && !p.is_ascii_digit()));
        if c == '_' || c == '-' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            if word_start && !out.ends_with(' ') {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
        }
        previous = Some(c);
    }
    let trimmed = out.trim();
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
