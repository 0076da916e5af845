//! Turn instructions: OSRM's turn types and direction modifiers
//! (`guidance/turn_instruction.hpp`), their API names, and `getTurnDirection`.

/// OSRM's `TurnType`, in OSRM's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TurnType {
    NewName,
    Continue,
    Turn,
    Merge,
    OnRamp,
    OffRamp,
    Fork,
    EndOfRoad,
    Notification,
    EnterRoundabout,
    EnterAndExitRoundabout,
    EnterRotary,
    EnterAndExitRotary,
    EnterRoundaboutIntersection,
    EnterAndExitRoundaboutIntersection,
    /// Silent: nothing happens here.
    NoTurn,
    /// Silent: an intersection passed without an instruction.
    Suppressed,
    EnterRoundaboutAtExit,
    ExitRoundabout,
    EnterRotaryAtExit,
    ExitRotary,
    EnterRoundaboutIntersectionAtExit,
    ExitRoundaboutIntersection,
    StayOnRoundabout,
}

impl TurnType {
    /// The `maneuver.type` OSRM's API reports.
    pub(crate) fn api_name(self) -> &'static str {
        use TurnType::*;
        match self {
            NewName => "new name",
            Continue => "continue",
            Turn => "turn",
            Merge => "merge",
            OnRamp => "on ramp",
            OffRamp => "off ramp",
            Fork => "fork",
            EndOfRoad => "end of road",
            Notification | NoTurn | Suppressed | StayOnRoundabout => "notification",
            EnterRoundabout | EnterRoundaboutAtExit => "roundabout",
            EnterAndExitRoundabout | ExitRoundabout | ExitRoundaboutIntersection => {
                "exit roundabout"
            }
            EnterRotary | EnterRotaryAtExit => "rotary",
            EnterAndExitRotary | ExitRotary => "exit rotary",
            EnterRoundaboutIntersection
            | EnterAndExitRoundaboutIntersection
            | EnterRoundaboutIntersectionAtExit => "roundabout turn",
        }
    }

    /// No instruction is announced (OSRM's `hasTurnType` is false or `Suppressed`).
    pub(crate) fn is_silent(self) -> bool {
        matches!(self, TurnType::NoTurn | TurnType::Suppressed)
    }

    /// OSRM's `entersRoundabout`.
    pub(crate) fn enters_roundabout(self) -> bool {
        use TurnType::*;
        matches!(
            self,
            EnterRoundabout
                | EnterRotary
                | EnterRoundaboutIntersection
                | EnterRoundaboutAtExit
                | EnterRotaryAtExit
                | EnterRoundaboutIntersectionAtExit
                | EnterAndExitRoundabout
                | EnterAndExitRotary
                | EnterAndExitRoundaboutIntersection
        )
    }

    /// OSRM's `leavesRoundabout`.
    pub(crate) fn leaves_roundabout(self) -> bool {
        use TurnType::*;
        matches!(
            self,
            ExitRoundabout
                | ExitRotary
                | ExitRoundaboutIntersection
                | EnterAndExitRoundabout
                | EnterAndExitRotary
                | EnterAndExitRoundaboutIntersection
        )
    }

    /// OSRM's `staysOnRoundabout`.
    pub(crate) fn stays_on_roundabout(self) -> bool {
        use TurnType::*;
        matches!(
            self,
            StayOnRoundabout
                | EnterRoundaboutAtExit
                | EnterRotaryAtExit
                | EnterRoundaboutIntersectionAtExit
        )
    }

    /// OSRM's `hasRoundaboutType`.
    pub(crate) fn is_roundabout(self) -> bool {
        self.enters_roundabout() || self.leaves_roundabout() || self.stays_on_roundabout()
    }

    /// An entry into a rotary.
    pub(crate) fn is_rotary_entry(self) -> bool {
        matches!(self, TurnType::EnterRotary | TurnType::EnterRotaryAtExit)
    }

    /// An entry into a roundabout that is announced as a turn.
    pub(crate) fn is_roundabout_intersection_entry(self) -> bool {
        matches!(
            self,
            TurnType::EnterRoundaboutIntersection | TurnType::EnterRoundaboutIntersectionAtExit
        )
    }
}

/// OSRM's `DirectionModifier`, in OSRM's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Modifier {
    UTurn,
    SharpRight,
    Right,
    SlightRight,
    Straight,
    SlightLeft,
    Left,
    SharpLeft,
}

impl Modifier {
    /// The `maneuver.modifier` OSRM's API reports.
    pub(crate) fn api_name(self) -> &'static str {
        match self {
            Modifier::UTurn => "uturn",
            Modifier::SharpRight => "sharp right",
            Modifier::Right => "right",
            Modifier::SlightRight => "slight right",
            Modifier::Straight => "straight",
            Modifier::SlightLeft => "slight left",
            Modifier::Left => "left",
            Modifier::SharpLeft => "sharp left",
        }
    }

    /// The same turn to the other side (OSRM's `mirrorDirectionModifier`).
    pub(crate) fn mirror(self) -> Self {
        match self {
            Modifier::UTurn => Modifier::UTurn,
            Modifier::SharpRight => Modifier::SharpLeft,
            Modifier::Right => Modifier::Left,
            Modifier::SlightRight => Modifier::SlightLeft,
            Modifier::Straight => Modifier::Straight,
            Modifier::SlightLeft => Modifier::SlightRight,
            Modifier::Left => Modifier::Right,
            Modifier::SharpLeft => Modifier::SharpRight,
        }
    }

    /// Turns to the left side.
    pub(crate) fn is_left(self) -> bool {
        matches!(
            self,
            Modifier::SlightLeft | Modifier::Left | Modifier::SharpLeft
        )
    }

    /// Turns to the right side.
    pub(crate) fn is_right(self) -> bool {
        matches!(
            self,
            Modifier::SlightRight | Modifier::Right | Modifier::SharpRight
        )
    }
}

/// OSRM's `getTurnDirection` of a turn angle (0 = U-turn, 90 = right, 180 = straight).
pub(crate) fn turn_direction(angle: f64) -> Modifier {
    match angle {
        a if a > 0.0 && a < 60.0 => Modifier::SharpRight,
        a if (60.0..140.0).contains(&a) => Modifier::Right,
        a if (140.0..160.0).contains(&a) => Modifier::SlightRight,
        a if (160.0..=200.0).contains(&a) => Modifier::Straight,
        a if a > 200.0 && a <= 220.0 => Modifier::SlightLeft,
        a if a > 220.0 && a <= 300.0 => Modifier::Left,
        a if a > 300.0 && a < 360.0 => Modifier::SharpLeft,
        _ => Modifier::UTurn,
    }
}

/// A turn instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Instruction {
    pub kind: TurnType,
    pub modifier: Modifier,
}

impl Instruction {
    pub(crate) fn new(kind: TurnType, modifier: Modifier) -> Self {
        Instruction { kind, modifier }
    }

    /// Nothing happens.
    pub(crate) fn no_turn() -> Self {
        Instruction::new(TurnType::NoTurn, Modifier::UTurn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osrm_turn_directions() {
        assert_eq!(turn_direction(180.0), Modifier::Straight);
        assert_eq!(turn_direction(90.0), Modifier::Right);
        assert_eq!(turn_direction(270.0), Modifier::Left);
        assert_eq!(turn_direction(150.0), Modifier::SlightRight);
        assert_eq!(turn_direction(210.0), Modifier::SlightLeft);
        assert_eq!(turn_direction(30.0), Modifier::SharpRight);
        assert_eq!(turn_direction(330.0), Modifier::SharpLeft);
        assert_eq!(turn_direction(0.0), Modifier::UTurn);
        assert_eq!(Modifier::SharpRight.mirror(), Modifier::SharpLeft);
        assert_eq!(TurnType::EnterRotary.api_name(), "rotary");
        assert!(TurnType::EnterAndExitRoundabout.leaves_roundabout());
    }
}
