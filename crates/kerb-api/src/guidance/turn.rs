//! The instruction of every road at an intersection, after OSRM's `IntersectionHandler` and
//! `TurnHandler` (`src/guidance/intersection_handler.cpp`, `turn_handler.cpp`): obvious turns
//! (same road continuing, or one road much straighter than the rest), forks, ends of road,
//! conflicting turns to the same side, ramps and merges; names decide between `new name`,
//! `continue` and silence.

use super::instruction::{turn_direction, Instruction, Modifier, TurnType};
use super::intersection::{angular_deviation, ConnectedRoad, Intersection, STRAIGHT_ANGLE};
use super::names::requires_name_announced;
use super::road::{can_be_seen_as_fork, is_link_to, strictly_less, Classification, Road};

/// OSRM's intersection constants (`extractor/intersection/constants.hpp`).
pub(crate) const MAXIMAL_ALLOWED_NO_TURN_DEVIATION: f64 = 3.0;
pub(crate) const NARROW_TURN_ANGLE: f64 = 40.0;
pub(crate) const GROUP_ANGLE: f64 = 60.0;
pub(crate) const FUZZY_ANGLE_DIFFERENCE: f64 = 25.0;
const DISTINCTION_RATIO: f64 = 2.0;
const PRIORITY_DISTINCTION_FACTOR: f64 = 1.75;
const INCREASES_BY_FOURTY_PERCENT: f64 = 1.4;

/// OSRM's classification equality (lanes do not count).
pub(crate) fn same_class(a: Classification, b: Classification) -> bool {
    a.priority == b.priority
        && a.motorway == b.motorway
        && a.link == b.link
        && a.low_priority == b.low_priority
}

/// OSRM's `obviousByRoadClass`.
fn obvious_by_road_class(
    via: Classification,
    candidate: Classification,
    compare: Classification,
) -> bool {
    let has_high_priority =
        PRIORITY_DISTINCTION_FACTOR * (candidate.priority as f64) < compare.priority as f64;
    let continues_on_same_class = same_class(via, candidate);
    (has_high_priority && continues_on_same_class)
        || (!candidate.low_priority && !via.low_priority && compare.low_priority)
}

fn announce(a: &Road, b: &Road) -> bool {
    requires_name_announced(a, b, true)
}

/// OSRM's `detail::requiresAnnouncement`: the two roads differ in anything guidance shows.
fn requires_announcement(a: &Road, b: &Road) -> bool {
    !same_class(a.class, b.class)
        || a.on_ring() != b.on_ring()
        || a.name != b.name
        || a.reference != b.reference
        || a.destinations != b.destinations
        || a.classes != b.classes
        || a.mode != b.mode
}

/// The roads seen as a view that may be mirrored (left and right swapped), as OSRM's
/// `assignLeftTurns` does to reuse `assignRightTurns`.
struct View {
    /// View position -> road index; position 0 is the road arrived by.
    order: Vec<usize>,
    mirrored: bool,
}

/// Computes the instructions of all roads of an intersection.
pub(crate) struct TurnHandler<'i, 'a> {
    ix: &'i Intersection<'a>,
    out: Vec<Option<Instruction>>,
}

impl<'i, 'a> TurnHandler<'i, 'a> {
    fn via(&self) -> &Road<'a> {
        self.ix.in_road()
    }

    fn road(&self, i: usize) -> &ConnectedRoad<'a> {
        &self.ix.roads[i]
    }

    /// OSRM's `findBasicTurnType`.
    fn basic_type(&self, i: usize) -> TurnType {
        let via = self.via();
        let road = &self.road(i).road;
        // Leaving a motorway by a ramp is an exit (OSRM's motorway handler).
        if via.class.is_motorway() && road.class.is_ramp() {
            return TurnType::OffRamp;
        }
        if !via.class.is_ramp() && road.class.is_ramp() {
            return TurnType::OnRamp;
        }
        if !via.name.is_empty() && !road.name.is_empty() && !announce(via, road) {
            return TurnType::Continue;
        }
        TurnType::Turn
    }

    /// OSRM's `getInstructionForObvious`.
    fn obvious_instruction(&self, num_roads: usize, through_street: bool, i: usize) -> Instruction {
        let kind = self.basic_type(i);
        let r = self.road(i);
        let dir = turn_direction(r.angle);
        if kind == TurnType::OnRamp || kind == TurnType::OffRamp {
            return Instruction::new(kind, dir);
        }
        if angular_deviation(r.angle, 0.0) < 0.01 {
            return Instruction::new(TurnType::Continue, Modifier::UTurn);
        }
        let via = self.via();
        let needs_notification = via.mode != r.road.mode;
        // A ramp joining a motorway that comes in beside it merges (OSRM's motorway handler).
        let motorway_joins = self
            .ix
            .roads
            .iter()
            .skip(1)
            .any(|o| o.out_edge.is_none() && o.road.class.is_motorway());
        if via.class.is_ramp() && r.road.class.is_motorway() && motorway_joins {
            let m = if r.angle > STRAIGHT_ANGLE {
                Modifier::SlightRight
            } else {
                Modifier::SlightLeft
            };
            return Instruction::new(TurnType::Merge, m);
        }
        if kind == TurnType::Turn {
            if announce(via, &r.road) {
                if through_street {
                    if r.road.class.is_motorway() {
                        let m = if r.angle > STRAIGHT_ANGLE {
                            Modifier::SlightRight
                        } else {
                            Modifier::SlightLeft
                        };
                        return Instruction::new(TurnType::Merge, m);
                    }
                    if via.class.is_ramp() && r.road.class.is_ramp() {
                        return Instruction::new(
                            if needs_notification {
                                TurnType::Notification
                            } else {
                                TurnType::Suppressed
                            },
                            dir,
                        );
                    }
                    // Nearly straight onto a road that goes on for a while: straight on.
                    const MAX_COLLAPSE_DISTANCE: f64 = 30.0;
                    let m = if angular_deviation(r.angle, STRAIGHT_ANGLE) < NARROW_TURN_ANGLE
                        && r.length_m > 2.0 * MAX_COLLAPSE_DISTANCE
                    {
                        Modifier::Straight
                    } else {
                        dir
                    };
                    return Instruction::new(TurnType::Turn, m);
                }
                return Instruction::new(
                    if needs_notification {
                        TurnType::Notification
                    } else {
                        TurnType::NewName
                    },
                    dir,
                );
            }
            if needs_notification {
                return Instruction::new(TurnType::Notification, dir);
            }
            let silent = if num_roads == 2 && via.classes == r.road.classes {
                TurnType::NoTurn
            } else {
                TurnType::Suppressed
            };
            return Instruction::new(silent, dir);
        }
        // Continue.
        if needs_notification {
            return Instruction::new(TurnType::Notification, dir);
        }
        if num_roads > 2 || via.classes != r.road.classes {
            Instruction::new(TurnType::Suppressed, dir)
        } else {
            Instruction::new(TurnType::NoTurn, dir)
        }
    }

    /// OSRM's `isThroughStreet`: another road continues road `i` straight on with its name.
    fn is_through_street(&self, i: usize) -> bool {
        let at = self.road(i);
        if at.road.name.is_empty() {
            return false;
        }
        (1..self.ix.roads.len()).filter(|&j| j != i).any(|j| {
            let r = self.road(j);
            angular_deviation(r.angle, at.angle) > STRAIGHT_ANGLE - FUZZY_ANGLE_DIFFERENCE
                && r.road.name == at.road.name
                && same_class(r.road.class, at.road.class)
        })
    }

    /// OSRM's `roadHasLowerClass` (in `intersection_handler.hpp`).
    fn road_has_lower_class(
        from: Classification,
        to: Classification,
        compare: Classification,
    ) -> bool {
        let lanes_reduced = compare.lanes > 0 && compare.lanes + 1 < from.lanes;
        (strictly_less(compare, from) && strictly_less(compare, to) && lanes_reduced)
            || (is_link_to(compare, from) && is_link_to(compare, to))
    }

    /// OSRM's `IsDistinctNarrowTurn`.
    fn is_distinct_narrow(&self, c: usize) -> bool {
        let via = self.via();
        let cand = self.road(c);
        let cand_dev = angular_deviation(cand.angle, STRAIGHT_ANGLE);
        let no_name_change_to_candidate = !announce(via, &cand.road);
        let four_or_more = self.ix.roads.len() >= 4;
        let similar = |j: usize| -> bool {
            if j == c {
                return false;
            }
            let road = self.road(j);
            if cand_dev < NARROW_TURN_ANGLE && !road.entry {
                return false;
            }
            let compare_dev = angular_deviation(road.angle, STRAIGHT_ANGLE);
            let lanes = |x: Classification| x.lanes;
            let is_lane_fork = lanes(road.road.class) > 0
                && lanes(cand.road.class) == lanes(road.road.class)
                && lanes(via.class) == lanes(cand.road.class) + lanes(road.road.class)
                && angular_deviation(cand.angle, road.angle) < GROUP_ANGLE;
            let distinct = compare_dev > DISTINCTION_RATIO * cand_dev
                && (compare_dev - cand_dev).abs() > FUZZY_ANGLE_DIFFERENCE / 2.0;
            let slightly_distinct = compare_dev > 0.7 * DISTINCTION_RATIO * cand_dev;
            let via_restricted = via.classes.contains(&"restricted");
            let cand_restricted = cand.road.classes.contains(&"restricted");
            let compare_restricted = road.road.classes.contains(&"restricted");
            if !via_restricted && !cand_restricted && compare_restricted && distinct {
                return false;
            }
            if via.on_ring() == cand.road.on_ring()
                && via.on_ring() != road.road.on_ring()
                && cand_dev < compare_dev
            {
                return false;
            }
            let name_changes_to_compare = announce(via, &road.road);
            if (no_name_change_to_candidate || name_changes_to_compare) && !is_lane_fork && distinct
            {
                return false;
            }
            let opposing = self.ix.closest_bearing((road.bearing + 180.0) % 360.0);
            let opposing_road = self.road(opposing);
            let no_name_change_from_opposing = !announce(&opposing_road.road, &road.road);
            let opposing_angle = angular_deviation(road.angle, opposing_road.angle);
            let opposing_distinct =
                no_name_change_from_opposing || opposing_angle > STRAIGHT_ANGLE - NARROW_TURN_ANGLE;
            if four_or_more && opposing_distinct && distinct {
                return false;
            }
            if four_or_more
                && no_name_change_to_candidate
                && name_changes_to_compare
                && slightly_distinct
                && no_name_change_from_opposing
                && opposing_angle > STRAIGHT_ANGLE - FUZZY_ANGLE_DIFFERENCE
            {
                return false;
            }
            if !four_or_more
                && no_name_change_to_candidate
                && name_changes_to_compare
                && distinct
                && !is_lane_fork
                && opposing_angle > STRAIGHT_ANGLE - GROUP_ANGLE
            {
                return false;
            }
            // From a road below secondary, every distinct road is different.
            if via.class.priority > 6 && distinct {
                return false;
            }
            if lanes(cand.road.class) > 0
                && lanes(cand.road.class) == lanes(via.class)
                && cand_dev < FUZZY_ANGLE_DIFFERENCE
                && distinct
            {
                return false;
            }
            let same_priority = via.class.priority == cand.road.class.priority;
            let compare_lower = cand.road.class.priority < road.road.class.priority;
            let compare_higher = cand.road.class.priority > road.road.class.priority + 4;
            if same_priority && compare_lower && no_name_change_to_candidate && slightly_distinct {
                return false;
            }
            if same_priority && compare_higher && no_name_change_to_candidate && slightly_distinct {
                return false;
            }
            if Self::road_has_lower_class(via.class, cand.road.class, road.road.class) {
                return false;
            }
            let compare_lower_group = via.class.group() < road.road.class.group();
            let cand_compare_different = announce(&cand.road, &road.road);
            if same_priority
                && compare_lower_group
                && cand_compare_different
                && name_changes_to_compare
            {
                return false;
            }
            if same_priority && road.road.class.link {
                return false;
            }
            true
        };
        !(1..self.ix.roads.len()).any(similar)
    }

    /// OSRM's `IsDistinctWideTurn` (without the initial/perceived bearing refinement: kerb
    /// has one bearing per road).
    fn is_distinct_wide(&self, c: usize) -> bool {
        let via = self.via();
        let cand = self.road(c);
        let cand_dev = angular_deviation(cand.angle, STRAIGHT_ANGLE);
        let similar = |j: usize| -> bool {
            if j == c {
                return false;
            }
            let road = self.road(j);
            let compare_dev = angular_deviation(road.angle, STRAIGHT_ANGLE);
            let is_compare_straight = turn_direction(road.angle) == Modifier::Straight;
            if !is_compare_straight
                && Self::road_has_lower_class(via.class, cand.road.class, road.road.class)
            {
                return false;
            }
            if compare_dev > DISTINCTION_RATIO * cand_dev {
                return false;
            }
            true
        };
        !(1..self.ix.roads.len()).any(similar)
    }

    fn is_distinct(&self, c: usize) -> bool {
        if angular_deviation(self.road(c).angle, STRAIGHT_ANGLE) < GROUP_ANGLE {
            self.is_distinct_narrow(c)
        } else {
            self.is_distinct_wide(c)
        }
    }

    /// OSRM's `findObviousTurn`.
    fn find_obvious(&self) -> Option<usize> {
        let n = self.ix.roads.len();
        if n == 1 {
            return None;
        }
        if n == 2 {
            return Some(1);
        }
        let via = self.via();
        let valid = |i: usize| -> Option<usize> {
            (via.on_ring() == self.road(i).road.on_ring() && i != 0).then_some(i)
        };
        let continues = self.ix.closest_turn(STRAIGHT_ANGLE, |r| {
            if !r.entry {
                return true;
            }
            if via.name.is_empty() && !via.class.low_priority {
                return true;
            }
            if r.road.name.is_empty() && !r.road.class.low_priority {
                return true;
            }
            if via.name.is_empty() != r.road.name.is_empty() {
                return true;
            }
            if strictly_less(r.road.class, via.class) {
                return true;
            }
            if is_link_to(r.road.class, via.class) {
                return true;
            }
            announce(via, &r.road)
        });
        if let Some(c) = continues {
            if self.is_distinct(c) {
                return valid(c);
            }
        }
        let straightmost_same_class = self.ix.closest_turn(STRAIGHT_ANGLE, |r| {
            !r.entry
                || strictly_less(r.road.class, via.class)
                || is_link_to(r.road.class, via.class)
        });
        if let Some(c) = straightmost_same_class {
            if self.is_distinct(c) {
                return valid(c);
            }
        }
        let straightmost_valid = self.ix.closest_turn(STRAIGHT_ANGLE, |r| !r.entry)?;
        let non_sharp = (0..n)
            .filter(|&i| angular_deviation(self.road(i).angle, STRAIGHT_ANGLE) <= 90.0)
            .count();
        let sv = self.road(straightmost_valid);
        let straight_is_only_non_sharp =
            angular_deviation(sv.angle, STRAIGHT_ANGLE) <= 90.0 && non_sharp == 1;
        if Some(straightmost_valid) != straightmost_same_class
            && (angular_deviation(STRAIGHT_ANGLE, sv.angle) <= GROUP_ANGLE
                || straight_is_only_non_sharp)
            && !sv.road.class.low_priority
            && self.is_distinct(straightmost_valid)
        {
            return valid(straightmost_valid);
        }
        if sv.road.class.is_motorway()
            && angular_deviation(sv.angle, STRAIGHT_ANGLE) <= GROUP_ANGLE
            && self.ix.count_enterable() == 1
        {
            return valid(straightmost_valid);
        }
        let all_same_name = self
            .ix
            .roads
            .iter()
            .all(|r| !r.road.name.is_empty() && r.road.name == via.name);
        if n == 3
            && all_same_name
            && self.ix.count_enterable() == 1
            && (angular_deviation(self.road(1).angle, 90.0) > NARROW_TURN_ANGLE
                || angular_deviation(self.road(2).angle, 270.0) > NARROW_TURN_ANGLE)
        {
            return valid(straightmost_valid);
        }
        None
    }

    fn set(&mut self, i: usize, ins: Instruction) {
        self.out[i] = Some(ins);
    }

    fn basic(&self, i: usize) -> Instruction {
        Instruction::new(self.basic_type(i), turn_direction(self.road(i).angle))
    }

    fn assign_trivial(&mut self, from: usize, to: usize) {
        for i in from..to {
            if self.road(i).entry {
                let b = self.basic(i);
                self.set(i, b);
            }
        }
    }

    /// OSRM's `isObviousOfTwo`.
    fn is_obvious_of_two(&self, road: usize, other: usize) -> bool {
        let via = self.via();
        let (r, o) = (self.road(road), self.road(other));
        if obvious_by_road_class(via.class, r.road.class, o.road.class) {
            return true;
        }
        if obvious_by_road_class(via.class, o.road.class, r.road.class) {
            return false;
        }
        let perfectly_straight = angular_deviation(r.angle, STRAIGHT_ANGLE) < f64::EPSILON;
        if !via.name.is_empty() && perfectly_straight && !announce(via, &r.road) {
            return true;
        }
        let (od, rd) = (
            angular_deviation(o.angle, STRAIGHT_ANGLE),
            angular_deviation(r.angle, STRAIGHT_ANGLE),
        );
        od / rd > INCREASES_BY_FOURTY_PERCENT && angular_deviation(od, rd) > FUZZY_ANGLE_DIFFERENCE
    }

    /// OSRM's `findFork`: two or three roads around straight on, separated from the rest.
    /// Returns (right index, left index) into the roads.
    fn find_fork(&self) -> Option<(usize, usize)> {
        let n = self.ix.roads.len();
        if n < 3 {
            return None;
        }
        let straightmost = self.ix.closest_turn(STRAIGHT_ANGLE, |_| false)?;
        if angular_deviation(self.road(straightmost).angle, STRAIGHT_ANGLE) > NARROW_TURN_ANGLE {
            return None;
        }
        let outermost = |a: usize, b: usize| {
            let (r1, r2) = (self.road(a), self.road(b));
            angular_deviation(r2.angle, STRAIGHT_ANGLE) > NARROW_TURN_ANGLE
                && (angular_deviation(r1.angle, r2.angle) > NARROW_TURN_ANGLE
                    || angular_deviation(r1.angle, STRAIGHT_ANGLE) > GROUP_ANGLE)
        };
        // Right: walk from straightmost towards the right (lower indices).
        let mut right = straightmost;
        while right > 1 && !outermost(right, right - 1) {
            right -= 1;
        }
        let mut left = straightmost;
        while left + 1 < n && !outermost(left, left + 1) {
            left += 1;
        }
        if !(right < left && left - right < 3) {
            return None;
        }
        let next_left = if left + 1 == n { 0 } else { left + 1 };
        let separated_left =
            angular_deviation(self.road(left).angle, self.road(next_left).angle) >= GROUP_ANGLE;
        let separated_right =
            angular_deviation(self.road(right).angle, self.road(right - 1).angle) >= GROUP_ANGLE;
        let has_obvious = (right..left)
            .any(|i| self.is_obvious_of_two(i, i + 1) || self.is_obvious_of_two(i + 1, i));
        let via = self.via();
        let right_link = self.road(right).road.class.link;
        let compatible = (right..=left).all(|i| self.road(i).road.class.link == right_link)
            && (right..=left).all(|a| {
                (right..=left).all(|b| {
                    a == b
                        || !obvious_by_road_class(
                            via.class,
                            self.road(a).road.class,
                            self.road(b).road.class,
                        )
                })
            });
        let all_entries = (right..=left).all(|i| self.road(i).entry);
        let same_mode = (right..=left).all(|i| self.road(i).road.mode == via.mode);
        (separated_left
            && separated_right
            && !has_obvious
            && compatible
            && all_entries
            && same_mode)
            .then_some((right, left))
    }

    /// OSRM's two-road `assignFork`.
    fn assign_fork2(&mut self, left: usize, right: usize) {
        let via = self.via().clone();
        let (l, r) = (self.road(left).clone(), self.road(right).clone());
        let low_left = l.road.class.low_priority;
        let low_right = r.road.class.low_priority;
        let suppressed = |road: &ConnectedRoad| {
            if road.road.mode == via.mode {
                TurnType::Suppressed
            } else {
                TurnType::Notification
            }
        };
        let ld = angular_deviation(l.angle, STRAIGHT_ANGLE);
        let rd = angular_deviation(r.angle, STRAIGHT_ANGLE);
        if ld < MAXIMAL_ALLOWED_NO_TURN_DEVIATION && rd > FUZZY_ANGLE_DIFFERENCE {
            self.assign_fork2_straight(left, right, left, right);
            return;
        }
        if rd < MAXIMAL_ALLOWED_NO_TURN_DEVIATION && ld > FUZZY_ANGLE_DIFFERENCE {
            self.assign_fork2_straight(right, left, left, right);
            return;
        }
        let left_ins = if low_right && !low_left {
            Instruction::new(suppressed(&l), Modifier::SlightLeft)
        } else if low_left && !low_right {
            Instruction::new(TurnType::Turn, Modifier::SlightLeft)
        } else {
            Instruction::new(TurnType::Fork, Modifier::SlightLeft)
        };
        let right_ins = if low_left && !low_right {
            Instruction::new(suppressed(&r), Modifier::SlightRight)
        } else if low_right && !low_left {
            Instruction::new(TurnType::Turn, Modifier::SlightRight)
        } else {
            Instruction::new(TurnType::Fork, Modifier::SlightRight)
        };
        self.set(left, left_ins);
        self.set(right, right_ins);
    }

    /// The part of OSRM's two-road `assignFork` where road `straight` goes on almost straight
    /// and `other` bends away (the fork's roads are `left` and `right`): the straight road is
    /// obvious over a low-priority other road, both are slight turns when the straight one is
    /// the low-priority road, a fork otherwise; without a name/class change to announce, the
    /// straight road is suppressed.
    fn assign_fork2_straight(&mut self, straight: usize, other: usize, left: usize, right: usize) {
        let slight = |i: usize| {
            debug_assert!(i == left || i == right);
            if i == left {
                Modifier::SlightLeft
            } else {
                Modifier::SlightRight
            }
        };
        let (s, o) = (self.road(straight).clone(), self.road(other).clone());
        let (s_low, o_low) = (s.road.class.low_priority, o.road.class.low_priority);
        let via_mode = self.via().mode;
        if !requires_announcement(self.via(), &s.road) {
            let kind = if s.road.mode == via_mode {
                TurnType::Suppressed
            } else {
                TurnType::Notification
            };
            self.set(straight, Instruction::new(kind, Modifier::Straight));
            let b = self.basic_type(other);
            self.set(other, Instruction::new(b, slight(other)));
        } else if o_low && !s_low {
            let ins = self.obvious_instruction(3, false, straight);
            self.set(straight, ins);
            let b = self.basic_type(other);
            self.set(other, Instruction::new(b, slight(other)));
        } else if s_low && !o_low {
            for i in [straight, other] {
                let b = self.basic_type(i);
                self.set(i, Instruction::new(b, slight(i)));
            }
        } else {
            for i in [straight, other] {
                self.set(i, Instruction::new(TurnType::Fork, slight(i)));
            }
        }
    }

    /// OSRM's three-road `assignFork`.
    fn assign_fork3(&mut self, left: usize, center: usize, right: usize) {
        let (le, ce, re) = (
            self.road(left).entry,
            self.road(center).entry,
            self.road(right).entry,
        );
        if le && ce && re {
            self.set(left, Instruction::new(TurnType::Fork, Modifier::SlightLeft));
            let c = self.road(center).clone();
            let ins = if angular_deviation(c.angle, 180.0) < MAXIMAL_ALLOWED_NO_TURN_DEVIATION
                && !requires_announcement(self.via(), &c.road)
            {
                Instruction::new(TurnType::Suppressed, Modifier::Straight)
            } else {
                Instruction::new(TurnType::Fork, Modifier::Straight)
            };
            self.set(center, ins);
            self.set(
                right,
                Instruction::new(TurnType::Fork, Modifier::SlightRight),
            );
        } else if le {
            if re {
                self.assign_fork2(left, right);
            } else if ce {
                self.assign_fork2(left, center);
            } else {
                let b = self.basic(left);
                self.set(left, b);
            }
        } else if re {
            if ce {
                self.assign_fork2(center, right);
            } else {
                let b = self.basic(right);
                self.set(right, b);
            }
        } else if ce {
            let b = self.basic(center);
            self.set(center, b);
        }
    }

    fn view_angle(&self, v: &View, p: usize) -> f64 {
        let a = self.road(v.order[p]).angle;
        if v.mirrored && a != 0.0 {
            360.0 - a
        } else {
            a
        }
    }

    fn view_set(&mut self, v: &View, p: usize, kind: TurnType, m: Modifier) {
        let m = if v.mirrored { m.mirror() } else { m };
        self.set(v.order[p], Instruction::new(kind, m));
    }

    fn view_trivial(&mut self, v: &View, from: usize, to: usize) {
        for p in from..to {
            let i = v.order[p];
            if self.road(i).entry {
                let kind = self.basic_type(i);
                let m = turn_direction(self.view_angle(v, p));
                self.view_set(v, p, kind, m);
            }
        }
    }

    /// OSRM's `handleDistinctConflict` on view positions `left` and `right`.
    fn distinct_conflict(&mut self, v: &View, left: usize, right: usize) {
        let (li, ri) = (v.order[left], v.order[right]);
        let (la, ra) = (self.view_angle(v, left), self.view_angle(v, right));
        let (le, re) = (self.road(li).entry, self.road(ri).entry);
        if !le || !re || la == ra {
            if le {
                let k = self.basic_type(li);
                self.view_set(v, left, k, turn_direction(la));
            }
            if re {
                let k = self.basic_type(ri);
                self.view_set(v, right, k, turn_direction(ra));
            }
            return;
        }
        let (ld, rd) = (turn_direction(la), turn_direction(ra));
        if ld == Modifier::Straight || ld == Modifier::SlightLeft || rd == Modifier::SlightRight {
            if self.road(li).road.class.priority > self.road(ri).road.class.priority {
                let o = self.obvious_instruction(4, false, ri);
                self.view_set(
                    v,
                    right,
                    o.kind,
                    if v.mirrored {
                        o.modifier.mirror()
                    } else {
                        o.modifier
                    },
                );
                let k = self.basic_type(li);
                self.view_set(v, left, k, Modifier::SlightLeft);
            } else {
                let o = self.obvious_instruction(4, false, li);
                self.view_set(
                    v,
                    left,
                    o.kind,
                    if v.mirrored {
                        o.modifier.mirror()
                    } else {
                        o.modifier
                    },
                );
                let k = self.basic_type(ri);
                self.view_set(v, right, k, Modifier::SlightRight);
            }
            return;
        }
        let (lt, rt) = (self.basic_type(li), self.basic_type(ri));
        let (lm, rm) = if angular_deviation(la, 90.0) < MAXIMAL_ALLOWED_NO_TURN_DEVIATION {
            (Modifier::Right, Modifier::SharpRight)
        } else if angular_deviation(ra, 90.0) < MAXIMAL_ALLOWED_NO_TURN_DEVIATION {
            (Modifier::SlightRight, Modifier::Right)
        } else if angular_deviation(la, 270.0) < MAXIMAL_ALLOWED_NO_TURN_DEVIATION {
            (Modifier::Left, Modifier::SlightLeft)
        } else if angular_deviation(ra, 270.0) < MAXIMAL_ALLOWED_NO_TURN_DEVIATION
            || ld == Modifier::SharpLeft
        {
            (Modifier::SharpLeft, Modifier::Left)
        } else if rd == Modifier::SharpRight {
            (Modifier::Right, Modifier::SharpRight)
        } else if la <= 180.0 {
            if angular_deviation(la, 85.0) >= angular_deviation(ra, 85.0) {
                (Modifier::SlightRight, Modifier::Right)
            } else {
                (Modifier::Right, Modifier::SharpRight)
            }
        } else if angular_deviation(la, 265.0) >= angular_deviation(ra, 265.0) {
            (Modifier::SharpLeft, Modifier::Left)
        } else {
            (Modifier::Left, Modifier::SlightLeft)
        };
        self.view_set(v, left, lt, lm);
        self.view_set(v, right, rt, rm);
    }

    /// OSRM's `assignRightTurns` on view positions `1..up_to`.
    fn assign_right_view(&mut self, v: &View, up_to: usize) {
        let valid = (1..up_to).filter(|&p| self.road(v.order[p]).entry).count();
        if up_to <= 1 || valid == 0 {
            return;
        }
        let entry = |s: &Self, p: usize| s.road(v.order[p]).entry;
        match up_to {
            2 => self.view_trivial(v, 1, 2),
            3 => {
                let d1 = turn_direction(self.view_angle(v, 1));
                let d2 = turn_direction(self.view_angle(v, 2));
                if d1 == d2 {
                    self.distinct_conflict(v, 2, 1);
                } else {
                    self.view_trivial(v, 1, 3);
                }
            }
            4 => {
                let a = [1, 2, 3].map(|p| self.view_angle(v, p));
                let d = a.map(turn_direction);
                let n_entry = [1, 2, 3].iter().filter(|&&p| entry(self, p)).count();
                if d[0] != d[1] && d[1] != d[2] {
                    self.view_trivial(v, 1, 4);
                } else if n_entry <= 2 {
                    if !entry(self, 3) {
                        self.distinct_conflict(v, 2, 1);
                    } else if !entry(self, 1) {
                        self.distinct_conflict(v, 3, 2);
                    } else {
                        self.distinct_conflict(v, 3, 1);
                    }
                } else if angular_deviation(a[0], a[1]) >= NARROW_TURN_ANGLE
                    && angular_deviation(a[1], a[2]) >= NARROW_TURN_ANGLE
                {
                    for (p, m) in [
                        (1, Modifier::SharpRight),
                        (2, Modifier::Right),
                        (3, Modifier::SlightRight),
                    ] {
                        let k = self.basic_type(v.order[p]);
                        self.view_set(v, p, k, m);
                    }
                } else if (d[0] == d[1]
                    && (d[1] == d[2] || angular_deviation(a[1], a[2]) < GROUP_ANGLE))
                    || (d[1] == d[2] && angular_deviation(a[0], a[1]) < GROUP_ANGLE)
                {
                    self.view_trivial(v, 1, 4);
                } else if (d[0] == d[1] && angular_deviation(a[1], a[2]) >= GROUP_ANGLE)
                    || (d[1] == d[2] && angular_deviation(a[0], a[1]) >= GROUP_ANGLE)
                {
                    if angular_deviation(a[1], a[2]) >= GROUP_ANGLE {
                        self.distinct_conflict(v, 2, 1);
                        let k = self.basic_type(v.order[3]);
                        self.view_set(v, 3, k, d[2]);
                    } else {
                        let k = self.basic_type(v.order[1]);
                        self.view_set(v, 1, k, d[0]);
                        self.distinct_conflict(v, 3, 2);
                    }
                } else {
                    self.view_trivial(v, 1, 4);
                }
            }
            _ => self.view_trivial(v, 1, up_to),
        }
    }

    fn assign_right_turns(&mut self, up_to: usize) {
        let v = View {
            order: (0..self.ix.roads.len()).collect(),
            mirrored: false,
        };
        self.assign_right_view(&v, up_to);
    }

    /// OSRM's `assignLeftTurns`: the right-turn logic on the mirrored intersection for the
    /// roads from `starting_at` on.
    fn assign_left_turns(&mut self, starting_at: usize) {
        let n = self.ix.roads.len();
        let mut order = vec![0];
        order.extend((1..n).rev());
        let v = View {
            order,
            mirrored: true,
        };
        self.assign_right_view(&v, n - starting_at);
    }

    fn is_end_of_road(&self) -> bool {
        let (r, l) = (self.road(1), self.road(2));
        angular_deviation(r.angle, 90.0) < NARROW_TURN_ANGLE
            && angular_deviation(l.angle, 270.0) < NARROW_TURN_ANGLE
            && angular_deviation(r.angle, l.angle) > 2.0 * NARROW_TURN_ANGLE
    }

    fn three_way(&mut self) {
        let obvious = self.find_obvious();
        let all_links = self.ix.roads.iter().all(|r| r.road.class.link);
        let fork = self.find_fork();
        if let (Some((right, left)), true) = (fork, all_links || obvious.is_none()) {
            self.assign_fork2(left, right);
        } else if self.is_end_of_road() && obvious.is_none() {
            for (i, m) in [(1, Modifier::Right), (2, Modifier::Left)] {
                if self.road(i).entry {
                    let k = if self.basic_type(i) == TurnType::OnRamp {
                        TurnType::OnRamp
                    } else {
                        TurnType::EndOfRoad
                    };
                    self.set(i, Instruction::new(k, m));
                }
            }
        } else if let Some(o) = obvious {
            let d1 = turn_direction(self.road(1).angle);
            let d2 = turn_direction(self.road(2).angle);
            let ts = self.is_through_street(o);
            let ins = self.obvious_instruction(3, ts, o);
            self.set(o, ins);
            let other = if o == 1 { 2 } else { 1 };
            let dir = if d1 == d2 && d1 == Modifier::Straight {
                if o == 1 {
                    Modifier::SlightLeft
                } else {
                    Modifier::SlightRight
                }
            } else if other == 1 {
                d1
            } else {
                d2
            };
            let k = self.basic_type(other);
            self.set(other, Instruction::new(k, dir));
        } else {
            self.assign_trivial(1, 3);
        }
    }

    fn complex(&mut self) {
        let n = self.ix.roads.len();
        let obvious = self.find_obvious();
        let fork = self.find_fork();
        let Some(straightmost) = self.ix.closest_turn(STRAIGHT_ANGLE, |_| false) else {
            return;
        };
        let sm = self.road(straightmost).clone();
        let sm_dev = angular_deviation(sm.angle, STRAIGHT_ANGLE);
        if let Some(o) = obvious {
            let ts = self.is_through_street(o);
            let ins = self.obvious_instruction(n, ts, o);
            self.set(o, ins);
            self.assign_left_turns(o);
            self.assign_right_turns(o);
        } else if let Some((right, left)) = fork {
            if left - right == 1 {
                let (lc, rc) = (self.road(left).road.class, self.road(right).road.class);
                if can_be_seen_as_fork(lc, rc) {
                    self.assign_fork2(left, right);
                } else if lc.priority > rc.priority {
                    let o = self.obvious_instruction(n, false, right);
                    self.set(right, o);
                    let k = self.basic_type(left);
                    self.set(left, Instruction::new(k, Modifier::SlightLeft));
                } else {
                    let o = self.obvious_instruction(n, false, left);
                    self.set(left, o);
                    let k = self.basic_type(right);
                    self.set(right, Instruction::new(k, Modifier::SlightRight));
                }
            } else {
                self.assign_fork3(left, right + 1, right);
            }
            self.assign_left_turns(left);
            self.assign_right_turns(right);
        } else if sm_dev < FUZZY_ANGLE_DIFFERENCE && !sm.entry {
            self.assign_left_turns(straightmost);
            self.assign_right_turns(straightmost);
        } else if sm.angle > 180.0 {
            self.assign_left_turns(straightmost - 1);
            self.assign_right_turns(straightmost);
        } else if sm.angle < 180.0 {
            self.assign_left_turns(straightmost);
            self.assign_right_turns(straightmost + 1);
        } else {
            self.assign_trivial(1, n);
        }
    }

    /// A turn announced as `straight` next to a road that goes straighter on is a slight turn
    /// to its side (OSRM's driveway handler and its `second_direction` rule: two roads
    /// cannot both be announced as straight on).
    fn distinguish_straight_turns(&mut self) {
        let n = self.ix.roads.len();
        for i in 1..n {
            let Some(ins) = self.out[i] else {
                continue;
            };
            if ins.modifier != Modifier::Straight
                || ins.kind.is_silent()
                || !matches!(ins.kind, TurnType::Turn | TurnType::Continue)
            {
                continue;
            }
            let dev = angular_deviation(self.road(i).angle, STRAIGHT_ANGLE);
            let straighter = (1..n).any(|j| {
                j != i
                    && self.road(j).entry
                    && angular_deviation(self.road(j).angle, STRAIGHT_ANGLE) < dev
            });
            if straighter {
                let m = if self.road(i).angle > STRAIGHT_ANGLE {
                    Modifier::SlightLeft
                } else {
                    Modifier::SlightRight
                };
                self.set(i, Instruction::new(ins.kind, m));
            }
        }
    }

    /// The instructions of every road of `ix` (`None` where none was assigned).
    pub(crate) fn run(ix: &'i Intersection<'a>) -> Vec<Option<Instruction>> {
        let n = ix.roads.len();
        let mut h = TurnHandler {
            ix,
            out: vec![None; n],
        };
        if n == 1 {
            return h.out;
        }
        if ix.roads[0].entry {
            let k = h.basic_type(0);
            h.set(0, Instruction::new(k, Modifier::UTurn));
        }
        match n {
            2 => {
                let o = h.obvious_instruction(2, false, 1);
                h.set(1, o);
            }
            3 => h.three_way(),
            _ => h.complex(),
        }
        h.distinguish_straight_turns();
        h.out
    }
}
