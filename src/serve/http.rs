//! `serve`, the HTTP side (axum): serves the site folder and nothing outside it, injects the
//! live-reload script into HTML pages, and pushes reload and error events over server-sent events
//! at `/__wikigen/events`.

use super::early::{Fresh, Live};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// The script every served HTML page gets (never written into `build` output).
pub const LIVE_JS: &str = include_str!("live.js");
/// The tag injected before `</body>`.
const LIVE_TAG: &str = "<script src=\"/__wikigen/live.js\"></script>";

/// One problem shown in the error overlay.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorView {
    /// File (vault-relative or absolute).
    pub file: String,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl From<&crate::diag::Diagnostic> for ErrorView {
    fn from(d: &crate::diag::Diagnostic) -> Self {
        ErrorView {
            file: d.file.clone(),
            line: d.line,
            message: d.message.clone(),
            hint: d.help.clone(),
        }
    }
}

/// A message to every open page.
#[derive(Debug, Clone)]
pub enum Message {
    /// The site changed: reload.
    Reload {
        /// Build number.
        build: u64,
        /// Site paths that changed.
        changed: Vec<String>,
        /// Pages that moved with a renamed note.
        moved: Vec<super::moved::Moved>,
    },
    /// The last rebuild failed: show these errors over the page.
    Errors(Vec<ErrorView>),
    /// The errors are fixed: remove the overlay.
    Clear,
}

/// What `/__wikigen/status` reports (used by tests and for debugging).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Rebuilds done since the start (the first build is 1).
    pub builds: u64,
    /// Whether the last rebuild rendered every page.
    pub full: bool,
    /// Pages rendered by the last rebuild.
    pub rendered: usize,
    /// Notes read again by the last rebuild.
    pub reparsed: usize,
    /// Whether the last rebuild walked the vault (it does not when the watcher named every
    /// file that changed, and each was a note).
    pub walked: bool,
    /// Whether the last rebuild took links, profiles and queries over from the one before.
    pub incremental: bool,
    /// Site paths the last rebuild changed.
    pub changed: Vec<String>,
    /// Milliseconds from the change to the reload message of the last rebuild.
    pub millis: f64,
    /// Whether the last rebuild reloaded the open pages before it rendered the others.
    pub early_reload: bool,
    /// Errors shown in the overlay (empty when the build is good).
    pub errors: Vec<ErrorView>,
}

/// State shared by the server and the rebuild thread.
pub struct Shared {
    /// The site folder (canonical).
    pub root: PathBuf,
    /// Broadcast to every open page.
    pub tx: broadcast::Sender<Message>,
    /// The latest status.
    pub status: Mutex<Status>,
    /// The pages open in a browser (site paths), with the number of tabs showing each.
    open: Mutex<HashMap<String, usize>>,
    /// While a rebuild finishes after an early reload: the files already up to date.
    held: Mutex<Option<Fresh>>,
    /// Wakes the requests waiting for [`Shared::held`] to end.
    released: tokio::sync::Notify,
    /// The URL of each published note, by vault path (for `/__wikigen/open`).
    pub pages: Mutex<Arc<HashMap<String, String>>>,
}

/// The longest a request waits for a rebuild to finish before it gets the file as it is.
const HOLD_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Counts a page as open while an events stream from it lives.
struct OpenPage {
    shared: Arc<Shared>,
    page: String,
}

impl Drop for OpenPage {
    fn drop(&mut self) {
        if let Ok(mut open) = self.shared.open.lock() {
            if let Some(n) = open.get_mut(&self.page) {
                *n -= 1;
                if *n == 0 {
                    open.remove(&self.page);
                }
            }
        }
    }
}

impl Live for Shared {
    fn open_pages(&self) -> HashSet<String> {
        self.open
            .lock()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn hold(&self, fresh: Fresh) {
        if let Ok(mut h) = self.held.lock() {
            *h = Some(fresh);
        }
    }

    fn reload(&self, changed: &[String], moved: &[super::moved::Moved]) {
        let build = self.status.lock().map(|s| s.builds + 1).unwrap_or(0);
        self.send(Message::Reload {
            build,
            changed: changed.to_vec(),
            moved: moved.to_vec(),
        });
    }

    fn release(&self) {
        if let Ok(mut h) = self.held.lock() {
            if h.take().is_some() {
                self.released.notify_waiters();
            }
        }
    }
}

impl Shared {
    /// Shares `root` (which must exist).
    pub fn new(root: &Path) -> std::io::Result<Arc<Shared>> {
        let (tx, _) = broadcast::channel(64);
        Ok(Arc::new(Shared {
            root: root.canonicalize()?,
            tx,
            status: Mutex::new(Status::default()),
            open: Mutex::new(HashMap::new()),
            held: Mutex::new(None),
            released: tokio::sync::Notify::new(),
            pages: Mutex::new(Arc::new(HashMap::new())),
        }))
    }

    /// Sends a message to every open page (none may be listening).
    pub fn send(&self, m: Message) {
        let _ = self.tx.send(m);
    }

    /// Waits while a rebuild holds `file` (a site file path), at most [`HOLD_LIMIT`].
    async fn settled(&self, file: &str) {
        let deadline = tokio::time::Instant::now() + HOLD_LIMIT;
        loop {
            // Registered before the check, so a release in between is not missed.
            let released = self.released.notified();
            let held = self
                .held
                .lock()
                .map(|h| h.as_ref().is_some_and(|f| !f.accepts(file)))
                .unwrap_or(false);
            if !held || tokio::time::timeout_at(deadline, released).await.is_err() {
                return;
            }
        }
    }

    fn errors(&self) -> Vec<ErrorView> {
        self.status
            .lock()
            .map(|s| s.errors.clone())
            .unwrap_or_default()
    }
}

/// The router: the events stream, the live script, the status, and the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/__wikigen/events", get(events))
        .route("/__wikigen/live.js", get(live_js))
        .route("/__wikigen/status", get(status))
        .route("/__wikigen/open", get(open_note))
        .fallback(site_file)
        .with_state(shared)
}

async fn live_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    let st = s.status.lock().map(|s| s.clone()).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        serde_json::to_string(&st).unwrap_or_default(),
    )
        .into_response()
}

/// `/__wikigen/open?note=People/Ada.md`: redirects to the page of a note of the vault (for
/// editors and scripts that know the file, not the URL); 404 when it has no page.
async fn open_note(State(s): State<Arc<Shared>>, uri: Uri) -> Response {
    let note = query_param(&uri, "note");
    let pages = s.pages.lock().map(|p| p.clone()).unwrap_or_default();
    match note.and_then(|n| pages.get(&n).cloned()) {
        Some(url) => {
            let to = format!("/{}", crate::paths::encode_url_path(&url));
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => (StatusCode::NOT_FOUND, "no page for this note").into_response(),
    }
}

fn to_event(m: &Message) -> Event {
    match m {
        Message::Reload {
            build,
            changed,
            moved,
        } => {
            // Each moved page's old site path, to the URL path a tab open on it goes to.
            let moved: serde_json::Map<String, serde_json::Value> = moved
                .iter()
                .map(|m| {
                    let to = format!("/{}", crate::paths::encode_url_path(&m.to));
                    (m.from.clone(), to.into())
                })
                .collect();
            Event::default().event("reload").data(
                serde_json::json!({ "build": build, "changed": changed, "moved": moved })
                    .to_string(),
            )
        }
        Message::Errors(e) => Event::default()
            .event("build-error")
            .data(serde_json::to_string(e).unwrap_or_default()),
        Message::Clear => Event::default().event("clear").data("{}"),
    }
}

/// The page an events stream comes from (`/__wikigen/events?page=/people/ada/`), as a site path
/// (`people/ada/`).
fn page_of(uri: &Uri) -> Option<String> {
    // The value is the page's `location.pathname`, itself percent-encoded.
    let pathname = query_param(uri, "page")?;
    let path = percent_encoding::percent_decode_str(&pathname)
        .decode_utf8()
        .ok()?;
    Some(super::files::site_path(path.trim_start_matches('/')))
}

/// The decoded value of the query parameter `name` (`+` as a space), if any.
fn query_param(uri: &Uri, name: &str) -> Option<String> {
    let raw = uri.query()?.split('&').find_map(|kv| {
        kv.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('='))
    })?;
    percent_encoding::percent_decode_str(&raw.replace('+', " "))
        .decode_utf8()
        .ok()
        .map(|v| v.into_owned())
}

async fn events(
    State(s): State<Arc<Shared>>,
    uri: Uri,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let open = page_of(&uri).map(|page| {
        if let Ok(mut o) = s.open.lock() {
            *o.entry(page.clone()).or_default() += 1;
        }
        OpenPage {
            shared: s.clone(),
            page,
        }
    });
    let rx = s.tx.subscribe();
    let errors = s.errors();
    // A page that connects while the build is broken gets the errors at once.
    let first = Some(if errors.is_empty() {
        Event::default().event("hello").data("{}")
    } else {
        to_event(&Message::Errors(errors))
    });
    // The stream owns `open`: the page counts as open until its stream is dropped.
    let stream =
        futures_util::stream::unfold((rx, first, open), |(mut rx, first, open)| async move {
            if let Some(ev) = first {
                return Some((Ok(ev), (rx, None, open)));
            }
            loop {
                match rx.recv().await {
                    Ok(m) => return Some((Ok(to_event(&m)), (rx, None, open))),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// Maps a request path to a file under `root`, or `None` when it would leave the site: every
/// `.` or `..` segment, backslash, NUL or invalid UTF-8 after percent-decoding is refused, and
/// the resolved file must lie inside `root` after following symlinks.
pub fn resolve_path(root: &Path, raw_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut p = root.to_path_buf();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s if s.contains(':') && cfg!(windows) => return None,
            s => p.push(s),
        }
    }
    if p.is_dir() {
        p.push("index.html");
    }
    let canon = p.canonicalize().ok()?;
    (canon.starts_with(root) && canon.is_file()).then_some(canon)
}

fn content_type(p: &Path) -> HeaderValue {
    let mime = mime_guess::from_path(p).first_or_octet_stream();
    let s = if mime.type_() == mime_guess::mime::TEXT
        || mime.subtype() == mime_guess::mime::JAVASCRIPT
        || mime.subtype() == mime_guess::mime::JSON
    {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    };
    HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static("application/octet-stream"))
}

fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let pos = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(pos..pos, LIVE_TAG.bytes());
    html
}

fn file_response(path: &Path, status: StatusCode, head: bool) -> Response {
    let Ok(bytes) = std::fs::read(path) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let is_html = path.extension().is_some_and(|e| e == "html");
    let bytes = if is_html { inject(bytes) } else { bytes };
    let len = bytes.len();
    let body = if head {
        Body::empty()
    } else {
        Body::from(bytes)
    };
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type(path));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn site_file(State(s): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD").into_response();
    }
    let root = s.root.clone();
    let path = uri.path().to_string();
    let found = tokio::task::spawn_blocking(move || {
        let f = resolve_path(&root, &path);
        (f, root)
    })
    .await;
    let Ok((found, root)) = found else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    match found {
        Some(f) => {
            // A file a rebuild is still writing is served once it is written.
            if let Ok(rel) = f.strip_prefix(&root) {
                s.settled(&rel.to_string_lossy().replace('\\', "/")).await;
            }
            file_response(&f, StatusCode::OK, head)
        }
        None => {
            let nf = root.join("404.html");
            if nf.is_file() {
                file_response(&nf, StatusCode::NOT_FOUND, head)
            } else {
                (StatusCode::NOT_FOUND, "not found").into_response()
            }
        }
    }
}
