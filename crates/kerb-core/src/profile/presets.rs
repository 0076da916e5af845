//! The built-in profiles: [`Profile::car`], [`Profile::truck`] and lookup by name.
//! Speeds and access rules after OSRM's car profile and GraphHopper's truck profile.

use super::types::*;
use crate::error::{Error, Result};

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
            // car.lua's route_speeds, used when a ferry or car train has no `duration`.
            (Ferry, 5.0),
            (ShuttleTrain, 10.0),
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
            // As car.lua: an advisory speed (bends, hills) overrides the posted limit.
            maxspeed_tags: strings(&["maxspeed", "maxspeed:advisory"]),
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
            access_restricted: super::default_access_restricted(),
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
                driving_side: DrivingSideRule::Auto,
            },
            access_at: None,
            exclude: Vec::new(),
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
            driving_side: DrivingSideRule::Auto,
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

#[cfg(test)]
mod tests {
    use super::*;

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
