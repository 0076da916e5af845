//! Vehicle profiles: which roads a vehicle may use, in which direction, and how fast.
//!
//! A [`Profile`] is a plain struct with public fields, so custom profiles can be made from Rust;
//! [`Profile::car`] and [`Profile::truck`] are the presets. The tag interpretation follows the
//! conventions of OSRM's and GraphHopper's car/truck profiles (see the docs on each field).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Physical size of the vehicle, compared with `maxweight`, `maxheight`, `maxwidth`, `maxlength`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct VehicleDims {
    /// Gross weight in kilograms.
    pub weight_kg: f64,
    /// Height in metres.
    pub height_m: f64,
    /// Width in metres.
    pub width_m: f64,
    /// Length in metres.
    pub length_m: f64,
}

/// Which side of the road vehicles drive on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DrivingSide {
    /// Right-hand traffic (continental Europe, Americas).
    Right,
    /// Left-hand traffic (UK, Japan, Australia).
    Left,
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
#[serde(tag = "kind", rename_all = "snake_case")]
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

/// Average delays at nodes with traffic controls (OSM `highway=traffic_signals`, `stop`,
/// `give_way`), added to the travel time of every edge that passes through or enters such a
/// node. OSRM's car profile charges 2 s, 2 s and 1 s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
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
    /// Side of the road the vehicle drives on (decides the kerb side of stops).
    pub driving_side: DrivingSide,
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
}

impl RoadClass {
    /// All classes, in `repr(u8)` order.
    pub const ALL: [RoadClass; 16] = [
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
            _ => return None,
        })
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
    /// `barrier=*` values the vehicle can pass (e.g. `gate`); others (e.g. `bollard`) block,
    /// unless the node's own access tags open it for the vehicle.
    pub barriers_passable: Vec<String>,
    /// Speed for `highway=service` subtypes (`service=*`), km/h; 0 excludes the subtype.
    pub service_speeds_kmh: BTreeMap<String, f64>,
    /// Vehicle keys for `restriction:<key>` and `except=<keys>` of turn restrictions.
    pub restriction_vehicle_keys: Vec<String>,
    /// Turn costs for turn-aware searches.
    pub turn_costs: TurnCosts,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

impl Profile {
    /// A passenger car (speeds after OSRM's car profile).
    pub fn car() -> Self {
        use RoadClass::*;
        let speeds = [
            (Motorway, 90.0),
            (MotorwayLink, 45.0),
            (Trunk, 85.0),
            (TrunkLink, 40.0),
            (Primary, 65.0),
            (PrimaryLink, 30.0),
            (Secondary, 55.0),
            (SecondaryLink, 25.0),
            (Tertiary, 40.0),
            (TertiaryLink, 20.0),
            (Unclassified, 25.0),
            (Residential, 25.0),
            (LivingStreet, 10.0),
            (Service, 15.0),
            (Road, 20.0),
        ];
        Profile {
            name: "car".into(),
            vehicle: VehicleDims {
                weight_kg: 1500.0,
                height_m: 1.6,
                width_m: 1.9,
                length_m: 4.5,
            },
            max_speed_kmh: 180.0,
            speeds_kmh: speeds.into_iter().collect(),
            maxspeed_factor: 0.8,
            maxspeed_tags: strings(&["maxspeed"]),
            access_tags: strings(&["access", "vehicle", "motor_vehicle", "motorcar"]),
            access_denied: strings(&[
                "no",
                "private",
                "delivery",
                "agricultural",
                "forestry",
                "emergency",
                "psv",
                "bus",
                "hgv",
                "use_sidepath",
            ]),
            barriers_passable: strings(&[
                "gate",
                "lift_gate",
                "swing_gate",
                "cattle_grid",
                "border_control",
                "toll_booth",
                "sally_port",
                "entrance",
                "no",
                "kerb",
                "height_restrictor",
                "chain",
            ]),
            service_speeds_kmh: [
                ("parking_aisle", 10.0),
                ("driveway", 10.0),
                ("alley", 10.0),
                ("emergency_access", 0.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            restriction_vehicle_keys: strings(&["motorcar", "motor_vehicle", "vehicle"]),
            turn_costs: TurnCosts {
                left_s: 4.0,
                right_s: 1.0,
                straight_s: 0.0,
                shape: TurnShape::Sigmoid {
                    max_s: 7.5,
                    bias: 1.075,
                    oncoming_s: 2.0,
                },
                node_delays: NodeDelays::OSRM,
                u_turn_s: 20.0,
                u_turn: UTurnPolicy::Allowed,
                driving_side: DrivingSide::Right,
            },
        }
    }

    /// A refuse truck: 26 t, 3.8 m high, 2.55 m wide, 10 m long, 80 km/h top speed, no U-turns
    /// except at dead ends.
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{Profile, UTurnPolicy};
    /// let t = Profile::truck();
    /// assert_eq!(t.vehicle.weight_kg, 26_000.0);
    /// assert_eq!(t.turn_costs.u_turn, UTurnPolicy::DeadEndOnly);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn truck() -> Self {
        use RoadClass::*;
        let speeds = [
            (Motorway, 80.0),
            (MotorwayLink, 40.0),
            (Trunk, 75.0),
            (TrunkLink, 35.0),
            (Primary, 55.0),
            (PrimaryLink, 25.0),
            (Secondary, 45.0),
            (SecondaryLink, 20.0),
            (Tertiary, 35.0),
            (TertiaryLink, 18.0),
            (Unclassified, 20.0),
            (Residential, 20.0),
            (LivingStreet, 8.0),
            (Service, 12.0),
            (Road, 15.0),
        ];
        let mut p = Profile::car();
        p.name = "truck".into();
        p.vehicle = VehicleDims {
            weight_kg: 26_000.0,
            height_m: 3.8,
            width_m: 2.55,
            length_m: 10.0,
        };
        p.max_speed_kmh = 80.0;
        p.speeds_kmh = speeds.into_iter().collect();
        p.maxspeed_tags = strings(&["maxspeed", "maxspeed:hgv"]);
        // `goods` is for light goods vehicles; `hgv` (>3.5 t) is the more specific key for a
        // refuse truck and wins when both are tagged.
        p.access_tags = strings(&["access", "vehicle", "motor_vehicle", "goods", "hgv"]);
        p.access_denied = strings(&[
            "no",
            "private",
            "agricultural",
            "forestry",
            "emergency",
            "psv",
            "bus",
            "car",
            "motorcar",
            "use_sidepath",
        ]);
        p.barriers_passable
            .retain(|b| b != "height_restrictor" && b != "sally_port");
        p.service_speeds_kmh = [
            ("parking_aisle", 8.0),
            ("driveway", 8.0),
            ("alley", 8.0),
            ("emergency_access", 0.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        p.restriction_vehicle_keys = strings(&["hgv", "goods", "motor_vehicle", "vehicle"]);
        p.turn_costs = TurnCosts {
            left_s: 8.0,
            right_s: 4.0,
            straight_s: 0.0,
            shape: TurnShape::Linear,
            node_delays: NodeDelays::OSRM,
            u_turn_s: 60.0,
            u_turn: UTurnPolicy::DeadEndOnly,
            driving_side: DrivingSide::Right,
        };
        p
    }

    /// A built-in profile by name: `car` or `truck`.
    ///
    /// ```
    /// assert!(kerb_core::Profile::by_name("bicycle").is_err());
    /// ```
    pub fn by_name(name: &str) -> Result<Self> {
        match name {
            "car" => Ok(Profile::car()),
            "truck" | "hgv" => Ok(Profile::truck()),
            other => Err(Error::UnknownProfile(other.to_string())),
        }
    }
}

impl Profile {
    /// A builder for a custom vehicle, starting from the car preset (use
    /// [`ProfileBuilder::base`] to start from another profile, e.g. [`Profile::truck`]).
    ///
    /// ```
    /// use kerb_core::{Profile, RoadClass, UTurnPolicy};
    /// let small_truck = Profile::builder("small-truck")
    ///     .base(Profile::truck())
    ///     .weight_kg(12_000.0)
    ///     .height_m(3.2)
    ///     .speed(RoadClass::Residential, 25.0)
    ///     .deny_road(RoadClass::LivingStreet)
    ///     .u_turns(UTurnPolicy::Forbidden)
    ///     .build()?;
    /// assert_eq!(small_truck.name, "small-truck");
    /// assert_eq!(small_truck.vehicle.weight_kg, 12_000.0);
    /// assert!(!small_truck.speeds_kmh.contains_key(&RoadClass::LivingStreet));
    /// // Invalid settings are an error, not a surprise at import time.
    /// assert!(Profile::builder("x").speed(RoadClass::Primary, -5.0).build().is_err());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn builder(name: impl Into<String>) -> ProfileBuilder {
        ProfileBuilder {
            name: name.into(),
            profile: Profile::car(),
        }
    }

    /// Reads a profile from JSON (the serde form of [`Profile`], as stored in graph files)
    /// and validates it like [`ProfileBuilder::build`].
    ///
    /// ```
    /// use kerb_core::Profile;
    /// let mut json = serde_json::to_value(Profile::truck()).unwrap();
    /// json["name"] = "tall-truck".into();
    /// json["vehicle"]["height_m"] = 4.2.into();
    /// let p = Profile::from_json(&json.to_string())?;
    /// assert_eq!(p.vehicle.height_m, 4.2);
    /// assert!(Profile::from_json("{}").is_err());
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Profile> {
        let p: Profile =
            serde_json::from_str(text).map_err(|e| Error::InvalidProfile(e.to_string()))?;
        p.validate()?;
        Ok(p)
    }

    /// Checks that the profile can be used for an import: a non-empty name, positive finite
    /// dimensions and speeds, at least one routable road class, non-negative turn costs and
    /// delays.
    ///
    /// ```
    /// let mut p = kerb_core::Profile::truck();
    /// assert!(p.validate().is_ok());
    /// p.vehicle.height_m = f64::NAN;
    /// assert!(p.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidProfile(msg));
        let name = self.name.trim();
        if name.is_empty() || name.len() > 64 || name != self.name {
            return bad(format!(
                "name {:?} must be 1 to 64 characters without surrounding spaces",
                self.name
            ));
        }
        let v = &self.vehicle;
        for (what, x) in [
            ("weight_kg", v.weight_kg),
            ("height_m", v.height_m),
            ("width_m", v.width_m),
            ("length_m", v.length_m),
            ("max_speed_kmh", self.max_speed_kmh),
        ] {
            if !(x.is_finite() && x > 0.0) {
                return bad(format!("{what} must be positive and finite, got {x}"));
            }
        }
        if !(self.maxspeed_factor.is_finite()
            && self.maxspeed_factor > 0.0
            && self.maxspeed_factor <= 2.0)
        {
            return bad(format!(
                "maxspeed_factor must be in (0, 2], got {}",
                self.maxspeed_factor
            ));
        }
        for (class, s) in &self.speeds_kmh {
            if !(s.is_finite() && *s > 0.0) {
                return bad(format!(
                    "speed for {} must be positive and finite, got {s} (use deny_road to exclude a class)",
                    class.as_str()
                ));
            }
        }
        if self.speeds_kmh.is_empty() {
            return bad("no road class is routable (speeds_kmh is empty)".into());
        }
        for (service, s) in &self.service_speeds_kmh {
            if !(s.is_finite() && *s >= 0.0) {
                return bad(format!(
                    "speed for service={service} must be >= 0 and finite, got {s}"
                ));
            }
        }
        let t = &self.turn_costs;
        for (what, x) in [
            ("left_s", t.left_s),
            ("right_s", t.right_s),
            ("straight_s", t.straight_s),
            ("u_turn_s", t.u_turn_s),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return bad(format!("turn cost {what} must be >= 0 and finite, got {x}"));
            }
        }
        if let TurnShape::Sigmoid {
            max_s,
            bias,
            oncoming_s,
        } = t.shape
        {
            let ok = |x: f64, positive: bool| x.is_finite() && (x > 0.0 || (!positive && x == 0.0));
            if !(ok(max_s, false) && ok(bias, true) && ok(oncoming_s, false)) {
                return bad(format!(
                    "sigmoid turn shape needs max_s >= 0, bias > 0, oncoming_s >= 0, got {max_s}, {bias}, {oncoming_s}"
                ));
            }
        }
        let d = &t.node_delays;
        for (what, x) in [
            ("traffic_signals_s", d.traffic_signals_s),
            ("stop_s", d.stop_s),
            ("give_way_s", d.give_way_s),
        ] {
            if !(x.is_finite() && x >= 0.0) {
                return bad(format!(
                    "node delay {what} must be >= 0 and finite, got {x}"
                ));
            }
        }
        if self.access_tags.is_empty() {
            return bad("access_tags must name at least one key (e.g. \"access\")".into());
        }
        Ok(())
    }
}

/// Builds a custom [`Profile`]: vehicle size and weight (checked against `maxweight`,
/// `maxheight`, `maxwidth`, `maxlength`), speeds per road class, which OSM access keys and
/// values apply, passable barriers and turn costs — what GraphHopper's custom models and
/// Valhalla's costing options cover, from Rust and without forking. Start with
/// [`Profile::builder`]; [`build`](ProfileBuilder::build) validates.
///
/// ```
/// use kerb_core::{Profile, RoadClass, TurnCosts};
/// // A narrow electric refuse truck that may use bus lanes and is slow in town.
/// let p = Profile::builder("e-refuse")
///     .base(Profile::truck())
///     .width_m(2.3)
///     .max_speed_kmh(60.0)
///     .speed(RoadClass::Residential, 15.0)
///     .allow_access_value("bus")
///     .turn_costs(TurnCosts { left_s: 12.0, ..Profile::truck().turn_costs })
///     .build()?;
/// assert!(!p.access_denied.contains(&"bus".to_string()));
/// assert_eq!(p.turn_costs.left_s, 12.0);
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until .build() is called"]
pub struct ProfileBuilder {
    name: String,
    profile: Profile,
}

impl ProfileBuilder {
    /// Starts from `base`'s settings (its name is replaced by the builder's).
    pub fn base(mut self, base: Profile) -> Self {
        self.profile = base;
        self
    }

    /// Gross weight in kilograms (compared with `maxweight`; above 3.5 t also with
    /// `maxweight:hgv`).
    pub fn weight_kg(mut self, kg: f64) -> Self {
        self.profile.vehicle.weight_kg = kg;
        self
    }

    /// Height in metres (compared with `maxheight` and height-restricting barriers).
    pub fn height_m(mut self, m: f64) -> Self {
        self.profile.vehicle.height_m = m;
        self
    }

    /// Width in metres (compared with `maxwidth`).
    pub fn width_m(mut self, m: f64) -> Self {
        self.profile.vehicle.width_m = m;
        self
    }

    /// Length in metres (compared with `maxlength`).
    pub fn length_m(mut self, m: f64) -> Self {
        self.profile.vehicle.length_m = m;
        self
    }

    /// All four dimensions at once.
    pub fn dims(mut self, dims: VehicleDims) -> Self {
        self.profile.vehicle = dims;
        self
    }

    /// Top speed in km/h; caps every road's speed.
    pub fn max_speed_kmh(mut self, kmh: f64) -> Self {
        self.profile.max_speed_kmh = kmh;
        self
    }

    /// Speed on roads of `class` without a `maxspeed` tag, km/h; also makes the class
    /// routable if the base excluded it.
    pub fn speed(mut self, class: RoadClass, kmh: f64) -> Self {
        self.profile.speeds_kmh.insert(class, kmh);
        self
    }

    /// Never use roads of `class`.
    pub fn deny_road(mut self, class: RoadClass) -> Self {
        self.profile.speeds_kmh.remove(&class);
        self
    }

    /// Share of a posted `maxspeed` driven on average (0 < factor <= 2; OSRM uses 0.8).
    pub fn maxspeed_factor(mut self, factor: f64) -> Self {
        self.profile.maxspeed_factor = factor;
        self
    }

    /// Speed on `highway=service` roads with this `service=*` value, km/h; 0 excludes them.
    pub fn service_speed(mut self, service: &str, kmh: f64) -> Self {
        self.profile
            .service_speeds_kmh
            .insert(service.to_string(), kmh);
        self
    }

    /// Access keys from general to specific (e.g. `access`, `vehicle`, `motor_vehicle`,
    /// `hgv`): the most specific key present on a way decides.
    pub fn access_tags<S: Into<String>>(mut self, keys: impl IntoIterator<Item = S>) -> Self {
        self.profile.access_tags = keys.into_iter().map(Into::into).collect();
        self
    }

    /// An access value that closes a road to this vehicle (e.g. `delivery`).
    pub fn deny_access_value(mut self, value: &str) -> Self {
        if !self.profile.access_denied.iter().any(|v| v == value) {
            self.profile.access_denied.push(value.to_string());
        }
        self
    }

    /// An access value that opens a road to this vehicle (e.g. `bus` for a vehicle with a
    /// bus-lane permit).
    pub fn allow_access_value(mut self, value: &str) -> Self {
        self.profile.access_denied.retain(|v| v != value);
        self
    }

    /// Whether the vehicle can pass a `barrier=*` value (e.g. `gate`, `bollard`).
    pub fn barrier_passable(mut self, barrier: &str, passable: bool) -> Self {
        self.profile.barriers_passable.retain(|b| b != barrier);
        if passable {
            self.profile.barriers_passable.push(barrier.to_string());
        }
        self
    }

    /// Vehicle keys for `restriction:<key>` and `except=<keys>` of turn restrictions.
    pub fn restriction_keys<S: Into<String>>(mut self, keys: impl IntoIterator<Item = S>) -> Self {
        self.profile.restriction_vehicle_keys = keys.into_iter().map(Into::into).collect();
        self
    }

    /// Turn penalties, U-turn policy and driving side.
    pub fn turn_costs(mut self, costs: TurnCosts) -> Self {
        self.profile.turn_costs = costs;
        self
    }

    /// How turn penalties grow with the turn angle.
    pub fn turn_shape(mut self, shape: TurnShape) -> Self {
        self.profile.turn_costs.shape = shape;
        self
    }

    /// Delays at traffic signals, stop and give-way signs.
    pub fn node_delays(mut self, delays: NodeDelays) -> Self {
        self.profile.turn_costs.node_delays = delays;
        self
    }

    /// Where the vehicle may turn around.
    pub fn u_turns(mut self, policy: UTurnPolicy) -> Self {
        self.profile.turn_costs.u_turn = policy;
        self
    }

    /// Side of the road traffic drives on (decides which side is the kerb).
    pub fn driving_side(mut self, side: DrivingSide) -> Self {
        self.profile.turn_costs.driving_side = side;
        self
    }

    /// The profile, validated by [`Profile::validate`]. A custom vehicle may not take the
    /// name of a built-in profile (`car`, `truck`, `hgv`) unless it equals it: graph files
    /// and the HTTP server find graphs by profile name.
    pub fn build(self) -> Result<Profile> {
        let mut p = self.profile;
        p.name = self.name;
        p.validate()?;
        if let Ok(builtin) = Profile::by_name(&p.name) {
            if builtin != p {
                return Err(Error::InvalidProfile(format!(
                    "name {:?} is a built-in profile; give a custom vehicle its own name",
                    p.name
                )));
            }
        }
        Ok(p)
    }
}

/// Read access to OSM tags, so the profile logic works on osmpbfreader tags and test slices.
pub(crate) trait TagSource {
    fn tag(&self, key: &str) -> Option<&str>;
}

impl TagSource for osmpbfreader::Tags {
    fn tag(&self, key: &str) -> Option<&str> {
        self.get(key).map(|v| v.as_str())
    }
}

impl TagSource for [(&str, &str)] {
    fn tag(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// What the profile makes of one OSM way.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WayAttrs {
    pub class: RoadClass,
    pub forward: bool,
    pub backward: bool,
    pub speed_fwd_kmh: f64,
    pub speed_bwd_kmh: f64,
    pub name: String,
}

/// Access decision of one access value.
fn access_open(profile: &Profile, v: &str) -> bool {
    // `yes;destination` style lists: any opening value opens.
    v.split(';')
        .map(str::trim)
        .any(|v| !profile.access_denied.iter().any(|d| d == v))
}

/// Most specific access value present for a direction (`suffix` = ":forward"/":backward").
fn access_value<'a, T: TagSource + ?Sized>(
    profile: &Profile,
    tags: &'a T,
    suffix: &str,
) -> Option<&'a str> {
    let mut found = None;
    for key in &profile.access_tags {
        if let Some(v) = tags.tag(key) {
            found = Some(v);
        }
        if let Some(v) = tags.tag(&format!("{key}{suffix}")) {
            found = Some(v);
        }
    }
    found
}

/// Parses a number with optional unit for weights; returns kilograms.
pub(crate) fn parse_weight_kg(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let (num, unit) = split_number(&v)?;
    let unit = unit.trim();
    Some(match unit {
        "" | "t" | "to" | "ton" | "tons" | "tonne" | "tonnes" => num * 1000.0,
        "kg" => num,
        "lbs" | "lb" => num * 0.453_592,
        "st" => num * 907.185, // US short tons
        "cwt" => num * 50.802,
        _ => return None,
    })
}

/// Parses a length (`maxheight`, `maxwidth`, `maxlength`) in metres: `3.5`, `3.5 m`, `12'6"`,
/// `12 ft`. Returns `None` for `none`, `default` and unparsable values.
pub(crate) fn parse_length_m(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    if let Some((ft, rest)) = v.split_once('\'') {
        let ft: f64 = ft.trim().parse().ok()?;
        let inch = rest.trim().trim_end_matches('"').trim();
        let inch: f64 = if inch.is_empty() {
            0.0
        } else {
            inch.parse().ok()?
        };
        return Some(ft * 0.3048 + inch * 0.0254);
    }
    let (num, unit) = split_number(&v)?;
    Some(match unit.trim() {
        "" | "m" => num,
        "cm" => num / 100.0,
        "ft" | "feet" => num * 0.3048,
        "in" => num * 0.0254,
        _ => return None,
    })
}

/// Splits `"12.5 t"` into `(12.5, " t")`; accepts a decimal comma.
fn split_number(v: &str) -> Option<(f64, &str)> {
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(v.len());
    if end == 0 {
        return None;
    }
    let num: f64 = v[..end].replace(',', ".").parse().ok()?;
    if !num.is_finite() || num < 0.0 {
        return None;
    }
    Some((num, &v[end..]))
}

/// Outcome of parsing a `maxspeed` value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum MaxSpeed {
    /// A limit in km/h.
    Kmh(f64),
    /// Explicitly no limit (`none`, German Autobahn).
    Unlimited,
}

/// Parses `maxspeed` values: `50`, `30 mph`, `none`, `walk`, and implicit country values like
/// `FI:urban`, `DE:rural`, `DE:zone30`, `GB:nsl_single`. `class` is the fallback for implicit
/// values whose class part is unknown (e.g. `XX:motorway` -> motorway default).
pub(crate) fn parse_maxspeed(v: &str) -> Option<MaxSpeed> {
    let v = v.split(';').next()?.trim();
    let lower = v.to_ascii_lowercase();
    match lower.as_str() {
        "none" | "unlimited" => return Some(MaxSpeed::Unlimited),
        "walk" => return Some(MaxSpeed::Kmh(6.0)),
        "signals" | "variable" | "default" => return None,
        _ => {}
    }
    if let Some((num, unit)) = split_number(&lower) {
        let unit = unit.trim();
        return match unit {
            "" | "km/h" | "kmh" | "kph" => (num > 0.0).then_some(MaxSpeed::Kmh(num)),
            "mph" => (num > 0.0).then_some(MaxSpeed::Kmh(num * 1.609_344)),
            "knots" => (num > 0.0).then_some(MaxSpeed::Kmh(num * 1.852)),
            _ => None,
        };
    }
    let (country, kind) = lower.split_once(':')?;
    implicit_maxspeed(country, kind)
}

/// Implicit (legal default) speed limits by country and road kind, after the OSM wiki table
/// "Default speed limits". Unknown countries get the common European defaults.
fn implicit_maxspeed(country: &str, kind: &str) -> Option<MaxSpeed> {
    let kind = kind.trim();
    // zone30, zone:30, zone20
    if let Some(z) = kind.strip_prefix("zone") {
        let z = z.trim_start_matches(':');
        return z
            .parse::<f64>()
            .ok()
            .filter(|z| *z > 0.0)
            .map(MaxSpeed::Kmh);
    }
    let mph = |m: f64| Some(MaxSpeed::Kmh(m * 1.609_344));
    let kmh = |k: f64| Some(MaxSpeed::Kmh(k));
    match (country, kind) {
        ("gb" | "uk", "nsl_single") => mph(60.0),
        ("gb" | "uk", "nsl_dual" | "motorway") => mph(70.0),
        ("gb" | "uk", "urban") => mph(30.0),
        ("us", "urban") => mph(25.0),
        ("us", "rural") => mph(55.0),
        ("us", "motorway") => mph(65.0),
        (_, "urban") => match country {
            "ru" | "by" | "kz" | "ua" => kmh(60.0),
            _ => kmh(50.0),
        },
        (_, "rural") => match country {
            "de" | "at" | "cz" | "sk" | "pl" | "hu" | "si" | "hr" | "ro" | "bg" => kmh(100.0),
            "fi" | "fr" | "se" | "no" | "dk" | "ee" | "be" | "ch" => kmh(80.0),
            "pt" | "es" | "it" | "gr" | "nl" | "ru" | "lv" | "lt" => kmh(90.0),
            _ => kmh(90.0),
        },
        (_, "trunk" | "motorroad" | "expressway") => match country {
            "fi" | "se" | "no" => kmh(100.0),
            "pt" | "fr" | "it" => kmh(110.0),
            _ => kmh(100.0),
        },
        (_, "motorway") => match country {
            "de" => Some(MaxSpeed::Unlimited),
            "fi" | "se" | "ch" | "pt" | "be" | "es" => kmh(120.0),
            "no" => kmh(110.0),
            "nl" | "fr" | "it" | "at" | "pl" | "cz" | "dk" => kmh(130.0),
            _ => kmh(120.0),
        },
        (_, "living_street") => match country {
            "de" | "at" | "ch" => kmh(7.0),
            _ => kmh(20.0),
        },
        (_, "walk" | "pedestrian_zone") => kmh(6.0),
        (_, "school") => kmh(30.0),
        (_, "bicycle_road") => kmh(30.0),
        _ => None,
    }
}

impl Profile {
    /// Directions `(forward, backward)` in which this profile may drive an OSM way with these
    /// tags, or `None` if the way is not routable at all.
    ///
    /// ```
    /// use kerb_core::Profile;
    /// let tags = [("highway", "residential"), ("oneway", "yes")];
    /// assert_eq!(Profile::car().way_directions(&tags), Some((true, false)));
    /// assert_eq!(Profile::truck().way_directions(&[("highway", "service"), ("maxheight", "3")]), None);
    /// ```
    pub fn way_directions(&self, tags: &[(&str, &str)]) -> Option<(bool, bool)> {
        self.way_attributes(tags).map(|a| (a.forward, a.backward))
    }

    /// Interprets a way's tags; `None` when the way is not routable in either direction.
    pub(crate) fn way_attributes<T: TagSource + ?Sized>(&self, tags: &T) -> Option<WayAttrs> {
        let class = RoadClass::from_highway(tags.tag("highway")?)?;
        let base_speed = *self.speeds_kmh.get(&class)?;
        if base_speed <= 0.0 {
            return None;
        }
        if tags.tag("area") == Some("yes") {
            return None;
        }
        if matches!(tags.tag("impassable"), Some("yes"))
            || matches!(tags.tag("status"), Some("impassable"))
        {
            return None;
        }
        // Size and weight limits against the vehicle.
        let v = &self.vehicle;
        let over = |keys: &[&str], limit_of: fn(&str) -> Option<f64>, value: f64| {
            keys.iter()
                .filter_map(|k| tags.tag(k))
                .filter_map(limit_of)
                .any(|limit| limit > 0.0 && value > limit + 1e-9)
        };
        let below_default =
            |keys: &[&str]| keys.iter().any(|k| tags.tag(k) == Some("below_default"));
        let is_truck = v.weight_kg > 3500.0;
        let weight_keys: &[&str] = if is_truck {
            &["maxweight", "maxweight:hgv"]
        } else {
            &["maxweight"]
        };
        if over(weight_keys, parse_weight_kg, v.weight_kg)
            || over(
                &["maxheight", "maxheight:physical"],
                parse_length_m,
                v.height_m,
            )
            || over(
                &["maxwidth", "maxwidth:physical"],
                parse_length_m,
                v.width_m,
            )
            || over(&["maxlength"], parse_length_m, v.length_m)
            || (is_truck && below_default(&["maxheight", "maxheight:physical"]))
        {
            return None;
        }
        // Access in each direction.
        let fwd_access = access_value(self, tags, ":forward")
            .map(|a| access_open(self, a))
            .unwrap_or(true);
        let bwd_access = access_value(self, tags, ":backward")
            .map(|a| access_open(self, a))
            .unwrap_or(true);
        // Oneway.
        let junction = tags.tag("junction");
        let implied_oneway =
            class == RoadClass::Motorway || matches!(junction, Some("roundabout" | "circular"));
        let oneway = tags
            .tag("oneway:motor_vehicle")
            .or_else(|| tags.tag("oneway"));
        let (mut forward, mut backward) = match oneway {
            Some("yes" | "true" | "1") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("reversible" | "alternating") => (false, false),
            Some("no" | "false" | "0") => (true, true),
            _ => (true, !implied_oneway),
        };
        forward &= fwd_access;
        backward &= bwd_access;
        if !forward && !backward {
            return None;
        }
        // Speed: posted limit (most specific key) scaled by maxspeed_factor, else class default.
        let mut speed = base_speed;
        if class == RoadClass::Service {
            if let Some(s) = tags
                .tag("service")
                .and_then(|s| self.service_speeds_kmh.get(s))
            {
                if *s <= 0.0 {
                    return None;
                }
                speed = speed.min(*s);
            }
        }
        let limit_for = |suffix: &str| {
            let mut found = None;
            for key in &self.maxspeed_tags {
                for k in [key.clone(), format!("{key}{suffix}")] {
                    if let Some(m) = tags.tag(&k).and_then(parse_maxspeed) {
                        found = Some(m);
                    }
                }
            }
            found
        };
        let speed_of = |limit: Option<MaxSpeed>| {
            let s = match limit {
                Some(MaxSpeed::Kmh(k)) => {
                    (k * self.maxspeed_factor).min(if class == RoadClass::Service {
                        speed
                    } else {
                        f64::MAX
                    })
                }
                Some(MaxSpeed::Unlimited) => self.max_speed_kmh,
                None => speed,
            };
            s.min(self.max_speed_kmh).max(1.0)
        };
        let speed_fwd_kmh = speed_of(limit_for(":forward"));
        let speed_bwd_kmh = speed_of(limit_for(":backward"));
        let name = tags
            .tag("name")
            .or_else(|| tags.tag("ref"))
            .unwrap_or("")
            .to_string();
        Some(WayAttrs {
            class,
            forward,
            backward,
            speed_fwd_kmh,
            speed_bwd_kmh,
            name,
        })
    }

    /// Whether a node's tags block the vehicle (barriers such as bollards; gates pass unless
    /// their access tags close them).
    pub(crate) fn node_blocks<T: TagSource + ?Sized>(&self, tags: &T) -> bool {
        let Some(barrier) = tags.tag("barrier") else {
            return false;
        };
        let access = access_value(self, tags, "").map(|a| access_open(self, a));
        if let Some(h) = tags.tag("maxheight").and_then(parse_length_m) {
            if h > 0.0 && self.vehicle.height_m > h {
                return true;
            }
        }
        if let Some(w) = tags.tag("maxwidth").and_then(parse_length_m) {
            if w > 0.0 && self.vehicle.width_m > w {
                return true;
            }
        }
        if self.barriers_passable.iter().any(|b| b == barrier) {
            access == Some(false)
        } else {
            access != Some(true)
        }
    }

    /// Delay in seconds for passing a node with these tags (traffic signals, stop and give-way
    /// signs; see [`NodeDelays`]).
    pub(crate) fn node_delay_s<T: TagSource + ?Sized>(&self, tags: &T) -> f64 {
        let d = &self.turn_costs.node_delays;
        match tags.tag("highway") {
            Some("traffic_signals") => d.traffic_signals_s,
            Some("stop") => d.stop_s,
            Some("give_way") => d.give_way_s,
            _ => 0.0,
        }
    }

    /// Whether a turn restriction relation with these tags applies to this vehicle, and its
    /// kind (`no_*` or `only_*`).
    pub(crate) fn restriction_kind<T: TagSource + ?Sized>(
        &self,
        tags: &T,
    ) -> Option<crate::graph::RestrictionKind> {
        if tags
            .tag("type")
            .is_some_and(|t| t != "restriction" && !t.starts_with("restriction:"))
        {
            return None;
        }
        let mut value = None;
        if tags.tag("type") == Some("restriction") {
            value = tags.tag("restriction");
        }
        for key in &self.restriction_vehicle_keys {
            if let Some(v) = tags.tag(&format!("restriction:{key}")) {
                value = Some(v);
                break;
            }
        }
        let value = value?;
        if let Some(except) = tags.tag("except") {
            if except
                .split(';')
                .map(str::trim)
                .any(|e| self.restriction_vehicle_keys.iter().any(|k| k == e))
            {
                return None;
            }
        }
        if value.starts_with("no_") {
            Some(crate::graph::RestrictionKind::No)
        } else if value.starts_with("only_") {
            Some(crate::graph::RestrictionKind::Only)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(p: &Profile, tags: &[(&str, &str)]) -> Option<WayAttrs> {
        p.way_attributes(tags)
    }

    #[test]
    fn highway_classes() {
        let car = Profile::car();
        assert_eq!(
            attrs(&car, &[("highway", "residential")]).unwrap().class,
            RoadClass::Residential
        );
        assert!(attrs(&car, &[("highway", "footway")]).is_none());
        assert!(attrs(&car, &[("highway", "track")]).is_none());
        assert!(attrs(&car, &[("building", "yes")]).is_none());
        assert!(attrs(&car, &[("highway", "pedestrian"), ("area", "yes")]).is_none());
        assert!(attrs(&car, &[("highway", "service"), ("area", "yes")]).is_none());
    }

    #[test]
    fn oneway_variants() {
        let car = Profile::car();
        let a = |t: &[(&str, &str)]| {
            let w = attrs(&car, t).unwrap();
            (w.forward, w.backward)
        };
        assert_eq!(a(&[("highway", "primary")]), (true, true));
        assert_eq!(
            a(&[("highway", "primary"), ("oneway", "yes")]),
            (true, false)
        );
        assert_eq!(
            a(&[("highway", "primary"), ("oneway", "-1")]),
            (false, true)
        );
        assert_eq!(a(&[("highway", "motorway")]), (true, false));
        assert_eq!(
            a(&[("highway", "motorway"), ("oneway", "no")]),
            (true, true)
        );
        assert_eq!(
            a(&[("highway", "tertiary"), ("junction", "roundabout")]),
            (true, false)
        );
        assert!(attrs(&car, &[("highway", "primary"), ("oneway", "reversible")]).is_none());
    }

    #[test]
    fn access_hierarchy() {
        let car = Profile::car();
        let truck = Profile::truck();
        assert!(attrs(&car, &[("highway", "residential"), ("access", "no")]).is_none());
        assert!(attrs(
            &car,
            &[
                ("highway", "residential"),
                ("access", "no"),
                ("motor_vehicle", "yes")
            ]
        )
        .is_some());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle", "private")]
        )
        .is_none());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("access", "destination")]
        )
        .is_some());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle", "delivery")]
        )
        .is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("motor_vehicle", "delivery")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("hgv", "no")]).is_none());
        assert!(attrs(&car, &[("highway", "residential"), ("hgv", "no")]).is_some());
        assert!(attrs(
            &truck,
            &[
                ("highway", "residential"),
                ("goods", "no"),
                ("hgv", "destination")
            ]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("hgv", "delivery")]).is_some());
        let w = attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle:backward", "no")],
        )
        .unwrap();
        assert!(w.forward && !w.backward);
    }

    #[test]
    fn dimensions() {
        let car = Profile::car();
        let truck = Profile::truck();
        let under = [("highway", "residential"), ("maxheight", "3")];
        assert!(attrs(&car, &under).is_some());
        assert!(attrs(&truck, &under).is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "4.2 m")]
        )
        .is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "12'0\"")]
        )
        .is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "12'6\"")]
        )
        .is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "default")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxweight", "7.5")]).is_none());
        assert!(attrs(&car, &[("highway", "residential"), ("maxweight", "7.5")]).is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxweight", "30000 kg")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxwidth", "2.2")]).is_none());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxlength", "8")]).is_none());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxlength", "12")]).is_some());
        assert_eq!(parse_length_m("12 ft"), Some(12.0 * 0.3048));
        assert_eq!(parse_weight_kg("3,5 t"), Some(3500.0));
        assert_eq!(parse_weight_kg("none"), None);
    }

    #[test]
    fn maxspeed_values() {
        assert_eq!(parse_maxspeed("50"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(
            parse_maxspeed("30 mph"),
            Some(MaxSpeed::Kmh(30.0 * 1.609_344))
        );
        assert_eq!(parse_maxspeed("none"), Some(MaxSpeed::Unlimited));
        assert_eq!(parse_maxspeed("FI:urban"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(parse_maxspeed("DE:rural"), Some(MaxSpeed::Kmh(100.0)));
        assert_eq!(parse_maxspeed("FI:rural"), Some(MaxSpeed::Kmh(80.0)));
        assert_eq!(parse_maxspeed("DE:zone30"), Some(MaxSpeed::Kmh(30.0)));
        assert_eq!(parse_maxspeed("DE:zone:20"), Some(MaxSpeed::Kmh(20.0)));
        assert_eq!(parse_maxspeed("DE:motorway"), Some(MaxSpeed::Unlimited));
        assert_eq!(parse_maxspeed("signals"), None);
        assert_eq!(parse_maxspeed("50;30"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(parse_maxspeed("fast"), None);
        let car = Profile::car();
        let truck = Profile::truck();
        let w = attrs(&car, &[("highway", "primary"), ("maxspeed", "50")]).unwrap();
        assert!((w.speed_fwd_kmh - 40.0).abs() < 1e-9);
        // Unknown implicit value: class default.
        let w = attrs(&car, &[("highway", "primary"), ("maxspeed", "XX:weird")]).unwrap();
        assert_eq!(w.speed_fwd_kmh, 65.0);
        // Truck top speed caps every road.
        let w = attrs(&truck, &[("highway", "motorway"), ("maxspeed", "none")]).unwrap();
        assert_eq!(w.speed_fwd_kmh, 80.0);
        let w = attrs(
            &truck,
            &[
                ("highway", "trunk"),
                ("maxspeed", "100"),
                ("maxspeed:hgv", "60"),
            ],
        )
        .unwrap();
        assert!((w.speed_fwd_kmh - 48.0).abs() < 1e-9);
        let w = attrs(
            &car,
            &[
                ("highway", "primary"),
                ("maxspeed:forward", "100"),
                ("maxspeed:backward", "50"),
            ],
        )
        .unwrap();
        assert!(w.speed_fwd_kmh > w.speed_bwd_kmh);
    }

    #[test]
    fn service_roads() {
        let car = Profile::car();
        assert!(attrs(
            &car,
            &[("highway", "service"), ("service", "emergency_access")]
        )
        .is_none());
        let w = attrs(
            &car,
            &[("highway", "service"), ("service", "parking_aisle")],
        )
        .unwrap();
        assert_eq!(w.speed_fwd_kmh, 10.0);
        assert_eq!(
            attrs(&car, &[("highway", "service")])
                .unwrap()
                .speed_fwd_kmh,
            15.0
        );
    }

    #[test]
    fn barriers() {
        let car = Profile::car();
        let truck = Profile::truck();
        assert!(car.node_blocks(&[("barrier", "bollard")][..]));
        assert!(!car.node_blocks(&[("barrier", "bollard"), ("motor_vehicle", "yes")][..]));
        assert!(!car.node_blocks(&[("barrier", "gate")][..]));
        assert!(car.node_blocks(&[("barrier", "gate"), ("access", "private")][..]));
        assert!(!car.node_blocks(&[("barrier", "lift_gate")][..]));
        assert!(!car.node_blocks(&[("highway", "traffic_signals")][..]));
        assert!(truck.node_blocks(&[("barrier", "height_restrictor")][..]));
        assert!(truck.node_blocks(&[("barrier", "gate"), ("maxheight", "3.5")][..]));
    }

    #[test]
    fn restrictions() {
        use crate::graph::RestrictionKind;
        let car = Profile::car();
        let truck = Profile::truck();
        let no_left = [("type", "restriction"), ("restriction", "no_left_turn")];
        assert_eq!(
            car.restriction_kind(&no_left[..]),
            Some(RestrictionKind::No)
        );
        let only = [("type", "restriction"), ("restriction", "only_straight_on")];
        assert_eq!(car.restriction_kind(&only[..]), Some(RestrictionKind::Only));
        let hgv = [
            ("type", "restriction"),
            ("restriction:hgv", "no_right_turn"),
        ];
        assert_eq!(car.restriction_kind(&hgv[..]), None);
        assert_eq!(truck.restriction_kind(&hgv[..]), Some(RestrictionKind::No));
        let except = [
            ("type", "restriction"),
            ("restriction", "no_left_turn"),
            ("except", "psv;hgv"),
        ];
        assert_eq!(car.restriction_kind(&except[..]), Some(RestrictionKind::No));
        assert_eq!(truck.restriction_kind(&except[..]), None);
        assert_eq!(car.restriction_kind(&[("type", "multipolygon")][..]), None);
    }

    #[test]
    fn by_name() {
        assert_eq!(
            Profile::by_name("truck").unwrap().vehicle.weight_kg,
            26_000.0
        );
        assert!(matches!(
            Profile::by_name("boat"),
            Err(Error::UnknownProfile(_))
        ));
    }
}
