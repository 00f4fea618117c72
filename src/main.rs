//! The `wikigen` binary: parses the command line and hands over to [`wikigen::cli::run`].

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the build allocates many small strings from several threads, where glibc's malloc
/// spends a large share of the time (measured with perf on the 10,000-note benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = wikigen::cli::Cli::parse();
    let default_level = if cli.quiet { "error" } else { "warn" };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default_level))
        .format_timestamp(None)
        .init();
    match wikigen::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
