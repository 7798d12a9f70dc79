//! The derive macro of `camunda-connector-sdk`. Use it through that crate
//! (`camunda_connector_sdk::ConnectorInput`), which pins this one to the exact same version.

mod expand;
mod fallback;
mod internals;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use internals::ast::Container;
use internals::ctxt::Ctxt;

#[doc = include_str!("../../docs/attributes.md")]
#[proc_macro_derive(ConnectorInput, attributes(template, validate))]
pub fn derive_connector_input(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let cx = Ctxt::new();
    let container = Container::from_ast(&cx, input);
    if let Some(container) = &container {
        internals::check::check(&cx, container);
    }
    let sdk = container
        .as_ref()
        .map_or_else(|| quote::quote!(::camunda_connector_sdk), expand::sdk_path);
    match (cx.check(), container) {
        (Ok(()), Some(container)) => expand::expand(&container),
        (Err(err), _) => {
            let mut out = fallback::expand(input, &sdk);
            out.extend(err.into_compile_error());
            out
        }
        (Ok(()), None) => fallback::expand(input, &sdk),
    }
}
