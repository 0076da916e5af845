//! OSM data in memory (nodes, ways, relations with tags) and a minimal OSM PBF writer: one
//! header blob and uncompressed data blobs of plain nodes, ways and relations, enough for
//! kerb's importer (osmpbfreader) to read. The conformance runner writes its scenario maps
//! with it; [`crate::Graph::from_file`] imports OSM XML through it.

use std::collections::HashMap;

/// One OSM element's tags, in insertion order.
pub type Tags = Vec<(String, String)>;

/// An OSM node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// OSM id.
    pub id: i64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Latitude in degrees.
    pub lat: f64,
    /// Tags.
    pub tags: Tags,
}

/// An OSM way.
#[derive(Clone, Debug, PartialEq)]
pub struct Way {
    /// OSM id.
    pub id: i64,
    /// Node ids in order.
    pub refs: Vec<i64>,
    /// Tags.
    pub tags: Tags,
}

/// The type of a relation member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberType {
    /// A node member.
    Node = 0,
    /// A way member.
    Way = 1,
    /// A relation member.
    Relation = 2,
}

/// A member of a relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// Member type.
    pub kind: MemberType,
    /// Member id.
    pub id: i64,
    /// Role, e.g. `from`, `via`, `to`.
    pub role: String,
}

/// An OSM relation.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// OSM id.
    pub id: i64,
    /// Members in order.
    pub members: Vec<Member>,
    /// Tags.
    pub tags: Tags,
}

/// The OSM data of one map (a conformance scenario, an OSM XML file).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OsmData {
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Ways.
    pub ways: Vec<Way>,
    /// Relations.
    pub relations: Vec<Relation>,
}

/// Protobuf wire-format encoder for one message.
#[derive(Default)]
struct Message(Vec<u8>);

impl Message {
    fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(byte);
                return;
            }
            self.0.push(byte | 0x80);
        }
    }

    fn key(&mut self, field: u32, wire: u8) {
        self.varint(((field as u64) << 3) | wire as u64);
    }

    fn uint(&mut self, field: u32, v: u64) {
        self.key(field, 0);
        self.varint(v);
    }

    fn sint(&mut self, field: u32, v: i64) {
        self.uint(field, zigzag(v));
    }

    fn bytes(&mut self, field: u32, b: &[u8]) {
        self.key(field, 2);
        self.varint(b.len() as u64);
        self.0.extend_from_slice(b);
    }

    fn packed(&mut self, field: u32, values: impl IntoIterator<Item = u64>) {
        let mut inner = Message::default();
        for v in values {
            inner.varint(v);
        }
        if !inner.0.is_empty() {
            self.bytes(field, &inner.0);
        }
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Interns strings for a primitive block's string table (index 0 is the empty string).
struct StringTable {
    index: HashMap<String, u32>,
    strings: Vec<String>,
}

impl StringTable {
    fn new() -> Self {
        StringTable {
            index: HashMap::new(),
            strings: vec![String::new()],
        }
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.strings.len() as u32;
        self.strings.push(s.to_string());
        self.index.insert(s.to_string(), i);
        i
    }

    fn tags(&mut self, tags: &Tags) -> (Vec<u64>, Vec<u64>) {
        tags.iter()
            .map(|(k, v)| (self.id(k) as u64, self.id(v) as u64))
            .unzip()
    }
}

/// Coordinates are written in units of 1e-7 degrees (granularity 100 nanodegrees).
fn e7(deg: f64) -> i64 {
    (deg * 1e7).round() as i64
}

fn delta(values: impl IntoIterator<Item = i64>) -> Vec<u64> {
    let mut last = 0;
    values
        .into_iter()
        .map(|v| {
            let d = v - last;
            last = v;
            zigzag(d)
        })
        .collect()
}

fn blob(kind: &str, payload: &[u8], out: &mut Vec<u8>) {
    let mut blob = Message::default();
    blob.bytes(1, payload);
    blob.uint(2, payload.len() as u64);
    let mut header = Message::default();
    header.bytes(1, kind.as_bytes());
    header.uint(3, blob.0.len() as u64);
    out.extend_from_slice(&(header.0.len() as u32).to_be_bytes());
    out.extend_from_slice(&header.0);
    out.extend_from_slice(&blob.0);
}

/// Elements per data blob: 8,000 as in osmium's writer; a way of 2,000 nodes stays far below
/// the 32 MiB blob limit at that count.
const BLOCK: usize = 8000;

/// Appends one `OSMData` blob: a primitive block holding the group `fill` writes, with the
/// string table it filled.
fn block(out: &mut Vec<u8>, fill: impl FnOnce(&mut StringTable, &mut Message)) {
    let mut strings = StringTable::new();
    let mut group = Message::default();
    fill(&mut strings, &mut group);
    let mut table = Message::default();
    for s in &strings.strings {
        table.bytes(1, s.as_bytes());
    }
    let mut block = Message::default();
    block.bytes(1, &table.0);
    if !group.0.is_empty() {
        block.bytes(2, &group.0);
    }
    block.uint(17, 100);
    blob("OSMData", &block.0, out);
}

/// Encodes `data` as an OSM PBF file (nodes, then ways, then relations, as OSM files order
/// them).
pub fn encode(data: &OsmData) -> Vec<u8> {
    let mut out = Vec::new();
    let mut header = Message::default();
    header.bytes(4, b"OsmSchema-V0.6");
    header.bytes(16, b"kerb");
    blob("OSMHeader", &header.0, &mut out);

    // Blobs of at most BLOCK elements, so that a large map stays within the PBF format's
    // 32 MiB per blob (and the importer's framing check); each block has its own strings.
    for chunk in data.nodes.chunks(BLOCK) {
        block(&mut out, |strings, group| {
            for n in chunk {
                let (keys, vals) = strings.tags(&n.tags);
                let mut m = Message::default();
                m.sint(1, n.id);
                m.packed(2, keys);
                m.packed(3, vals);
                m.sint(8, e7(n.lat));
                m.sint(9, e7(n.lon));
                group.bytes(1, &m.0);
            }
        });
    }
    for chunk in data.ways.chunks(BLOCK) {
        block(&mut out, |strings, group| {
            for w in chunk {
                let (keys, vals) = strings.tags(&w.tags);
                let mut m = Message::default();
                m.uint(1, w.id as u64);
                m.packed(2, keys);
                m.packed(3, vals);
                m.packed(8, delta(w.refs.iter().copied()));
                group.bytes(3, &m.0);
            }
        });
    }
    for chunk in data.relations.chunks(BLOCK) {
        block(&mut out, |strings, group| {
            for r in chunk {
                let (keys, vals) = strings.tags(&r.tags);
                let roles: Vec<u64> = r
                    .members
                    .iter()
                    .map(|m| strings.id(&m.role) as u64)
                    .collect();
                let mut m = Message::default();
                m.uint(1, r.id as u64);
                m.packed(2, keys);
                m.packed(3, vals);
                m.packed(8, roles);
                m.packed(9, delta(r.members.iter().map(|m| m.id)));
                m.packed(10, r.members.iter().map(|m| m.kind as u64));
                group.bytes(4, &m.0);
            }
        });
    }
    out
}
