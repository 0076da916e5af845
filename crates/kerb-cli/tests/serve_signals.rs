//! `kerb serve` under process signals (issue #20): SIGHUP reloads the graphs and keeps the
//! server answering (it used to kill it); SIGTERM stops it within the grace period.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use kerb_testdata::{helsinki_pbf, temp_dir};

fn kill(pid: u32, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {signal} {pid}");
}

fn get(addr: SocketAddr, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
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

/// Waits for a stderr line containing `needle`, returning it.
fn wait_for(lines: &mpsc::Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no stderr line with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}

#[test]
fn sighup_reloads_and_sigterm_stops_within_the_grace_period() {
    let graph = temp_dir("serve-signals").join("helsinki-car.kerb");
    kerb_testdata::run_ok(
        env!("CARGO_BIN_EXE_kerb"),
        [
            "build",
            helsinki_pbf().to_str().unwrap(),
            "--profile",
            "car",
            "-o",
            graph.to_str().unwrap(),
            "--quiet",
        ],
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_kerb"))
        .args(["serve", "--graph", graph.to_str().unwrap()])
        .args(["--bind", "127.0.0.1:0", "--shutdown-grace-ms", "1000"])
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
    let listening = wait_for(&lines, "listening on http://");
    let addr: SocketAddr = listening
        .split("http://")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .unwrap()
        .parse()
        .unwrap();
    wait_for(&lines, "ready");

    kill(child.id(), "-HUP");
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "SIGHUP must not stop the server"
    );
    let ready = get(addr, "/ready");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let route = get(
        addr,
        "/route/v1/car/24.9414,60.1699;24.9450,60.1710?overview=false",
    );
    assert!(route.starts_with("HTTP/1.1 200"), "{route}");

    kill(child.id(), "-TERM");
    let t = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
