//! Parsing and checking the derive's input.

pub(crate) mod ast;
pub(crate) mod attr;
mod case;
pub(crate) mod check;
pub(crate) mod ctxt;
mod symbol;
