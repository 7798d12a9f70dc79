//! The outbound job pipeline.
