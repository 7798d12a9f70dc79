//! The `InputTemplate` impl: the type's shape and metadata as calls to the SDK's builders.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::bounded_generics;
use crate::internals::ast::{Container, Data, Field, Style, Variant};
use crate::internals::attr::{ConditionAttr, DefaultKind, Presentation};

pub(super) fn expand(cont: &Container<'_>) -> TokenStream {
    let ident = cont.ident;
    let generics = bounded_generics(
        cont.generics,
        &[quote!(__sdk::InputTemplate), quote!('static)],
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let shape = shape(cont);
    let metadata = metadata(cont);
    let kind = match (&cont.data, &cont.serde.tag) {
        (Data::Struct(_), _) => quote!(Object),
        (Data::Enum(_), None) => quote!(Dropdown),
        (Data::Enum(_), Some(_)) => quote!(Tagged),
    };
    let checks = type_checks(cont);
    quote! {
        #checks
        #[automatically_derived]
        impl #impl_generics __sdk::InputTemplate for #ident #ty_generics #where_clause {
            const SHAPE_KIND: __sdk::ShapeKind = __sdk::ShapeKind::#kind;

            fn shape() -> __sdk::Shape {
                #shape
            }
            #metadata
        }
    }
}

fn shape(cont: &Container<'_>) -> TokenStream {
    let name = cont.ident.to_string();
    match &cont.data {
        Data::Struct(fields) => {
            let fields = field_specs(fields);
            quote!(__sdk::Shape::Object(__sdk::ObjectShape::new(#name, ::std::vec![#(#fields),*])))
        }
        Data::Enum(variants) => match &cont.serde.tag {
            None => {
                let choices = variants.iter().filter(|v| v.in_template()).map(|v| {
                    let (label, value) = (v.label(), &v.wire_name);
                    quote!(__sdk::Choice::new(#label, #value))
                });
                quote!(__sdk::Shape::Dropdown(::std::vec![#(#choices),*]))
            }
            Some(tag) => {
                let variants = variants
                    .iter()
                    .filter(|v| v.in_template())
                    .map(variant_spec);
                let discriminator = presentation(&cont.attrs.discriminator, None);
                quote! {
                    __sdk::Shape::Tagged(::std::boxed::Box::new(
                        __sdk::TaggedShape::new(#name, #tag, ::std::vec![#(#variants),*])
                            .discriminator(__sdk::Presentation::default() #discriminator)
                    ))
                }
            }
        },
    }
}

fn variant_spec(variant: &Variant<'_>) -> TokenStream {
    let (label, value) = (variant.label(), &variant.wire_name);
    match &variant.style {
        Style::Unit => quote!(__sdk::VariantSpec::unit(#value, #label)),
        Style::Struct(fields) => {
            let fields = field_specs(fields);
            quote!(__sdk::VariantSpec::fields(#value, #label, ::std::vec![#(#fields),*]))
        }
        Style::Newtype(ty) => {
            quote_spanned!(ty.span()=> __sdk::VariantSpec::newtype::<#ty>(#value, #label))
        }
    }
}

fn field_specs(fields: &[Field<'_>]) -> Vec<TokenStream> {
    fields
        .iter()
        .filter(|f| f.in_template())
        .map(field_spec)
        .collect()
}

fn field_spec(field: &Field<'_>) -> TokenStream {
    let ty = field.ty;
    let rust_name = field.ident.to_string();
    let wire = &field.wire_name;
    let of = match self_described_type(field) {
        Some(property_type) => {
            let variant = syn::Ident::new(&property_type.value(), property_type.span());
            let optional = is_option(ty).then(|| quote!(.optional()));
            quote!(__sdk::FieldSpec::with_type(#rust_name, #wire, __sdk::PropertyType::#variant) #optional)
        }
        // The type is named only in `<T as InputTemplate>` paths, so a type without the impl
        // is one error underlining the whole type.
        None => quote! {
            __sdk::field_spec(
                #rust_name,
                #wire,
                <#ty as __sdk::InputTemplate>::shape,
                <#ty as __sdk::InputTemplate>::OPTIONAL,
            )
        },
    };
    let presentation = presentation(&field.attrs.presentation, field.doc.as_deref());
    let settings = field_settings(field);
    let rules = rules(field);
    quote!(#of #presentation #settings #rules)
}

/// The explicit `type` of a field that its attributes describe entirely (every type but
/// `Dropdown`, whose choices may come from the field's type).
pub(crate) fn self_described_type<'f>(field: &'f Field<'_>) -> Option<&'f syn::LitStr> {
    field
        .attrs
        .property_type
        .as_ref()
        .filter(|ty| ty.value() != "Dropdown")
}

/// Whether the type is written as `Option<...>` (a field with an explicit `type` is optional
/// when it is an `Option`, since its type is not asked).
fn is_option(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Option" && !s.arguments.is_empty()),
        syn::Type::Group(group) => is_option(&group.elem),
        syn::Type::Paren(paren) => is_option(&paren.elem),
        _ => false,
    }
}

/// Compile-time checks of a field's `default` and `feel` against the kind of its type, which
/// the compiler resolves (through aliases, `Option` and `Box`). A failed check is a const
/// panic: a compile error with the message, pointing at the attribute.
pub(super) fn type_checks(cont: &Container<'_>) -> TokenStream {
    // Item consts cannot name the container's generic parameters.
    if !cont.generics.params.is_empty() {
        return TokenStream::new();
    }
    let fields: Vec<&Field<'_>> = match &cont.data {
        Data::Struct(fields) => fields.iter().collect(),
        Data::Enum(variants) => variants
            .iter()
            .filter_map(|v| match &v.style {
                Style::Struct(fields) => Some(fields.iter()),
                _ => None,
            })
            .flatten()
            .collect(),
    };
    fields
        .into_iter()
        .filter(|f| f.in_template())
        .filter(|f| f.attrs.property_type.is_none() && f.attrs.choices.is_none())
        .filter(|f| !mentions_self(f.ty))
        .flat_map(field_type_checks)
        .collect()
}

fn field_type_checks(field: &Field<'_>) -> Vec<TokenStream> {
    let ty = field.ty;
    let name = field.ident.to_string();
    let mut checks = Vec::new();
    if let Some(default) = &field.attrs.presentation.default {
        let span = default.expr.span();
        let (forbidden, expected): (&[&str], &str) = match default.kind {
            DefaultKind::Str(_) => (&["Number", "Boolean"], "a number or boolean literal"),
            DefaultKind::Number => (
                &["String", "Json", "Dropdown", "Boolean"],
                "a string literal",
            ),
            DefaultKind::Bool => (
                &["String", "Json", "Dropdown", "Number"],
                "a string literal",
            ),
        };
        for kind in forbidden {
            let expected = match *kind {
                "Number" => "a number",
                "Boolean" => "`true` or `false`",
                _ => expected,
            };
            let message = format!(
                "the default of `{name}` must be {expected}: the field's type makes it a {} property",
                kind_label(kind)
            );
            checks.push(kind_check(ty, kind, &message, span));
        }
        let no_feel_attr = field.attrs.feel.is_none();
        if let DefaultKind::Str(value) = &default.kind
            && no_feel_attr
            && !value.starts_with('=')
        {
            let message = format!(
                "the default of `{name}` must be a FEEL expression starting with `=`: the field's type (a list, map or JSON value) makes it a FEEL-required property"
            );
            checks.push(kind_check(ty, "Json", &message, span));
        }
    }
    if let Some(feel) = &field.attrs.feel {
        let mode = feel.value();
        let mut forbidden = vec!["Dropdown"];
        if mode == "static" {
            forbidden.extend(["String", "Json"]);
        }
        for kind in forbidden {
            let message = format!(
                "a {} property does not allow `feel = \"{mode}\"` (field `{name}`, from its type)",
                kind_label(kind)
            );
            checks.push(kind_check(ty, kind, &message, feel.span()));
        }
    }
    checks
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "Number" => "Number",
        "Boolean" => "Boolean",
        "Dropdown" => "Dropdown",
        _ => "String",
    }
}

fn kind_check(ty: &syn::Type, kind: &str, message: &str, span: proc_macro2::Span) -> TokenStream {
    let kind = syn::Ident::new(kind, span);
    quote_spanned! {span=>
        const _: () = if ::std::matches!(
            <#ty as __sdk::InputTemplate>::SHAPE_KIND,
            __sdk::ShapeKind::#kind
        ) {
            ::std::panic!(#message)
        };
    }
}

/// Whether the type names `Self`, which item consts outside the impl cannot.
fn mentions_self(ty: &syn::Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|t| match t {
            proc_macro2::TokenTree::Ident(ident) => ident == "Self",
            proc_macro2::TokenTree::Group(group) => walk(group.stream()),
            _ => false,
        })
    }
    walk(quote!(#ty))
}

/// `.label(..)`, `.description(..)`, ... for the keys that are set.
fn presentation(p: &Presentation, doc: Option<&str>) -> TokenStream {
    let mut out = TokenStream::new();
    for (method, value) in [
        ("id", &p.id),
        ("label", &p.label),
        ("tooltip", &p.tooltip),
        ("placeholder", &p.placeholder),
        ("group", &p.group),
    ] {
        if let Some(value) = value {
            let method = syn::Ident::new(method, value.span());
            out.extend(quote!(.#method(#value)));
        }
    }
    match (&p.description, doc) {
        (Some(description), _) => out.extend(quote!(.description(#description))),
        (None, Some(doc)) => out.extend(quote!(.description(#doc))),
        (None, None) => {}
    }
    if let Some(default) = &p.default {
        let expr = &default.expr;
        out.extend(quote!(.value(#expr)));
    }
    out
}

fn field_settings(field: &Field<'_>) -> TokenStream {
    let attrs = &field.attrs;
    let mut out = TokenStream::new();
    if let Some(ty) = &attrs.property_type
        && self_described_type(field).is_none()
    {
        let variant = syn::Ident::new(&ty.value(), ty.span());
        out.extend(quote!(.property_type(__sdk::PropertyType::#variant)));
    }
    if let Some(feel) = &attrs.feel {
        let variant = match feel.value().as_str() {
            "optional" => quote!(Optional),
            "required" => quote!(Required),
            "static" => quote!(Static),
            other => unreachable!("feel `{other}` passed the parser"),
        };
        out.extend(quote!(.feel(__sdk::FeelMode::#variant)));
    }
    if attrs.optional.is_some() || field.serde.default {
        out.extend(quote!(.optional()));
    }
    if let Some(binding) = &attrs.binding {
        out.extend(quote!(.binding(#binding)));
    }
    if let Some((_, condition)) = &attrs.condition {
        let condition = condition_tokens(condition);
        out.extend(quote!(.condition(#condition)));
    }
    if let Some((_, choices)) = &attrs.choices {
        let choices = choices.iter().map(|c| {
            let value = &c.value;
            let label = c
                .label
                .as_ref()
                .map_or_else(|| c.value.value(), syn::LitStr::value);
            quote!(__sdk::Choice::new(#label, #value))
        });
        out.extend(quote!(.choices(::std::vec![#(#choices),*])));
    }
    if let Some(nested) = &attrs.nested_path {
        out.extend(quote!(.nested_path(#nested)));
    }
    out
}

fn condition_tokens(condition: &ConditionAttr) -> TokenStream {
    match condition {
        ConditionAttr::Equals { property, value } => {
            quote!(__sdk::Condition::equals(#property, #value))
        }
        ConditionAttr::OneOf { property, values } => {
            quote!(__sdk::Condition::one_of(#property, [#(#values),*]))
        }
        ConditionAttr::IsActive { property, value } => {
            quote!(__sdk::Condition::is_active(#property, #value))
        }
        ConditionAttr::AllMatch(all) => {
            let all = all.iter().map(condition_tokens);
            quote!(__sdk::Condition::all_match([#(#all),*]))
        }
    }
}

/// The validation rules that also become template constraints.
fn rules(field: &Field<'_>) -> TokenStream {
    let rules = &field.validate;
    let mut out = TokenStream::new();
    if rules.not_empty.is_some() {
        out.extend(quote!(.not_empty()));
    }
    if let Some(min) = &rules.min_length {
        out.extend(quote!(.min_length(#min)));
    }
    if let Some(max) = &rules.max_length {
        out.extend(quote!(.max_length(#max)));
    }
    if let Some(pattern) = &rules.pattern {
        let message = match &rules.message {
            Some(message) => quote!(::std::option::Option::Some(#message)),
            None => quote!(::std::option::Option::None),
        };
        out.extend(quote!(.pattern(#pattern, #message)));
    }
    if rules.url.is_some() {
        out.extend(quote!(.url()));
    }
    out
}

fn metadata(cont: &Container<'_>) -> TokenStream {
    let attrs = &cont.attrs;
    let (Some(id), Some(name)) = (&attrs.id, &attrs.name) else {
        return TokenStream::new();
    };
    let mut chain = quote!(__sdk::TemplateMetadata::new(#id, #name));
    if let Some(version) = &attrs.version {
        chain.extend(quote!(.version(#version)));
    }
    for (method, value) in [
        ("description", &attrs.description),
        ("documentation_ref", &attrs.documentation_ref),
        ("engines", &attrs.engine_version),
        ("default_result_variable", &attrs.default_result_variable),
        (
            "default_result_expression",
            &attrs.default_result_expression,
        ),
    ] {
        if let Some(value) = value {
            let method = syn::Ident::new(method, value.span());
            chain.extend(quote!(.#method(#value)));
        }
    }
    if !attrs.keywords.is_empty() {
        let keywords = &attrs.keywords;
        chain.extend(quote!(.keywords(::std::vec![#(::std::string::String::from(#keywords)),*])));
    }
    if !attrs.groups.is_empty() {
        let groups = attrs.groups.iter().map(|g| {
            let id = &g.id;
            let label = g.label.as_ref().map_or_else(
                || crate::internals::ast::humanize(&id.value()),
                syn::LitStr::value,
            );
            let mut group = quote!(__sdk::Group::new(#id, #label));
            if let Some(tooltip) = &g.tooltip {
                group.extend(quote!(.with_tooltip(#tooltip)));
            }
            if let Some(open) = &g.open_by_default {
                group.extend(quote!(.with_open_by_default(#open)));
            }
            group
        });
        chain.extend(quote!(.groups(::std::vec![#(#groups),*])));
    }
    if let Some((id, name)) = &attrs.category {
        chain.extend(quote!(.category(__sdk::Category::new(#id, #name))));
    }
    if let Some(icon) = &attrs.icon {
        chain.extend(icon_tokens(icon));
    }
    quote! {
        fn metadata() -> ::std::option::Option<__sdk::TemplateMetadata> {
            ::std::option::Option::Some(#chain)
        }
    }
}

fn icon_tokens(icon: &syn::LitStr) -> TokenStream {
    let path = icon.value();
    let relative = format!("/{}", path.trim_start_matches("./"));
    let constructor = if path.to_ascii_lowercase().ends_with(".png") {
        quote!(png)
    } else {
        quote!(svg)
    };
    quote_spanned! {icon.span()=>
        .icon(__sdk::Icon::#constructor(::std::include_bytes!(::std::concat!(::std::env!("CARGO_MANIFEST_DIR"), #relative))))
    }
}
