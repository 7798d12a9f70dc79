//! The `Validate` impl: each field's `#[validate(...)]` rules, then the field's own validation
//! (so nested structs are always checked), with violations at the field's dotted path.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::bounded_generics;
use crate::internals::ast::{Container, Data, Field, Style};

pub(super) fn expand(cont: &Container<'_>) -> TokenStream {
    let ident = cont.ident;
    let generics = bounded_generics(cont.generics, &[quote!(__sdk::Validate)]);
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let body = match &cont.data {
        Data::Struct(fields) => {
            let checks = fields.iter().map(|f| {
                let name = f.ident;
                field_checks(f, &quote!(&self.#name))
            });
            quote!(#(#checks)*)
        }
        Data::Enum(variants) => {
            let arms = variants.iter().map(|v| {
                let name = v.ident;
                match &v.style {
                    Style::Unit => quote!(Self::#name => {}),
                    Style::Newtype(_) => quote! {
                        Self::#name(__inner) => __sdk::Validate::validate_at(__inner, __path, __out),
                    },
                    Style::Struct(fields) => {
                        let names: Vec<_> = fields.iter().map(|f| f.ident).collect();
                        let bound: Vec<_> = (0..fields.len()).map(|i| format_ident!("__f{i}")).collect();
                        let checks = fields.iter().zip(&bound).map(|(f, b)| field_checks(f, &quote!(#b)));
                        quote! {
                            Self::#name { #(#names: #bound),* } => { #(#checks)* }
                        }
                    }
                }
            });
            quote! {
                #[allow(unreachable_patterns)]
                match self {
                    #(#arms)*
                    _ => {}
                }
            }
        }
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics __sdk::Validate for #ident #ty_generics #where_clause {
            fn validate_at(&self, __path: &str, __out: &mut ::std::vec::Vec<__sdk::Violation>) {
                #body
            }
        }
    }
}

fn field_checks(field: &Field<'_>, access: &TokenStream) -> TokenStream {
    let rules = &field.validate;
    let ty = field.ty;
    let span = ty.span();
    let wire = &field.wire_name;
    let mut checks = TokenStream::new();
    if rules.not_empty.is_some() {
        checks
            .extend(quote_spanned!(span=> __sdk::rules::not_empty(__value, &__field_path, __out);));
    }
    if rules.min_length.is_some() || rules.max_length.is_some() {
        let min = option(rules.min_length.as_ref().map(|m| quote!(#m)));
        let max = option(rules.max_length.as_ref().map(|m| quote!(#m)));
        checks.extend(
            quote_spanned!(span=> __sdk::rules::length(__value, #min, #max, &__field_path, __out);),
        );
    }
    if let Some(pattern) = &rules.pattern {
        let message = option(rules.message.as_ref().map(|m| quote!(#m)));
        checks.extend(quote_spanned! {span=>
            {
                static __PATTERN: __sdk::CompiledPattern = __sdk::LazyLock::new(|| __sdk::compile(#pattern));
                __sdk::rules::pattern(__value, &__PATTERN, #pattern, #message, &__field_path, __out);
            }
        });
    }
    if let Some((_, min, max)) = &rules.range {
        let min = option(min.as_ref().map(|n| float(n.value)));
        let max = option(max.as_ref().map(|n| float(n.value)));
        checks.extend(
            quote_spanned!(span=> __sdk::rules::range(__value, #min, #max, &__field_path, __out);),
        );
    }
    if rules.url.is_some() {
        checks.extend(quote_spanned!(span=> __sdk::rules::url(__value, &__field_path, __out);));
    }
    if rules.skip.is_none() {
        checks.extend(
            // The type itself (all of it, not its first token) is the subject of the bound.
            quote!(<#ty as __sdk::Validate>::validate_at(__value, &__field_path, __out);),
        );
    }
    if checks.is_empty() {
        return checks;
    }
    quote! {
        {
            let __value = #access;
            let __field_path = __sdk::join_path(__path, #wire);
            #checks
        }
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::std::option::Option::Some(#value)),
        None => quote!(::std::option::Option::None),
    }
}

fn float(value: f64) -> TokenStream {
    let lit = proc_macro2::Literal::f64_suffixed(value);
    quote!(#lit)
}
