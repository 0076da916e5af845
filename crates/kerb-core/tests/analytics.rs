//! OSM XML input, custom edge weights and the accessibility queries on real extracts:
//! GraphHopper's Krems extract as `.osm.gz` gives the graph of its `.osm.pbf`; shortest
//! (length-weighted) matrices are never longer than the fastest paths' lengths; `aggregate`
//! and `nearest_pois` agree with the travel-time matrix.

use kerb_core::{Aggregation, Graph, Point, Profile, Snap, SnapOptions, Waypoint};

#[test]
fn osm_xml_gz_imports_like_the_pbf() {
    let (Some(gz), Some(pbf)) = (
        kerb_testdata::shared_osm("graphhopper_krems.osm.gz"),
        kerb_testdata::shared_osm("graphhopper_krems.osm.pbf"),
    ) else {
        return;
    };
    let a = Graph::from_file(&gz, &Profile::car()).unwrap();
    let b = Graph::from_file(&pbf, &Profile::car()).unwrap();
    assert_eq!(
        (a.num_nodes(), a.num_edges()),
        (b.num_nodes(), b.num_edges())
    );
    assert!(a.num_edges() > 1000);
    for (x, y) in a.edges().zip(b.edges()) {
        assert_eq!((x.from, x.to, x.name), (y.from, y.to, y.name));
        assert_eq!(x.distance_m, y.distance_m);
        assert_eq!(a.osm_way_id(x.id), b.osm_way_id(y.id));
        assert_eq!(a.edge_tags(x.id), b.edge_tags(y.id));
    }
    // A file that is neither: a typed error naming it.
    let dir = kerb_testdata::temp_dir("osm-xml");
    let bad = dir.join("page.osm");
    std::fs::write(&bad, "<html><body>404</body></html>").unwrap();
    let e = Graph::from_file(&bad, &Profile::car()).unwrap_err();
    assert!(e.to_string().contains("page.osm") && e.to_string().contains("not OSM XML"));
}

/// Seeded points of the Helsinki extract that snap, as waypoints and snaps.
fn points(g: &Graph, n: usize) -> (Vec<Waypoint>, Vec<Snap>) {
    let b = g.bbox();
    let (dx, dy) = (b.width() * 0.2, b.height() * 0.2);
    let bbox = (
        b.min().x + dx,
        b.min().y + dy,
        b.max().x - dx,
        b.max().y - dy,
    );
    let opts = SnapOptions::default().with_radius_m(200.0);
    let snaps: Vec<Snap> = kerb_testdata::random_points(bbox, 4 * n, 11)
        .into_iter()
        .filter_map(|(x, y)| g.snap(Point::new(x, y), &opts).ok())
        .take(n)
        .collect();
    (snaps.iter().cloned().map(Waypoint::new).collect(), snaps)
}

#[test]
fn length_weights_give_the_shortest_paths() {
    let g = kerb_testdata::helsinki_graph("truck", |p| Graph::from_pbf(p, &Profile::truck()));
    let (wps, _) = points(g, 30);
    let lengths: Vec<f64> = g.edges().map(|e| e.distance_m).collect();
    let w = g.weights(&lengths).unwrap();
    let shortest = g.matrix_weighted(&wps, &wps, &w).unwrap();
    let fastest = g.matrix(&wps, &wps).unwrap();
    let mut shorter = 0;
    for i in 0..wps.len() {
        for j in 0..wps.len() {
            let (s, f) = (shortest.duration_s(i, j), fastest.distance_m(i, j));
            // The cost of the shortest path is its length.
            assert!(
                (s - shortest.distance_m(i, j)).abs() < 0.05,
                "{s} vs its length"
            );
            assert!(
                s <= f + 0.05,
                "shortest {s} m longer than the fastest path's {f} m"
            );
            shorter += usize::from(s < f - 1.0);
        }
    }
    assert!(shorter > 0);
    let (route, cost) = g.route_weighted(&wps[..2], &w).unwrap();
    assert!((cost - shortest.duration_s(0, 1)).abs() < 0.01);
    assert!((route.distance_m - cost).abs() < 0.05);
    // Bad weights are errors naming the edge.
    let mut bad = lengths.clone();
    bad[5] = f64::NAN;
    assert!(g.weights(&bad).unwrap_err().to_string().contains("edge 5"));
    assert!(g.weights(&lengths[1..]).is_err());
}

/// The accessibility queries run on bounded Dijkstras on a graph without a hierarchy and on
/// matrix rows on a contracted one: both must equal the contracted graph's matrix.
#[test]
fn aggregate_and_nearest_pois_agree_with_the_matrix() {
    let plain = kerb_testdata::helsinki_graph("truck", |p| Graph::from_pbf(p, &Profile::truck()));
    let contracted = kerb_testdata::cached("helsinki truck contracted", || {
        Graph::builder(&Profile::truck())
            .contract(true)
            .build_from_pbf(kerb_testdata::helsinki_pbf())
            .unwrap()
    });
    assert!(!plain.is_contracted() && contracted.is_contracted());
    let (wps, snaps) = points(plain, 40);
    let m = contracted.matrix(&wps, &wps).unwrap();
    for g in [plain, contracted] {
        check_accessibility(g, &wps, &snaps, &m);
    }
}

fn check_accessibility(g: &Graph, wps: &[Waypoint], snaps: &[Snap], m: &kerb_core::Matrix) {
    let within = 240.0;
    // No pair within a millisecond of the budget, where rounding would decide.
    assert!(m.durations_s.iter().all(|t| (t - within).abs() > 1e-3));
    let values: Vec<f64> = (0..snaps.len()).map(|i| i as f64).collect();
    let counts = g
        .aggregate(wps, snaps, &values, within, Aggregation::Count, None)
        .unwrap();
    let sums = g
        .aggregate(wps, snaps, &values, within, Aggregation::Sum, None)
        .unwrap();
    let near = g.nearest_pois(wps, snaps, 3, 3600.0, None).unwrap();
    for i in 0..wps.len() {
        let row: Vec<f64> = (0..wps.len()).map(|j| m.duration_s(i, j)).collect();
        let reached: Vec<usize> = (0..row.len()).filter(|&j| row[j] <= within).collect();
        assert_eq!(counts[i], reached.len() as f64, "origin {i}");
        assert_eq!(sums[i], reached.iter().map(|&j| values[j]).sum::<f64>());
        let mut sorted = row.clone();
        sorted.sort_by(f64::total_cmp);
        for (k, &(j, t)) in near[i].iter().enumerate() {
            assert!(
                (t - sorted[k]).abs() < 2e-3,
                "origin {i}: {t} vs {}",
                sorted[k]
            );
            assert!((row[j] - t).abs() < 2e-3);
        }
    }
}
