//! PBF framing: checks the blob structure of a file before the decoder sees it, and turns
//! decoder errors and panics into typed errors.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::{Error, Result};

/// Largest blob header and blob the PBF format allows.
const MAX_HEADER: u32 = 64 * 1024;
const MAX_BLOB: u64 = 32 * 1024 * 1024;

/// Checks the blob framing of a PBF file without decoding it, so that truncated or foreign
/// files give a typed error before the decoder sees them. Returns the file size.
pub(crate) fn validate_pbf(path: &Path) -> Result<u64> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Err(Error::Pbf(format!("{} is empty", path.display())));
    }
    let mut r = BufReader::new(file);
    let mut pos = 0u64;
    let mut first = true;
    let not_pbf = || Error::Pbf(format!("{} is not an OSM PBF file", path.display()));
    let truncated = || Error::Pbf(format!("{} is truncated", path.display()));
    while pos < len {
        if len - pos < 4 {
            return Err(truncated());
        }
        let mut b4 = [0u8; 4];
        r.read_exact(&mut b4)?;
        let hsz = u32::from_be_bytes(b4);
        if hsz == 0 || hsz > MAX_HEADER {
            return Err(if first {
                not_pbf()
            } else {
                Error::Pbf(format!("{}: corrupt blob header", path.display()))
            });
        }
        if pos + 4 + hsz as u64 > len {
            return Err(if first { not_pbf() } else { truncated() });
        }
        let mut header = vec![0u8; hsz as usize];
        r.read_exact(&mut header)?;
        let (kind, datasize) =
            parse_blob_header(&header)
                .ok_or_else(|| if first { not_pbf() } else { truncated() })?;
        if first && kind != "OSMHeader" {
            return Err(not_pbf());
        }
        if datasize > MAX_BLOB {
            return Err(Error::Pbf(format!("{}: blob too large", path.display())));
        }
        pos += 4 + hsz as u64;
        if pos + datasize > len {
            return Err(truncated());
        }
        r.seek_relative(datasize as i64)?;
        pos += datasize;
        first = false;
    }
    Ok(len)
}

fn read_varint(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*i)?;
        *i += 1;
        v |= ((byte & 0x7f) as u64) << shift;
        if byte & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

/// Minimal protobuf decode of `BlobHeader { string type = 1; bytes indexdata = 2; int32 datasize = 3; }`.
fn parse_blob_header(b: &[u8]) -> Option<(String, u64)> {
    let mut i = 0;
    let (mut kind, mut size) = (None, None);
    while i < b.len() {
        let key = read_varint(b, &mut i)?;
        match (key >> 3, key & 7) {
            (3, 0) => size = Some(read_varint(b, &mut i)?),
            (f, 0) if f != 3 => {
                read_varint(b, &mut i)?;
            }
            (f, 2) => {
                let l = read_varint(b, &mut i)? as usize;
                let end = i.checked_add(l).filter(|&e| e <= b.len())?;
                if f == 1 {
                    kind = Some(String::from_utf8(b[i..end].to_vec()).ok()?);
                }
                i = end;
            }
            (_, 1) => i += 8,
            (_, 5) => i += 4,
            _ => return None,
        }
    }
    Some((kind?, size?))
}

pub(super) fn pbf_err(e: osmpbfreader::Error) -> Error {
    match e {
        osmpbfreader::Error::Io(e) => Error::Io(e),
        other => Error::Pbf(other.to_string()),
    }
}

/// Runs `f`, turning a panic of the PBF decoder (it asserts on some malformed input) into a
/// typed error.
pub(super) fn guard<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(Error::Pbf("the PBF decoder failed on corrupt data".into())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_header_parse() {
        // type = "OSMHeader" (field 1), datasize = 300 (field 3)
        let mut b = vec![0x0a, 9];
        b.extend_from_slice(b"OSMHeader");
        b.extend_from_slice(&[0x18, 0xac, 0x02]);
        assert_eq!(parse_blob_header(&b), Some(("OSMHeader".to_string(), 300)));
        assert_eq!(parse_blob_header(&[0x0a, 50]), None);
    }
}
