//! Coordinates to waypoints: every input coordinate snapped with its own radius and bearing
//! and given its approach, with errors that name the coordinate's index.
//!
//! The HTTP services, the CLI commands and the Python methods all snap through here, so a
//! coordinate means the same waypoint whichever front end it came through.
//!
//! A route or table request snaps as OSRM's plugins do ([`waypoints`], [`waypoints_at`]):
//! every coordinate gets the nearest road of any component and, when that one lies in a tiny
//! component, also the nearest road of a big one; the tiny snaps are kept only when all the
//! coordinates lie in the same tiny component (a route along an isolated street), otherwise
//! each tiny snap falls back to its big-component alternative. A single coordinate
//! ([`waypoint`], [`snap`]) prefers the main component (kerb-core's default).

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::params::{ApproachOpt, CommonOptions};
use kerb_core::{Approach, Component, Graph, Point, Snap, SnapComponents, SnapOptions, Waypoint};
use rayon::prelude::*;

impl CommonOptions {
    /// The same snap radius and approach for each of `n` coordinates (the CLI's and Python's
    /// `radius_m` and `curb` arguments); `radius_m: None` keeps kerb-core's default radius.
    ///
    /// ```
    /// use kerb_api::params::{ApproachOpt, CommonOptions};
    /// let o = CommonOptions::uniform(2, Some(50.0), ApproachOpt::Curb);
    /// assert_eq!(o.radiuses, vec![Some(50.0), Some(50.0)]);
    /// assert_eq!(o.approaches, vec![Some(ApproachOpt::Curb); 2]);
    /// ```
    pub fn uniform(n: usize, radius_m: Option<f64>, approach: ApproachOpt) -> Self {
        CommonOptions {
            radiuses: vec![radius_m; n],
            approaches: vec![Some(approach); n],
            ..CommonOptions::default()
        }
    }
}

/// Snapping options of coordinate `i`: its radius (default `common.default_radius_m`) and
/// bearing filter.
pub fn snap_options(common: &CommonOptions, i: usize) -> SnapOptions {
    let mut o = SnapOptions::default().with_radius_m(common.default_radius_m);
    if let Some(Some(r)) = common.radiuses.get(i) {
        o.radius_m = *r;
    }
    if let Some(Some(b)) = common.bearings.get(i) {
        o.bearing = Some((b.value, b.range));
    }
    o.with_carried_ways(common.snapping == crate::params::Snapping::Any)
        .excluding(&common.exclude)
}

/// Approach of coordinate `i` (unrestricted unless `curb` or `opposite` was asked for).
pub fn approach(common: &CommonOptions, i: usize) -> Approach {
    match common.approaches.get(i) {
        Some(Some(ApproachOpt::Curb)) => Approach::Curb,
        Some(Some(ApproachOpt::Opposite)) => Approach::Opposite,
        _ => Approach::Unrestricted,
    }
}

/// Snaps coordinate `c`, the `i`-th of the request, with its options. `NoSegment` names the
/// index and the radius; an invalid coordinate is `InvalidValue`.
pub fn snap(g: &Graph, c: LonLat, i: usize, common: &CommonOptions) -> Result<Snap> {
    snap_with(g, c, i, &snap_options(common, i))
}

fn snap_with(g: &Graph, c: LonLat, i: usize, o: &SnapOptions) -> Result<Snap> {
    g.snap(Point::new(c[0], c[1]), o).map_err(|e| match e {
        kerb_core::Error::NoSegment { .. } => Error::new(
            ErrorKind::NoSegment,
            format!(
                "Could not find a matching segment for coordinate {i} within {} m: {e}",
                o.radius_m
            ),
        ),
        kerb_core::Error::InvalidCoordinate { .. } => Error::new(
            ErrorKind::InvalidValue,
            format!("Invalid coordinate at index {i}: {e}"),
        ),
        other => Error::from(other),
    })
}

/// Coordinate `i` of `coords` as a route, table or isochrone waypoint: snapped with its
/// radius and bearing, with its approach.
pub fn waypoint(
    g: &Graph,
    coords: &[LonLat],
    i: usize,
    common: &CommonOptions,
) -> Result<Waypoint> {
    let c = coordinate(coords, i)?;
    Ok(Waypoint::new(snap(g, c, i, common)?).with_approach(approach(common, i)))
}

/// Coordinate `i` of `coords`; out of range is `InvalidOptions`.
fn coordinate(coords: &[LonLat], i: usize) -> Result<LonLat> {
    coords.get(i).copied().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOptions,
            format!(
                "coordinate index {i} out of range for {} coordinates",
                coords.len()
            ),
        )
    })
}

/// What OSRM's snapping keeps of one coordinate: the nearest road whatever its component, and
/// when that road's component is tiny, the nearest road of a big component (if any within the
/// radius).
struct Candidates {
    nearest: Snap,
    component: Component,
    big: Option<Snap>,
}

fn candidates(
    g: &Graph,
    coords: &[LonLat],
    i: usize,
    common: &CommonOptions,
) -> Result<Candidates> {
    let c = coordinate(coords, i)?;
    let o = snap_options(common, i).with_components(SnapComponents::Any);
    let nearest = snap_with(g, c, i, &o)?;
    let component = g.component(nearest.edge)?;
    let big = if component.tiny {
        g.snap(
            Point::new(c[0], c[1]),
            &o.with_components(SnapComponents::NotTiny),
        )
        .ok()
    } else {
        None
    };
    Ok(Candidates {
        nearest,
        component,
        big,
    })
}

/// OSRM's `SnapPhantomNodes`: the nearest snaps when every coordinate lies in one and the same
/// tiny component, otherwise each tiny snap replaced by its big-component alternative.
fn choose(candidates: Vec<Candidates>) -> Vec<Snap> {
    let all_tiny = candidates.iter().all(|c| c.component.tiny);
    let same = candidates
        .windows(2)
        .all(|w| w[0].component.id == w[1].component.id);
    candidates
        .into_iter()
        .map(|c| match c.big {
            Some(big) if !(all_tiny && same) => big,
            _ => c.nearest,
        })
        .collect()
}

/// The coordinates `idx` of `coords` as waypoints of one route or table request, snapped with
/// OSRM's component rule (module docs), with their approaches; the first failure aborts.
pub fn waypoints_at(
    g: &Graph,
    coords: &[LonLat],
    idx: &[usize],
    common: &CommonOptions,
) -> Result<Vec<Waypoint>> {
    let cands = idx
        .iter()
        .map(|&i| candidates(g, coords, i, common))
        .collect::<Result<Vec<_>>>()?;
    Ok(choose(cands)
        .into_iter()
        .zip(idx)
        .map(|(s, &i)| Waypoint::new(s).with_approach(approach(common, i)))
        .collect())
}

/// Every coordinate as a waypoint of one route, in order, on the calling thread (the HTTP
/// server runs each request on one blocking thread), snapped with OSRM's component rule
/// (module docs); the first failure aborts.
pub fn waypoints(g: &Graph, coords: &[LonLat], common: &CommonOptions) -> Result<Vec<Waypoint>> {
    let all: Vec<usize> = (0..coords.len()).collect();
    waypoints_at(g, coords, &all, common)
}

/// [`waypoints`] snapped in parallel on rayon's pool (for the many points of a Python matrix).
pub fn waypoints_parallel(
    g: &Graph,
    coords: &[LonLat],
    common: &CommonOptions,
) -> Result<Vec<Waypoint>> {
    let cands = (0..coords.len())
        .into_par_iter()
        .map(|i| candidates(g, coords, i, common))
        .collect::<Result<Vec<_>>>()?;
    Ok(choose(cands)
        .into_iter()
        .enumerate()
        .map(|(i, s)| Waypoint::new(s).with_approach(approach(common, i)))
        .collect())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::params::BearingOpt;
    use std::sync::OnceLock;

    pub(crate) fn helsinki() -> &'static Graph {
        static G: OnceLock<Graph> = OnceLock::new();
        G.get_or_init(|| {
            let profile = kerb_core::Profile::by_name("car").unwrap();
            Graph::builder(&profile)
                .build_from_pbf(kerb_testdata::helsinki_pbf())
                .unwrap()
        })
    }

    const A: LonLat = [24.9480, 60.1665];
    const B: LonLat = [24.9500, 60.1750];

    #[test]
    fn waypoints_follow_per_coordinate_options() {
        let g = helsinki();
        let common = CommonOptions {
            approaches: vec![None, Some(ApproachOpt::Curb)],
            ..CommonOptions::default()
        };
        let w = waypoints(g, &[A, B], &common).unwrap();
        assert_eq!(w.len(), 2);
        assert_eq!(w[0].approach, Approach::Unrestricted);
        assert_eq!(w[1].approach, Approach::Curb);
        assert!(w[0].snap.distance_m < 100.0);
        let par = waypoints_parallel(g, &[A, B], &common).unwrap();
        assert_eq!(par[1].snap.edge, w[1].snap.edge);
    }

    #[test]
    fn snap_errors_name_the_coordinate() {
        let g = helsinki();
        let tight = CommonOptions {
            radiuses: vec![None, Some(0.001)],
            ..CommonOptions::default()
        };
        let e = waypoints(g, &[A, [24.9501, 60.17505]], &tight).unwrap_err();
        assert_eq!(e.kind, ErrorKind::NoSegment);
        assert!(e.message.contains("coordinate 1"), "{}", e.message);
        assert!(e.message.contains("no road"), "{}", e.message);
        let far = waypoints(g, &[[0.0, 0.0]], &CommonOptions::default()).unwrap_err();
        assert_eq!(far.kind, ErrorKind::NoSegment);
        assert!(far.message.contains("coordinate 0"));
        let bad =
            waypoints_parallel(g, &[A, [f64::NAN, 60.0]], &CommonOptions::default()).unwrap_err();
        assert_eq!(bad.kind, ErrorKind::InvalidValue);
        assert!(bad.message.contains("index 1"), "{}", bad.message);
        assert_eq!(
            waypoint(g, &[A], 3, &CommonOptions::default())
                .unwrap_err()
                .kind,
            ErrorKind::InvalidOptions
        );
    }

    #[test]
    fn bearing_and_radius_reach_the_snap_options() {
        let common = CommonOptions {
            radiuses: vec![Some(5.0)],
            bearings: vec![Some(BearingOpt {
                value: 90.0,
                range: 20.0,
            })],
            ..CommonOptions::default()
        };
        let o = snap_options(&common, 0);
        assert_eq!((o.radius_m, o.bearing), (5.0, Some((90.0, 20.0))));
        assert_eq!(
            snap_options(&common, 1).radius_m,
            SnapOptions::default().radius_m
        );
    }
}
