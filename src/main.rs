//! The `wikigen` binary: parses the command line and hands over to [`wikigen::cli::run`].

use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the build allocates many small strings from several threads, where glibc's malloc
/// spends a large share of the time (measured with perf on the 10,000-note benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option number for `purge_delay` (in mimalloc 2 and 3 alike; libmimalloc-sys
/// names the options around it but not this one).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    let cli = wikigen::cli::Cli::parse();
    if !matches!(cli.command, wikigen::cli::Command::Serve(_)) {
        // A one-shot build never gives memory back to the system: by default mimalloc returns
        // freed pages after a second, and taking them again costs a page fault and the kernel's
        // zeroing of each page (on the 10,000-note benchmark about 3 times fewer page faults and
        // 2-8% less CPU time). `wikigen serve` keeps the default, so that it shrinks after a
        // rebuild.
        // SAFETY: set before any other thread exists; the option is a plain integer.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
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
