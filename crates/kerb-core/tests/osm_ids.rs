//! OSM node and way ids and the main tags kept per node/edge, checked against the PBF itself
//! (read independently with osmpbfreader), and through the graph file.

use std::collections::{HashMap, HashSet};
use std::fs::File;

use kerb_core::{EdgeId, Graph, NodeId, Profile};
use kerb_testdata::{helsinki_graph, helsinki_pbf, temp_dir};
use osmpbfreader::{OsmObj, OsmPbfReader};

fn graph() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

/// Ways and nodes of the extract: way id -> (node refs, maxspeed, lanes); node id -> e7 coords.
type Ways = HashMap<u64, (Vec<u64>, Option<String>, Option<String>)>;

fn read_pbf() -> (Ways, HashMap<u64, [i32; 2]>) {
    let mut pbf = OsmPbfReader::new(File::open(helsinki_pbf()).unwrap());
    let (mut ways, mut nodes) = (HashMap::new(), HashMap::new());
    for obj in pbf.par_iter() {
        match obj.unwrap() {
            OsmObj::Way(w) => {
                let tag = |k: &str| w.tags.get(k).map(|v| v.to_string());
                ways.insert(
                    w.id.0 as u64,
                    (
                        w.nodes.iter().map(|n| n.0 as u64).collect(),
                        tag("maxspeed"),
                        tag("lanes"),
                    ),
                );
            }
            OsmObj::Node(n) => {
                nodes.insert(n.id.0 as u64, [n.decimicro_lon, n.decimicro_lat]);
            }
            OsmObj::Relation(_) => {}
        }
    }
    (ways, nodes)
}

#[test]
fn ids_and_tags_match_the_extract() {
    let g = graph();
    assert!(g.has_osm_ids());
    let (ways, nodes) = read_pbf();
    let coords = g.node_coords_e7();
    for (n, c) in coords.iter().enumerate() {
        let id = g.osm_node_id(NodeId(n as u32)).unwrap();
        assert_eq!(nodes[&id], *c, "node {n} = OSM node {id}");
    }
    let (mut with_speed, mut with_lanes) = (0, 0);
    for e in g.edges() {
        let way = g.osm_way_id(e.id).unwrap();
        let (refs, maxspeed, lanes) = &ways[&way];
        let ids = g.edge_osm_nodes(e.id).unwrap();
        assert_eq!(ids.len(), e.geometry().0.len());
        assert_eq!(ids[0], g.osm_node_id(e.from).unwrap());
        assert_eq!(*ids.last().unwrap(), g.osm_node_id(e.to).unwrap());
        for (id, p) in ids.iter().zip(e.geometry().points()) {
            let c = nodes[id];
            assert!((c[0] as f64 * 1e-7 - p.x()).abs() < 1e-9);
            assert!((c[1] as f64 * 1e-7 - p.y()).abs() < 1e-9);
        }
        // The edge is a stretch of its way, in one direction or the other.
        let fwd = refs.windows(ids.len()).any(|w| w == &ids[..]);
        let rev: Vec<u64> = ids.iter().rev().copied().collect();
        let bwd = refs.windows(ids.len()).any(|w| w == &rev[..]);
        assert!(fwd || bwd, "edge {:?} is not a stretch of way {way}", e.id);
        let tags = g.edge_tags(e.id).unwrap();
        match maxspeed.as_deref().and_then(|v| v.parse::<f64>().ok()) {
            Some(kmh) => {
                assert_eq!(tags.maxspeed_kmh, Some(kmh), "way {way}");
                with_speed += 1;
            }
            None if maxspeed.as_deref() == Some("none") => {
                assert_eq!(tags.maxspeed_kmh, Some(f64::INFINITY))
            }
            None if maxspeed.is_none() => assert_eq!(tags.maxspeed_kmh, None),
            None => {}
        }
        let l = lanes.as_deref().and_then(|v| v.parse::<u8>().ok());
        assert_eq!(tags.lanes, l, "way {way}");
        with_lanes += l.is_some() as usize;
    }
    // Helsinki tags most of its streets: the checks above ran on real values.
    assert!(
        with_speed > g.num_edges() / 4,
        "{with_speed} edges with maxspeed"
    );
    assert!(with_lanes > 100, "{with_lanes} edges with lanes");
}

#[test]
fn partial_nodes_follow_osrm() {
    let g = graph();
    // A multi-point edge: the part strictly inside the edge keeps the nodes around it.
    let e = g
        .edges()
        .find(|e| e.geometry().0.len() >= 4)
        .expect("an edge with a shape");
    let ids = g.edge_osm_nodes(e.id).unwrap();
    assert_eq!(g.partial_osm_nodes(e.id, 0.0, 1.0).unwrap(), ids);
    let mid = g.partial_osm_nodes(e.id, 0.001, 0.999).unwrap();
    assert_eq!(mid, ids);
    let head = g.partial_osm_nodes(e.id, 0.0, 0.0001).unwrap();
    assert_eq!(head, ids[..2].to_vec());
    let tail = g.partial_osm_nodes(e.id, 0.9999, 1.0).unwrap();
    assert_eq!(tail, ids[ids.len() - 2..].to_vec());
    // Both directions of a two-way road list the same nodes, reversed.
    let two_way = g.edges().find(|e| e.reverse().is_some()).unwrap();
    let mut back = g.edge_osm_nodes(two_way.reverse().unwrap()).unwrap();
    back.reverse();
    assert_eq!(back, g.edge_osm_nodes(two_way.id).unwrap());
    assert_eq!(
        g.osm_way_id(two_way.id),
        g.osm_way_id(two_way.reverse().unwrap())
    );
}

#[test]
fn ids_survive_the_graph_file() {
    let g = graph();
    let p = temp_dir("osm-ids").join("ids.kerb");
    g.save(&p).unwrap();
    let h = Graph::open(&p).unwrap();
    assert!(h.has_osm_ids());
    for e in 0..g.num_edges() as u32 {
        let e = EdgeId(e);
        assert_eq!(g.osm_way_id(e), h.osm_way_id(e));
        assert_eq!(g.edge_osm_nodes(e), h.edge_osm_nodes(e));
        assert_eq!(g.edge_tags(e), h.edge_tags(e));
    }
    let distinct: HashSet<u64> = (0..g.num_nodes() as u32)
        .map(|n| h.osm_node_id(NodeId(n)).unwrap())
        .collect();
    // Only split barriers share an OSM node between two graph nodes.
    assert!(distinct.len() + 100 > g.num_nodes());
}
