//! The guides of the Camunda connector SDK for Rust, compiled against the SDK so their code
//! never rots.
//!
//! - [`getting_started`]: write, test, template and invoke a first outbound connector.
//! - [`attributes`]: every attribute of `#[derive(ConnectorInput)]`.
//! - [`shipping`]: the crate the guide builds, extracted from the guide's code blocks by the
//!   build script and compiled as it stands; its tests run as the `getting_started` test.
//!
//! Every `rust` block of a guide is a doc test (`cargo test -p docs --doc`). The blocks that are
//! integration tests of the guide's crate (`#[tokio::test]` functions, which a doc test cannot
//! run) are marked `ignore` for rustdoc and run, unchanged, in `tests/getting_started.rs`.

// A guide block is one part of a crate: items and imports that later blocks use are unused in
// its own doc test.
#![doc(test(attr(deny(warnings), allow(dead_code, unused_imports))))]

#[doc = include_str!("../getting-started.md")]
pub mod getting_started {}

#[doc = include_str!("../attributes.md")]
pub mod attributes {}

/// The `shipping` crate of the getting-started guide: every block of the guide that starts with
/// `// src/lib.rs`, in order.
pub mod shipping {
    include!(concat!(env!("OUT_DIR"), "/guide/src/lib.rs"));
}
