//! Snapping step: depots, disposal sites and bins onto the truck graph, each bin with the
//! kerb it is served from, and street stretches into their passes.

use kerb_core::{
    Approach, EdgeId, Graph, Point, RoadClass, Snap, SnapComponents, SnapOptions, Waypoint,
};

use crate::day::{CollectionDay, StreetSide};
use crate::plan::{Service, UnassignedBin};
use crate::streets::{snap_streets, StreetPass};
use crate::Error;

/// A bin after snapping.
#[derive(Debug, Clone)]
pub struct SnappedBin {
    /// Index into `CollectionDay::bins`.
    pub bin: usize,
    /// The waypoint the truck stops at.
    pub waypoint: Waypoint,
    /// How it is served.
    pub service: Service,
}

/// Side of `p` relative to the directed edge `edge`'s geometry near its closest point:
/// `true` when on the right.
pub fn is_right_of(graph: &Graph, edge: EdgeId, p: Point) -> bool {
    let line = graph.edge_points(edge);
    let coslat = p.y().to_radians().cos();
    let mut best = (f64::MAX, 0.0);
    for w in line.windows(2) {
        let (ax, ay) = ((w[0].x() - p.x()) * coslat, w[0].y() - p.y());
        let (bx, by) = ((w[1].x() - p.x()) * coslat, w[1].y() - p.y());
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (cx, cy) = (ax + t * dx, ay + t * dy);
        let d2 = cx * cx + cy * cy;
        if d2 < best.0 {
            // Cross product of segment direction and (p - a): negative = p on the right.
            best = (d2, dx * (-ay) - dy * (-ax));
        }
    }
    best.1 < 0.0
}

fn classify(graph: &Graph, snap: &Snap, side: StreetSide, zigzag: &[RoadClass]) -> Service {
    let e = graph.edge(snap.edge);
    if e.reverse().is_none() {
        Service::OneWay
    } else if side == StreetSide::Either || zigzag.contains(&e.road_class) {
        Service::ZigZag
    } else {
        Service::Kerbside
    }
}

/// Snaps every bin to the main component of the network (every truck can reach it and leave
/// it again: no bin lands on an island); bins without such a road within
/// `options.max_snap_m` are returned as unassigned instead of failing the day.
pub fn snap_bins(
    graph: &Graph,
    day: &CollectionDay,
) -> Result<(Vec<SnappedBin>, Vec<UnassignedBin>), Error> {
    let zigzag = zigzag_classes(day)?;
    let opts = SnapOptions::default()
        .with_radius_m(day.options.max_snap_m)
        .with_components(SnapComponents::MainNetwork);
    let mut snapped = Vec::with_capacity(day.bins.len());
    let mut unassigned = Vec::new();
    // With the day's date, the roads only a conditional rule opens count as part of the
    // network (the matrix at the shift start decides whether they are open then).
    let filter = match day.departure(0.0)? {
        Some(t) => kerb_core::SearchFilter::default().departing_at(t),
        None => kerb_core::SearchFilter::default(),
    };
    for (i, b) in day.bins.iter().enumerate() {
        match graph.snap_filtered(Point::new(b.lon, b.lat), &opts, &filter) {
            Ok(snap) => {
                let service = classify(graph, &snap, b.side, &zigzag);
                let approach = if service == Service::Kerbside {
                    Approach::Curb
                } else {
                    Approach::Unrestricted
                };
                snapped.push(SnappedBin {
                    bin: i,
                    waypoint: Waypoint::new(snap).with_approach(approach),
                    service,
                });
            }
            Err(kerb_core::Error::NoSegment { radius_m, .. }) => unassigned.push(UnassignedBin {
                id: b.id.clone(),
                reason: format!("no road the truck may use within {radius_m} m of the bin"),
            }),
            Err(e) => return Err(Error::InvalidInput(format!("bin {:?}: {e}", b.id))),
        }
    }
    Ok((snapped, unassigned))
}

fn zigzag_classes(day: &CollectionDay) -> Result<Vec<RoadClass>, Error> {
    day.options
        .zigzag_road_classes
        .iter()
        .map(|name| {
            RoadClass::from_highway(name).ok_or_else(|| {
                Error::InvalidInput(format!(
                    "unknown road class {name:?} in zigzag_road_classes"
                ))
            })
        })
        .collect()
}

fn snap_site(graph: &Graph, what: &str, id: &str, lon: f64, lat: f64) -> Result<Waypoint, Error> {
    let opts = SnapOptions::default()
        .with_radius_m(1000.0)
        .with_components(SnapComponents::MainNetwork);
    graph
        .snap(Point::new(lon, lat), &opts)
        .map(Waypoint::new)
        .map_err(|e| Error::InvalidInput(format!("{what} {id:?}: {e}")))
}

/// Everything the day needs on the road graph, in the order of the day's lists.
pub(super) struct SnappedDay {
    /// One waypoint per depot.
    pub depots: Vec<Waypoint>,
    /// One waypoint per disposal site.
    pub disposal_sites: Vec<Waypoint>,
    /// The bins that snapped.
    pub bins: Vec<SnappedBin>,
    /// The passes of the streets that snapped.
    pub passes: Vec<StreetPass>,
    /// Bins, then streets, that could not be snapped, with why.
    pub unassigned: Vec<UnassignedBin>,
}

/// Snaps the whole day: a depot or disposal site off the network fails it, a bin or street
/// off the network is left out with the reason.
pub(super) fn snap_day(graph: &Graph, day: &CollectionDay) -> Result<SnappedDay, Error> {
    let depots = day
        .depots
        .iter()
        .map(|d| snap_site(graph, "depot", &d.id, d.lon, d.lat))
        .collect::<Result<_, _>>()?;
    let disposal_sites = day
        .disposal_sites
        .iter()
        .map(|s| snap_site(graph, "disposal site", &s.id, s.lon, s.lat))
        .collect::<Result<_, _>>()?;
    let (bins, mut unassigned) = snap_bins(graph, day)?;
    let (passes, street_unassigned) = snap_streets(graph, day, &zigzag_classes(day)?)?;
    unassigned.extend(street_unassigned);
    Ok(SnappedDay {
        depots,
        disposal_sites,
        bins,
        passes,
        unassigned,
    })
}
