//! Runs Camunda 8 connectors.
//!
//! This crate holds everything that executes a connector built with `camunda-connector-sdk`:
//! the outbound job pipeline (headers, binding, execution, result and error expressions in FEEL,
//! retries and backoff, secret masking, the final engine command), the FEEL engine wrapper, the
//! REST client for Camunda 8's Orchestration Cluster API and the job worker.

pub mod engine;
pub mod feel;
pub mod job;
pub mod pipeline;
pub mod worker;
