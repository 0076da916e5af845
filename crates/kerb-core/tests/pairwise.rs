//! One-to-one trips in bulk (`Graph::pairwise`) equal individual routes, with and without the
//! contraction hierarchy, on the Helsinki extract.

use kerb_core::{Approach, Error, Graph, Point, Profile, SnapOptions, Waypoint};
use kerb_testdata::{helsinki_pbf, random_points};

fn waypoints(g: &Graph, n: usize, seed: u64) -> Vec<Waypoint> {
    let b = g.bbox();
    random_points((b.min().x, b.min().y, b.max().x, b.max().y), n, seed)
        .into_iter()
        .enumerate()
        .map(|(i, (x, y))| {
            let s = g
                .snap(
                    Point::new(x, y),
                    &SnapOptions::default().with_radius_m(f64::INFINITY),
                )
                .unwrap();
            let w = Waypoint::new(s);
            if i % 3 == 0 {
                w.with_approach(Approach::Curb)
            } else {
                w
            }
        })
        .collect()
}

#[test]
fn pairwise_equals_routes() {
    let mut g = Graph::from_pbf(helsinki_pbf(), &Profile::truck()).unwrap();
    let a = waypoints(&g, 80, 1);
    let b = waypoints(&g, 80, 2);
    let plain = g.pairwise(&a, &b).unwrap();
    g.contract().unwrap();
    let ch = g.pairwise(&a, &b).unwrap();
    assert_eq!(plain.len(), 80);
    let mut found = 0;
    for i in 0..80 {
        match g.route(&[a[i].clone(), b[i].clone()]) {
            Ok(r) => {
                found += 1;
                assert!((ch[i].duration_s - r.duration_s).abs() < 1e-6, "{i}");
                assert!((ch[i].distance_m - r.distance_m).abs() < 1e-3, "{i}");
                assert!((plain[i].duration_s - r.duration_s).abs() < 1e-6, "{i}");
            }
            Err(Error::NoRoute { .. }) => assert!(ch[i].duration_s.is_infinite()),
            Err(e) => panic!("{e}"),
        }
    }
    assert!(found > 70, "{found}");
    assert!(matches!(
        g.pairwise(&a, &b[..3]),
        Err(Error::InvalidInput(_))
    ));
}
