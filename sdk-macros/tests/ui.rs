//! Compile-time behaviour of `#[derive(ConnectorInput)]`: every attribute error has a case
//! under `ui/fail` with its expected diagnostic, and `ui/pass` proves legal combinations
//! compile and behave. Re-bless with `TRYBUILD=overwrite` and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
