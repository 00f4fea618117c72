//! `wikigen serve`: builds the vault into a private folder, serves it on 127.0.0.1, watches the
//! vault, the theme and `wikigen.toml`, rebuilds what a change touches ([`engine`]) and reloads
//! every open page over server-sent events ([`http`]). A broken edit shows an overlay over the
//! last good page; the server never exits on one.

pub mod affected;
pub mod early;
pub mod engine;
pub mod files;
pub mod http;
pub mod moved;
pub mod watch;

use anyhow::{Context as _, Result};
use engine::{Engine, Outcome, Source, Trigger};
use http::{ErrorView, Message, Shared};
use std::net::{IpAddr, SocketAddr};

/// How long the vault must be idle before the search index is brought up to date.
const SEARCH_IDLE: std::time::Duration = std::time::Duration::from_millis(300);

/// Options of `wikigen serve`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the configuration comes from.
    pub source: Source,
    /// Address to listen on.
    pub bind: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Open the site in a browser.
    pub open: bool,
    /// Print only errors.
    pub quiet: bool,
}

fn summary(o: &Outcome, first: bool) -> String {
    let ms = o.elapsed.as_secs_f64() * 1000.0;
    let counts = crate::diag::count(&o.diagnostics);
    let mut extra = String::new();
    if counts.errors > 0 {
        extra.push_str(&format!(", {} errors", counts.errors));
    }
    if counts.warnings > 0 {
        extra.push_str(&format!(", {} warnings", counts.warnings));
    }
    if first {
        format!("Built {} pages in {ms:.0} ms{extra}", o.rendered)
    } else {
        format!(
            "Rebuilt in {ms:.0} ms: {} notes read, {} pages rendered{}, {} files changed{extra}",
            o.reparsed,
            o.rendered,
            if o.full { " (all)" } else { "" },
            o.changed.len()
        )
    }
}

fn publish(shared: &Shared, o: &Outcome, build: u64, was_broken: bool) -> bool {
    let errors: Vec<ErrorView> = o.errors.iter().map(ErrorView::from).collect();
    let broken = !errors.is_empty();
    if let Ok(mut s) = shared.status.lock() {
        s.builds = build;
        s.full = o.full;
        s.rendered = o.rendered;
        s.reparsed = o.reparsed;
        s.walked = o.walked;
        s.incremental = o.incremental;
        s.changed = o.changed.clone();
        s.millis = o.elapsed.as_secs_f64() * 1000.0;
        s.early_reload = o.early_reload;
        s.errors = errors.clone();
    }
    if broken {
        shared.send(Message::Errors(errors));
    } else {
        if was_broken {
            shared.send(Message::Clear);
        }
        // An early reload (sent when the open pages were written) is not sent twice.
        if !o.changed.is_empty() && !o.early_reload {
            shared.send(Message::Reload {
                build,
                changed: o.changed.clone(),
                moved: o.moved.clone(),
            });
        }
    }
    broken
}

/// Gives the server the URL of every note's page, for `/__wikigen/open`.
fn set_pages(shared: &Shared, engine: &Engine) {
    let pages = std::sync::Arc::new(engine.note_urls());
    if let Ok(mut p) = shared.pages.lock() {
        *p = pages;
    }
}

fn print_outcome(o: &Outcome, first: bool, quiet: bool) {
    if !o.errors.is_empty() {
        for e in &o.errors {
            eprintln!(
                "{}",
                crate::diag::format_grouped(std::slice::from_ref(e), None, false, false).trim_end()
            );
        }
    }
    if !quiet {
        eprintln!("{}", summary(o, first));
        log::info!(
            "stages: {}",
            o.timings
                .iter()
                .map(|(n, d)| format!("{n} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
}

/// Runs the server until interrupted.
pub fn run(opts: Options) -> Result<()> {
    let dir = tempfile::Builder::new()
        .prefix("wikigen-serve-")
        .tempdir()
        .context("cannot create a private folder for the site")?;
    let mut engine = Engine::new(opts.source.clone(), dir.path().to_path_buf())?;
    let first = engine.rebuild(Trigger::default(), &early::Offline);
    if first.rendered == 0 && !first.errors.is_empty() {
        // Nothing to serve yet: report and stop (a missing vault, an unreadable theme).
        let msg = first
            .errors
            .iter()
            .map(|e| e.message.clone())
            .collect::<Vec<_>>()
            .join("; ");
        anyhow::bail!("{msg}");
    }
    print_outcome(&first, true, opts.quiet);
    if !opts.quiet && !first.diagnostics.is_empty() {
        let text = crate::diag::format_grouped(&first.diagnostics, Some(5), false, false);
        eprint!("{text}");
    }
    let _ = engine.update_search(&|| false);
    let shared = Shared::new(dir.path())?;
    set_pages(&shared, &engine);
    let mut broken = publish(&shared, &first, 1, false);

    let addr = SocketAddr::new(opts.bind, opts.port);
    let listener = std::net::TcpListener::bind(addr).with_context(|| {
        format!(
            "cannot listen on {addr}: is another server using port {}? Choose another with --port",
            opts.port
        )
    })?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: serving on {} makes the wiki readable by anyone who can reach this machine; use --bind 127.0.0.1 to keep it local",
            opts.bind
        );
    }
    let host = if opts.bind.is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        match opts.bind {
            IpAddr::V6(a) => format!("[{a}]"),
            IpAddr::V4(a) => a.to_string(),
        }
    };
    let url = format!("http://{host}:{}/", local.port());
    // Tests read this line to find the port.
    println!("Serving {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }

    let cfg = engine.config().clone();
    let canon = |p: &std::path::Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let mut themes = vec![canon(&cfg.vault.join(".wikigen"))];
    themes.extend(cfg.theme_dir.as_deref().map(canon));
    let watched = watch::Watched {
        vault: canon(&cfg.vault),
        themes,
        config: crate::config::find_config_file(&cfg.vault, opts.source.config.as_deref())
            .map(|p| canon(&p))
            .or_else(|| Some(canon(&cfg.vault).join("wikigen.toml"))),
    };
    let (watcher, rx) = watch::start(&watched).context("cannot watch the vault")?;
    let quiet = opts.quiet;
    let rebuild_shared = shared.clone();
    // Held while a rebuild or the search index writes into the site folder: the folder is
    // removed only once neither does.
    let busy = std::sync::Arc::new(std::sync::Mutex::new(()));
    let rebuild_busy = busy.clone();
    std::thread::Builder::new()
        .name("wikigen-rebuild".into())
        .spawn(move || {
            let _watcher = watcher;
            let mut build = 1;
            let mut search_stale = false;
            loop {
                // The search index is rebuilt once the vault has been idle for a moment, so it
                // never delays the reload of the next save.
                let idle = search_stale.then_some(SEARCH_IDLE);
                let next = watch::next_batch(&watched, &rx, idle);
                let _busy = files::lock(&rebuild_busy);
                if files::STOPPING.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let trigger = match next {
                    watch::Next::Batch(t) => t,
                    watch::Next::Idle => {
                        // A change while the index is built makes it stale: give up at once,
                        // rebuild, and try again at the next idle moment.
                        use std::sync::atomic::Ordering::Relaxed;
                        let seen = watch::EVENTS.load(Relaxed);
                        match engine.update_search(&|| {
                            watch::EVENTS.load(Relaxed) != seen || files::STOPPING.load(Relaxed)
                        }) {
                            Ok(Some(_)) => search_stale = false,
                            Ok(None) => log::debug!("search index: stopped by a change"),
                            Err(e) => {
                                log::warn!("search index: {e:#}");
                                search_stale = false;
                            }
                        }
                        continue;
                    }
                    watch::Next::Closed => break,
                };
                build += 1;
                let o = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engine.rebuild(trigger, &*rebuild_shared)
                })) {
                    Ok(o) => o,
                    Err(_) => {
                        // A bug: keep serving the last good site and say so.
                        let d = crate::diag::Diagnostic::new(
                            crate::diag::Severity::Error,
                            crate::diag::Code::InternalError,
                            cfg.vault.display().to_string(),
                            0,
                            0,
                            "wikigen failed while rebuilding (a bug; please report it)",
                            "save again to retry; restart `wikigen serve` if it persists",
                        );
                        Outcome {
                            errors: vec![d],
                            ..Default::default()
                        }
                    }
                };
                broken = publish(&rebuild_shared, &o, build, broken);
                // Only a full rebuild can add, remove or move a page.
                if o.full {
                    set_pages(&rebuild_shared, &engine);
                }
                print_outcome(&o, false, quiet);
                search_stale |= !broken;
            }
        })?;

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let app = http::router(shared);
        tokio::select! {
            r = axum::serve(listener, app) => r.context("the server stopped"),
            _ = shutdown() => Ok(()),
        }
    })?;
    // The private site folder goes with the server, once no rebuild writes into it (a rebuild
    // under way stops at its next write).
    files::STOPPING.store(true, std::sync::atomic::Ordering::Relaxed);
    let _busy = files::lock(&busy);
    let path = dir.path().to_path_buf();
    if let Err(e) = dir.close() {
        eprintln!(
            "warning: cannot remove the site folder `{}`: {e}; remove it yourself",
            path.display()
        );
    }
    Ok(())
}

/// Resolves when the server is asked to stop: Ctrl-C, or on Unix `kill` (SIGTERM, as process
/// managers and scripts stop a process) or the terminal going away (SIGHUP). Each of them lets
/// the private site folder be removed; only SIGKILL leaves it behind.
async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: cannot open a browser ({cmd}: {e}); open {url} yourself");
    }
}
