//! Element-template generation: golden behaviours, failure cases, schema validation and
//! snapshots. One test binary; each area is a module under `tests/template/`.

mod template {
    #[macro_use]
    pub(crate) mod support;

    mod failures;
    mod golden;
    mod http;
}
