//! A seeded generator of sample collection days: bins placed along real streets of a graph,
//! on one side of the road, a few metres off the centre line like kerbside bins.

use kerb_core::{EdgeId, Graph, Point, RoadClass};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::day::{
    Bin, Break, CollectionDay, DayOptions, Depot, DisposalSite, Street, StreetSide, StreetSides,
    TimeOfDay, Truck,
};

/// Road classes bins are placed along: streets where people live, not arterials.
const BIN_CLASSES: [RoadClass; 5] = [
    RoadClass::Residential,
    RoadClass::LivingStreet,
    RoadClass::Unclassified,
    RoadClass::Tertiary,
    RoadClass::Service,
];

/// Distance of a bin from the road centre line, metres.
const KERB_OFFSET_M: f64 = 6.0;

/// The point at `fraction` of the way along `line` and the unit direction there (in a local
/// metric frame: east, north).
pub(crate) fn along(line: &[Point], fraction: f64) -> (Point, (f64, f64)) {
    let coslat = line[0].y().to_radians().cos();
    let seg_len =
        |a: Point, b: Point| (((b.x() - a.x()) * coslat).powi(2) + (b.y() - a.y()).powi(2)).sqrt();
    let total: f64 = line.windows(2).map(|w| seg_len(w[0], w[1])).sum();
    let mut left = fraction.clamp(0.0, 1.0) * total;
    let n = line.len();
    for (k, w) in line.windows(2).enumerate() {
        let l = seg_len(w[0], w[1]);
        let last = k + 2 == n;
        if l > 0.0 && (left <= l || last) {
            let t = (left / l).min(1.0);
            let p = Point::new(
                w[0].x() + t * (w[1].x() - w[0].x()),
                w[0].y() + t * (w[1].y() - w[0].y()),
            );
            let dir = (
                (w[1].x() - w[0].x()) * coslat / l,
                (w[1].y() - w[0].y()) / l,
            );
            return (p, dir);
        }
        left -= l;
    }
    (line[line.len() - 1], (1.0, 0.0))
}

/// Offsets `p` by `metres` along the local unit vector `(east, north)`.
pub(crate) fn offset(p: Point, (east, north): (f64, f64), metres: f64) -> Point {
    let m_per_deg_lat = 111_320.0;
    let m_per_deg_lon = m_per_deg_lat * p.y().to_radians().cos();
    Point::new(
        p.x() + east * metres / m_per_deg_lon,
        p.y() + north * metres / m_per_deg_lat,
    )
}

/// Generates a collection day on `graph`: `n_bins` bins on residential-type streets within a
/// district around the centre of the network (radius `100 m * sqrt(n_bins)`, positions
/// weighted by street length, each bin 6 m off the centre line on a random side), one depot
/// and one disposal site on opposite sides of the district, and `trucks` refuse trucks of
/// 5 t / 16 m3 working 06:00–14:00 with a 30-minute break. The same seed gives the same day.
pub fn sample_day(graph: &Graph, n_bins: usize, trucks: u32, seed: u64) -> CollectionDay {
    sample_day_with_streets(graph, n_bins, 0, trucks, seed)
}

/// [`sample_day`] plus `n_streets` street stretches served along their length: whole
/// residential-type streets of 60-300 m (junction to junction) in the same district, each
/// with 100-300 kg of bagged waste (4 l per kg) and half a second of collection time per
/// metre. The bins are those of [`sample_day`] with the same seed.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Graph, Profile};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let day = kerb_collect::generate::sample_day_with_streets(&g, 20, 4, 2, 1);
/// assert_eq!((day.bins.len(), day.streets.len()), (20, 4));
/// assert_eq!(day.bins[0].id, kerb_collect::sample_day(&g, 20, 2, 1).bins[0].id);
/// # Ok::<(), kerb_core::Error>(())
/// ```
pub fn sample_day_with_streets(
    graph: &Graph,
    n_bins: usize,
    n_streets: usize,
    trucks: u32,
    seed: u64,
) -> CollectionDay {
    let mut rng = StdRng::seed_from_u64(seed);
    let bbox = graph.bbox();
    let centre = bbox.center();
    let radius_m = 100.0 * (n_bins.max(1) as f64).sqrt();
    let near = |p: Point| kerb_core::haversine_m(p, Point::from(centre)) <= radius_m;
    // One entry per street (a two-way road counts once), weighted by length.
    let streets: Vec<(EdgeId, f64)> = graph
        .edges()
        .filter(|e| BIN_CLASSES.contains(&e.road_class) && e.distance_m > 20.0)
        // Only the main network: the import keeps islands too, which no truck reaches.
        .filter(|e| graph.component(e.id).is_ok_and(|c| c.main))
        .filter(|e| near(graph.node_point(e.from)))
        .filter(|e| e.reverse().is_none_or(|r| e.id < r))
        .map(|e| (e.id, e.distance_m))
        .collect();
    let total: f64 = streets.iter().map(|s| s.1).sum();
    let mut bins = Vec::with_capacity(n_bins);
    for i in 0..n_bins {
        if streets.is_empty() {
            break;
        }
        let mut pick = rng.gen::<f64>() * total;
        let edge = streets
            .iter()
            .find(|s| {
                pick -= s.1;
                pick <= 0.0
            })
            .unwrap_or(&streets[streets.len() - 1])
            .0;
        let line = graph.edge_points(edge);
        let (p, (dx, dy)) = along(&line, rng.gen_range(0.15..0.85));
        // Right of travel direction is (dy, -dx) in an east/north frame.
        let side = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
        let q = offset(p, (dy * side, -dx * side), KERB_OFFSET_M);
        let big = rng.gen_bool(0.25);
        bins.push(Bin {
            id: format!("bin-{:04}", i + 1),
            lon: (q.x() * 1e6).round() / 1e6,
            lat: (q.y() * 1e6).round() / 1e6,
            weight_kg: if big {
                rng.gen_range(80.0..160.0_f64).round()
            } else {
                rng.gen_range(15.0..60.0_f64).round()
            },
            volume_l: if big { 660.0 } else { 240.0 },
            service_s: if big { 60.0 } else { 30.0 },
            time_windows: vec![],
            side: StreetSide::Auto,
            value: None,
            truck: None,
        });
    }
    // Depot south-west and disposal north-east of the district, inside the network's bbox.
    let (min, max) = (bbox.min(), bbox.max());
    let site = |sign: f64| {
        let q = offset(
            Point::from(centre),
            (
                sign * std::f64::consts::FRAC_1_SQRT_2,
                sign * std::f64::consts::FRAC_1_SQRT_2,
            ),
            0.8 * radius_m,
        );
        let (fx, fy) = (0.1 * (max.x - min.x), 0.1 * (max.y - min.y));
        (
            q.x().clamp(min.x + fx, max.x - fx),
            q.y().clamp(min.y + fy, max.y - fy),
        )
    };
    // Streets from a stream of their own, so the bins do not depend on how many there are.
    let mut srng = StdRng::seed_from_u64(seed ^ 0x5EED_5EED_5EED_5EED);
    let mut candidates: Vec<EdgeId> = streets
        .iter()
        .map(|s| s.0)
        .filter(|&e| {
            let edge = graph.edge(e);
            let line = graph.edge_points(e);
            // On the routable network: the middle snaps back onto the street itself.
            let (mid, _) = along(&line, 0.5);
            (60.0..300.0).contains(&edge.distance_m)
                && edge.road_class != RoadClass::Service
                && graph
                    .snap(mid, &kerb_core::SnapOptions::default())
                    .is_ok_and(|s| {
                        s.distance_m < 0.5 && (s.edge == e || Some(s.edge) == edge.reverse())
                    })
        })
        .collect();
    let mut street_list = Vec::with_capacity(n_streets);
    while street_list.len() < n_streets && !candidates.is_empty() {
        let e = candidates.swap_remove(srng.gen_range(0..candidates.len()));
        let weight_kg: f64 = srng.gen_range(100.0..300.0_f64).round();
        let round = |v: f64| (v * 1e6).round() / 1e6;
        street_list.push(Street {
            id: format!("street-{:03}", street_list.len() + 1),
            coordinates: graph
                .edge_points(e)
                .iter()
                .map(|p| [round(p.x()), round(p.y())])
                .collect(),
            weight_kg,
            volume_l: 4.0 * weight_kg,
            service_s: (graph.edge(e).distance_m * 0.5).round(),
            time_windows: vec![],
            sides: StreetSides::Auto,
        });
    }
    let (dlon, dlat) = site(-1.0);
    let (xlon, xlat) = site(1.0);
    let h = |s: &str| TimeOfDay::parse(s).expect("constant time");
    CollectionDay {
        name: if n_streets > 0 {
            format!("sample day: {n_bins} bins, {n_streets} streets, seed {seed}")
        } else {
            format!("sample day: {n_bins} bins, seed {seed}")
        },
        bins,
        streets: street_list,
        depots: vec![Depot {
            id: "depot".into(),
            lon: dlon,
            lat: dlat,
        }],
        disposal_sites: vec![DisposalSite {
            id: "transfer-station".into(),
            lon: xlon,
            lat: xlat,
            opening_hours: vec![[h("06:00"), h("15:00")]],
            unload_s: 600.0,
        }],
        trucks: vec![Truck {
            id: "truck".into(),
            depot: "depot".into(),
            end_depot: None,
            capacity_kg: 5000.0,
            capacity_l: 16_000.0,
            shift: [h("06:00"), h("14:00")],
            break_: Some(Break {
                window: [h("10:00"), h("11:30")],
                duration_s: 1800.0,
            }),
            count: trucks,
            fixed_cost: 3600.0,
            profile: None,
        }],
        options: DayOptions::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn along_and_offset_are_metric() {
        let line = [Point::new(24.0, 60.0), Point::new(24.002, 60.0)];
        let (p, dir) = along(&line, 0.5);
        assert!((p.x() - 24.001).abs() < 1e-9);
        assert!((dir.0 - 1.0).abs() < 1e-9 && dir.1.abs() < 1e-9);
        let q = offset(p, (0.0, -1.0), 10.0);
        let metres = (p.y() - q.y()) * 111_320.0;
        assert!((metres - 10.0).abs() < 1e-6);
    }
}
