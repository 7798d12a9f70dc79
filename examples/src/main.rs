//! `connectors`: the example connectors' one binary.
//!
//! ```text
//! cargo run -p examples -- demo                                   # no Camunda, no internet
//! cargo run -p examples -- invoke --job examples/jobs/http-json-unreachable.json
//! cargo run -p examples -- invoke --job JOB.json --secret API_TOKEN=abc
//! cargo run -p examples -- templates --out target/element-templates
//! cargo run -p examples -- run                                    # against a Camunda 8 cluster
//! ```
//!
//! Logs go to stderr (`RUST_LOG=debug` for more); results go to stdout.

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    cli::init_tracing();

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
