//! The FEEL engine used by result and error expressions.
