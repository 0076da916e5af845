//! Profile validation and JSON loading: every number finite and in range, at least one
//! routable road class, so imports and turn models never see a nonsensical profile.

use super::types::*;
use crate::error::{Error, Result};

impl Profile {
    /// Reads a profile from JSON (the serde form of [`Profile`], as stored in graph files)
    /// and validates it like [`ProfileBuilder::build`](super::ProfileBuilder::build).
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
    ///
    /// Errors are [`Error::InvalidProfile`] naming the key: an unknown key
    /// (`vehicle.weigth_kg: unknown field ...`), a value of the wrong type, or a value out of
    /// range (`vehicle.weight_kg must be positive and finite`).
    pub fn from_json(text: &str) -> Result<Profile> {
        let de = &mut serde_json::Deserializer::from_str(text);
        let p: Profile = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Error::InvalidProfile(if path.is_empty() || path == "." {
                inner.to_string()
            } else {
                format!("{path}: {inner}")
            })
        })?;
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
            ("vehicle.weight_kg", v.weight_kg),
            ("vehicle.height_m", v.height_m),
            ("vehicle.width_m", v.width_m),
            ("vehicle.length_m", v.length_m),
            ("max_speed_kmh", self.max_speed_kmh),
        ] {
            if !(x.is_finite() && x > 0.0) {
                return bad(format!("{what} must be positive and finite, got {x}"));
            }
        }
        if let Some(axle) = v.axle_load_kg {
            if !(axle.is_finite() && axle > 0.0 && axle <= v.weight_kg) {
                return bad(format!(
                    "vehicle.axle_load_kg must be positive and at most vehicle.weight_kg ({}), got {axle}",
                    v.weight_kg
                ));
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
                    "speeds_kmh.{} must be positive and finite, got {s} (leave the class out to exclude it)",
                    class.as_str()
                ));
            }
        }
        if self.speeds_kmh.is_empty() {
            return bad("no road class is routable (speeds_kmh is empty)".into());
        }
        for (table, speeds) in [
            ("service_speeds_kmh", &self.service_speeds_kmh),
            ("surface_speeds_kmh", &self.surface_speeds_kmh),
            ("tracktype_speeds_kmh", &self.tracktype_speeds_kmh),
            ("smoothness_speeds_kmh", &self.smoothness_speeds_kmh),
        ] {
            for (value, s) in speeds {
                if !(s.is_finite() && *s >= 0.0) {
                    return bad(format!(
                        "{table}.{value} must be >= 0 and finite (0 closes the way), got {s}"
                    ));
                }
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
                return bad(format!(
                    "turn_costs.{what} must be >= 0 and finite, got {x}"
                ));
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
                    "turn_costs.shape (sigmoid) needs max_s >= 0, bias > 0, oncoming_s >= 0, got {max_s}, {bias}, {oncoming_s}"
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
                    "turn_costs.node_delays.{what} must be >= 0 and finite, got {x}"
                ));
            }
        }
        if self.access_tags.is_empty() {
            return bad("access_tags must name at least one key (e.g. \"access\")".into());
        }
        Ok(())
    }
}
