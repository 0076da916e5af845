//! OSM XML (`.osm`, `.osm.gz`, as written by the OSM API, JOSM, Overpass and osmium) read into
//! [`OsmData`]: nodes, ways and relations with their tags; everything else (bounds, changeset
//! metadata, `<delete>` blocks of change files) is skipped.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::data::{Member, MemberType, Node, OsmData, Relation, Way};
use crate::error::{Error, Result};

/// The element being read: its tags (and refs or members) arrive as children.
enum Open {
    Node(Node),
    Way(Way),
    Relation(Relation),
}

/// Reads OSM XML from `input`; `name` (the file name) is used in error messages, which give
/// the byte position of the offending element.
///
/// ```
/// let xml = r#"<osm version="0.6">
///   <node id="1" lat="60.17" lon="24.94"/>
///   <node id="2" lat="60.18" lon="24.95"><tag k="highway" v="traffic_signals"/></node>
///   <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way>
/// </osm>"#;
/// let data = kerb_core::osm_data::read_xml(xml.as_bytes(), "inline")?;
/// assert_eq!(data.nodes.len(), 2);
/// assert_eq!(data.ways[0].refs, vec![1, 2]);
/// assert_eq!(data.ways[0].tags, vec![("highway".to_string(), "residential".to_string())]);
/// # Ok::<(), kerb_core::Error>(())
/// ```
pub fn read_xml(input: impl BufRead, name: &str) -> Result<OsmData> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buf = Vec::new();
    let mut data = OsmData::default();
    let mut open: Option<Open> = None;
    let mut seen_osm = false;
    // Elements inside <delete> (osmChange files) are not part of the map.
    let mut deleting = 0usize;
    loop {
        let at = reader.buffer_position();
        let bad = |reason: String| Error::Pbf(format!("{name}: OSM XML at byte {at}: {reason}"));
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let tag = e.local_name();
            match tag.as_ref() {
                b"osm" | b"osmChange" => seen_osm = true,
                b"delete" if !empty => deleting += 1,
                b"node" | b"way" | b"relation" if deleting == 0 => {
                    let element = element(e).map_err(bad)?;
                    if empty {
                        push(&mut data, element);
                    } else {
                        open = Some(element);
                    }
                }
                b"tag" => {
                    let (k, v) = (attr(e, b"k").map_err(&bad)?, attr(e, b"v").map_err(&bad)?);
                    if let (Some(k), Some(v)) = (k, v) {
                        match &mut open {
                            Some(Open::Node(n)) => n.tags.push((k, v)),
                            Some(Open::Way(w)) => w.tags.push((k, v)),
                            Some(Open::Relation(r)) => r.tags.push((k, v)),
                            None => {}
                        }
                    }
                }
                b"nd" => {
                    if let Some(Open::Way(w)) = &mut open {
                        w.refs.push(id(e, b"ref").map_err(bad)?);
                    }
                }
                b"member" => {
                    if let Some(Open::Relation(r)) = &mut open {
                        let kind = match attr(e, b"type").map_err(&bad)?.as_deref() {
                            Some("node") => MemberType::Node,
                            Some("way") => MemberType::Way,
                            Some("relation") => MemberType::Relation,
                            other => return Err(bad(format!("member type {other:?}"))),
                        };
                        r.members.push(Member {
                            kind,
                            id: id(e, b"ref").map_err(&bad)?,
                            role: attr(e, b"role").map_err(bad)?.unwrap_or_default(),
                        });
                    }
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) => match e.local_name().as_ref() {
                b"node" | b"way" | b"relation" => {
                    if let Some(element) = open.take() {
                        push(&mut data, element);
                    }
                }
                b"delete" => deleting = deleting.saturating_sub(1),
                _ => {}
            },
            Event::Eof => {
                if open.is_some() {
                    return Err(bad("the file ends inside an element (truncated?)".into()));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    if !seen_osm {
        return Err(Error::Pbf(format!(
            "{name} is not OSM XML (no <osm> element)"
        )));
    }
    Ok(data)
}

/// Reads an OSM XML file, gzip-compressed when its name ends in `.gz` (`.osm.gz`).
pub fn read_xml_file(path: &Path) -> Result<OsmData> {
    let file = std::fs::File::open(path)?;
    let name = path.display().to_string();
    let gz = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
    if gz {
        let decoder = flate2::read::MultiGzDecoder::new(std::io::BufReader::new(file));
        read_xml(std::io::BufReader::with_capacity(1 << 20, decoder), &name)
    } else {
        read_xml(std::io::BufReader::with_capacity(1 << 20, file), &name)
    }
}

fn push(data: &mut OsmData, element: Open) {
    match element {
        Open::Node(n) => data.nodes.push(n),
        Open::Way(w) => data.ways.push(w),
        Open::Relation(r) => data.relations.push(r),
    }
}

/// A node, way or relation from its start tag (`id`; a node's `lat`/`lon`).
fn element(e: &BytesStart<'_>) -> std::result::Result<Open, String> {
    let id = id(e, b"id")?;
    Ok(match e.local_name().as_ref() {
        b"node" => {
            let coord = |k: &[u8]| -> std::result::Result<f64, String> {
                let v = attr(e, k)?.ok_or_else(|| format!("node {id} without {}", as_str(k)))?;
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("node {id}: {} {v:?} is not a number", as_str(k)))
            };
            Open::Node(Node {
                id,
                lon: coord(b"lon")?,
                lat: coord(b"lat")?,
                tags: Vec::new(),
            })
        }
        b"way" => Open::Way(Way {
            id,
            refs: Vec::new(),
            tags: Vec::new(),
        }),
        _ => Open::Relation(Relation {
            id,
            members: Vec::new(),
            tags: Vec::new(),
        }),
    })
}

fn as_str(k: &[u8]) -> &str {
    std::str::from_utf8(k).unwrap_or("?")
}

/// The integer attribute `key` (required).
fn id(e: &BytesStart<'_>, key: &[u8]) -> std::result::Result<i64, String> {
    let v =
        attr(e, key)?.ok_or_else(|| format!("<{}> without {}", element_name(e), as_str(key)))?;
    v.trim().parse::<i64>().map_err(|_| {
        format!(
            "<{}> {} {v:?} is not an integer",
            element_name(e),
            as_str(key)
        )
    })
}

fn element_name(e: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(e.local_name().as_ref()).into_owned()
}

/// The unescaped value of attribute `key`, if present.
fn attr(e: &BytesStart<'_>, key: &[u8]) -> std::result::Result<Option<String>, String> {
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        if a.key.local_name().as_ref() == key {
            return a
                .unescape_value()
                .map(|v| Some(v.into_owned()))
                .map_err(|err| err.to_string());
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_members_and_escapes() {
        let xml = r#"<?xml version="1.0"?><osm version="0.6"><bounds minlat="0"/>
          <node id="-1" lat="1.5" lon="2.5" version="3"><tag k="name" v="A &amp; B"/></node>
          <node id="2" lat="1.6" lon="2.6"/>
          <way id="7"><nd ref="-1"/><nd ref="2"/><tag k="oneway" v="yes"/></way>
          <relation id="9"><member type="way" ref="7" role="from"/>
            <member type="node" ref="2" role="via"/><tag k="type" v="restriction"/></relation>
        </osm>"#;
        let d = read_xml(xml.as_bytes(), "t").unwrap();
        assert_eq!(d.nodes[0].id, -1);
        assert_eq!(d.nodes[0].tags[0].1, "A & B");
        assert_eq!((d.nodes[1].lon, d.nodes[1].lat), (2.6, 1.6));
        assert_eq!(d.ways[0].refs, vec![-1, 2]);
        assert_eq!(d.relations[0].members.len(), 2);
        assert_eq!(d.relations[0].members[1].kind, MemberType::Node);
        assert_eq!(d.relations[0].members[0].role, "from");
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let not_osm = read_xml("<gpx></gpx>".as_bytes(), "x.gpx").unwrap_err();
        assert!(not_osm.to_string().contains("not OSM XML"), "{not_osm}");
        let no_lat = read_xml(r#"<osm><node id="1" lon="2"/></osm>"#.as_bytes(), "f").unwrap_err();
        assert!(
            no_lat.to_string().contains("node 1 without lat"),
            "{no_lat}"
        );
        let broken = read_xml(
            r#"<osm><node id="x" lat="1" lon="2"/></osm>"#.as_bytes(),
            "f",
        );
        assert!(broken.unwrap_err().to_string().contains("not an integer"));
        let truncated = read_xml(r#"<osm><way id="1"><nd ref="1"/"#.as_bytes(), "f");
        assert!(truncated.is_err());
    }

    #[test]
    fn change_file_deletions_are_skipped() {
        let xml = r#"<osmChange><create><node id="1" lat="1" lon="1"/></create>
          <delete><node id="2" lat="1" lon="1"/></delete></osmChange>"#;
        let d = read_xml(xml.as_bytes(), "c").unwrap();
        assert_eq!(d.nodes.len(), 1);
    }
}
