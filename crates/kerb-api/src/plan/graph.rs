//! VROOM-on-a-graph: the one [`MatrixSource`] that answers coordinate locations from road
//! graphs (per vehicle profile: snap every coordinate on that profile's graph, then one CH
//! many-to-many), shared by every front end.

use kerb_core::{Approach, Graph, GraphSet, Point, SnapComponents, SnapOptions, Waypoint};
use kerb_plan::io::vroom::MatrixSource;
use rayon::prelude::*;

use super::PlanError;
use crate::{Error, ErrorKind};

/// Road graphs as the matrix source of VROOM input whose locations are `[lon, lat]`
/// coordinates (what VROOM does with OSRM behind it): the matrix of a vehicle profile comes
/// from the graph of that profile.
///
/// ```
/// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
/// use kerb_api::plan::GraphMatrix;
/// use kerb_core::{Graph, Profile};
/// use kerb_plan::io::vroom::MatrixSource;
/// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
/// let coords = [[24.9384, 60.1699], [24.9500, 60.1750], [24.9450, 60.1650]];
/// let m = GraphMatrix::new(&g).get_matrix(None, &coords)?;
/// assert_eq!(m.size, 3);
/// assert!(m.duration(0, 1) > 0.0 && m.distance(1, 2) > 0.0);
/// # Ok::<(), kerb_api::plan::PlanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct GraphMatrix<'g> {
    graphs: GraphSet<'g>,
    snap: SnapOptions,
    approach: Approach,
    max_locations: usize,
}

impl<'g> GraphMatrix<'g> {
    /// Routes on `graph` with default snapping, no approach constraint and no location limit
    /// (vehicles naming no profile or `graph`'s own).
    pub fn new(graph: &'g Graph) -> Self {
        GraphMatrix::fleet(GraphSet::single(graph))
    }

    /// Routes each profile on its graph in `graphs` (the default one for vehicles naming
    /// none), with default snapping, no approach constraint and no location limit.
    pub fn fleet(graphs: GraphSet<'g>) -> Self {
        GraphMatrix {
            graphs,
            snap: SnapOptions::default(),
            approach: Approach::Unrestricted,
            max_locations: usize::MAX,
        }
    }

    /// Snaps with `snap` (radius, bearing); whatever its `components`, locations are snapped
    /// to the main component only ([`SnapComponents::MainNetwork`]), so that every pair of them is
    /// connected and no job lands on an island the fleet cannot reach.
    pub fn with_snap(mut self, snap: SnapOptions) -> Self {
        self.snap = snap;
        self
    }

    /// Approaches every coordinate with `approach` (OSRM's `approaches=curb` for
    /// [`Approach::Curb`]).
    pub fn with_approach(mut self, approach: Approach) -> Self {
        self.approach = approach;
        self
    }

    /// Refuses more than `max` distinct coordinates with [`ErrorKind::TooBig`] before snapping
    /// any.
    pub fn with_max_locations(mut self, max: usize) -> Self {
        self.max_locations = max;
        self
    }
}

impl GraphMatrix<'_> {
    /// The road route of profile `profile` through `coords` in order (each snapped as the
    /// matrix snaps it), as an encoded polyline of precision 5: VROOM's route `geometry`.
    /// Fewer than two coordinates give the empty line.
    pub fn route_geometry(
        &self,
        profile: Option<&str>,
        coords: &[[f64; 2]],
    ) -> Result<String, PlanError> {
        if coords.len() < 2 {
            return Ok(String::new());
        }
        let graph = self.graphs.get(profile)?;
        let waypoints = self.waypoints(graph, coords)?;
        Ok(graph.route(&waypoints)?.polyline(5))
    }

    /// `coords` snapped on `graph` (main network only, see [`GraphMatrix::with_snap`]) as
    /// waypoints with this source's approach.
    fn waypoints(
        &self,
        graph: &Graph,
        coords: &[[f64; 2]],
    ) -> Result<Vec<Waypoint>, kerb_core::Error> {
        let snap = self.snap.with_components(SnapComponents::MainNetwork);
        coords
            .par_iter()
            .map(|&[x, y]| {
                graph
                    .snap(Point::new(x, y), &snap)
                    .map(|s| Waypoint::new(s).with_approach(self.approach))
            })
            .collect()
    }
}

impl MatrixSource for GraphMatrix<'_> {
    type Error = PlanError;

    /// Errors: too many coordinates ([`ErrorKind::TooBig`]), a coordinate outside WGS84
    /// ([`kerb_core::Error::InvalidCoordinate`]), no road within the snapping radius
    /// ([`kerb_core::Error::NoSegment`]), two locations the roads do not connect
    /// ([`kerb_core::Error::NoRoute`] with their indices), a profile with no graph
    /// ([`kerb_core::Error::NoGraphForProfile`]).
    fn get_matrix(
        &mut self,
        profile: Option<&str>,
        coords: &[[f64; 2]],
    ) -> Result<kerb_plan::Matrix, PlanError> {
        let graph = self.graphs.get(profile)?;
        if coords.len() > self.max_locations {
            return Err(Error::new(
                ErrorKind::TooBig,
                format!(
                    "{} distinct locations exceed the limit of {}",
                    coords.len(),
                    self.max_locations
                ),
            )
            .into());
        }
        if let Some(&[lon, lat]) = coords.iter().find(|&&[lon, lat]| {
            !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0)
        }) {
            return Err(kerb_core::Error::InvalidCoordinate { lon, lat }.into());
        }
        let waypoints = self.waypoints(graph, coords)?;
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
}
