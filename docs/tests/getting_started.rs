//! The tests of the getting-started guide's `shipping` crate: every block of the guide that
//! starts with `// tests/shipping.rs`, in order, exactly as a reader copies them.

use docs::shipping;

include!(concat!(env!("OUT_DIR"), "/guide/tests/shipping.rs"));
