//! The `InputTemplate` impl: the type's shape and metadata as calls to the SDK's builders.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::bounded_generics;
use crate::internals::ast::{Container, Data, Field, Style, Variant};
use crate::internals::attr::{ConditionAttr, Presentation};

pub(super) fn expand(cont: &Container<'_>) -> TokenStream {
    let ident = cont.ident;
    let generics = bounded_generics(
        cont.generics,
        &[quote!(__sdk::InputTemplate), quote!('static)],
    );
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let shape = shape(cont);
    let metadata = metadata(cont);
    quote! {
        #[automatically_derived]
        impl #impl_generics __sdk::InputTemplate for #ident #ty_generics #where_clause {
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
    let of = quote_spanned!(ty.span()=> __sdk::FieldSpec::of::<#ty>(#rust_name, #wire));
    let presentation = presentation(&field.attrs.presentation, field.doc.as_deref());
    let settings = field_settings(field);
    let rules = rules(field);
    quote!(#of #presentation #settings #rules)
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
    if let Some(ty) = &attrs.property_type {
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
