//! The connection's byte stream, seen by hyper through [`JsonErrors`]: the errors hyper answers
//! itself, before any handler runs (a malformed request line, header or `Content-Length`: 400;
//! a request target over 65,534 bytes: 414; a request head over its read buffer or with more
//! than 100 headers: 431), leave as OSRM-style JSON `{code, message}` instead of a bare status.
//!
//! hyper writes such an answer as one head with `content-length: 0` and `connection: close`
//! and then closes; the application's own answers always carry a body (every error is JSON),
//! so that head is recognised exactly and replaced by the same status with a JSON body.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// A stream whose bodiless 4xx answers from hyper are rewritten as OSRM JSON.
pub(crate) struct JsonErrors<S> {
    inner: S,
    /// A rewritten answer being written: its bytes, how many are written, and the length of
    /// the head it replaces (reported to hyper as written once all of it is).
    pending: Option<(Vec<u8>, usize, usize)>,
}

impl<S> JsonErrors<S> {
    pub(crate) fn new(inner: S) -> Self {
        JsonErrors {
            inner,
            pending: None,
        }
    }
}

/// The JSON answer replacing hyper's bodiless `head`, if `head` is one.
fn rewrite(head: &[u8]) -> Option<Vec<u8>> {
    if !head.starts_with(b"HTTP/1.1 4") || !head.ends_with(b"\r\n\r\n") || head.len() > 512 {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let lower = text.to_ascii_lowercase();
    if !lower.contains("\r\ncontent-length: 0\r\n") || !lower.contains("\r\nconnection: close\r\n")
    {
        return None;
    }
    let status_line = text.split("\r\n").next()?;
    let status: u16 = status_line.get(9..12)?.parse().ok()?;
    let (code, message) = match status {
        400 => (
            "InvalidUrl",
            "malformed HTTP request: request line, a header or Content-Length",
        ),
        408 => ("Timeout", "request headers not received in time"),
        414 => (
            "TooBig",
            "request target longer than 65,534 bytes; use the POST form",
        ),
        431 => (
            "TooBig",
            "request headers too large (more than 100 headers or a head beyond the read buffer)",
        ),
        _ => return None,
    };
    let body = serde_json::json!({"code": code, "message": message}).to_string();
    let date = text
        .split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with("date:"))
        .map(|l| format!("{l}\r\n"))
        .unwrap_or_default();
    Some(
        format!(
            "{status_line}\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: {}\r\n{date}\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )
}

impl<S: AsyncRead + Unpin> AsyncRead for JsonErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for JsonErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.pending.is_none() {
            match rewrite(buf) {
                Some(bytes) => self.pending = Some((bytes, 0, buf.len())),
                None => return Pin::new(&mut self.inner).poll_write(cx, buf),
            }
        }
        let this = &mut *self;
        while let Some((bytes, written, replaced)) = &mut this.pending {
            if *written == bytes.len() {
                let n = *replaced;
                this.pending = None;
                return Poll::Ready(Ok(n));
            }
            let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *written += n;
        }
        Poll::Ready(Ok(0))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    // Not vectored, so that hyper hands over a whole answer head in one buffer.
    fn is_write_vectored(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodiless_errors_are_rewritten() {
        let head = b"HTTP/1.1 431 Request Header Fields Too Large\r\nconnection: close\r\ncontent-length: 0\r\ndate: Wed, 02 Dec 2026 13:54:09 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite(head).unwrap()).unwrap();
        assert!(
            out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
            "{out}"
        );
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        assert!(
            head.contains(&format!("content-length: {}", body.len())),
            "{out}"
        );
        assert!(head.contains("date: Wed, 02 Dec 2026"));
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], "TooBig");
        // The application's answers carry a body, or stay open: untouched.
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n").is_none());
        assert!(rewrite(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            rewrite(b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n").is_none()
        );
        assert!(rewrite(
            b"HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n{"
        )
        .is_none());
    }
}
