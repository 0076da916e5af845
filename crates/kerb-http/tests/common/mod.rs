//! Shared helpers of the integration tests: one Helsinki car graph per test binary, servers on
//! ephemeral loopback ports, and a minimal raw HTTP/1.1 client (so tests control every byte).
#![allow(dead_code)]

use kerb_core::{Graph, Profile};
use kerb_http::{AppState, Limits};
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use kerb_testdata::cached;

/// The car graph of data/helsinki.osm.pbf, built once per test binary and saved/reopened
/// through the graph file format the server uses in production.
pub fn car_graph_path() -> &'static PathBuf {
    cached("helsinki car graph file", || {
        let path = kerb_testdata::temp_dir("http-test").join("helsinki-car.kerb");
        let g = Graph::from_pbf(kerb_testdata::helsinki_pbf(), &Profile::car())
            .expect("build Helsinki graph");
        g.save(&path).expect("save graph");
        path
    })
}

pub fn open_car() -> Graph {
    Graph::open(car_graph_path()).expect("open graph")
}

/// A running server on 127.0.0.1:<ephemeral>, on its own runtime thread.
pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start(state: AppState) -> TestServer {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let st = state.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                kerb_http::serve(listener, st, async {
                    let _ = stop_rx.await;
                })
                .await
                .unwrap();
            });
        });
        let addr = addr_rx.recv().unwrap();
        TestServer {
            addr,
            state,
            stop: Some(stop_tx),
            thread: Some(thread),
        }
    }

    /// Sends the shutdown signal and waits for `serve` to return.
    pub fn shutdown(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            t.join().unwrap();
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The shared server with the Helsinki car graph and default limits.
pub fn server() -> &'static TestServer {
    cached("helsinki car server", || {
        let limits = Limits {
            max_body_bytes: 1 << 20,
            ..Limits::default()
        };
        TestServer::start(AppState::with_graphs(limits, vec![open_car()]).unwrap())
    })
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn code(&self) -> String {
        kind_and_message(&self.json()).0
    }
}

/// Sends raw bytes and reads the whole reply (the request should say `Connection: close`).
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> std::io::Result<Reply> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    s.write_all(bytes)?;
    read_reply(&mut s)
}

pub fn read_reply(s: &mut TcpStream) -> std::io::Result<Reply> {
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| {
            std::io::Error::other(format!(
                "no HTTP header in {:?}",
                String::from_utf8_lossy(&buf)
            ))
        })?;
    let headers = String::from_utf8_lossy(&buf[..split]).to_string();
    let status = headers
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = buf[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
}

pub fn get_at(addr: SocketAddr, path: &str) -> Reply {
    raw(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .unwrap()
}

pub fn get(path: &str) -> Reply {
    get_at(server().addr, path)
}

pub fn post_at(addr: SocketAddr, path: &str, body: &[u8]) -> Reply {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    raw(addr, &req).unwrap()
}

pub fn post(path: &str, body: &Value) -> Reply {
    post_at(server().addr, path, body.to_string().as_bytes())
}

/// Asserts an error reply: HTTP `status`, OSRM `code` and a non-empty message.
pub fn err(r: &Reply, status: u16, code: &str) {
    let v = r.json();
    let (kind, message) = kind_and_message(&v);
    assert_eq!((r.status, kind.as_str()), (status, code), "{v}");
    assert!(!message.is_empty(), "{v}");
}

/// kerb's error kind and message of an error body: OSRM's `{"code": "Kind", "message"}`, or
/// on the plan endpoints VROOM's `{"code": 1-4, "error", "kind": "Kind"}`.
pub fn kind_and_message(v: &Value) -> (String, String) {
    let (kind, message) = if v["code"].is_number() {
        (&v["kind"], &v["error"])
    } else {
        (&v["code"], &v["message"])
    };
    let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
    (s(kind), s(message))
}
