//! The profile's data types: vehicle dimensions, road classes, turn costs, node delays and
//! [`Profile`] itself, plain serde structs with public fields.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::time::{AccessTime, Weekday};

/// Physical size and load of the vehicle, compared with `maxweight`, `maxaxleload`,
/// `maxheight`, `maxwidth`, `maxlength`; a trailer and dangerous goods make `trailer=no` and
/// `hazmat=no` close roads to it.
///
/// The four dimensions are required in profile files; `axle_load_kg`, `trailer` and `hazmat`
/// may be left out (no axle-load check, no trailer, no dangerous goods).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleDims {
    /// Gross weight in kilograms (`maxweight`; above 3.5 t also `maxweight:hgv`).
    pub weight_kg: f64,
    /// Height in metres (`maxheight`, `maxheight:physical`).
    pub height_m: f64,
    /// Width in metres (`maxwidth`, `maxwidth:physical`).
    pub width_m: f64,
    /// Length in metres, a trailer included (`maxlength`).
    pub length_m: f64,
    /// Heaviest axle load in kilograms, compared with `maxaxleload`; `None` (the default)
    /// skips that check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axle_load_kg: Option<f64>,
    /// The vehicle tows a trailer: ways tagged `trailer=no` (or another denied value) are
    /// closed to it. Default `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub trailer: bool,
    /// The vehicle carries dangerous goods (ADR): ways tagged `hazmat=no` or
    /// `hazmat:water=no` (or another denied value) are closed to it. Default `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub hazmat: bool,
}

impl VehicleDims {
    /// Dimensions only: no axle-load check, no trailer, no dangerous goods.
    pub fn new(weight_kg: f64, height_m: f64, width_m: f64, length_m: f64) -> Self {
        VehicleDims {
            weight_kg,
            height_m,
            width_m,
            length_m,
            axle_load_kg: None,
            trailer: false,
            hazmat: false,
        }
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Which side of the road vehicles drive on, on one road (see [`DrivingSideRule`] for a
/// profile's setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrivingSide {
    /// Right-hand traffic (continental Europe, Americas).
    #[serde(alias = "Right")]
    Right,
    /// Left-hand traffic (UK, Japan, Australia).
    #[serde(alias = "Left")]
    Left,
}

/// Which side a profile drives on: looked up per road from where it lies (the default), or
/// fixed for every road.
///
/// In profile files it is `"auto"`, `"right"` or `"left"` (`turn_costs.driving_side`); the
/// capitalised `"Right"`/`"Left"` of graph files written before profiles became data still
/// read as the fixed sides.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DrivingSideRule {
    /// Each road's side from the country it lies in (the import looks it up in kerb's
    /// built-in country map, see `kerb_core::driving_side_at`); roads of graph files imported
    /// before the lookup existed drive on the right.
    #[default]
    Auto,
    /// Right-hand traffic on every road, wherever it lies.
    #[serde(alias = "Right")]
    Right,
    /// Left-hand traffic on every road, wherever it lies.
    #[serde(alias = "Left")]
    Left,
}

impl DrivingSideRule {
    /// The side a road is driven on under this rule, given the side looked up for the road's
    /// location at import (`None` when the graph has no looked-up sides).
    pub fn resolve(self, local: Option<DrivingSide>) -> DrivingSide {
        match self {
            DrivingSideRule::Right => DrivingSide::Right,
            DrivingSideRule::Left => DrivingSide::Left,
            DrivingSideRule::Auto => local.unwrap_or(DrivingSide::Right),
        }
    }
}

impl From<DrivingSide> for DrivingSideRule {
    fn from(side: DrivingSide) -> Self {
        match side {
            DrivingSide::Right => DrivingSideRule::Right,
            DrivingSide::Left => DrivingSideRule::Left,
        }
    }
}

/// Whether the vehicle may turn around on the road.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UTurnPolicy {
    /// U-turns allowed anywhere (at the cost of `u_turn_s`).
    Allowed,
    /// U-turns only where the road ends (dead ends), like a truck turning in a cul-de-sac.
    DeadEndOnly,
    /// Never turn around.
    Forbidden,
}

/// How the penalty of a turn at an intersection grows with its angle.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "RawTurnShape")]
pub enum TurnShape {
    /// `straight_s` within 30 degrees of straight on; otherwise `left_s` (across traffic) or
    /// `right_s` (with traffic) scaled by `angle / 90`.
    #[default]
    Linear,
    /// OSRM's `car.lua` model: a sigmoid of the angle that saturates at `max_s`, leaning by
    /// `bias` (> 1 makes turns with traffic cheaper than turns across it), plus `oncoming_s`
    /// times the turn's sharpness for turns across oncoming traffic. `left_s`, `right_s` and
    /// `straight_s` are not used.
    Sigmoid {
        /// Penalty approached by the sharpest turns, in seconds (OSRM: 7.5).
        max_s: f64,
        /// Asymmetry between turns with and across traffic (OSRM: 1.075).
        bias: f64,
        /// Extra wait for a gap in oncoming traffic, in seconds at full sharpness (OSRM: 2).
        oncoming_s: f64,
    },
}

/// The file form of [`TurnShape`]: serde's internally tagged enums cannot refuse unknown keys
/// of a unit variant (`{"kind": "linear", "max_s": 1}` would pass), so the shape is read flat
/// and checked here.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTurnShape {
    kind: RawTurnKind,
    max_s: Option<f64>,
    bias: Option<f64>,
    oncoming_s: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawTurnKind {
    Linear,
    Sigmoid,
}

impl TryFrom<RawTurnShape> for TurnShape {
    type Error = String;

    fn try_from(raw: RawTurnShape) -> Result<Self, String> {
        match (raw.kind, raw.max_s, raw.bias, raw.oncoming_s) {
            (RawTurnKind::Linear, None, None, None) => Ok(TurnShape::Linear),
            (RawTurnKind::Linear, ..) => Err(
                "kind \"linear\" takes no max_s, bias or oncoming_s (those are for \"sigmoid\")"
                    .into(),
            ),
            (RawTurnKind::Sigmoid, Some(max_s), Some(bias), Some(oncoming_s)) => {
                Ok(TurnShape::Sigmoid {
                    max_s,
                    bias,
                    oncoming_s,
                })
            }
            (RawTurnKind::Sigmoid, ..) => {
                Err("kind \"sigmoid\" needs max_s, bias and oncoming_s".into())
            }
        }
    }
}

/// Average delays at nodes with traffic controls (OSM `highway=traffic_signals`, `stop`,
/// `give_way`), added to the travel time of every edge that passes through or enters such a
/// node. OSRM's car profile charges 2 s, 2 s and 1 s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDelays {
    /// Seconds at a traffic signal.
    pub traffic_signals_s: f64,
    /// Seconds at a stop sign.
    pub stop_s: f64,
    /// Seconds at a give-way sign.
    pub give_way_s: f64,
}

impl NodeDelays {
    /// OSRM's car profile values: signals 2 s, stop 2 s, give way 1 s.
    pub const OSRM: NodeDelays = NodeDelays {
        traffic_signals_s: 2.0,
        stop_s: 2.0,
        give_way_s: 1.0,
    };
}

/// Turn penalties used by turn-aware searches.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnCosts {
    /// Seconds added for a turn across traffic (left in right-hand traffic), [`TurnShape::Linear`].
    pub left_s: f64,
    /// Seconds added for a turn with traffic (right in right-hand traffic), [`TurnShape::Linear`].
    pub right_s: f64,
    /// Seconds added for going straight through an intersection, [`TurnShape::Linear`].
    pub straight_s: f64,
    /// How turn penalties grow with the angle.
    #[serde(default)]
    pub shape: TurnShape,
    /// Delays at traffic signals, stop and give-way signs (applied to edges at import).
    #[serde(default)]
    pub node_delays: NodeDelays,
    /// Seconds added for a U-turn where one is allowed.
    pub u_turn_s: f64,
    /// Where U-turns are allowed.
    pub u_turn: UTurnPolicy,
    /// Side of the road the vehicle drives on (decides the kerb side of stops, which turns
    /// cross traffic and OSRM's `driving_side`): by default looked up per road.
    #[serde(default)]
    pub driving_side: DrivingSideRule,
}

/// Functional road class, from the OSM `highway=*` tag.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum RoadClass {
    /// `highway=motorway`: limited-access highway.
    Motorway = 0,
    /// `highway=motorway_link`: motorway ramp.
    MotorwayLink,
    /// `highway=trunk`: major road that is not a motorway.
    Trunk,
    /// `highway=trunk_link`: trunk ramp.
    TrunkLink,
    /// `highway=primary`: major road between towns or districts.
    Primary,
    /// `highway=primary_link`.
    PrimaryLink,
    /// `highway=secondary`.
    Secondary,
    /// `highway=secondary_link`.
    SecondaryLink,
    /// `highway=tertiary`: connecting road.
    Tertiary,
    /// `highway=tertiary_link`.
    TertiaryLink,
    /// `highway=unclassified`: minor public road.
    Unclassified,
    /// `highway=residential`: street in a residential area.
    Residential,
    /// `highway=living_street`: shared space at walking pace.
    LivingStreet,
    /// `highway=service`: access road, yard, parking aisle, driveway, alley.
    Service,
    /// `highway=track`: agricultural or forest track.
    Track,
    /// `highway=road`: road of unknown class.
    Road,
    /// `highway=pedestrian`: pedestrian zone. Routable only for a profile with a speed for
    /// it, and then only where an access tag (or an applying `*:conditional`) explicitly opens
    /// it to the vehicle, e.g. `motor_vehicle:conditional=destination @ (Mo-Sa 06:00-11:00)`.
    Pedestrian,
    /// `route=ferry`: a ferry line (OSRM's `ferry` mode), timed by its `duration` tag when
    /// it has one, else at the profile's speed for this class.
    Ferry,
    /// `route=shuttle_train`: a car train (OSRM's `train` mode), timed like a ferry.
    ShuttleTrain,
}

impl RoadClass {
    /// All classes, in `repr(u8)` order.
    pub const ALL: [RoadClass; 19] = [
        RoadClass::Motorway,
        RoadClass::MotorwayLink,
        RoadClass::Trunk,
        RoadClass::TrunkLink,
        RoadClass::Primary,
        RoadClass::PrimaryLink,
        RoadClass::Secondary,
        RoadClass::SecondaryLink,
        RoadClass::Tertiary,
        RoadClass::TertiaryLink,
        RoadClass::Unclassified,
        RoadClass::Residential,
        RoadClass::LivingStreet,
        RoadClass::Service,
        RoadClass::Track,
        RoadClass::Road,
        RoadClass::Pedestrian,
        RoadClass::Ferry,
        RoadClass::ShuttleTrain,
    ];

    /// Parses an OSM `highway=*` value; `None` for values that are not roads for motor vehicles.
    pub fn from_highway(v: &str) -> Option<RoadClass> {
        Some(match v {
            "motorway" => RoadClass::Motorway,
            "motorway_link" => RoadClass::MotorwayLink,
            "trunk" => RoadClass::Trunk,
            "trunk_link" => RoadClass::TrunkLink,
            "primary" => RoadClass::Primary,
            "primary_link" => RoadClass::PrimaryLink,
            "secondary" => RoadClass::Secondary,
            "secondary_link" => RoadClass::SecondaryLink,
            "tertiary" => RoadClass::Tertiary,
            "tertiary_link" => RoadClass::TertiaryLink,
            "unclassified" => RoadClass::Unclassified,
            "residential" => RoadClass::Residential,
            "living_street" => RoadClass::LivingStreet,
            "service" => RoadClass::Service,
            "track" => RoadClass::Track,
            "road" => RoadClass::Road,
            "pedestrian" => RoadClass::Pedestrian,
            _ => return None,
        })
    }

    /// Parses an OSM `route=*` value of a way a vehicle can be carried on (`ferry`,
    /// `shuttle_train`); `None` for other routes.
    pub fn from_route(v: &str) -> Option<RoadClass> {
        match v {
            "ferry" => Some(RoadClass::Ferry),
            "shuttle_train" => Some(RoadClass::ShuttleTrain),
            _ => None,
        }
    }

    /// OSRM's travel mode on roads of this class: `ferry`, `train` or `driving`.
    pub fn mode(self) -> &'static str {
        match self {
            RoadClass::Ferry => "ferry",
            RoadClass::ShuttleTrain => "train",
            _ => "driving",
        }
    }

    /// The OSM `highway=*` value of this class.
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClass::Motorway => "motorway",
            RoadClass::MotorwayLink => "motorway_link",
            RoadClass::Trunk => "trunk",
            RoadClass::TrunkLink => "trunk_link",
            RoadClass::Primary => "primary",
            RoadClass::PrimaryLink => "primary_link",
            RoadClass::Secondary => "secondary",
            RoadClass::SecondaryLink => "secondary_link",
            RoadClass::Tertiary => "tertiary",
            RoadClass::TertiaryLink => "tertiary_link",
            RoadClass::Unclassified => "unclassified",
            RoadClass::Residential => "residential",
            RoadClass::LivingStreet => "living_street",
            RoadClass::Service => "service",
            RoadClass::Track => "track",
            RoadClass::Road => "road",
            RoadClass::Pedestrian => "pedestrian",
            RoadClass::Ferry => "ferry",
            RoadClass::ShuttleTrain => "shuttle_train",
        }
    }

    /// Inverse of `self as u8`; unknown codes map to [`RoadClass::Road`].
    pub fn from_u8(v: u8) -> RoadClass {
        RoadClass::ALL
            .get(v as usize)
            .copied()
            .unwrap_or(RoadClass::Road)
    }
}

/// A routing profile: vehicle size, road speeds, access rules and turn costs.
///
/// ```
/// use kerb_core::Profile;
/// let truck = Profile::truck();
/// assert_eq!(truck.vehicle.height_m, 3.8);
/// // Custom vehicles: see `Profile::builder`, or modify a preset and give it a new name.
/// let mut low = Profile::by_name("car").unwrap();
/// low.name = "low-car".into();
/// low.vehicle.height_m = 2.5;
/// assert!(low.validate().is_ok());
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Profile name, stored in graph files.
    pub name: String,
    /// Vehicle size, checked against `max*` tags.
    pub vehicle: VehicleDims,
    /// Top speed of the vehicle in km/h; caps every road speed.
    pub max_speed_kmh: f64,
    /// Speed on each road class without `maxspeed` tag, km/h. Classes absent are not routable.
    pub speeds_kmh: BTreeMap<RoadClass, f64>,
    /// Share of a posted `maxspeed` that is driven on average (OSRM uses 0.8).
    pub maxspeed_factor: f64,
    /// Speed keys from general to specific, e.g. `maxspeed`, `maxspeed:hgv`.
    pub maxspeed_tags: Vec<String>,
    /// Access keys from general to specific, e.g. `access`, `vehicle`, `motor_vehicle`,
    /// `hgv`. The most specific key present decides (with `:forward`/`:backward` variants).
    pub access_tags: Vec<String>,
    /// Access values that close a road (e.g. `no`, `private`); others (`yes`, `destination`,
    /// `delivery`, `designated`, `permissive`...) open it.
    pub access_denied: Vec<String>,
    /// Access values that keep a road routable but only to start or end a route there
    /// (OSRM car.lua's `restricted_access_tag_list`: `destination`, `delivery`, `customers`,
    /// ...): the most specific access value of a direction decides, as for
    /// [`Profile::access_denied`]; entering such a road from an unrestricted one costs
    /// [`crate::RESTRICTED_ENTRY_MS`] of weight (not of duration), so it is never a through
    /// route. Profiles stored without it get OSRM's list.
    #[serde(default = "default_access_restricted")]
    pub access_restricted: Vec<String>,
    /// `barrier=*` values the vehicle can pass (e.g. `gate`); others (e.g. `bollard`) block,
    /// unless the node's own access tags open it for the vehicle.
    pub barriers_passable: Vec<String>,
    /// Speed for `highway=service` subtypes (`service=*`), km/h; 0 excludes the subtype.
    pub service_speeds_kmh: BTreeMap<String, f64>,
    /// Speed caps by `surface=*` value, km/h (OSRM `car.lua`'s `surface_speeds`: `sett` 40,
    /// `cobblestone` 30, `gravel` 40, ...): a way's speed is at most its surface's. Values
    /// absent (e.g. `asphalt`) do not cap. Default: none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub surface_speeds_kmh: BTreeMap<String, f64>,
    /// Speed caps by `tracktype=*` value (`grade1` .. `grade5`), km/h, as `surface_speeds_kmh`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tracktype_speeds_kmh: BTreeMap<String, f64>,
    /// Speed caps by `smoothness=*` value, km/h; 0 closes the way (OSRM: `impassable`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub smoothness_speeds_kmh: BTreeMap<String, f64>,
    /// Vehicle keys for `restriction:<key>` and `except=<keys>` of turn restrictions.
    pub restriction_vehicle_keys: Vec<String>,
    /// Turn costs for turn-aware searches.
    pub turn_costs: TurnCosts,
    /// When the vehicle drives, e.g. `"Mo 06:00"`: the import evaluates `*:conditional` access
    /// and weight tags at this moment. `None` (the default) ignores conditional tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_at: Option<AccessTime>,
    /// Roads this vehicle never uses (OSRM's `exclude=` names as a profile default, e.g.
    /// `["toll"]`): closed in its turn graph, so every search on the profile avoids them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Exclude>,
}

/// OSRM car.lua's `restricted_access_tag_list`, the default of
/// [`Profile::access_restricted`].
pub(crate) fn default_access_restricted() -> Vec<String> {
    [
        "private",
        "delivery",
        "destination",
        "customers",
        "permit",
        "residents",
        "unknown",
    ]
    .map(String::from)
    .to_vec()
}

/// A kind of road a route or matrix can be asked to avoid, by OSRM's `exclude=` names.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclude {
    /// Motorways and their links (`highway=motorway|motorway_link`).
    Motorway,
    /// Ferries and car trains (`route=ferry|shuttle_train`).
    Ferry,
    /// Toll roads for the vehicle (`toll=yes`, or the profile's more specific
    /// `toll:hgv`/`toll:motorcar`...).
    Toll,
}

impl Exclude {
    /// Every kind.
    pub const ALL: [Exclude; 3] = [Exclude::Motorway, Exclude::Ferry, Exclude::Toll];

    /// The kind's bit in a set of kinds (see [`crate::SnapOptions::excluding`]).
    pub(crate) fn bit(self) -> u8 {
        1 << self as u8
    }

    /// Parses an OSRM class name (`motorway`, `ferry`, `toll`).
    pub fn from_name(name: &str) -> Option<Exclude> {
        Some(match name {
            "motorway" => Exclude::Motorway,
            "ferry" => Exclude::Ferry,
            "toll" => Exclude::Toll,
            _ => return None,
        })
    }

    /// Whether a road of `class`, tolled (`toll`) for the vehicle, is of this kind.
    pub fn covers(self, class: RoadClass, toll: bool) -> bool {
        match self {
            Exclude::Motorway => matches!(class, RoadClass::Motorway | RoadClass::MotorwayLink),
            Exclude::Ferry => matches!(class, RoadClass::Ferry | RoadClass::ShuttleTrain),
            Exclude::Toll => toll,
        }
    }
}
