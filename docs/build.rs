//! Extracts the getting-started guide's crate from its markdown, so the code a reader copies is
//! the code that is compiled, linted and tested.
//!
//! Every ```` ```rust ```` block of `getting-started.md` whose first line is a path comment such
//! as `// src/lib.rs` or `// tests/shipping.rs` belongs to the guide's `shipping` crate. The
//! visible lines of all blocks with the same path are joined, in order, into
//! `$OUT_DIR/guide/<path>`: `src/lib.rs` becomes the `docs::shipping` module, `src/main.rs` the
//! `shipping` example and `tests/shipping.rs` the `getting_started` integration test. Hidden
//! lines (`# ...`), which only set up a block's doc test, are left out.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

const GUIDE: &str = "getting-started.md";

/// The files the guide must define; a guide that loses one fails the build here, not later
/// with a confusing `include!` error.
const REQUIRED: &[&str] = &["src/lib.rs", "src/main.rs", "tests/shipping.rs"];

fn main() {
    println!("cargo::rerun-if-changed={GUIDE}");
    println!("cargo::rerun-if-changed=build.rs");

    let markdown =
        fs::read_to_string(GUIDE).unwrap_or_else(|err| panic!("cannot read {GUIDE}: {err}"));
    let files = extract(&markdown);
    for required in REQUIRED {
        assert!(
            files.contains_key(*required),
            "{GUIDE} has no ```rust block starting with `// {required}`"
        );
    }

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("guide");
    for (path, text) in files {
        write(&out.join(path), &text);
    }
}

/// The guide's files: path → the visible lines of its blocks.
fn extract(markdown: &str) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let mut lines = markdown.lines().enumerate();

    while let Some((number, line)) = lines.next() {
        let Some(info) = line.trim_start().strip_prefix("```") else {
            continue;
        };
        let block: Vec<&str> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| l.trim_start() != "```")
            .collect();
        if !is_rust(info) {
            continue;
        }
        let Some(path) = block
            .first()
            .and_then(|first| first.trim().strip_prefix("// "))
        else {
            continue;
        };
        if !looks_like_path(path) {
            continue;
        }

        let text = files.entry(path.to_owned()).or_default();
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("// {GUIDE}, the block at line {}\n", number + 1));
        for line in block.iter().skip(1).filter(|l| !is_hidden(l)) {
            text.push_str(line);
            text.push('\n');
        }
    }
    files
}

/// Whether a fence's info string marks Rust, as rustdoc reads it (`rust`, `rust,no_run`, or
/// no language at all).
fn is_rust(info: &str) -> bool {
    let info = info.trim();
    info.is_empty() || info.split(',').next().map(str::trim) == Some("rust")
}

fn looks_like_path(text: &str) -> bool {
    text.ends_with(".rs") && !text.contains(' ') && !text.starts_with('/') && !text.contains("..")
}

/// Whether rustdoc hides the line from the reader: `# code` or a lone `#`.
fn is_hidden(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed == "#" || trimmed.starts_with("# ")
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)
            .unwrap_or_else(|err| panic!("cannot create {}: {err}", dir.display()));
    }
    fs::write(path, text).unwrap_or_else(|err| panic!("cannot write {}: {err}", path.display()));
}
