//! The turn model: the signed angle between two bearings and the penalty of a turn by that
//! angle (linear, or OSRM car.lua's sigmoid), for a profile's turn costs.

use crate::profile::{DrivingSide, TurnCosts, TurnShape};

/// Turns whose direction changes by at most this many degrees count as straight on.
const STRAIGHT_DEG: f64 = 30.0;

/// Signed change of direction in degrees, in (-180, 180]; positive turns right.
pub(super) fn turn_angle(bearing_in: f64, bearing_out: f64) -> f64 {
    let mut d = bearing_out - bearing_in;
    while d > 180.0 {
        d -= 360.0;
    }
    while d <= -180.0 {
        d += 360.0;
    }
    d
}

/// Penalty in seconds of a turn by `angle` degrees (positive = right) at an intersection
/// where traffic drives on `side` (the arriving road's side: which turn crosses traffic).
pub fn turn_penalty_s(costs: &TurnCosts, side: DrivingSide, angle: f64) -> f64 {
    if let TurnShape::Sigmoid {
        max_s,
        bias,
        oncoming_s,
    } = costs.shape
    {
        // OSRM car.lua's process_turn, angle in degrees, positive to the right.
        let (bias, across) = match side {
            DrivingSide::Right => (bias, angle < 0.0),
            DrivingSide::Left => (1.0 / bias, angle > 0.0),
        };
        let a = angle.abs() / 180.0;
        let turn = if angle >= 0.0 {
            max_s / (1.0 + (-((13.0 / bias) * a - 6.5 * bias)).exp())
        } else {
            max_s / (1.0 + (-((13.0 * bias) * a - 6.5 / bias)).exp())
        };
        let oncoming = if across {
            oncoming_s / (1.0 + (-(13.0 * a - 3.25)).exp())
        } else {
            0.0
        };
        return turn + oncoming;
    }
    if angle.abs() <= STRAIGHT_DEG {
        return costs.straight_s;
    }
    let right = angle > 0.0;
    let with_traffic = match side {
        DrivingSide::Right => right,
        DrivingSide::Left => !right,
    };
    let base = if with_traffic {
        costs.right_s
    } else {
        costs.left_s
    };
    base * angle.abs() / 90.0
}

/// Seconds as integer milliseconds, clamped so sums of a few cannot overflow.
pub(super) fn ms(seconds: f64) -> u32 {
    (seconds * 1000.0).round().clamp(0.0, u32::MAX as f64 / 4.0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::DrivingSideRule;

    #[test]
    fn angles_and_penalties() {
        assert_eq!(turn_angle(350.0, 10.0), 20.0);
        assert_eq!(turn_angle(10.0, 350.0), -20.0);
        assert_eq!(turn_angle(0.0, 180.0), 180.0);
        let mut c = crate::Profile::car().turn_costs;
        c.shape = TurnShape::Linear;
        c.left_s = 4.0;
        c.right_s = 1.0;
        c.straight_s = 0.5;
        use DrivingSide::{Left, Right};
        assert_eq!(turn_penalty_s(&c, Right, 10.0), 0.5);
        assert_eq!(turn_penalty_s(&c, Right, 90.0), 1.0);
        assert_eq!(turn_penalty_s(&c, Right, -90.0), 4.0);
        assert_eq!(turn_penalty_s(&c, Left, 90.0), 4.0);
        assert_eq!(turn_penalty_s(&c, Left, -45.0), 0.5);
        // OSRM car.lua values: right 90 deg 2.10 s, left 90 deg 5.40 s + 1.93 s oncoming,
        // nearly nothing straight on, saturating at 7.5 s (+ 2 s oncoming) for sharp turns.
        let car = crate::Profile::car().turn_costs;
        let near = |a: f64, b: f64| (a - b).abs() < 0.01;
        assert!(
            near(turn_penalty_s(&car, Right, 90.0), 2.10),
            "{}",
            turn_penalty_s(&car, Right, 90.0)
        );
        assert!(near(turn_penalty_s(&car, Right, -90.0), 5.395 + 1.925));
        assert!(turn_penalty_s(&car, Right, 0.0) < 0.01);
        assert!(near(turn_penalty_s(&car, Right, 179.0), 7.46));
        assert!(near(
            turn_penalty_s(&car, Left, -90.0),
            turn_penalty_s(&car, Right, 90.0)
        ));
        // The profile's rule decides the side a road's turns are costed for.
        assert_eq!(DrivingSideRule::Auto.resolve(Some(Left)), Left);
        assert_eq!(DrivingSideRule::Auto.resolve(None), Right);
        assert_eq!(DrivingSideRule::Right.resolve(Some(Left)), Right);
        assert_eq!(DrivingSideRule::Left.resolve(Some(Right)), Left);
    }
}
