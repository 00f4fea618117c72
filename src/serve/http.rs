//! `serve`, the HTTP side (axum): serves the site folder and nothing outside it, injects the
//! live-reload script into HTML pages, and pushes reload and error events over server-sent events
//! at `/__wikigen/events`.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Serialize;
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
    /// Whether the last rebuild took links, profiles and queries over from the one before.
    pub incremental: bool,
    /// Site paths the last rebuild changed.
    pub changed: Vec<String>,
    /// Milliseconds from the change to the reload message of the last rebuild.
    pub millis: f64,
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
}

impl Shared {
    /// Shares `root` (which must exist).
    pub fn new(root: &Path) -> std::io::Result<Arc<Shared>> {
        let (tx, _) = broadcast::channel(64);
        Ok(Arc::new(Shared {
            root: root.canonicalize()?,
            tx,
            status: Mutex::new(Status::default()),
        }))
    }

    /// Sends a message to every open page (none may be listening).
    pub fn send(&self, m: Message) {
        let _ = self.tx.send(m);
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

fn to_event(m: &Message) -> Event {
    match m {
        Message::Reload { build, changed } => Event::default()
            .event("reload")
            .data(serde_json::json!({ "build": build, "changed": changed }).to_string()),
        Message::Errors(e) => Event::default()
            .event("build-error")
            .data(serde_json::to_string(e).unwrap_or_default()),
        Message::Clear => Event::default().event("clear").data("{}"),
    }
}

async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    let rx = s.tx.subscribe();
    let errors = s.errors();
    // A page that connects while the build is broken gets the errors at once.
    let first = Some(if errors.is_empty() {
        Event::default().event("hello").data("{}")
    } else {
        to_event(&Message::Errors(errors))
    });
    let stream = futures_util::stream::unfold((rx, first), |(mut rx, first)| async move {
        if let Some(ev) = first {
            return Some((Ok(ev), (rx, None)));
        }
        loop {
            match rx.recv().await {
                Ok(m) => return Some((Ok(to_event(&m)), (rx, None))),
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
        Some(f) => file_response(&f, StatusCode::OK, head),
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
