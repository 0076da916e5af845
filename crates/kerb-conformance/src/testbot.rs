//! OSRM's `testbot` profile rebuilt as a kerb profile: fixed speeds (primary 36, secondary 18,
//! tertiary 12, anything else 24 km/h), `maxspeed` caps, no access or barrier rules.

use kerb_core::{NodeDelays, Profile, RoadClass, TurnCosts, TurnShape, UTurnPolicy};

/// Barrier values testbot.lua ignores (it never looks at `barrier=*`), so all pass.
const BARRIERS: [&str; 8] = [
    "bollard",
    "block",
    "gate",
    "lift_gate",
    "kissing_gate",
    "stile",
    "wall",
    "fence",
];

/// The `testbot` profile after `profiles/testbot.lua`.
///
/// What kerb's profile model cannot express is listed in CONFORMANCE.md: `route=ferry` with
/// `duration`, `highway=river`/`steps` modes and highway values outside kerb's road classes.
pub fn profile() -> kerb_core::Result<Profile> {
    let mut b = Profile::builder("testbot")
        .max_speed_kmh(1000.0)
        .maxspeed_factor(1.0)
        // testbot.lua reads no access tags; a key no map uses keeps kerb's access rules idle.
        .access_tags(["testbot:access"])
        .turn_costs(TurnCosts {
            left_s: 0.0,
            right_s: 0.0,
            straight_s: 0.0,
            shape: TurnShape::Linear,
            node_delays: NodeDelays {
                traffic_signals_s: 7.0,
                stop_s: 0.0,
                give_way_s: 0.0,
            },
            u_turn_s: 20.0,
            u_turn: UTurnPolicy::Allowed,
            driving_side: kerb_core::DrivingSideRule::Right,
        });
    for class in RoadClass::ALL {
        let kmh = match class {
            RoadClass::Primary => 36.0,
            RoadClass::Secondary => 18.0,
            RoadClass::Tertiary => 12.0,
            _ => 24.0,
        };
        b = b.speed(class, kmh);
    }
    for barrier in BARRIERS {
        b = b.barrier_passable(barrier, true);
    }
    for service in ["parking_aisle", "driveway", "alley", "emergency_access"] {
        b = b.service_speed(service, 24.0);
    }
    b.build()
}

#[cfg(test)]
mod tests {
    #[test]
    fn testbot_speeds() {
        let p = super::profile().unwrap();
        assert_eq!(p.name, "testbot");
        assert_eq!(p.speeds_kmh[&kerb_core::RoadClass::Primary], 36.0);
        assert_eq!(p.speeds_kmh[&kerb_core::RoadClass::Residential], 24.0);
        assert_eq!(p.turn_costs.u_turn_s, 20.0);
    }
}
