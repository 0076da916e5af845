//! VROOM-style problems whose locations are `[lon, lat]` coordinates, routed on a road graph
//! (what VROOM does with OSRM behind it): the glue between [`kerb_core`] and
//! [`kerb_plan::io::vroom`] that `kerb plan --graph` and Python's `kerb.plan(graph=)` share.

use kerb_core::{Approach, Graph, Point, SnapOptions, Waypoint};
use kerb_plan::io::vroom::{self, VroomProblem};
use rayon::prelude::*;

use crate::Error;

/// Snaps `coords` (`[lon, lat]`) on `graph` with `approach` and returns the planner's
/// duration/distance matrix between them (one location per coordinate).
///
/// Errors: a coordinate with no road within the snapping radius
/// ([`kerb_core::Error::NoSegment`]), or a pair with no route between them
/// ([`kerb_core::Error::NoRoute`] with their indices), both as [`Error::Graph`].
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_core::{Approach, Graph, Profile, SnapOptions};
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let coords = [[24.9384, 60.1699], [24.9500, 60.1750], [24.9450, 60.1650]];
/// let m = kerb_collect::vrp::coordinate_matrix(&g, &coords, &SnapOptions::default(), Approach::Unrestricted)?;
/// assert_eq!(m.size, 3);
/// assert!(m.duration(0, 1) > 0.0 && m.distance(1, 2) > 0.0);
/// # Ok::<(), kerb_collect::Error>(())
/// ```
pub fn coordinate_matrix(
    graph: &Graph,
    coords: &[[f64; 2]],
    snap: &SnapOptions,
    approach: Approach,
) -> Result<kerb_plan::Matrix, Error> {
    let waypoints: Vec<Waypoint> = coords
        .par_iter()
        .map(|&[x, y]| {
            graph
                .snap(Point::new(x, y), snap)
                .map(|s| Waypoint::new(s).with_approach(approach))
        })
        .collect::<Result<_, _>>()?;
    let m = graph.matrix(&waypoints, &waypoints)?;
    let n = coords.len();
    if let Some(k) = m.durations_s.iter().position(|t| !t.is_finite()) {
        return Err(kerb_core::Error::NoRoute {
            from: k / n,
            to: k % n,
        }
        .into());
    }
    Ok(kerb_plan::Matrix::new(n, m.durations_s, m.distances_m)?)
}

/// Reads VROOM JSON; locations given only as coordinates are routed on `graph` with
/// [`coordinate_matrix`] (one matrix for every vehicle profile). Without a graph such
/// locations are an error, as in [`vroom::read_vroom`].
pub fn read_vroom_on_graph(
    text: &str,
    graph: Option<&Graph>,
    snap: &SnapOptions,
    approach: Approach,
) -> Result<VroomProblem, Error> {
    let Some(graph) = graph else {
        return Ok(vroom::read_vroom(text)?);
    };
    // The router's failure is a road-graph error: keep it rather than the planner's wrapper.
    let mut routing_error = None;
    let mut router = |coords: &[[f64; 2]]| {
        coordinate_matrix(graph, coords, snap, approach).map_err(|e| {
            let msg = e.to_string();
            routing_error = Some(e);
            kerb_plan::Error::InvalidInstance(msg)
        })
    };
    match vroom::read_vroom_with_router(text, Some(&mut router)) {
        Ok(p) => Ok(p),
        Err(e) => Err(routing_error.take().unwrap_or(Error::Plan(e))),
    }
}
