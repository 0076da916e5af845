//! [`ProfileBuilder`]: a custom vehicle from a preset plus the knobs that differ; `build`
//! validates, so an invalid profile is an error here rather than a strange graph later.

use super::types::*;
use crate::error::{Error, Result};

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

    /// Heaviest axle load in kilograms (compared with `maxaxleload`).
    pub fn axle_load_kg(mut self, kg: f64) -> Self {
        self.profile.vehicle.axle_load_kg = Some(kg);
        self
    }

    /// Whether the vehicle tows a trailer (`trailer=no` closes roads to it).
    pub fn trailer(mut self, trailer: bool) -> Self {
        self.profile.vehicle.trailer = trailer;
        self
    }

    /// Whether the vehicle carries dangerous goods (`hazmat=no`, `hazmat:water=no` close
    /// roads to it).
    pub fn hazmat(mut self, hazmat: bool) -> Self {
        self.profile.vehicle.hazmat = hazmat;
        self
    }

    /// All dimensions at once.
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

    /// Speed cap on ways with this `surface=*` value, km/h; 0 closes them.
    pub fn surface_speed(mut self, surface: &str, kmh: f64) -> Self {
        self.profile
            .surface_speeds_kmh
            .insert(surface.to_string(), kmh);
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

    /// Side of the road traffic drives on (decides which side is the kerb): a
    /// [`DrivingSide`] fixes it for every road, [`DrivingSideRule::Auto`] (the default) looks
    /// it up per road.
    pub fn driving_side(mut self, side: impl Into<DrivingSideRule>) -> Self {
        self.profile.turn_costs.driving_side = side.into();
        self
    }

    /// When the vehicle drives: `*:conditional` tags are evaluated at this moment on import.
    pub fn access_at(mut self, at: AccessTime) -> Self {
        self.profile.access_at = Some(at);
        self
    }

    /// The profile, validated by [`Profile::validate`]. A custom vehicle may not take the
    /// name of a built-in profile ([`Profile::PRESETS`] and their aliases) unless it equals it: graph files
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
