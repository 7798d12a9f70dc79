//! The client for the Orchestration Cluster REST API.
