//! Code generation from the checked model. Nothing here reports user errors.

mod template;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::internals::ast::Container;

pub(crate) fn expand(cont: &Container<'_>) -> TokenStream {
    let sdk = sdk_path(cont);
    let template = template::expand(cont);
    let validate = validate::expand(cont);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, clippy::all)]
        const _: () = {
            use #sdk::__private as __sdk;
            #template
            #validate
        };
    }
}

/// The path of the SDK crate: `template(crate = "...")` or `::camunda_connector_sdk`.
pub(crate) fn sdk_path(cont: &Container<'_>) -> TokenStream {
    match &cont.attrs.crate_path {
        Some(path) => quote!(#path),
        None => quote!(::camunda_connector_sdk),
    }
}

/// The impl generics with `bounds` added to every type parameter.
pub(crate) fn bounded_generics(generics: &syn::Generics, bounds: &[TokenStream]) -> syn::Generics {
    let mut generics = generics.clone();
    for param in generics.type_params_mut() {
        for bound in bounds {
            param.bounds.push(syn::parse_quote!(#bound));
        }
    }
    generics
}
