//! Runs Camunda 8 connectors.
//!
//! This crate holds everything that executes a connector built with `camunda-connector-sdk`:
//! the outbound job pipeline (headers, binding, execution, result and error expressions in FEEL,
//! retries and backoff, secret masking, the final engine command), the FEEL engine wrapper, the
//! REST client for Camunda 8's Orchestration Cluster API, the job worker, and the command line
//! ([`cli`]) a binary that serves connectors gets with one call.

pub mod cli;
pub mod engine;
pub mod feel;
pub mod job;
pub mod pipeline;
mod text;
pub mod worker;
