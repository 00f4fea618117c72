//! Harness for `wikigen serve` tests: starts the real binary on a free port, speaks plain HTTP
//! to it over a socket (no proxy in the way), reads its server-sent events and its status.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a rebuild may take on a slow, busy CI machine before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// A running `wikigen serve`, killed on drop.
pub struct Server {
    child: Child,
    /// The port it listens on.
    pub port: u16,
    /// Standard error, collected by a thread.
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

/// One HTTP response.
#[derive(Debug)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Body as text (lossy).
    pub body: String,
}

impl Response {
    /// The value of a header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One server-sent event.
#[derive(Debug, Clone)]
pub struct SseEvent {
    /// `reload`, `build-error`, `clear`, `hello`.
    pub name: String,
    /// Its data.
    pub data: String,
}

impl Server {
    /// Starts `wikigen serve VAULT --port 0 ARGS…` and waits until it listens.
    pub fn start(vault: &Path, args: &[&str]) -> Server {
        Server::start_in(vault, args, &std::env::temp_dir())
    }

    /// [`Server::start`], with `tmp` as the temporary folder (where the server keeps its site).
    pub fn start_in(vault: &Path, args: &[&str], tmp: &Path) -> Server {
        let mut child = Command::new(super::bin())
            .arg("serve")
            .arg(vault)
            .args(["--port", "0"])
            .args(args)
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "wikigen=info")
            .env("TMPDIR", tmp)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("wikigen serve starts");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                let mut s = sink.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        let out = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let start = Instant::now();
        let port = loop {
            match rx.recv_timeout(Duration::from_millis(200)) {
                Ok(line) => {
                    if let Some(rest) = line.strip_prefix("Serving http://127.0.0.1:") {
                        break rest
                            .split('/')
                            .next()
                            .and_then(|p| p.parse::<u16>().ok())
                            .expect("a port in the Serving line");
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    if let Ok(Some(st)) = child.try_wait() {
                        panic!("wikigen serve exited with {st}: {}", stderr.lock().unwrap());
                    }
                    assert!(
                        start.elapsed() < Duration::from_secs(120),
                        "wikigen serve did not start: {}",
                        stderr.lock().unwrap()
                    );
                }
                Err(RecvTimeoutError::Disconnected) => {
                    panic!("wikigen serve stopped: {}", stderr.lock().unwrap())
                }
            }
        };
        Server {
            child,
            port,
            stderr,
        }
    }

    /// What the server printed on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends a raw request line for `path` (not normalised in any way) and reads the response.
    pub fn request(&self, method: &str, path: &str) -> Response {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        s.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut data = Vec::new();
        s.read_to_end(&mut data).expect("reads the response");
        let split = data
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete response");
        let head = String::from_utf8_lossy(&data[..split]).to_string();
        let body = String::from_utf8_lossy(&data[split + 4..]).to_string();
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|c| c.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body,
        }
    }

    /// GET `path`.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// The server's status (`/__wikigen/status`).
    pub fn status(&self) -> Value {
        serde_json::from_str(&self.get("/__wikigen/status").body).expect("status is JSON")
    }

    /// Number of builds done so far.
    pub fn builds(&self) -> u64 {
        self.status()["builds"].as_u64().unwrap_or(0)
    }

    /// Waits until at least `n` builds are done; returns the status.
    pub fn wait_builds(&self, n: u64) -> Value {
        let start = Instant::now();
        loop {
            let st = self.status();
            if st["builds"].as_u64().unwrap_or(0) >= n {
                return st;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "build {n} did not happen; status {st}; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until `path` answers with a body for which `pred` holds.
    pub fn wait_page(&self, path: &str, pred: impl Fn(&Response) -> bool) -> Response {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if pred(&r) {
                return r;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "{path} never matched; last status {} body:\n{}\nstderr:\n{}",
                r.status,
                r.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Waits until no rebuild has happened for a while (the watcher's batch is closed and the
    /// rebuild done); returns the number of builds.
    pub fn settle(&self) -> u64 {
        let mut last = self.builds();
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let now = self.builds();
            if now == last {
                return now;
            }
            last = now;
            assert!(start.elapsed() < PATIENCE, "the server never settles");
        }
    }

    /// Connects to the events stream and returns its first event (`hello`, or `build-error`
    /// when the build is broken).
    pub fn events_raw_first(&self) -> SseEvent {
        self.connect_events(None).0
    }

    /// Subscribes to the server-sent events; they arrive on the returned channel.
    pub fn events(&self) -> Receiver<SseEvent> {
        self.events_from(None)
    }

    /// [`Server::events`] as a browser tab showing `page` (`/people/ada/`) subscribes.
    pub fn events_from(&self, page: Option<&str>) -> Receiver<SseEvent> {
        let (first, rx) = self.connect_events(page);
        assert!(
            first.name == "hello" || first.name == "build-error",
            "{first:?}"
        );
        rx
    }

    fn connect_events(&self, page: Option<&str>) -> (SseEvent, Receiver<SseEvent>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connects");
        let query = page
            .map(|p| format!("?page={}", p.replace('%', "%25").replace('/', "%2F")))
            .unwrap_or_default();
        write!(
            s,
            "GET /__wikigen/events{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            let mut data = String::new();
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                // Chunked transfer: chunk-size lines are not `field: value` lines and are skipped.
                if let Some(v) = line.strip_prefix("event:") {
                    name = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim_start());
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send(SseEvent {
                            name: std::mem::take(&mut name),
                            data: std::mem::take(&mut data),
                        })
                        .is_err()
                {
                    return;
                }
            }
        });
        // The first event says the stream is open.
        let first = rx.recv_timeout(PATIENCE).expect("the event stream opens");
        (first, rx)
    }
}

impl Server {
    /// Stops the server as `kill` does (SIGTERM on Unix), so that it removes its site folder;
    /// kills it when it has not stopped within [`PATIENCE`]. Returns whether it stopped by itself
    /// with success.
    pub fn stop(&mut self) -> bool {
        if let Ok(Some(st)) = self.child.try_wait() {
            return st.success();
        }
        #[cfg(unix)]
        {
            let pid = self.child.id() as libc::pid_t;
            // SAFETY: signals our own child process, which has not been waited for yet.
            unsafe { libc::kill(pid, libc::SIGTERM) };
            let start = Instant::now();
            while start.elapsed() < PATIENCE {
                if let Ok(Some(st)) = self.child.try_wait() {
                    return st.success();
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Waits for the next event named `name`, skipping others.
pub fn next_event(rx: &Receiver<SseEvent>, name: &str) -> SseEvent {
    let start = Instant::now();
    loop {
        let left = PATIENCE.saturating_sub(start.elapsed());
        let e = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if e.name == name {
            return e;
        }
    }
}

/// Normalises what legitimately differs between `serve` and `build` output: the injected
/// live-reload script and the search index version.
pub fn normalise(html: &str) -> String {
    let re = regex::Regex::new(r"(search\.js|graph\.js|explorer\.json)\?v=[0-9A-Za-z]+").unwrap();
    let s = html.replace("<script src=\"/__wikigen/live.js\"></script>", "");
    re.replace_all(&s, "$1?v=V").to_string()
}

/// The first lines where `served` and `built` differ, with the line before them.
pub fn first_difference(served: &str, built: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (served.lines().collect(), built.lines().collect());
    let at = (0..a.len().max(b.len()))
        .find(|&i| a.get(i) != b.get(i))
        .unwrap_or(0);
    let show = |v: &[&str]| v[at.saturating_sub(1).min(v.len())..(at + 3).min(v.len())].join("\n");
    format!(
        "line {}:\nserved:\n{}\nbuilt:\n{}",
        at + 1,
        show(&a),
        show(&b)
    )
}

/// Every HTML page a fresh build of `vault` writes is served identically by `server`, and no
/// page is served that the build does not write.
pub fn assert_same_as_build(server: &Server, vault: &super::Vault, label: &str) {
    server.settle();
    let out = vault.dir().join(format!("fresh-{label}"));
    let b = vault.build_configured_to(&out, &["--base-url", "/"]);
    b.ok();
    let mut pages = 0;
    for f in b.files() {
        if !f.ends_with(".html") {
            continue;
        }
        let built = std::fs::read_to_string(out.join(&f)).unwrap();
        assert!(
            !built.contains("__wikigen/live.js"),
            "build output must not carry the live-reload script: {f}"
        );
        let site_path = format!("/{}", f.strip_suffix("index.html").unwrap_or(&f));
        let served = server.get(&site_path);
        assert_eq!(served.status, 200, "{label}: {site_path}");
        let (served, built) = (normalise(&served.body), normalise(&built));
        assert!(
            served == built,
            "{label}: {site_path} differs between serve and a fresh build:\n{}",
            first_difference(&served, &built)
        );
        pages += 1;
    }
    assert!(pages > 20, "{label}: only {pages} pages compared");
    // The graph data follows the links (a new link, a new note not written yet).
    let graph = std::fs::read_to_string(out.join("_wikigen/graph-data.js")).unwrap();
    assert_eq!(
        server.get("/_wikigen/graph-data.js").body,
        graph,
        "{label}: the graph data differs between serve and a fresh build"
    );
    // So does the folder tree.
    let tree = std::fs::read_to_string(out.join("_wikigen/explorer.json")).unwrap();
    assert_eq!(
        server.get("/_wikigen/explorer.json").body,
        tree,
        "{label}: the explorer data differs between serve and a fresh build"
    );
}

/// Waits longer than the watcher's quiet window, so that a batch is surely closed.
pub fn wait_quiet() {
    std::thread::sleep(Duration::from_millis(400));
}
