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

/// The saved file with the header crc recomputed after `edit` changed the header or table.
fn with_table_edit(edit: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut c = saved().clone();
    edit(&mut c);
    let count = u32::from_le_bytes(c[12..16].try_into().unwrap()) as usize;
    let mut h = crc32fast::Hasher::new();
    h.update(&c[..16]);
    h.update(&c[24..24 + count * 40]);
    let crc = h.finalize();
    c[16..20].copy_from_slice(&crc.to_le_bytes());
    c
}

#[test]
fn trailing_bytes_are_rejected() {
    let mut c = saved().clone();
    c.extend(std::iter::repeat_n(0xa5u8, 1 << 20));
    match open_bytes("junk.kerb", &c) {
        Err(Error::Corrupt(m)) => assert!(m.contains("1048576 trailing bytes"), "{m}"),
        other => panic!("a graph followed by 1 MiB of junk: {other:?}"),
    }
    // Even one padding-sized block of zeros after the last section is not the file written.
    let mut c = saved().clone();
    c.extend([0u8; 8]);
    assert!(matches!(
        open_bytes("zeros.kerb", &c),
        Err(Error::Corrupt(_))
    ));
}

#[test]
fn section_table_is_checked_before_sections_are_read() {
    let entry = |i: usize| 24 + i * 40;
    // A section declared far past the end of the file (and one whose end overflows u64) is
    // truncation, found from the table alone.
    let c = with_table_edit(|c| {
        let at = entry(1) + 24;
        c[at..at + 8].copy_from_slice(&(1u64 << 40).to_le_bytes());
    });
    assert!(matches!(open_bytes("huge.kerb", &c), Err(Error::Truncated)));
    let c = with_table_edit(|c| {
        let at = entry(1) + 16;
        c[at..at + 16].copy_from_slice(&[0xff; 16]);
    });
    assert!(matches!(
        open_bytes("overflow.kerb", &c),
        Err(Error::Truncated)
    ));
    // Two entries pointing at the same bytes overlap: rejected even with every crc right.
    let c = with_table_edit(|c| {
        let first = c[entry(0) + 16..entry(0) + 40].to_vec();
        c[entry(1) + 16..entry(1) + 40].copy_from_slice(&first);
    });
    match open_bytes("overlap.kerb", &c) {
        Err(Error::Corrupt(m)) => assert!(m.contains("overlaps"), "{m}"),
        other => panic!("overlapping sections: {other:?}"),
    }
    // A section inside the header and table, and a misaligned one.
    let c = with_table_edit(|c| {
        let at = entry(0) + 16;
        c[at..at + 8].copy_from_slice(&8u64.to_le_bytes());
    });
    assert!(matches!(
        open_bytes("intable.kerb", &c),
        Err(Error::Corrupt(_))
    ));
    let c = with_table_edit(|c| {
        let at = entry(2) + 16;
        let off = u64::from_le_bytes(c[at..at + 8].try_into().unwrap());
        c[at..at + 8].copy_from_slice(&(off + 4).to_le_bytes());
    });
    assert!(matches!(
        open_bytes("misaligned.kerb", &c),
        Err(Error::Corrupt(_))
    ));
}

#[test]
fn devices_and_directories_are_not_graph_files() {
    // /dev/zero never ends: it must be refused from its metadata, not read.
    let start = std::time::Instant::now();
    for path in ["/dev/zero", "/dev/null"] {
        match Graph::open(path) {
            Err(Error::Io(e)) => {
                assert_eq!(e.kind(), std::io::ErrorKind::InvalidInput, "{path}: {e}");
                assert!(e.to_string().contains("not a regular file"), "{e}");
            }
            other => panic!("{path}: {other:?}"),
        }
    }
    // Opening a FIFO for reading would block until a writer comes.
    let fifo = tmp("graph.fifo");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        assert!(
            matches!(Graph::open(&fifo), Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::InvalidInput)
        );
    }
    assert!(start.elapsed() < std::time::Duration::from_secs(1));
    assert!(
        matches!(Graph::open(tmp("")), Err(Error::Io(e)) if e.kind() == std::io::ErrorKind::InvalidInput)
    );
}
