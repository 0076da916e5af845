//! The PBF writer's output reads back with osmpbfreader (kerb's importer) element for element.

use kerb_conformance::pbf::{encode, Member, MemberType, Node, OsmData, Relation, Way};
use osmpbfreader::{OsmObj, OsmPbfReader};

#[test]
fn nodes_ways_and_relations_read_back() {
    let tag = |k: &str, v: &str| (k.to_string(), v.to_string());
    let data = OsmData {
        nodes: vec![
            Node {
                id: 1,
                lon: 1.0,
                lat: 1.0,
                tags: vec![tag("name", "a")],
            },
            Node {
                id: 2,
                lon: 1.0008983,
                lat: 0.9999,
                tags: vec![tag("highway", "traffic_signals")],
            },
            Node {
                id: 300,
                lon: -0.5,
                lat: 45.25,
                tags: vec![],
            },
        ],
        ways: vec![Way {
            id: 10,
            refs: vec![1, 2, 300],
            tags: vec![tag("highway", "primary"), tag("name", "")],
        }],
        relations: vec![Relation {
            id: 20,
            members: vec![
                Member {
                    kind: MemberType::Way,
                    id: 10,
                    role: "from".into(),
                },
                Member {
                    kind: MemberType::Node,
                    id: 2,
                    role: "via".into(),
                },
            ],
            tags: vec![
                tag("type", "restriction"),
                tag("restriction", "no_left_turn"),
            ],
        }],
    };
    let bytes = encode(&data);
    let mut reader = OsmPbfReader::new(std::io::Cursor::new(bytes));
    let objs: Vec<OsmObj> = reader.iter().map(|o| o.expect("valid PBF")).collect();
    assert_eq!(objs.len(), 5);
    let OsmObj::Node(n) = &objs[1] else {
        panic!("node first")
    };
    assert_eq!(n.id.0, 2);
    assert_eq!((n.decimicro_lon, n.decimicro_lat), (10_008_983, 9_999_000));
    assert_eq!(
        n.tags.get("highway").map(|v| v.as_str()),
        Some("traffic_signals")
    );
    let OsmObj::Node(n) = &objs[2] else {
        panic!("node")
    };
    assert_eq!(
        (n.decimicro_lon, n.decimicro_lat),
        (-5_000_000, 452_500_000)
    );
    let OsmObj::Way(w) = &objs[3] else {
        panic!("way")
    };
    assert_eq!(
        w.nodes.iter().map(|n| n.0).collect::<Vec<_>>(),
        vec![1, 2, 300]
    );
    assert_eq!(w.tags.get("name").map(|v| v.as_str()), Some(""));
    let OsmObj::Relation(r) = &objs[4] else {
        panic!("relation")
    };
    assert_eq!(r.refs.len(), 2);
    assert_eq!(r.refs[0].member.way().map(|w| w.0), Some(10));
    assert_eq!(r.refs[1].member.node().map(|n| n.0), Some(2));
    assert_eq!(r.refs[1].role.as_str(), "via");
    assert_eq!(
        r.tags.get("restriction").map(|v| v.as_str()),
        Some("no_left_turn")
    );
}
