//! A loopback HTTP/1.1 proxy that breaks requests on purpose.
//!
//! Every connection carries one request (the proxy answers with `Connection: close`), which
//! keeps the HTTP handling tiny and gives each fault full control of the socket: it can reset
//! before reading, after reading, after forwarding; delay or hang; or answer anything at all.
//! A plan function picks the fault per request; every request is recorded for assertions
//! (which methods reached the server, which headers they carried).

#![allow(dead_code)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Forward and answer faithfully.
    Pass,
    /// Wait, then forward.
    Delay(Duration),
    /// Read the request and never answer (the connection stays open).
    Hang,
    /// Accept the connection and reset it before reading anything.
    ResetBeforeRead,
    /// Read the request, do not forward it, reset the connection.
    ResetAfterRead,
    /// Forward the request (so the server acts on it), then reset without answering.
    DropAfterForward,
    /// Answer this status with Medusa's JSON error body for it.
    Status(u16),
    /// Answer this status with an HTML error page, as a proxy in front of Medusa would.
    Html(u16),
    /// Answer 200 with JSON cut in the middle (a complete HTTP message).
    TruncatedJson,
    /// Announce a longer body than is sent, then close: the connection dies mid-body.
    TruncatedBody,
    /// Answer 200 with a body of this many bytes.
    Oversized(usize),
    /// Answer 401 `Unauthorized`, as Medusa does when credentials expire.
    Unauthorized,
}

/// A request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub fault: Fault,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Plan = Box<dyn FnMut(&str, &str, u64) -> Fault + Send>;

pub struct FaultProxy {
    pub addr: std::net::SocketAddr,
    upstream: String,
    plan: Arc<Mutex<Plan>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    counter: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (e.g. `http://127.0.0.1:9000`) that passes everything.
    pub async fn start(upstream: &str) -> FaultProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let plan: Arc<Mutex<Plan>> = Arc::new(Mutex::new(Box::new(|_, _, _| Fault::Pass)));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let counter = Arc::new(AtomicU64::new(0));
        let upstream = upstream.trim_end_matches('/').to_owned();
        let http = reqwest::Client::builder().no_proxy().build().unwrap();
        let task = {
            let (plan, seen, counter, upstream) = (
                plan.clone(),
                seen.clone(),
                counter.clone(),
                upstream.clone(),
            );
            tokio::spawn(async move {
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        continue;
                    };
                    let (plan, seen, counter, upstream, http) = (
                        plan.clone(),
                        seen.clone(),
                        counter.clone(),
                        upstream.clone(),
                        http.clone(),
                    );
                    tokio::spawn(async move {
                        handle(socket, plan, seen, counter, &upstream, &http).await;
                    });
                }
            })
        };
        FaultProxy {
            addr,
            upstream,
            plan,
            seen,
            counter,
            task,
        }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Sets the plan: `(method, path, n) -> Fault`, where `n` counts requests from 0.
    pub fn set_plan(&self, plan: impl FnMut(&str, &str, u64) -> Fault + Send + 'static) {
        *self.plan.lock().unwrap() = Box::new(plan);
    }

    /// Applies one fault to every request from now on.
    pub fn set_fault(&self, fault: Fault) {
        self.set_plan(move |_, _, _| fault.clone());
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    pub fn clear_seen(&self) {
        self.seen.lock().unwrap().clear();
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Request {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn handle(
    mut socket: TcpStream,
    plan: Arc<Mutex<Plan>>,
    seen: Arc<Mutex<Vec<Seen>>>,
    counter: Arc<AtomicU64>,
    upstream: &str,
    http: &reqwest::Client,
) {
    // A reset-before-read fault has to be decided before reading, so peek the request line.
    let mut peek = [0u8; 512];
    let n = match socket.peek(&mut peek).await {
        Ok(n) if n > 0 => n,
        _ => return,
    };
    let line = String::from_utf8_lossy(&peek[..n]);
    let mut parts = line.split_whitespace();
    let (method, path) = (
        parts.next().unwrap_or("").to_owned(),
        parts.next().unwrap_or("").to_owned(),
    );
    let index = counter.fetch_add(1, Ordering::SeqCst);
    let fault = (plan.lock().unwrap())(&method, &path, index);
    if fault == Fault::ResetBeforeRead {
        seen.lock().unwrap().push(Seen {
            method,
            path,
            headers: Vec::new(),
            body: Vec::new(),
            fault,
        });
        reset(socket);
        return;
    }
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    seen.lock().unwrap().push(Seen {
        method: request.method.clone(),
        path: request.path.clone(),
        headers: request.headers.clone(),
        body: request.body.clone(),
        fault: fault.clone(),
    });
    match fault {
        Fault::Pass => forward_and_answer(&mut socket, &request, upstream, http).await,
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            forward_and_answer(&mut socket, &request, upstream, http).await;
        }
        Fault::Hang => {
            // Hold the socket until the client gives up.
            let mut sink = [0u8; 64];
            while let Ok(n) = socket.read(&mut sink).await {
                if n == 0 {
                    break;
                }
            }
        }
        Fault::ResetBeforeRead => unreachable!(),
        Fault::ResetAfterRead => reset(socket),
        Fault::DropAfterForward => {
            let _ = forward(&request, upstream, http).await;
            reset(socket);
        }
        Fault::Status(status) => {
            let body = match status {
                500 => r#"{"code":"unknown_error","type":"unknown_error","message":"An unknown error occurred."}"#.to_owned(),
                404 => r#"{"type":"not_found","message":"Not found"}"#.to_owned(),
                400 => r#"{"type":"invalid_data","message":"Invalid request"}"#.to_owned(),
                409 => r#"{"type":"conflict","message":"Conflict"}"#.to_owned(),
                _ => format!(r#"{{"type":"unknown_error","message":"HTTP {status}"}}"#),
            };
            answer(
                &mut socket,
                status,
                "application/json; charset=utf-8",
                body.as_bytes(),
                None,
            )
            .await;
        }
        Fault::Html(status) => {
            let body = format!(
                "<!DOCTYPE html>\n<html>\n<head><title>{status} Bad Gateway</title></head>\n<body>\n<center><h1>{status} Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
            );
            answer(&mut socket, status, "text/html", body.as_bytes(), None).await;
        }
        Fault::TruncatedJson => {
            answer(
                &mut socket,
                200,
                "application/json",
                br#"{"users":[{"id":"usr_01","em"#,
                None,
            )
            .await;
        }
        Fault::TruncatedBody => {
            answer(
                &mut socket,
                200,
                "application/json",
                br#"{"users":["#,
                Some(4096),
            )
            .await;
            reset(socket);
        }
        Fault::Oversized(n) => {
            let mut body = Vec::with_capacity(n);
            body.extend_from_slice(br#"{"users":[],"pad":""#);
            body.resize(n.saturating_sub(2), b'x');
            body.extend_from_slice(b"\"}");
            answer(&mut socket, 200, "application/json", &body, None).await;
        }
        Fault::Unauthorized => {
            answer(&mut socket, 401, "", b"Unauthorized", None).await;
        }
    }
}

fn reset(socket: TcpStream) {
    let _ = socket.set_zero_linger();
    drop(socket);
}

async fn read_request(socket: &mut TcpStream) -> Option<Request> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split_whitespace();
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = buf[head_end + 4..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    body.truncate(length);
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

struct Upstream {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn forward(request: &Request, upstream: &str, http: &reqwest::Client) -> Option<Upstream> {
    let method = reqwest::Method::from_bytes(request.method.as_bytes()).ok()?;
    let mut builder = http.request(method, format!("{upstream}{}", request.path));
    for (name, value) in &request.headers {
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "host" | "connection" | "content-length" | "transfer-encoding"
        ) {
            continue;
        }
        builder = builder.header(name, value);
    }
    let response = builder.body(request.body.clone()).send().await.ok()?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter(|(n, _)| {
            !matches!(
                n.as_str(),
                "connection" | "content-length" | "transfer-encoding" | "keep-alive"
            )
        })
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = response.bytes().await.ok()?.to_vec();
    Some(Upstream {
        status,
        headers,
        body,
    })
}

async fn forward_and_answer(
    socket: &mut TcpStream,
    request: &Request,
    upstream: &str,
    http: &reqwest::Client,
) {
    match forward(request, upstream, http).await {
        Some(up) => {
            let mut head = format!("HTTP/1.1 {} X\r\n", up.status);
            for (n, v) in &up.headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str(&format!(
                "content-length: {}\r\nconnection: close\r\n\r\n",
                up.body.len()
            ));
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(&up.body).await;
            let _ = socket.shutdown().await;
        }
        None => {
            answer(
                socket,
                502,
                "text/html",
                b"<html><head><title>502 Bad Gateway</title></head></html>",
                None,
            )
            .await;
        }
    }
}

async fn answer(
    socket: &mut TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    announced_length: Option<usize>,
) {
    let mut head = format!("HTTP/1.1 {status} X\r\n");
    if !content_type.is_empty() {
        head.push_str(&format!("content-type: {content_type}\r\n"));
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        announced_length.unwrap_or(body.len())
    ));
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(body).await;
    let _ = socket.flush().await;
    if announced_length.is_none() {
        let _ = socket.shutdown().await;
    }
}

/// What the proxy saw, one request a line: method, path and the fault it met.
pub fn describe(seen: &[Seen]) -> String {
    seen.iter()
        .map(|s| format!("{} {} → {:?}", s.method, s.path, s.fault))
        .collect::<Vec<_>>()
        .join("\n")
}
