//! Browser tests: whether headless Chromium, node and playwright-core are here, a static file
//! server for a built site, and running one of the `tests/browser/*.mjs` scripts.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// `tests/browser`, where the scripts and their `node_modules` live.
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Whether browser tests can run. CI sets `WIKIGEN_BROWSER_TESTS=1` after installing Chromium
/// and playwright-core: then a missing piece is a failure, not a skip.
pub fn browser_ready() -> bool {
    let ready = Path::new("/usr/bin/chromium").exists()
        && scripts_dir().join("node_modules/playwright-core").is_dir()
        && Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            std::env::var("WIKIGEN_BROWSER_TESTS").as_deref() != Ok("1"),
            "browser tests required but Chromium, node or playwright-core is missing \
             (npm ci --prefix tests/browser)"
        );
        eprintln!("skipped: needs /usr/bin/chromium, node and tests/browser/node_modules");
    }
    ready
}

/// Runs `node tests/browser/<script> <args>`, asserting it passed; returns its standard output.
pub fn run_script(script: &str, args: &[&str]) -> String {
    let dir = scripts_dir();
    let out = Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(&dir)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "{script} {args:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!("{stdout}");
    stdout
}

/// A static file server for a folder on a free port (Python's, as a user would run it).
pub struct StaticServer {
    child: Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl StaticServer {
    /// Serves `dir` and waits until the port accepts connections.
    pub fn start(dir: &Path) -> StaticServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "-d",
            ])
            .arg(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        StaticServer { child, port }
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
