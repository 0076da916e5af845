//! The versioned binary graph file: reads and writes a [`RoadGraph`], checking every
//! invariant on the way in. Depends on storage only.
//!
//! Layout (little endian):
//! ```text
//! header  : magic "KERBGRPH" (8) | version u32 | section count u32 | header crc32 u32 | 0 u32
//! table   : per section: name [u8; 16] (zero padded) | offset u64 | length u64 | crc32 u32 | 0 u32
//! data    : sections, each starting at an 8-byte aligned offset
//! ```
//! The header crc covers magic, version, count and the table; every section has its own crc32.
//! The OSM id sections (`OSM_NODE`, `OSM_GEOM_NODE`, `OSM_WAY`, `OSM_TAGS`) are optional as a
//! group, so files written before them open unchanged; so is `GUIDANCE` (the tags turn
//! instructions read, see `guidance.rs`), `VIA_WAY` (restrictions along via ways: per
//! restriction `kind | to | from | via count k | k via edges`, all u32), `SIDE_LEFT` (one
//! bit per edge, set where the import's country lookup found left-hand traffic; without it
//! `driving_side: auto` means right everywhere, as before the lookup) and `CONDITIONAL` (kept
//! `*:conditional` rules, versioned inside, see `conditional.rs`).
//! Core sections have upper-case names; other modules add lower-case sections through
//! [`RoadGraph::set_section`] (e.g. a contraction hierarchy) without
//! changing this code. The file is memory-mapped; the header and the section table are checked
//! first (sections inside the file, 8-byte aligned, after the table, not overlapping, names
//! unique, no byte after the last section's padding), so no read goes past what the file
//! declares and its real length. Sections are then decoded into the graph's arrays and every
//! structural invariant is checked so a crafted file cannot cause a panic later.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::{GuidanceData, OsmData, RoadGraph};
use crate::error::{Error, Result};
use crate::ids::{
    EdgeId, NodeId, Restriction, RestrictionKind, ViaWayRestriction, GEOM_REVERSED, NO_EDGE,
};
use crate::profile::Profile;

/// Magic bytes at the start of every graph file.
pub const MAGIC: &[u8; 8] = b"KERBGRPH";
/// Format version written and read by this build.
pub const FORMAT_VERSION: u32 = 1;
const HEADER_LEN: usize = 24;
const ENTRY_LEN: usize = 40;

const CORE: [&str; 16] = [
    "PROFILE",
    "NODES",
    "FIRST_OUT",
    "HEAD",
    "TAIL",
    "DIST",
    "DUR",
    "CLASS",
    "NAME",
    "REVERSE",
    "GEOM",
    "GEOM_FIRST",
    "GEOM_COORDS",
    "NAME_FIRST",
    "NAME_BYTES",
    "RESTRICT",
];

/// Optional core sections: the OSM ids and tags ([`OsmData`]), all present or all absent
/// (files written before them have none and stay readable).
const OSM_SECTIONS: [&str; 4] = ["OSM_NODE", "OSM_GEOM_NODE", "OSM_WAY", "OSM_TAGS"];

pub(crate) fn is_core_section(name: &str) -> bool {
    CORE.contains(&name) || name.bytes().any(|b| b.is_ascii_uppercase())
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn f32s(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn u64s(v: &[u64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn pairs(v: &[[i32; 2]]) -> Vec<u8> {
    v.iter()
        .flat_map(|x| x[0].to_le_bytes().into_iter().chain(x[1].to_le_bytes()))
        .collect()
}

/// Serializes a graph into the file format.
pub(crate) fn to_bytes(g: &RoadGraph) -> Result<Vec<u8>> {
    let profile = serde_json::to_vec(&g.profile).map_err(|e| Error::InvalidInput(e.to_string()))?;
    let mut restrict = Vec::with_capacity(g.restrictions.len() * 16);
    for r in &g.restrictions {
        restrict.extend_from_slice(&r.from.0.to_le_bytes());
        restrict.extend_from_slice(&r.via.0.to_le_bytes());
        restrict.extend_from_slice(&r.to.0.to_le_bytes());
        restrict.extend_from_slice(&(r.kind as u32).to_le_bytes());
    }
    let mut sections: Vec<(String, Vec<u8>)> = vec![
        ("PROFILE".into(), profile),
        ("NODES".into(), pairs(&g.coords)),
        ("FIRST_OUT".into(), u32s(&g.first_out)),
        ("HEAD".into(), u32s(&g.head)),
        ("TAIL".into(), u32s(&g.tail)),
        ("DIST".into(), f32s(&g.distance_m)),
        ("DUR".into(), f32s(&g.duration_s)),
        ("CLASS".into(), g.class.clone()),
        ("NAME".into(), u32s(&g.name)),
        ("REVERSE".into(), u32s(&g.reverse)),
        ("GEOM".into(), u32s(&g.geom)),
        ("GEOM_FIRST".into(), u32s(&g.geom_first)),
        ("GEOM_COORDS".into(), pairs(&g.geom_coords)),
        ("NAME_FIRST".into(), u32s(&g.name_first)),
        ("NAME_BYTES".into(), g.name_bytes.clone()),
        ("RESTRICT".into(), restrict),
    ];
    if let Some(osm) = &g.osm {
        let tags: Vec<u8> = osm
            .maxspeed
            .iter()
            .zip(&osm.lanes)
            .flat_map(|(&s, &l)| [s, l])
            .collect();
        sections.push(("OSM_NODE".into(), u64s(&osm.node_ids)));
        sections.push(("OSM_GEOM_NODE".into(), u64s(&osm.geom_node_ids)));
        sections.push(("OSM_WAY".into(), u64s(&osm.way_ids)));
        sections.push(("OSM_TAGS".into(), tags));
    }
    if let Some(guidance) = &g.guidance {
        sections.push(("GUIDANCE".into(), guidance.encode()));
    }
    if !g.via_way_restrictions.is_empty() {
        sections.push(("VIA_WAY".into(), encode_via_way(&g.via_way_restrictions)));
    }
    if let Some(left) = &g.left_hand {
        sections.push(("SIDE_LEFT".into(), u64s(left)));
    }
    if let Some(conditional) = &g.conditional {
        sections.push(("CONDITIONAL".into(), conditional.encode()));
    }
    for (k, v) in &g.sections {
        sections.push((k.clone(), v.clone()));
    }
    let table_len = sections.len() * ENTRY_LEN;
    let mut offset = (HEADER_LEN + table_len).next_multiple_of(8);
    let mut table = Vec::with_capacity(table_len);
    for (name, data) in &sections {
        let mut n = [0u8; 16];
        n[..name.len()].copy_from_slice(name.as_bytes());
        table.extend_from_slice(&n);
        table.extend_from_slice(&(offset as u64).to_le_bytes());
        table.extend_from_slice(&(data.len() as u64).to_le_bytes());
        table.extend_from_slice(&crc32fast::hash(data).to_le_bytes());
        table.extend_from_slice(&0u32.to_le_bytes());
        offset = (offset + data.len()).next_multiple_of(8);
    }
    let mut out = Vec::with_capacity(offset);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    let mut h = crc32fast::Hasher::new();
    h.update(&out);
    h.update(&table);
    out.extend_from_slice(&h.finalize().to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&table);
    for (_, data) in &sections {
        out.resize(out.len().next_multiple_of(8), 0);
        out.extend_from_slice(data);
    }
    out.resize(out.len().next_multiple_of(8), 0);
    Ok(out)
}

pub(crate) fn write_graph(g: &RoadGraph, path: &Path) -> Result<()> {
    let bytes = to_bytes(g)?;
    // Write to a sibling temp file and rename, so a crash never leaves a half-written graph.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// Opens a graph file: only a regular file is accepted (a device such as `/dev/zero` or a pipe
/// has no length to check and could be read forever), and it is memory-mapped rather than read
/// whole, so [`from_bytes`] touches only the header, the table and the sections it declares;
/// a file longer than its sections is rejected before any section is decoded.
pub(crate) fn read_graph(path: &Path) -> Result<RoadGraph> {
    let not_a_file = || {
        Error::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        ))
    };
    // Checked before opening too: opening a FIFO for reading blocks until a writer comes.
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_a_file());
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    if meta.len() < HEADER_LEN as u64 {
        // Too short to map usefully (an empty file cannot be mapped at all): read the few bytes.
        return from_bytes(&std::fs::read(path)?);
    }
    // SAFETY: the map is read-only and dropped before this function returns; the decoded graph
    // owns copies of every section. Graph files are replaced by rename (`write_graph`), never
    // rewritten in place, so the mapped inode does not change under the map.
    // Populated up front: every page is decoded right after, and one prefault costs less than a
    // page fault per 4 KiB.
    let map = unsafe { memmap2::MmapOptions::new().populate().map(&file)? };
    from_bytes(&map)
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}
fn le_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

fn dec_u32(b: &[u8], what: &str) -> Result<Vec<u32>> {
    if b.len() % 4 != 0 {
        return Err(Error::Corrupt(format!("section {what} has a bad length")));
    }
    Ok(b.chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect())
}
fn dec_u64(b: &[u8], what: &str) -> Result<Vec<u64>> {
    if b.len() % 8 != 0 {
        return Err(Error::Corrupt(format!("section {what} has a bad length")));
    }
    Ok(b.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
        .collect())
}
fn dec_f32(b: &[u8], what: &str) -> Result<Vec<f32>> {
    Ok(dec_u32(b, what)?.into_iter().map(f32::from_bits).collect())
}
fn dec_pairs(b: &[u8], what: &str) -> Result<Vec<[i32; 2]>> {
    let v = dec_u32(b, what)?;
    if v.len() % 2 != 0 {
        return Err(Error::Corrupt(format!("section {what} has a bad length")));
    }
    Ok(v.chunks_exact(2)
        .map(|c| [c[0] as i32, c[1] as i32])
        .collect())
}

/// Parses and validates a graph file image.
pub(crate) fn from_bytes(b: &[u8]) -> Result<RoadGraph> {
    if b.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(b) && !b.is_empty() {
            Error::Truncated
        } else {
            Error::BadMagic
        });
    }
    if &b[..8] != MAGIC {
        return Err(Error::BadMagic);
    }
    if b.len() < HEADER_LEN {
        return Err(Error::Truncated);
    }
    let version = le_u32(b, 8);
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedVersion {
            found: version,
            expected: FORMAT_VERSION,
        });
    }
    let count = le_u32(b, 12) as usize;
    let table_end = count
        .checked_mul(ENTRY_LEN)
        .and_then(|t| t.checked_add(HEADER_LEN))
        .ok_or(Error::Checksum)?;
    if count > 4096 {
        return Err(Error::Checksum);
    }
    if b.len() < table_end {
        return Err(Error::Truncated);
    }
    let mut h = crc32fast::Hasher::new();
    h.update(&b[..16]);
    h.update(&b[HEADER_LEN..table_end]);
    if h.finalize() != le_u32(b, 16) {
        return Err(Error::Checksum);
    }
    // The table first: every entry bounded by the real length, in file order, aligned, after
    // the table and not overlapping the one before, before any section byte is read.
    let mut entries = Vec::with_capacity(count);
    for i in 0..count {
        let at = HEADER_LEN + i * ENTRY_LEN;
        let raw = &b[at..at + 16];
        let name_len = raw.iter().position(|&c| c == 0).unwrap_or(16);
        let name = std::str::from_utf8(&raw[..name_len])
            .map_err(|_| Error::Corrupt(format!("section {i} has a name that is not UTF-8")))?
            .to_string();
        let (off, len, crc) = (le_u64(b, at + 16), le_u64(b, at + 24), le_u32(b, at + 32));
        let end = off.checked_add(len).ok_or(Error::Truncated)?;
        if end > b.len() as u64 {
            return Err(Error::Truncated);
        }
        entries.push((name, off as usize, end as usize, crc));
    }
    let mut data_end = table_end;
    for (name, off, end, _) in &entries {
        if off % 8 != 0 || *off < data_end {
            return Err(Error::Corrupt(format!(
                "section {name} at offset {off} is misaligned or overlaps the table or the section before"
            )));
        }
        data_end = *end;
    }
    let expected_len = data_end.next_multiple_of(8);
    if b.len() > expected_len {
        return Err(Error::Corrupt(format!(
            "{} trailing bytes after the last section (file is {} bytes, its sections end at {expected_len})",
            b.len() - expected_len,
            b.len()
        )));
    }
    if b.len() < expected_len {
        return Err(Error::Truncated);
    }
    let mut sections: BTreeMap<String, &[u8]> = BTreeMap::new();
    for (name, off, end, crc) in entries {
        let data = &b[off..end];
        if crc32fast::hash(data) != crc {
            return Err(Error::Checksum);
        }
        if sections.insert(name.clone(), data).is_some() {
            return Err(Error::Corrupt(format!("section {name} appears twice")));
        }
    }
    let get = |name: &str| {
        sections
            .get(name)
            .copied()
            .ok_or_else(|| Error::Corrupt(format!("missing section {name}")))
    };
    let profile: Profile = serde_json::from_slice(get("PROFILE")?)
        .map_err(|e| Error::Corrupt(format!("bad profile: {e}")))?;
    let restrict = dec_u32(get("RESTRICT")?, "RESTRICT")?;
    if restrict.len() % 4 != 0 {
        return Err(Error::Corrupt("section RESTRICT has a bad length".into()));
    }
    let mut restrictions = Vec::with_capacity(restrict.len() / 4);
    for c in restrict.chunks_exact(4) {
        let kind = match c[3] {
            0 => RestrictionKind::No,
            1 => RestrictionKind::Only,
            k => return Err(Error::Corrupt(format!("bad restriction kind {k}"))),
        };
        restrictions.push(Restriction {
            from: EdgeId(c[0]),
            via: NodeId(c[1]),
            to: EdgeId(c[2]),
            kind,
        });
    }
    // Optional: via-way restrictions (files written before them have none).
    let via_way_restrictions = match sections.get("VIA_WAY") {
        None => Vec::new(),
        Some(bytes) => decode_via_way(&dec_u32(bytes, "VIA_WAY")?)?,
    };
    let extra: BTreeMap<String, Vec<u8>> = sections
        .iter()
        .filter(|(k, _)| !is_core_section(k))
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect();
    let osm = match OSM_SECTIONS.map(|k| sections.get(k).copied()) {
        [None, None, None, None] => None,
        [Some(nodes), Some(geom_nodes), Some(ways), Some(tags)] => {
            if tags.len() % 2 != 0 {
                return Err(Error::Corrupt("section OSM_TAGS has a bad length".into()));
            }
            Some(OsmData {
                node_ids: dec_u64(nodes, "OSM_NODE")?,
                geom_node_ids: dec_u64(geom_nodes, "OSM_GEOM_NODE")?,
                way_ids: dec_u64(ways, "OSM_WAY")?,
                maxspeed: tags.iter().step_by(2).copied().collect(),
                lanes: tags.iter().skip(1).step_by(2).copied().collect(),
            })
        }
        _ => return Err(Error::Corrupt("OSM id sections incomplete".into())),
    };
    // Optional: guidance tags (files written before them have none).
    let guidance = match sections.get("GUIDANCE") {
        None => None,
        Some(bytes) => Some(
            GuidanceData::decode(bytes)
                .ok_or_else(|| Error::Corrupt("section GUIDANCE has a bad length".into()))?,
        ),
    };
    // Optional: the looked-up driving side per edge (files written before it have none).
    let left_hand = match sections.get("SIDE_LEFT") {
        None => None,
        Some(bytes) => Some(dec_u64(bytes, "SIDE_LEFT")?),
    };
    // Optional: conditional rules (files written before them, or without any, have none).
    let num_edges = get("HEAD")?.len() / 4;
    let conditional = match sections.get("CONDITIONAL") {
        None => None,
        Some(bytes) => Some(
            super::conditional::ConditionalRules::decode(bytes, num_edges)
                .map_err(Error::Corrupt)?,
        ),
    };
    let g = RoadGraph {
        profile,
        coords: dec_pairs(get("NODES")?, "NODES")?,
        first_out: dec_u32(get("FIRST_OUT")?, "FIRST_OUT")?,
        head: dec_u32(get("HEAD")?, "HEAD")?,
        tail: dec_u32(get("TAIL")?, "TAIL")?,
        distance_m: dec_f32(get("DIST")?, "DIST")?,
        duration_s: dec_f32(get("DUR")?, "DUR")?,
        class: get("CLASS")?.to_vec(),
        name: dec_u32(get("NAME")?, "NAME")?,
        reverse: dec_u32(get("REVERSE")?, "REVERSE")?,
        geom: dec_u32(get("GEOM")?, "GEOM")?,
        geom_first: dec_u32(get("GEOM_FIRST")?, "GEOM_FIRST")?,
        geom_coords: dec_pairs(get("GEOM_COORDS")?, "GEOM_COORDS")?,
        name_first: dec_u32(get("NAME_FIRST")?, "NAME_FIRST")?,
        name_bytes: get("NAME_BYTES")?.to_vec(),
        restrictions,
        via_way_restrictions,
        osm,
        guidance,
        left_hand,
        conditional,
        sections: extra,
    };
    validate(&g)?;
    Ok(g)
}

fn kind_code(kind: RestrictionKind) -> u32 {
    kind as u32
}

fn kind_of(code: u32) -> Result<RestrictionKind> {
    match code {
        0 => Ok(RestrictionKind::No),
        1 => Ok(RestrictionKind::Only),
        k => Err(Error::Corrupt(format!("bad restriction kind {k}"))),
    }
}

/// The `VIA_WAY` section: per restriction `kind, to, from, k, via[0..k]`.
fn encode_via_way(rs: &[ViaWayRestriction]) -> Vec<u8> {
    let mut words = Vec::new();
    for r in rs {
        words.extend([kind_code(r.kind), r.to.0, r.from.0, r.via.len() as u32]);
        words.extend(r.via.iter().map(|e| e.0));
    }
    u32s(&words)
}

fn decode_via_way(words: &[u32]) -> Result<Vec<ViaWayRestriction>> {
    let bad = || Error::Corrupt("section VIA_WAY is malformed".into());
    let mut out = Vec::new();
    let mut rest = words;
    while !rest.is_empty() {
        let [kind, to, from, k, tail @ ..] = rest else {
            return Err(bad());
        };
        let k = *k as usize;
        if k == 0 || tail.len() < k {
            return Err(bad());
        }
        out.push(ViaWayRestriction {
            from: EdgeId(*from),
            via: tail[..k].iter().map(|&e| EdgeId(e)).collect(),
            to: EdgeId(*to),
            kind: kind_of(*kind)?,
        });
        rest = &tail[k..];
    }
    Ok(out)
}

/// Checks every invariant the accessors rely on.
fn validate(g: &RoadGraph) -> Result<()> {
    let bad = |what: &str| Err(Error::Corrupt(what.to_string()));
    let (n, m) = (g.coords.len(), g.head.len());
    if n == 0 || m == 0 {
        return Err(Error::EmptyGraph);
    }
    if g.first_out.len() != n + 1 || g.first_out[0] != 0 || g.first_out[n] as usize != m {
        return bad("CSR offsets");
    }
    if g.first_out.windows(2).any(|w| w[0] > w[1]) {
        return bad("CSR offsets not sorted");
    }
    for len in [
        g.tail.len(),
        g.distance_m.len(),
        g.duration_s.len(),
        g.class.len(),
        g.name.len(),
        g.reverse.len(),
        g.geom.len(),
    ] {
        if len != m {
            return bad("edge array lengths");
        }
    }
    for v in 0..n {
        for e in g.first_out[v]..g.first_out[v + 1] {
            if g.tail[e as usize] as usize != v {
                return bad("edge tails");
            }
        }
    }
    if g.head.iter().any(|&h| h as usize >= n) {
        return bad("edge heads");
    }
    if g.distance_m
        .iter()
        .chain(g.duration_s.iter())
        .any(|x| !x.is_finite() || *x < 0.0)
    {
        return bad("edge weights");
    }
    if g.reverse
        .iter()
        .enumerate()
        .any(|(e, &r)| r != NO_EDGE && (r as usize >= m || g.reverse[r as usize] as usize != e))
    {
        return bad("reverse edges");
    }
    let ng = g
        .geom_first
        .len()
        .checked_sub(1)
        .ok_or(Error::Corrupt("geometry offsets".into()))?;
    if g.geom_first[0] != 0
        || g.geom_first[ng] as usize != g.geom_coords.len()
        || g.geom_first.windows(2).any(|w| w[1] < w[0] + 2)
    {
        return bad("geometry offsets");
    }
    if g.geom.iter().any(|&x| (x & !GEOM_REVERSED) as usize >= ng) {
        return bad("edge geometries");
    }
    let nn = g
        .name_first
        .len()
        .checked_sub(1)
        .ok_or(Error::Corrupt("name offsets".into()))?;
    if g.name_first[0] != 0
        || g.name_first[nn] as usize != g.name_bytes.len()
        || g.name_first.windows(2).any(|w| w[0] > w[1])
    {
        return bad("name offsets");
    }
    if g.name.iter().any(|&x| x as usize >= nn) {
        return bad("edge names");
    }
    for r in &g.restrictions {
        if r.from.index() >= m || r.to.index() >= m || r.via.index() >= n {
            return bad("restrictions");
        }
    }
    for r in &g.via_way_restrictions {
        let path: Vec<usize> = std::iter::once(r.from)
            .chain(r.via.iter().copied())
            .chain([r.to])
            .map(EdgeId::index)
            .collect();
        if path.iter().any(|&e| e >= m) || path.windows(2).any(|w| g.head[w[0]] != g.tail[w[1]]) {
            return bad("via-way restrictions");
        }
    }
    if g.osm.as_ref().is_some_and(|osm| !super::osm::valid(osm, g)) {
        return bad("OSM id array lengths");
    }
    if g.guidance
        .as_ref()
        .is_some_and(|d| !super::guidance::valid(d, g))
    {
        return bad("GUIDANCE array lengths");
    }
    if g.left_hand.as_ref().is_some_and(|w| {
        w.len() != m.div_ceil(64) || m % 64 != 0 && w[w.len() - 1] >> (m % 64) != 0
    }) {
        return bad("SIDE_LEFT length");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> RoadGraph {
        crate::osm::import(
            &kerb_testdata::helsinki_pbf(),
            &Profile::truck(),
            true,
            &|_, _| {},
        )
        .unwrap()
    }

    #[test]
    fn files_without_osm_sections_still_open() {
        let mut g = graph();
        assert!(g.osm.is_some());
        let with = from_bytes(&to_bytes(&g).unwrap()).unwrap();
        assert_eq!(with.osm, g.osm);
        // What graph files written before the OSM sections look like.
        g.osm = None;
        let old = from_bytes(&to_bytes(&g).unwrap()).unwrap();
        assert!(old.osm.is_none() && !old.has_osm_ids());
        assert_eq!(old.osm_way_id(crate::EdgeId(0)), None);
        assert_eq!(old.edge_tags(crate::EdgeId(0)), None);
    }

    /// Three consecutive edges `a -> b -> c` of `g` with `c` not the reverse of `b`.
    fn path_of_three(g: &RoadGraph) -> [u32; 3] {
        for a in 0..g.head.len() as u32 {
            let outs = |e: u32| {
                let v = g.head[e as usize] as usize;
                g.first_out[v]..g.first_out[v + 1]
            };
            for b in outs(a).filter(|&b| b != g.reverse[a as usize]) {
                if let Some(c) = outs(b).find(|&c| c != g.reverse[b as usize]) {
                    return [a, b, c];
                }
            }
        }
        panic!("no path of three edges");
    }

    #[test]
    fn via_way_section_round_trips_and_is_checked() {
        let mut g = graph();
        let [a, b, c] = path_of_three(&g);
        let r = ViaWayRestriction {
            from: EdgeId(a),
            via: vec![EdgeId(b)],
            to: EdgeId(c),
            kind: RestrictionKind::Only,
        };
        g.via_way_restrictions = vec![r.clone()];
        let back = from_bytes(&to_bytes(&g).unwrap()).unwrap();
        assert_eq!(back.via_way_restrictions, [r]);
        // A via path that does not chain edge to edge is corrupt.
        g.via_way_restrictions[0].via = vec![EdgeId(c)];
        assert!(matches!(
            from_bytes(&to_bytes(&g).unwrap()),
            Err(Error::Corrupt(_))
        ));
        // So is a section cut short or with an empty via path.
        for words in [vec![1u32, c, a], vec![1, c, a, 0]] {
            assert!(matches!(decode_via_way(&words), Err(Error::Corrupt(_))));
        }
        assert!(matches!(
            decode_via_way(&[7, c, a, 1, b]),
            Err(Error::Corrupt(_))
        ));
    }

    #[test]
    fn driving_sides_round_trip_and_old_files_mean_the_profile_side() {
        let mut g = graph();
        let left = g.left_hand.clone().expect("import looks sides up");
        let with = from_bytes(&to_bytes(&g).unwrap()).unwrap();
        assert_eq!(with.left_hand.as_ref(), Some(&left));
        g.left_hand = None;
        let old = from_bytes(&to_bytes(&g).unwrap()).unwrap();
        assert_eq!(old.local_driving_side(crate::EdgeId(0)), None);
        assert_eq!(
            old.driving_side(crate::EdgeId(0)),
            crate::DrivingSide::Right
        );
        g.profile.turn_costs.driving_side = crate::DrivingSideRule::Left;
        assert_eq!(g.driving_side(crate::EdgeId(0)), crate::DrivingSide::Left);
        // A bit past the last edge or a word too few is corrupt.
        let mut bad = left.clone();
        bad.push(0);
        g.left_hand = Some(bad);
        assert!(matches!(
            from_bytes(&to_bytes(&g).unwrap()),
            Err(Error::Corrupt(_))
        ));
        let mut bad = left;
        let m = g.num_edges();
        if m % 64 != 0 {
            *bad.last_mut().unwrap() |= 1 << 63;
            g.left_hand = Some(bad);
            assert!(matches!(
                from_bytes(&to_bytes(&g).unwrap()),
                Err(Error::Corrupt(_))
            ));
        }
    }

    #[test]
    fn inconsistent_osm_sections_are_corrupt() {
        let mut g = graph();
        g.osm.as_mut().unwrap().way_ids.pop();
        assert!(matches!(
            from_bytes(&to_bytes(&g).unwrap()),
            Err(Error::Corrupt(_))
        ));
    }
}
