//! The getting-started guide's `src/main.rs`: runs one activated job through the guide's
//! `shipping` connector and prints the engine command.
//!
//! ```text
//! SECRET_CARRIER_API_KEY=sk_test_4242 cargo run -p docs --example shipping -- JOB.json
//! ```

use docs::shipping;

include!(concat!(env!("OUT_DIR"), "/guide/src/main.rs"));
