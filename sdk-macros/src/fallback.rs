//! Minimal impls emitted next to compile errors, so the user sees the root cause and not a
//! cascade of "trait not implemented" errors wherever the type is used.

use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn expand(input: &syn::DeriveInput, sdk: &TokenStream) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[doc(hidden)]
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #sdk::__private::InputTemplate for #ident #ty_generics #where_clause {
                fn shape() -> #sdk::__private::Shape {
                    #sdk::__private::Shape::Json
                }
            }
            #[automatically_derived]
            impl #impl_generics #sdk::__private::Validate for #ident #ty_generics #where_clause {
                fn validate_at(&self, _: &str, _: &mut ::std::vec::Vec<#sdk::__private::Violation>) {}
            }
        };
    }
}
