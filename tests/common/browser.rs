//! Browser tests: finding Chromium, node and playwright-core, serving a built site with a real
//! local HTTP server, and running one of the scripts in `tests/browser/` against it.

use std::path::{Path, PathBuf};

/// The system Chromium, when installed.
pub fn chromium() -> Option<&'static str> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
}

/// Whether browser tests must run (CI sets `WIKIGEN_BROWSER_TESTS=1` after installing Chromium
/// and playwright-core): then a missing browser is a failure, not a skip.
pub fn browser_required() -> bool {
    std::env::var("WIKIGEN_BROWSER_TESTS").is_ok_and(|v| v == "1")
}

/// `tests/browser/`, when Chromium, node and playwright-core are all there; `None` (after saying
/// so) when one is missing and browser tests are not required.
pub fn scripts() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let have_pw = dir.join("node_modules/playwright-core").is_dir();
    let have_node = std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if chromium().is_none() || !have_pw || !have_node {
        assert!(
            !browser_required(),
            "browser tests required but Chromium, node or playwright-core is missing \
             (npm ci --prefix tests/browser)"
        );
        eprintln!("skipped: needs /usr/bin/chromium, node and tests/browser/node_modules");
        return None;
    }
    Some(dir)
}

/// Runs `node <dir>/<script> <args…>` and fails the test with its output when it fails; returns
/// its standard output.
pub fn node(dir: &Path, script: &str, args: &[&str]) -> String {
    let out = std::process::Command::new("node")
        .arg(dir.join(script))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{script} {args:?}\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `python3 -m http.server` on a free port, serving `dir`; stopped on drop.
pub struct StaticServer {
    child: std::process::Child,
    /// The port it listens on (127.0.0.1).
    pub port: u16,
}

impl StaticServer {
    /// Starts serving `dir` and waits until the port answers.
    pub fn start(dir: &Path) -> StaticServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = std::process::Command::new("python3")
            .args([
                "-m",
                "http.server",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "-d",
            ])
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
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
