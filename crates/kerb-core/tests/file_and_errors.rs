//! Graph file round trip and rejection of corrupt files; typed errors for bad input.

use std::path::PathBuf;

use kerb_core::{Error, Graph, Point, Profile, SnapOptions, Waypoint};

use kerb_testdata::{cached, helsinki_graph, helsinki_pbf, repo_root, temp_dir};

fn graph() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

fn tmp(name: &str) -> PathBuf {
    temp_dir("core-test").join(name)
}

/// Saves the graph once and returns the file bytes.
fn saved() -> &'static Vec<u8> {
    cached("saved helsinki truck", || {
        let p = tmp("base.kerb");
        graph().save(&p).unwrap();
        std::fs::read(&p).unwrap()
    })
}

fn open_bytes(name: &str, bytes: &[u8]) -> kerb_core::Result<Graph> {
    let p = tmp(name);
    std::fs::write(&p, bytes).unwrap();
    Graph::open(&p)
}

#[test]
fn round_trip_keeps_everything() {
    let g = graph();
    let mut with_extra = Graph::from_pbf(helsinki_pbf(), &Profile::truck()).unwrap();
    with_extra.set_section("test-extra", vec![1, 2, 3]).unwrap();
    assert!(with_extra.set_section("HEAD", vec![]).is_err());
    let p = tmp("rt.kerb");
    with_extra.save(&p).unwrap();
    let h = Graph::open(&p).unwrap();
    assert_eq!(h.section("test-extra"), Some(&[1u8, 2, 3][..]));
    assert_eq!(h.profile(), g.profile());
    assert_eq!(h.num_nodes(), g.num_nodes());
    assert_eq!(h.num_edges(), g.num_edges());
    assert_eq!(h.first_out(), g.first_out());
    assert_eq!(h.heads(), g.heads());
    assert_eq!(h.durations_s(), g.durations_s());
    assert_eq!(h.distances_m(), g.distances_m());
    assert_eq!(h.reverse_edges(), g.reverse_edges());
    assert_eq!(h.restrictions(), g.restrictions());
    assert_eq!(h.node_coords_e7(), g.node_coords_e7());
    for (a, b) in g.edges().zip(h.edges()) {
        assert_eq!(a.name, b.name);
        assert_eq!(a.road_class, b.road_class);
        assert_eq!(a.geometry(), b.geometry());
    }
    // Same answers.
    let opts = SnapOptions::default();
    let (p1, p2) = (Point::new(24.9384, 60.1699), Point::new(24.9500, 60.1750));
    let r1 = g
        .route(&[
            Waypoint::new(g.snap(p1, &opts).unwrap()),
            Waypoint::new(g.snap(p2, &opts).unwrap()),
        ])
        .unwrap();
    let r2 = h
        .route(&[
            Waypoint::new(h.snap(p1, &opts).unwrap()),
            Waypoint::new(h.snap(p2, &opts).unwrap()),
        ])
        .unwrap();
    assert_eq!(r1, r2);
    assert!(matches!(
        Graph::open_for_profile(&p, "car"),
        Err(Error::ProfileMismatch { .. })
    ));
    assert!(Graph::open_for_profile(&p, "truck").is_ok());
}

#[test]
fn corrupt_bytes_are_rejected() {
    let b = saved();
    // Flip one byte in many places of the file: never a panic, never silently accepted
    // (padding bytes between sections are the only ones not covered by a checksum).
    let mut rejected = 0;
    let step = (b.len() / 200).max(1);
    for i in (0..b.len()).step_by(step) {
        let mut c = b.clone();
        c[i] ^= 0x5a;
        match open_bytes("flip.kerb", &c) {
            Err(
                Error::Checksum
                | Error::BadMagic
                | Error::UnsupportedVersion { .. }
                | Error::Truncated
                | Error::Corrupt(_),
            ) => rejected += 1,
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => {}
        }
    }
    assert!(rejected >= 190, "only {rejected} corruptions detected");
    let mut c = b.clone();
    let mid = c.len() / 2;
    c[mid] ^= 1;
    assert!(matches!(open_bytes("mid.kerb", &c), Err(Error::Checksum)));
}

#[test]
fn wrong_version_and_magic_are_rejected() {
    let mut c = saved().clone();
    c[8..12].copy_from_slice(&99u32.to_le_bytes());
    match open_bytes("ver.kerb", &c) {
        Err(Error::UnsupportedVersion {
            found: 99,
            expected,
        }) => assert_eq!(expected, kerb_core::FORMAT_VERSION),
        other => panic!("{other:?}"),
    }
    let mut c = saved().clone();
    c[0] = b'X';
    assert!(matches!(open_bytes("magic.kerb", &c), Err(Error::BadMagic)));
    assert!(matches!(
        open_bytes("empty.kerb", &[]),
        Err(Error::BadMagic)
    ));
    let readme = std::fs::read(repo_root().join("README.md")).unwrap();
    assert!(matches!(
        open_bytes("readme.kerb", &readme),
        Err(Error::BadMagic)
    ));
}

#[test]
fn truncated_files_are_rejected() {
    let b = saved();
    for len in [4, 8, 20, 30, 200, b.len() / 3, b.len() - 9] {
        match open_bytes("trunc.kerb", &b[..len]) {
            Err(Error::Truncated) => {}
            other => panic!("len {len}: {other:?}"),
        }
    }
}

#[test]
fn missing_graph_file_is_io_error() {
    assert!(matches!(
        Graph::open(tmp("does-not-exist.kerb")),
        Err(Error::Io(_))
    ));
}

#[test]
fn bad_pbf_inputs_are_typed_errors() {
    let truck = Profile::truck();
    // Not a PBF at all.
    assert!(matches!(
        Graph::from_pbf(repo_root().join("README.md"), &truck),
        Err(Error::Pbf(_))
    ));
    // Empty file.
    let empty = tmp("empty.osm.pbf");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        Graph::from_pbf(&empty, &truck),
        Err(Error::Pbf(_))
    ));
    // Truncated PBF.
    let full = std::fs::read(helsinki_pbf()).unwrap();
    let cut = tmp("cut.osm.pbf");
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    assert!(matches!(Graph::from_pbf(&cut, &truck), Err(Error::Pbf(_))));
    // Corrupt payload inside a valid frame.
    let mut bad = full.clone();
    let n = bad.len();
    for b in &mut bad[n / 2..n / 2 + 64] {
        *b ^= 0xff;
    }
    let badp = tmp("bad.osm.pbf");
    std::fs::write(&badp, &bad).unwrap();
    assert!(matches!(Graph::from_pbf(&badp, &truck), Err(Error::Pbf(_))));
    // Missing file.
    assert!(matches!(
        Graph::from_pbf(tmp("nope.osm.pbf"), &truck),
        Err(Error::Io(_))
    ));
    assert!(matches!(
        Profile::by_name("spaceship"),
        Err(Error::UnknownProfile(_))
    ));
}

#[test]
fn bad_coordinates_are_typed_errors() {
    let g = graph();
    let opts = SnapOptions::default();
    for p in [
        Point::new(200.0, 60.0),
        Point::new(24.9, 95.0),
        Point::new(f64::NAN, 60.0),
        Point::new(24.9, f64::INFINITY),
    ] {
        assert!(
            matches!(g.snap(p, &opts), Err(Error::InvalidCoordinate { .. })),
            "{p:?}"
        );
        assert!(matches!(
            g.nearest(p, 1),
            Err(Error::InvalidCoordinate { .. })
        ));
    }
    // Valid but far from every road.
    match g.snap(Point::new(0.0, 0.0), &opts) {
        Err(Error::NoSegment { radius_m, .. }) => assert_eq!(radius_m, 1000.0),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        g.snap(
            Point::new(24.94, 60.17),
            &SnapOptions::default().with_radius_m(-1.0)
        ),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        g.nearest(Point::new(24.94, 60.17), 0),
        Err(Error::InvalidInput(_))
    ));
}
