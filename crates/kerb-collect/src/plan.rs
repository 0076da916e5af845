//! The collection plan the pipeline returns: truck routes, their stops with typed kinds,
//! sides and directions, the bins and streets left out, totals and timings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which kerb a bin is served from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    /// Two-way road: the truck arrives with the bin on its kerb side (right in right-hand traffic).
    Kerbside,
    /// Quiet street (a zig-zag road class) or a bin marked `either`: served from whichever
    /// direction the truck comes.
    ZigZag,
    /// One-way road: the only direction the truck can drive.
    OneWay,
    /// A two-way road where the kerbside approach is impossible (turn restrictions and the
    /// no-U-turn rule leave no way to arrive with the bin on the kerb side): served from
    /// either side rather than not at all.
    EitherSide,
}

/// What happens at a [`Stop`]; serialised as `start`, `bin`, `street`, `disposal`, `break`,
/// `end` (the plan's JSON `type` field and the GeoJSON `kind` property).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StopKind {
    /// Leaving the start depot.
    Start,
    /// Emptying a bin.
    Bin,
    /// A pass along a street stretch, from `arrival_s` at its entry to `departure_s` at its exit.
    Street,
    /// Unloading at a disposal site.
    Disposal,
    /// A break.
    Break,
    /// Arriving at the end depot.
    End,
    /// A planner step this version does not know (kept rather than dropped).
    Other,
}

/// Which side of the truck a bin is on when the truck stops at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TruckSide {
    /// The truck's right.
    Right,
    /// The truck's left.
    Left,
}

/// Which way a street pass drives along the stretch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// In the drawing order of the street's coordinates.
    Forward,
    /// Against it.
    Backward,
}

impl StopKind {
    /// The name used in JSON and GeoJSON (`bin`, `street`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            StopKind::Start => "start",
            StopKind::Bin => "bin",
            StopKind::Street => "street",
            StopKind::Disposal => "disposal",
            StopKind::Break => "break",
            StopKind::End => "end",
            StopKind::Other => "other",
        }
    }
}

impl TruckSide {
    /// The side of a bin `right` of the truck's direction of travel.
    pub fn from_right(right: bool) -> Self {
        if right {
            TruckSide::Right
        } else {
            TruckSide::Left
        }
    }

    /// The name used in JSON (`right`, `left`).
    pub fn as_str(self) -> &'static str {
        match self {
            TruckSide::Right => "right",
            TruckSide::Left => "left",
        }
    }
}

impl Direction {
    /// `Forward` when driving in the drawing order of the coordinates.
    pub fn from_forward(forward: bool) -> Self {
        if forward {
            Direction::Forward
        } else {
            Direction::Backward
        }
    }

    /// The name used in JSON (`forward`, `backward`).
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

impl fmt::Display for StopKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for TruckSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One stop of a truck's day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stop {
    /// What happens here.
    #[serde(rename = "type")]
    pub kind: StopKind,
    /// Bin, depot or disposal-site id (empty for breaks).
    pub id: String,
    /// Where the truck stops: the snapped point on the road `[lon, lat]`.
    pub location: Option<[f64; 2]>,
    /// Arrival, seconds since midnight.
    pub arrival_s: f64,
    /// Departure, seconds since midnight.
    pub departure_s: f64,
    /// Load after the stop: `[kg, litres]`.
    pub load: [f64; 2],
    /// For bins: how the bin is served, and from which side of the truck.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<Service>,
    /// For bins: which side of the truck the bin is on when it stops.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truck_side: Option<TruckSide>,
    /// For streets: which way the pass drives along the stretch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Name of the street the truck stops on, in the day's `options.language` where OSM has
    /// it (`name:xx`), else its `name`; absent on unnamed roads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
}

/// One truck's route.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TruckRoute {
    /// Truck id.
    pub truck: String,
    /// Stops in order.
    pub stops: Vec<Stop>,
    /// Road distance driven, metres.
    pub distance_m: f64,
    /// Driving time, seconds.
    pub driving_s: f64,
    /// Shift start to end, seconds.
    pub working_s: f64,
    /// Number of visits to a disposal site.
    pub disposal_trips: usize,
    /// Road geometry `[[lon, lat], ...]` of the whole day.
    pub geometry: Vec<[f64; 2]>,
}

/// A bin or street left out of the plan, with why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnassignedBin {
    /// Bin or street id.
    pub id: String,
    /// Human-readable reason.
    pub reason: String,
}

/// Wall-clock split of the pipeline, seconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Timings {
    /// Snapping bins, depots and disposal sites.
    pub snap_s: f64,
    /// Duration/distance matrix.
    pub matrix_s: f64,
    /// Planner.
    pub plan_s: f64,
    /// Route unpacking to road geometry.
    pub geometry_s: f64,
}

/// Totals over the plan.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Totals {
    /// Trucks with at least one bin.
    pub trucks_used: usize,
    /// Bins collected.
    pub bins_served: usize,
    /// Bins left out.
    pub bins_unassigned: usize,
    /// Passes driven along street stretches (one per served kerb).
    #[serde(default)]
    pub street_passes: usize,
    /// Streets left out entirely or in part (a kerb not served).
    #[serde(default)]
    pub streets_unassigned: usize,
    /// Metres driven.
    pub distance_m: f64,
    /// Seconds driven.
    pub driving_s: f64,
    /// Disposal visits.
    pub disposal_trips: usize,
    /// Waste collected `[kg, litres]`.
    pub collected: [f64; 2],
}

/// The result of [`plan_collection`](crate::plan_collection).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionPlan {
    /// The day's name.
    pub name: String,
    /// Totals.
    pub totals: Totals,
    /// One route per truck used.
    pub routes: Vec<TruckRoute>,
    /// Bins left out, with reasons.
    pub unassigned: Vec<UnassignedBin>,
    /// Time per stage.
    pub timings: Timings,
}
