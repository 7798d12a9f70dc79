//! The getting-started guide's `src/main.rs`: the `shipping` connector behind the runtime's
//! command line (`templates`, `invoke` and `run`).
//!
//! ```text
//! cargo run -p docs --example shipping -- invoke --job JOB.json --secret CARRIER_API_KEY=sk_test_4242
//! cargo run -p docs --example shipping -- templates --out target/element-templates
//! ```

use docs::shipping;

include!(concat!(env!("OUT_DIR"), "/guide/src/main.rs"));
