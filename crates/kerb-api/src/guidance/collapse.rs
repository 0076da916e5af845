//! OSRM's turn collapsing (`src/engine/guidance/collapse_turns.cpp` and
//! `collapse_scenario_detection.cpp`): manoeuvres close together that a driver perceives as
//! one (a U-turn over a short connector, staggered intersections, a turn followed by a name
//! change a few metres on, a choiceless turn right after a turn) become one step.

use super::instruction::{turn_direction, Modifier, TurnType};
use super::intersection::{angular_deviation, turn_angle};
use super::names::requires_name_announced;
use super::step::{Step, StepKind};
use super::turn::NARROW_TURN_ANGLE;

/// OSRM's `MAX_COLLAPSE_DISTANCE` (metres).
const MAX_COLLAPSE_DISTANCE: f64 = 30.0;
const MAX_STAGGERED_DISTANCE: f64 = 3.0;

fn kind(s: &Step) -> TurnType {
    if s.kind == StepKind::Turn {
        s.instruction.kind
    } else {
        TurnType::NoTurn
    }
}

fn has_type(s: &Step, t: TurnType) -> bool {
    s.kind == StepKind::Turn && s.instruction.kind == t
}

fn has_modifier(s: &Step, m: Modifier) -> bool {
    s.kind == StepKind::Turn && s.instruction.modifier == m
}

fn is_waypoint(s: &Step) -> bool {
    s.kind != StepKind::Turn
}

/// OSRM's `haveSameName` (engine variant: no suffix table).
pub(crate) fn have_same_name(a: &Step, b: &Step) -> bool {
    let has = |s: &Step| !s.road.name.is_empty() || !s.road.reference.is_empty();
    has(a) && has(b) && !requires_name_announced(&a.road, &b.road, false)
}

fn allowed_turns(s: &Step) -> usize {
    s.intersections[0].entry.iter().filter(|&&e| e).count()
}

fn no_intermediary_intersections(s: &Step) -> bool {
    s.intersections.iter().skip(1).all(|i| i.entry.len() == 2)
}

fn is_short_and_undisturbed(s: &Step) -> bool {
    s.distance_m <= MAX_COLLAPSE_DISTANCE && no_intermediary_intersections(s)
}

fn entry_bearing(s: &Step) -> Option<f64> {
    let i = &s.intersections[0];
    i.in_.map(|k| (i.bearings[k] as f64 + 180.0) % 360.0)
}

fn exit_bearing(s: &Step) -> Option<f64> {
    let i = &s.intersections[0];
    i.out.map(|k| i.bearings[k] as f64)
}

/// Turn angle at a step's own intersection.
fn step_angle(s: &Step) -> f64 {
    match (entry_bearing(s), exit_bearing(s)) {
        (Some(a), Some(b)) => turn_angle(a, b),
        _ => 180.0,
    }
}

/// OSRM's `bearingsAreReversed`.
fn bearings_are_reversed(bearing_in: f64, bearing_out: f64) -> bool {
    let left_turn_angle = if bearing_in >= bearing_out {
        bearing_in - bearing_out
    } else {
        bearing_in + 360.0 - bearing_out
    };
    angular_deviation(left_turn_angle, 180.0) <= 35.0
}

/// OSRM's `totalTurnAngle` from the entry of `entry` to the exit of `exit`.
fn total_turn_angle(entry: &Step, exit: &Step) -> f64 {
    match (entry_bearing(entry), exit_bearing(exit)) {
        (Some(a), Some(b)) => turn_angle(a, b),
        _ => 180.0,
    }
}

fn same_side(a: &Step, b: &Step) -> bool {
    let left = |s: &Step| has_modifier(s, Modifier::Straight) || s.instruction.modifier.is_left();
    let right = |s: &Step| has_modifier(s, Modifier::Straight) || s.instruction.modifier.is_right();
    (left(a) && left(b)) || (right(a) && right(b))
}

fn no_bad_u_turn(a: &Step, b: &Step) -> bool {
    let has_u = has_modifier(a, Modifier::UTurn) || has_modifier(b, Modifier::UTurn);
    let from_name_change = has_type(a, TurnType::NewName) && has_modifier(b, Modifier::UTurn);
    let into_name_change = has_type(b, TurnType::NewName) && has_modifier(a, Modifier::UTurn);
    !has_u || from_name_change || into_name_change
}

fn basic2(a: &Step, b: &Step) -> bool {
    !kind(a).is_roundabout()
        && !kind(b).is_roundabout()
        && !is_waypoint(a)
        && !is_waypoint(b)
        && a.road.mode == b.road.mode
        && no_bad_u_turn(a, b)
}

fn basic3(a: &Step, b: &Step, c: &Step) -> bool {
    let bad = !no_bad_u_turn(a, b) && !no_bad_u_turn(b, c);
    !kind(a).is_roundabout()
        && !kind(b).is_roundabout()
        && !kind(c).is_roundabout()
        && a.road.mode == b.road.mode
        && b.road.mode == c.road.mode
        && !bad
}

fn is_staggered(prior: &Step, entering: &Step, leaving: &Step) -> bool {
    if kind(entering).enters_roundabout() || kind(leaving).enters_roundabout() {
        return false;
    }
    let is_right = |a: f64| a > 45.0 && a < 135.0;
    let is_left = |a: f64| a > 225.0 && a < 315.0;
    let (ae, al) = (step_angle(entering), step_angle(leaving));
    let left_right = is_left(ae) && is_right(al);
    let right_left = is_right(ae) && is_left(al);
    let intermediary_mode_change =
        prior.road.mode == leaving.road.mode && entering.road.mode != leaving.road.mode;
    let mode_change_entering = prior.road.mode != entering.road.mode;
    entering.distance_m < MAX_STAGGERED_DISTANCE
        && (left_right || right_left)
        && !intermediary_mode_change
        && !mode_change_entering
        && no_intermediary_intersections(entering)
}

fn is_link_road(pre: &Step, link: &Step, post: &Step) -> bool {
    link.distance_m <= 2.0 * MAX_COLLAPSE_DISTANCE
        && link.road.name.is_empty()
        && !pre.road.name.is_empty()
        && !post.road.name.is_empty()
        && no_intermediary_intersections(link)
}

fn is_u_turn(prior: &Step, entering: &Step, leaving: &Step) -> bool {
    if !basic3(prior, entering, leaving) {
        return false;
    }
    if !(has_type(entering, TurnType::Turn)
        || has_type(entering, TurnType::Continue)
        || has_type(entering, TurnType::EndOfRoad))
    {
        return false;
    }
    let (Some(a), Some(b)) = (entry_bearing(entering), exit_bearing(leaving)) else {
        return false;
    };
    if !bearings_are_reversed(a, b) {
        return false;
    }
    if !have_same_name(prior, leaving) {
        return false;
    }
    let only_allowed = allowed_turns(leaving) == 1 && no_intermediary_intersections(entering);
    is_short_and_undisturbed(entering) || is_link_road(prior, entering, leaving) || only_allowed
}

fn is_name_oscillation(prior: &Step, entering: &Step, leaving: &Step) -> bool {
    if !basic3(prior, entering, leaving) {
        return false;
    }
    let straight_turn =
        |s: &Step| has_type(s, TurnType::Turn) && has_modifier(s, Modifier::Straight);
    let name_changes = (has_type(entering, TurnType::NewName) || straight_turn(entering))
        && (has_type(leaving, TurnType::NewName)
            || (has_type(leaving, TurnType::Suppressed) && leaving.road.name.is_empty())
            || straight_turn(leaving));
    name_changes && have_same_name(prior, leaving)
}

fn is_name_change(s: &Step) -> bool {
    has_type(s, TurnType::NewName)
        || ((has_type(s, TurnType::Turn) || has_type(s, TurnType::Continue))
            && has_modifier(s, Modifier::Straight))
}

fn is_maneuver(s: &Step) -> bool {
    s.kind == StepKind::Turn
        && s.instruction.kind != TurnType::NoTurn
        && s.instruction.kind != TurnType::Suppressed
}

fn preceded_by_name_change(prior: &Step, entering: &Step, leaving: &Step) -> bool {
    basic3(prior, entering, leaving)
        && is_short_and_undisturbed(entering)
        && is_name_change(entering)
        && is_maneuver(leaving)
}

fn preceded_by_suppressed_direction(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && is_short_and_undisturbed(entering)
        && allowed_turns(entering) > 1
        && has_type(entering, TurnType::Suppressed)
        && !has_modifier(entering, Modifier::Straight)
        && is_maneuver(leaving)
        && same_side(entering, leaving)
}

fn succeeded_by_name_change(entering: &Step, leaving: &Step) -> bool {
    if !basic2(entering, leaving) {
        return false;
    }
    let strong = has_type(leaving, TurnType::NewName)
        && has_modifier(leaving, Modifier::Straight)
        && entering.distance_m <= 1.5 * MAX_COLLAPSE_DISTANCE;
    let choiceless = has_type(leaving, TurnType::NewName)
        && allowed_turns(leaving) == 1
        && entering.distance_m <= 1.5 * MAX_COLLAPSE_DISTANCE;
    (is_short_and_undisturbed(entering) || strong || choiceless)
        && is_name_change(leaving)
        && is_maneuver(entering)
}

fn name_change_after_suppressed(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && entering.distance_m < 0.25 * MAX_COLLAPSE_DISTANCE
        && has_type(entering, TurnType::Suppressed)
        && has_type(leaving, TurnType::NewName)
}

fn succeeded_by_suppressed_direction(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && is_short_and_undisturbed(entering)
        && has_type(leaving, TurnType::Suppressed)
        && !has_modifier(leaving, Modifier::Straight)
        && is_maneuver(entering)
        && same_side(entering, leaving)
}

fn close_choiceless_after_turn(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && is_short_and_undisturbed(entering)
        && !has_modifier(entering, Modifier::Straight)
        && allowed_turns(leaving) == 1
        && !has_type(leaving, TurnType::Suppressed)
}

fn straight_followed_by_choiceless(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && entering.distance_m <= 2.0 * MAX_COLLAPSE_DISTANCE
        && (has_type(entering, TurnType::Continue) || has_type(entering, TurnType::Turn))
        && has_modifier(entering, Modifier::Straight)
        && allowed_turns(leaving) == 1
        && no_intermediary_intersections(entering)
}

fn suppressed_straight_between_turns(entering: &Step, center: &Step, leaving: &Step) -> bool {
    if !basic3(entering, center, leaving) {
        return false;
    }
    let (de, dc) = (entering.distance_m, center.distance_m);
    let both_short = de < 0.8 * MAX_COLLAPSE_DISTANCE && dc < 0.8 * MAX_COLLAPSE_DISTANCE;
    let similar = (de < 5.0 && dc < 5.0) || de.min(dc) / de.max(dc) > 0.75;
    let types = has_type(center, TurnType::Suppressed)
        && has_modifier(center, Modifier::Straight)
        && (has_type(entering, TurnType::Turn) || has_type(entering, TurnType::Continue))
        && (has_type(leaving, TurnType::Turn)
            || has_type(leaving, TurnType::Continue)
            || has_type(leaving, TurnType::OnRamp));
    let total = total_turn_angle(entering, leaving);
    let not_u = total > NARROW_TURN_ANGLE && total < 360.0 - NARROW_TURN_ANGLE;
    both_short && similar && types && not_u
}

fn double_choiceless(entering: &Step, leaving: &Step) -> bool {
    basic2(entering, leaving)
        && allowed_turns(leaving) == 1
        && entering.intersections.len() == 2
        && entering.intersections[1]
            .entry
            .iter()
            .filter(|&&e| e)
            .count()
            == 1
        && entering.distance_m < 1.5 * MAX_COLLAPSE_DISTANCE
}

/// OSRM's `findTotalTurnAngle`.
fn find_total_turn_angle(entry: &Step, exit: &Step) -> f64 {
    let (Some(eb_in), Some(eb_out), Some(xb_in), Some(xb_out)) = (
        entry_bearing(entry),
        exit_bearing(entry),
        entry_bearing(exit),
        exit_bearing(exit),
    ) else {
        return 180.0;
    };
    let exit_angle = turn_angle(xb_in, xb_out);
    let entry_angle = turn_angle(eb_in, eb_out);
    let total = turn_angle(eb_in, xb_out);
    let use_total = if angular_deviation(total, 180.0) < 0.5 * NARROW_TURN_ANGLE {
        false
    } else {
        entry.distance_m < MAX_COLLAPSE_DISTANCE
            || (entry_angle <= 185.0 && exit_angle <= 185.0)
            || (entry_angle >= 175.0 && exit_angle >= 175.0)
    };
    if use_total {
        total
    } else {
        entry_angle
    }
}

/// How a combined step's instruction is chosen.
enum Strategy<'s, 'a> {
    /// A fixed instruction.
    Fixed(TurnType, Modifier),
    /// Staggered intersection: straight on, a new name unless the name stays.
    Staggered(&'s Step<'a>),
    /// OSRM's `AdjustToCombinedTurnStrategy` with the step before the intersection.
    Combined(&'s Step<'a>),
}

fn apply(strategy: &Strategy, at: &mut Step, from: &Step) {
    match strategy {
        Strategy::Fixed(k, m) => {
            at.instruction.kind = *k;
            at.instruction.modifier = *m;
        }
        Strategy::Staggered(prior) => {
            at.instruction.modifier = Modifier::Straight;
            at.instruction.kind = if have_same_name(prior, from) {
                TurnType::Suppressed
            } else {
                TurnType::NewName
            };
        }
        Strategy::Combined(prior) => {
            let angle = find_total_turn_angle(at, from);
            let new_modifier = if has_type(at, TurnType::Fork) || has_type(at, TurnType::Merge) {
                at.instruction.modifier
            } else {
                turn_direction(angle)
            };
            let non_turn = |s: &Step| {
                has_type(s, TurnType::NewName)
                    || ((has_type(s, TurnType::Turn) || has_type(s, TurnType::Continue))
                        && has_modifier(s, Modifier::Straight))
            };
            let from_non_turn = non_turn(from);
            let at_non_turn = non_turn(at) || has_type(at, TurnType::Suppressed);
            if from_non_turn || at_non_turn {
                if has_type(at, TurnType::Suppressed) {
                    at.instruction.kind = if new_modifier == Modifier::Straight {
                        TurnType::NewName
                    } else if have_same_name(prior, from) {
                        TurnType::Continue
                    } else {
                        TurnType::Turn
                    };
                } else if (has_type(at, TurnType::NewName)
                    && has_type(from, TurnType::Suppressed)
                    && new_modifier != Modifier::Straight)
                    || (has_type(at, TurnType::Continue) && !have_same_name(prior, from))
                {
                    at.instruction.kind = TurnType::Turn;
                } else if has_type(at, TurnType::Turn)
                    && !has_type(from, TurnType::Suppressed)
                    && have_same_name(prior, from)
                {
                    at.instruction.kind = TurnType::Continue;
                }
            } else if has_type(from, TurnType::OnRamp) {
                at.instruction.kind = TurnType::OnRamp;
            } else if has_type(at, TurnType::Turn)
                && has_type(from, TurnType::Turn)
                && have_same_name(prior, from)
            {
                at.instruction.kind = TurnType::Continue;
            } else if has_type(at, TurnType::Continue)
                && has_type(from, TurnType::Turn)
                && !have_same_name(prior, from)
            {
                at.instruction.kind = TurnType::Turn;
            }
            at.instruction.modifier = new_modifier;
        }
    }
}

/// OSRM's `combineRouteSteps`: `steps[at]` takes over `steps[from]`, with its signage when
/// `signage` is set.
fn combine(steps: &mut [Step], at: usize, from: usize, strategy: Strategy, signage: bool) {
    let from_step = steps[from].clone();
    apply(&strategy, &mut steps[at], &from_step);
    // `at` is always the earlier step: it keeps the location and absorbs the later one.
    steps[at].elongate_by(&from_step);
    if signage {
        steps[at].adapt_signage(&from_step);
        steps[at].rotary_name = from_step.rotary_name.clone();
    }
    steps[from].invalid = true;
}

/// `steps[a]` absorbs `steps[b]` (OSRM's `suppressStep`).
fn suppress(steps: &mut [Step], a: usize, b: usize) {
    let other = steps[b].clone();
    steps[a].elongate_by(&other);
    steps[b].invalid = true;
}

fn next_turn(steps: &[Step], i: usize) -> usize {
    let mut j = i + 1;
    while j + 1 < steps.len() && steps[j].invalid {
        j += 1;
    }
    j
}

fn previous_turn(steps: &[Step], i: usize) -> usize {
    let mut j = i.saturating_sub(1);
    while j > 0 && steps[j].invalid {
        j -= 1;
    }
    j
}

/// OSRM's `collapseTurnInstructions`.
pub(crate) fn collapse(mut steps: Vec<Step>) -> Vec<Step> {
    if steps.len() <= 2 {
        return steps;
    }
    let mut cur = 1;
    while cur + 1 < steps.len() {
        if steps[cur].invalid || kind(&steps[cur]) == TurnType::NoTurn {
            cur += 1;
            continue;
        }
        let k = kind(&steps[cur]);
        if k.enters_roundabout() || k.stays_on_roundabout() {
            cur += 1;
            continue;
        }
        let next = next_turn(&steps, cur);
        if is_waypoint(&steps[next]) {
            break;
        }
        let prev = previous_turn(&steps, cur);
        if steps[cur].road.mode != steps[next].road.mode {
            cur += 1;
            continue;
        }
        let prior = steps[prev].clone();
        if is_staggered(&steps[prev], &steps[cur], &steps[next]) {
            combine(&mut steps, cur, next, Strategy::Staggered(&prior), true);
        } else if is_u_turn(&steps[prev], &steps[cur], &steps[next]) {
            combine(
                &mut steps,
                cur,
                next,
                Strategy::Fixed(TurnType::Continue, Modifier::UTurn),
                true,
            );
        } else if is_name_oscillation(&steps[prev], &steps[cur], &steps[next]) {
            suppress(&mut steps, cur, next);
            suppress(&mut steps, prev, cur);
        } else if preceded_by_name_change(&steps[prev], &steps[cur], &steps[next])
            || preceded_by_suppressed_direction(&steps[cur], &steps[next])
        {
            let cur_step = steps[cur].clone();
            apply(&Strategy::Combined(&prior), &mut steps[next], &cur_step);
            suppress(&mut steps, prev, cur);
        } else if succeeded_by_name_change(&steps[cur], &steps[next])
            || name_change_after_suppressed(&steps[cur], &steps[next])
            || succeeded_by_suppressed_direction(&steps[cur], &steps[next])
            || close_choiceless_after_turn(&steps[cur], &steps[next])
            || straight_followed_by_choiceless(&steps[cur], &steps[next])
        {
            combine(&mut steps, cur, next, Strategy::Combined(&prior), true);
        } else if suppressed_straight_between_turns(&steps[prev], &steps[cur], &steps[next]) {
            let far_back = steps[previous_turn(&steps, prev)].clone();
            suppress(&mut steps, prev, cur);
            combine(&mut steps, prev, next, Strategy::Combined(&far_back), true);
        }
        if !steps[cur].invalid {
            let new_next = next_turn(&steps, cur);
            if new_next < steps.len() && double_choiceless(&steps[cur], &steps[new_next]) {
                combine(&mut steps, cur, new_next, Strategy::Combined(&prior), true);
            }
        }
        let prev = previous_turn(&steps, cur);
        if !is_waypoint(&steps[prev]) && !steps[cur].invalid {
            let far_back = previous_turn(&steps, prev);
            if is_u_turn(&steps[far_back], &steps[prev], &steps[cur]) {
                combine(
                    &mut steps,
                    prev,
                    cur,
                    Strategy::Fixed(TurnType::Continue, Modifier::UTurn),
                    true,
                );
            }
        }
        cur += 1;
    }
    steps.into_iter().filter(|s| !s.invalid).collect()
}
