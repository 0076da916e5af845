//! Reachability and isochrones on the Helsinki extract, checked against point-to-point routes:
//! a point is reached within a budget exactly when the fastest route to it fits the budget, and
//! at the time that route takes.

use geo::{Intersects, Point};
use kerb_core::{Approach, Error, Graph, Profile, ReachedEdge, SnapOptions, Waypoint};
use kerb_testdata::{helsinki_graph, random_points};

fn truck() -> &'static Graph {
    helsinki_graph("truck", |pbf| Graph::from_pbf(pbf, &Profile::truck()))
}

fn waypoint(g: &Graph, lon: f64, lat: f64) -> Waypoint {
    Waypoint::new(
        g.snap(Point::new(lon, lat), &SnapOptions::default())
            .expect("snaps"),
    )
}

/// Earliest time the reached pieces cover position `fraction` of `edge` or of its reverse.
fn reach_time(g: &Graph, reached: &[ReachedEdge], w: &Waypoint) -> Option<f64> {
    let s = &w.snap;
    let mut best: Option<f64> = None;
    let mut consider = |edge, f: f64| {
        for r in reached.iter().filter(|r| r.edge == edge) {
            if r.from_fraction - 1e-9 <= f && f <= r.to_fraction + 1e-9 {
                let span = r.to_fraction - r.from_fraction;
                let t = if span > 0.0 {
                    r.start_s + (f - r.from_fraction) / span * (r.end_s - r.start_s)
                } else {
                    r.start_s
                };
                best = Some(best.map_or(t, |b: f64| b.min(t)));
            }
        }
    };
    consider(s.edge, s.fraction);
    if let Some(rev) = g.reverse_edge(s.edge) {
        consider(rev, 1.0 - s.fraction);
    }
    best
}

#[test]
fn reachable_agrees_with_routes() {
    let g = truck();
    let origin = waypoint(g, 24.9384, 60.1699);
    let limit = 300.0;
    let reached = g.reachable(&origin, limit).unwrap();
    assert!(reached.len() > 50, "only {} pieces reached", reached.len());
    assert!(reached.iter().all(|r| r.start_s <= limit + 1e-6
        && r.end_s <= limit + 1e-3
        && r.from_fraction <= r.to_fraction));
    let b = g.bbox();
    let pts = random_points((b.min().x, b.min().y, b.max().x, b.max().y), 300, 3);
    let (mut inside, mut outside) = (0, 0);
    for (x, y) in pts {
        let Ok(snap) = g.snap(Point::new(x, y), &SnapOptions::default()) else {
            continue;
        };
        let target = Waypoint::new(snap);
        let routed = g.duration_between(&origin, &target);
        let t = reach_time(g, &reached, &target);
        match (routed, t) {
            (Some(d), Some(t)) => {
                assert!((d - t).abs() < 0.01, "route {d} s vs reach {t} s");
                assert!(d <= limit + 0.01);
                inside += 1;
            }
            (Some(d), None) => {
                assert!(
                    d > limit - 0.01,
                    "route of {d} s not in the {limit} s reach"
                );
                outside += 1;
            }
            (None, Some(t)) => panic!("reached at {t} s but no route"),
            (None, None) => {}
        }
    }
    assert!(
        inside > 20 && outside > 20,
        "inside {inside}, outside {outside}"
    );
}

#[test]
fn kerb_approach_restricts_the_start() {
    let g = truck();
    let free = waypoint(g, 24.9384, 60.1699);
    let kerb = free.clone().with_approach(Approach::Curb);
    let a = g.reachable(&free, 60.0).unwrap();
    let b = g.reachable(&kerb, 60.0).unwrap();
    // Leaving with the point on the right can only remove options, never add them.
    let road = |r: &[ReachedEdge]| r.iter().map(|x| x.end_s - x.start_s).sum::<f64>();
    assert!(road(&b) <= road(&a) + 1e-9);
}

#[test]
fn isochrones_grow_with_the_budget_and_contain_the_origin() {
    let g = truck();
    let origin = waypoint(g, 24.9384, 60.1699);
    let isos = g.isochrones(&origin, &[150.0, 300.0, 600.0]).unwrap();
    assert_eq!(isos.len(), 3);
    for w in isos.windows(2) {
        assert!(
            w[0].road_km < w[1].road_km,
            "{} !< {}",
            w[0].road_km,
            w[1].road_km
        );
        assert!(w[0].area_km2 <= w[1].area_km2 + 1e-9);
    }
    // Every road point reached within a limit lies in that limit's polygon.
    let reached = g.reachable(&origin, 600.0).unwrap();
    for iso in &isos {
        for r in reached.iter().filter(|r| r.end_s <= iso.limit_s) {
            let p = *g
                .partial_points(r.edge, r.from_fraction, r.to_fraction)
                .last()
                .unwrap();
            assert!(
                iso.polygon.intersects(&p),
                "{p:?} outside {} s",
                iso.limit_s
            );
        }
        assert!(iso.polygon.intersects(&origin.snap.point));
        assert!(iso.area_km2 > 0.0);
        let f = iso.to_geojson();
        assert_eq!(f["geometry"]["type"], "Polygon");
    }
    // The extract is about 1.0 x 1.65 km: ten minutes of a truck cover most of it, and no
    // isochrone can be larger than the extract.
    let b = g.bbox();
    let extract_km2 = (b.max().x - b.min().x)
        * 111.32
        * 60.17f64.to_radians().cos()
        * (b.max().y - b.min().y)
        * 110.574;
    assert!(
        isos[2].area_km2 > 0.5 * extract_km2,
        "{} of {extract_km2}",
        isos[2].area_km2
    );
    assert!(isos[2].area_km2 < 1.01 * extract_km2);
    assert!(isos[2].road_km > 20.0, "{}", isos[2].road_km);
}

#[test]
fn bad_budgets_are_typed_errors() {
    let g = truck();
    let origin = waypoint(g, 24.9384, 60.1699);
    for bad in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e9] {
        assert!(matches!(
            g.reachable(&origin, bad),
            Err(Error::InvalidInput(_))
        ));
    }
    assert!(matches!(
        g.isochrones(&origin, &[]),
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        g.isochrones(&origin, &[60.0, -1.0]),
        Err(Error::InvalidInput(_))
    ));
}
