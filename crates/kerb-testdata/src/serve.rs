//! Command-line set-ups the CLI tests share: building a graph file with the `kerb` binary and
//! running `kerb serve` on a free loopback port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::run_ok;

/// Runs `kerb build PBF --profile PROFILE -o OUT --quiet` plus `extra` arguments with the
/// `kerb` binary at `kerb`.
///
/// # Panics
///
/// When the build fails (the panic message holds its stderr).
pub fn kerb_build(kerb: &str, pbf: &Path, profile: &str, out: &Path, extra: &[&str]) {
    let (pbf, out) = (pbf.to_str().unwrap(), out.to_str().unwrap());
    let mut args = vec!["build", pbf, "--profile", profile, "-o", out, "--quiet"];
    args.extend_from_slice(extra);
    run_ok(kerb, args);
}

/// A `kerb serve` child process bound to a free loopback port, its stderr lines readable by
/// [`Server::wait_for`]. The process is killed when the value is dropped.
pub struct Server {
    /// The child process (for signals and its exit status).
    pub child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    lines: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `kerb serve ARGS --bind 127.0.0.1:0` and waits for its "listening on" line.
    ///
    /// # Panics
    ///
    /// When the process cannot start or prints no address within two minutes.
    pub fn start<S: AsRef<std::ffi::OsStr>>(kerb: &str, args: impl IntoIterator<Item = S>) -> Self {
        let mut child = Command::new(kerb)
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1:0"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            lines,
        };
        let listening = server.wait_for("listening on http://");
        server.addr = listening
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap()
            .parse()
            .unwrap();
        server
    }

    /// Waits (two minutes at most) for a stderr line containing `needle` and returns it.
    ///
    /// # Panics
    ///
    /// When no such line comes.
    pub fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("no stderr line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// `GET path` over a fresh connection; the whole HTTP response as text.
    ///
    /// # Panics
    ///
    /// When the connection fails or no answer comes within 30 s.
    pub fn get(&self, path: &str) -> String {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    /// Sends `signal` (as `kill` takes it, e.g. `-HUP`) to the process.
    ///
    /// # Panics
    ///
    /// When `kill` fails.
    pub fn signal(&self, signal: &str) {
        let pid = self.child.id();
        let ok = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {signal} {pid}");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
