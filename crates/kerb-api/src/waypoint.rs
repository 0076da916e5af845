//! Coordinates to waypoints: every input coordinate snapped with its own radius and bearing
//! and given its approach, with errors that name the coordinate's index.
//!
//! The HTTP services, the CLI commands and the Python methods all snap through here, so a
//! coordinate means the same waypoint whichever front end it came through.

use crate::coords::LonLat;
use crate::error::{Error, ErrorKind, Result};
use crate::params::{ApproachOpt, CommonOptions};
use kerb_core::{Approach, Graph, Point, Snap, SnapOptions, Waypoint};
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

/// Snapping options of coordinate `i`: its radius (default kerb-core's) and bearing filter.
pub fn snap_options(common: &CommonOptions, i: usize) -> SnapOptions {
    let mut o = SnapOptions::default();
    if let Some(Some(r)) = common.radiuses.get(i) {
        o.radius_m = *r;
    }
    if let Some(Some(b)) = common.bearings.get(i) {
        o.bearing = Some((b.value, b.range));
    }
    o
}

/// Approach of coordinate `i` (unrestricted unless `curb` was asked for).
pub fn approach(common: &CommonOptions, i: usize) -> Approach {
    match common.approaches.get(i) {
        Some(Some(ApproachOpt::Curb)) => Approach::Curb,
        _ => Approach::Unrestricted,
    }
}

/// Snaps coordinate `c`, the `i`-th of the request, with its options. `NoSegment` names the
/// index and the radius; an invalid coordinate is `InvalidValue`.
pub fn snap(g: &Graph, c: LonLat, i: usize, common: &CommonOptions) -> Result<Snap> {
    let o = snap_options(common, i);
    g.snap(Point::new(c[0], c[1]), &o).map_err(|e| match e {
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
    let c = *coords.get(i).ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOptions,
            format!(
                "coordinate index {i} out of range for {} coordinates",
                coords.len()
            ),
        )
    })?;
    Ok(Waypoint::new(snap(g, c, i, common)?).with_approach(approach(common, i)))
}

/// Every coordinate as a waypoint, in order, on the calling thread (the HTTP server runs each
/// request on one blocking thread); the first failure aborts.
pub fn waypoints(g: &Graph, coords: &[LonLat], common: &CommonOptions) -> Result<Vec<Waypoint>> {
    (0..coords.len())
        .map(|i| waypoint(g, coords, i, common))
        .collect()
}

/// [`waypoints`] snapped in parallel on rayon's pool (for the many points of a Python matrix).
pub fn waypoints_parallel(
    g: &Graph,
    coords: &[LonLat],
    common: &CommonOptions,
) -> Result<Vec<Waypoint>> {
    (0..coords.len())
        .into_par_iter()
        .map(|i| waypoint(g, coords, i, common))
        .collect()
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
