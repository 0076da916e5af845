//! PBF framing: checks the blob structure of a file before the decoder sees it, and turns
//! decoder errors and panics into typed errors.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use osmpbfreader::fileformat::Blob;
use osmpbfreader::osmformat::PrimitiveBlock;
use osmpbfreader::{groups, OsmObj, OsmPbfReader};
use protobuf::Message;
use rayon::prelude::*;

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

fn pbf_err(e: osmpbfreader::Error) -> Error {
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

/// Which objects a pass over the file reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Objects {
    /// Nodes only (pass 2).
    Nodes,
    /// Ways and relations (pass 1); nodes are not even built.
    WaysAndRelations,
}

/// Blocks decoded together in parallel; file order is kept.
const BATCH: usize = 16;

/// The objects of a PBF file in file order, decoded [`BATCH`] blocks at a time on rayon.
///
/// Every block is decompressed with the format's 32 MiB bound (a zlib bomb is an error, not
/// gigabytes of memory) and checked by [`check_block`] before osmpbfreader's group iterators
/// read it: those index the string table and add deltas unchecked, so a corrupt block would
/// panic inside the decoder. Here it is a typed [`Error::Pbf`], with no panic on any thread.
/// After the first error the iterator ends.
pub(super) struct ObjectReader<'a, R: Read> {
    blobs: osmpbfreader::reader::Blobs<'a, R>,
    kind: Objects,
    ready: std::vec::IntoIter<Result<OsmObj>>,
    done: bool,
}

impl<'a, R: Read> ObjectReader<'a, R> {
    /// Reads `kind` objects from `reader`.
    pub(super) fn new(reader: &'a mut OsmPbfReader<R>, kind: Objects) -> Self {
        ObjectReader {
            blobs: reader.blobs(),
            kind,
            ready: Vec::new().into_iter(),
            done: false,
        }
    }

    fn fill(&mut self) {
        let mut batch = Vec::with_capacity(BATCH);
        for blob in self.blobs.by_ref() {
            let failed = blob.is_err();
            batch.push(blob);
            if failed || batch.len() == BATCH {
                break;
            }
        }
        if batch.len() < BATCH {
            self.done = true;
        }
        let kind = self.kind;
        let decoded: Vec<Result<Vec<OsmObj>>> = batch
            .into_par_iter()
            .map(|blob| decode(&blob.map_err(pbf_err)?, kind))
            .collect();
        let mut out = Vec::new();
        for block in decoded {
            match block {
                Ok(objs) => out.extend(objs.into_iter().map(Ok)),
                Err(e) => {
                    out.push(Err(e));
                    self.done = true;
                    break;
                }
            }
        }
        self.ready = out.into_iter();
    }
}

impl<R: Read> Iterator for ObjectReader<'_, R> {
    type Item = Result<OsmObj>;

    fn next(&mut self) -> Option<Result<OsmObj>> {
        loop {
            if let Some(obj) = self.ready.next() {
                if obj.is_err() {
                    self.done = true;
                    self.ready = Vec::new().into_iter();
                }
                return Some(obj);
            }
            if self.done {
                return None;
            }
            self.fill();
        }
    }
}

/// Decompresses, parses and checks one data blob, then reads its `kind` objects.
fn decode(blob: &Blob, kind: Objects) -> Result<Vec<OsmObj>> {
    let bytes;
    let raw: &[u8] = if blob.has_raw() {
        blob.raw()
    } else if blob.has_zlib_data() {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(blob.zlib_data())
            .take(MAX_BLOB + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::Pbf(format!("corrupt zlib block: {e}")))?;
        if out.len() as u64 > MAX_BLOB {
            return Err(Error::Pbf(
                "a block decompresses to more than the format's 32 MiB".into(),
            ));
        }
        bytes = out;
        &bytes
    } else {
        return Err(Error::Pbf(
            "a block uses a compression kerb does not read (only raw and zlib)".into(),
        ));
    };
    let block = PrimitiveBlock::parse_from_bytes(raw)
        .map_err(|e| Error::Pbf(format!("corrupt block: {e}")))?;
    check_block(&block).map_err(|what| Error::Pbf(format!("corrupt block: {what}")))?;
    let mut objs = Vec::new();
    for g in &block.primitivegroup {
        match kind {
            Objects::Nodes => objs.extend(groups::nodes(g, &block).map(OsmObj::Node)),
            Objects::WaysAndRelations => {
                objs.extend(groups::ways(g, &block).map(OsmObj::Way));
                objs.extend(groups::relations(g, &block).map(OsmObj::Relation));
            }
        }
    }
    Ok(objs)
}

/// Checks what osmpbfreader's group iterators use unchecked: string-table indices in range,
/// delta-coded ids and coordinates that add up without overflow, coordinate products
/// (`offset + granularity * value`) that fit an `i64`.
fn check_block(b: &PrimitiveBlock) -> std::result::Result<(), &'static str> {
    let n = b.stringtable.s.len();
    let string = |i: u32| (i as usize) < n;
    let string32 = |i: i32| i >= 0 && (i as usize) < n;
    let granularity = b.granularity() as i64;
    let (lat0, lon0) = (b.lat_offset(), b.lon_offset());
    let coord = |c: i64, offset: i64| {
        granularity
            .checked_mul(c)
            .and_then(|x| x.checked_add(offset))
            .is_some()
    };
    let delta_sum = |deltas: &[i64]| {
        deltas
            .iter()
            .try_fold(0i64, |acc, &d| acc.checked_add(d))
            .is_some()
    };
    for g in &b.primitivegroup {
        for node in &g.nodes {
            if !node.keys.iter().chain(&node.vals).all(|&i| string(i)) {
                return Err("string index out of range in a node");
            }
            if !coord(node.lat(), lat0) || !coord(node.lon(), lon0) {
                return Err("node coordinate out of range");
            }
        }
        let dense = &g.dense;
        if !dense.keys_vals.iter().all(|&i| string32(i)) {
            return Err("string index out of range in dense nodes");
        }
        let (mut id, mut lat, mut lon) = (0i64, 0i64, 0i64);
        for ((&di, &dla), &dlo) in dense.id.iter().zip(&dense.lat).zip(&dense.lon) {
            let (Some(i), Some(la), Some(lo)) = (
                id.checked_add(di),
                lat.checked_add(dla),
                lon.checked_add(dlo),
            ) else {
                return Err("dense node delta overflows");
            };
            (id, lat, lon) = (i, la, lo);
            if !coord(lat, lat0) || !coord(lon, lon0) {
                return Err("dense node coordinate out of range");
            }
        }
        for way in &g.ways {
            if !way.keys.iter().chain(&way.vals).all(|&i| string(i)) {
                return Err("string index out of range in a way");
            }
            if !delta_sum(&way.refs) {
                return Err("way node delta overflows");
            }
        }
        for rel in &g.relations {
            if !rel.keys.iter().chain(&rel.vals).all(|&i| string(i))
                || !rel.roles_sid.iter().all(|&i| string32(i))
            {
                return Err("string index out of range in a relation");
            }
            if !delta_sum(&rel.memids) {
                return Err("relation member delta overflows");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use osmpbfreader::fileformat::BlobHeader;
    use osmpbfreader::osmformat::{HeaderBlock, PrimitiveGroup, Way};

    /// A PBF file: an OSMHeader blob, then one OSMData blob per block (raw, or `zlib`).
    fn write_pbf(name: &str, blocks: &[Vec<u8>], zlib: bool) -> std::path::PathBuf {
        fn frame(out: &mut Vec<u8>, kind: &str, data: Vec<u8>, zlib: bool) {
            let mut blob = Blob::new();
            blob.set_raw_size(data.len() as i32);
            if zlib {
                let mut z =
                    flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
                std::io::Write::write_all(&mut z, &data).unwrap();
                blob.set_zlib_data(z.finish().unwrap());
            } else {
                blob.set_raw(data);
            }
            let blob = blob.write_to_bytes().unwrap();
            let mut header = BlobHeader::new();
            header.set_type(kind.into());
            header.set_datasize(blob.len() as i32);
            let header = header.write_to_bytes().unwrap();
            out.extend((header.len() as u32).to_be_bytes());
            out.extend(header);
            out.extend(blob);
        }
        let mut hb = HeaderBlock::new();
        hb.required_features = vec!["OsmSchema-V0.6".into(), "DenseNodes".into()];
        let mut out = Vec::new();
        frame(&mut out, "OSMHeader", hb.write_to_bytes().unwrap(), false);
        for b in blocks {
            frame(&mut out, "OSMData", b.clone(), zlib);
        }
        let path = kerb_testdata::temp_dir("pbf-blocks").join(name);
        std::fs::write(&path, out).unwrap();
        path
    }

    /// A block with one way `refs` (delta-coded) and tag `key_index = 1`.
    fn way_block(key_index: u32, refs: Vec<i64>) -> Vec<u8> {
        let mut block = PrimitiveBlock::new();
        block.stringtable.mut_or_insert_default().s =
            vec![b"".to_vec(), b"highway".to_vec(), b"residential".to_vec()];
        let mut way = Way::new();
        way.set_id(7);
        way.keys = vec![key_index];
        way.vals = vec![2];
        way.refs = refs;
        let mut g = PrimitiveGroup::new();
        g.ways.push(way);
        block.primitivegroup.push(g);
        block.write_to_bytes().unwrap()
    }

    fn read_all(path: &Path) -> Result<Vec<OsmObj>> {
        let mut reader = OsmPbfReader::new(File::open(path)?);
        ObjectReader::new(&mut reader, Objects::WaysAndRelations).collect()
    }

    #[test]
    fn reads_a_good_block_in_file_order() {
        let blocks: Vec<_> = (0..40).map(|_| way_block(1, vec![1, 1, 1])).collect();
        let f = write_pbf("good.osm.pbf", &blocks, true);
        validate_pbf(&f).unwrap();
        let objs = read_all(&f).unwrap();
        assert_eq!(objs.len(), 40);
        let OsmObj::Way(w) = &objs[0] else {
            panic!("not a way")
        };
        assert_eq!(w.nodes.iter().map(|n| n.0).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(
            w.tags.get("highway").map(|s| s.as_str()),
            Some("residential")
        );
    }

    /// What the fuzzer found in osmpbfreader (index out of bounds in its string table) and
    /// what overflow checks would hit: typed errors here, without any panic (this test does
    /// not go through `guard`).
    #[test]
    fn corrupt_blocks_are_errors_not_panics() {
        for (block, what) in [
            (way_block(99, vec![1, 1]), "string index out of range"),
            (way_block(1, vec![i64::MAX, 1]), "delta overflows"),
        ] {
            let f = write_pbf(
                &format!("bad-{}.osm.pbf", what.len()),
                &[way_block(1, vec![1, 1]), block],
                false,
            );
            validate_pbf(&f).unwrap();
            match read_all(&f) {
                Err(Error::Pbf(m)) => assert!(m.contains(what), "{m}"),
                other => panic!("expected a PBF error, got {other:?}"),
            }
        }
    }

    #[test]
    fn zlib_bomb_is_refused() {
        // 40 MiB of zeros compress to ~40 KiB; the format allows 32 MiB per block.
        let f = write_pbf("bomb.osm.pbf", &[vec![0u8; 40 << 20]], true);
        match read_all(&f) {
            Err(Error::Pbf(m)) => assert!(m.contains("32 MiB"), "{m}"),
            other => panic!("expected a PBF error, got {other:?}"),
        }
    }

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
