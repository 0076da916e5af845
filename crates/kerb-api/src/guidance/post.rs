//! OSRM's step post-processing (`src/engine/guidance/post_processing.cpp`,
//! `collapse_turns.cpp`, `verbosity_reduction.cpp`): roundabout steps become one step with
//! its exit number, silent steps become intersections of the step before, and name changes
//! announced for a short stretch only are dropped.

use super::instruction::{turn_direction, TurnType};
use super::intersection::turn_angle;
use super::step::{Step, StepKind};

/// An end of road is only announced after passing this many intersections.
const MIN_END_OF_ROAD_INTERSECTIONS: usize = 2;
/// Name changes over less than this many metres are not announced.
const NAME_SEGMENT_CUTOFF_LENGTH: f64 = 105.0;

/// Runs the post-processing in OSRM's order.
pub(crate) fn process(steps: Vec<Step>) -> Vec<Step> {
    let steps = handle_roundabouts(steps);
    let mut steps = super::collapse::collapse(steps);
    super::lanes::anticipate_lane_change(&mut steps);
    let steps = merge_silent(steps);
    suppress_short_name_segments(steps)
}

fn remove_invalid(steps: Vec<Step>) -> Vec<Step> {
    steps.into_iter().filter(|s| !s.invalid).collect()
}

/// OSRM's `compressRange`: `steps[begin]` absorbs `begin+1..end` (not the arrive).
fn compress_range(steps: &mut [Step], begin: usize, end: usize) {
    for i in begin + 1..end {
        if steps[i].kind != StepKind::Arrive {
            let other = steps[i].clone();
            steps[begin].elongate_by(&other);
            steps[i].invalid = true;
        }
    }
}

fn kind(s: &Step) -> TurnType {
    if s.kind == StepKind::Turn {
        s.instruction.kind
    } else {
        TurnType::NoTurn
    }
}

/// OSRM's `processRoundaboutExits` on the steps `begin..end` of one ring passage.
fn process_exits(steps: &mut [Step], begin: usize, end: usize) {
    let last = end - 1;
    if !kind(&steps[last]).leaves_roundabout() {
        if kind(&steps[begin]).is_rotary_entry() {
            steps[begin].rotary_name = Some(steps[begin].road.name.to_string());
        } else if kind(&steps[begin]).is_roundabout_intersection_entry() {
            steps[begin].instruction.kind = TurnType::EnterRoundabout;
        }
        compress_range(steps, begin, end);
        return;
    }
    let exit = (begin..end)
        .filter(|&i| {
            let k = kind(&steps[i]);
            k.stays_on_roundabout() || k.leaves_roundabout()
        })
        .count();
    steps[last].exit = Some(exit);
    let begin_kind = kind(&steps[begin]);
    if begin_kind.enters_roundabout() {
        steps[begin].exit = Some(exit);
        if begin_kind.is_rotary_entry() {
            steps[begin].rotary_name = Some(steps[begin].road.name.to_string());
        } else if begin_kind.is_roundabout_intersection_entry() {
            // The turn from the road arrived by to the road left by.
            let entry = &steps[begin].intersections[0];
            let exit_ix = &steps[last].intersections[0];
            if let (Some(i), Some(o)) = (entry.in_, exit_ix.out) {
                let in_heading = (entry.bearings[i] as f64 + 180.0) % 360.0;
                let out_bearing = exit_ix.bearings[o] as f64;
                steps[begin].instruction.modifier =
                    turn_direction(turn_angle(in_heading, out_bearing));
            }
        }
        let last_step = steps[last].clone();
        steps[begin].adapt_signage(&last_step);
    }
    if begin_kind.is_roundabout_intersection_entry()
        && steps[begin].road.mode == steps[last].road.mode
    {
        compress_range(steps, begin, end);
    } else {
        compress_range(steps, begin, last);
    }
}

/// OSRM's `handleRoundabouts`.
fn handle_roundabouts(mut steps: Vec<Step>) -> Vec<Step> {
    let Some(first) = steps.iter().position(|s| kind(s).is_roundabout()) else {
        return steps;
    };
    let mut on = !kind(&steps[first]).enters_roundabout();
    // Group consecutive ring steps (from an entry to its exit).
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, step) in steps.iter().enumerate() {
        let k = kind(step);
        let in_group = if on {
            if k.leaves_roundabout() {
                on = false;
            }
            true
        } else {
            on = k.enters_roundabout();
            let r = on;
            if on {
                on = !k.leaves_roundabout();
            }
            r
        };
        match (in_group, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                groups.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        groups.push((s, steps.len()));
    }
    for (begin, end) in groups {
        let mut itr = begin;
        while itr < end {
            match (itr..end).find(|&i| kind(&steps[i]).leaves_roundabout()) {
                None => {
                    process_exits(&mut steps, itr, end);
                    itr = end;
                }
                Some(exit) => {
                    process_exits(&mut steps, itr, exit + 1);
                    itr = exit + 1;
                }
            }
        }
    }
    let mut steps = remove_invalid(steps);
    // Ring steps that stayed silent inside are gone; a remaining StayOnRoundabout has no
    // announcement of its own.
    for s in steps.iter_mut() {
        if s.kind == StepKind::Turn && s.instruction.kind == TurnType::StayOnRoundabout {
            s.instruction.kind = TurnType::Suppressed;
        }
    }
    steps
}

/// Silent steps become intersections of the step before, and an end of road reached without
/// passing an intersection is a plain turn (OSRM's `buildIntersections`).
fn merge_silent(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for mut s in steps {
        match out.last_mut() {
            Some(prev) if s.is_silent() => prev.elongate_by(&s),
            Some(prev) => {
                if s.kind == StepKind::Turn
                    && s.instruction.kind == TurnType::EndOfRoad
                    && prev.intersections.len() < MIN_END_OF_ROAD_INTERSECTIONS
                {
                    let has_name = !s.road.name.is_empty() || !s.road.reference.is_empty();
                    let same_name = has_name
                        && !super::names::requires_name_announced(&prev.road, &s.road, false);
                    s.instruction.kind = if same_name {
                        TurnType::Continue
                    } else {
                        TurnType::Turn
                    };
                }
                out.push(s);
            }
            None => out.push(s),
        }
    }
    out
}

/// OSRM's `suppressShortNameSegments`: a new name that lasts less than
/// `NAME_SEGMENT_CUTOFF_LENGTH` (or repeats the name before) is not announced.
fn suppress_short_name_segments(mut steps: Vec<Step>) -> Vec<Step> {
    if steps.len() < 3 {
        return steps;
    }
    // A name change that shows lanes carries information of its own.
    let name_change = |s: &Step| {
        s.kind == StepKind::Turn
            && s.instruction.kind == TurnType::NewName
            && !super::lanes::has_lanes(s)
    };
    let can_be_extended_to = |s: &Step| s.kind != StepKind::Arrive && s.is_silent();
    let same_name = |a: &Step, b: &Step| {
        !a.road.name.is_empty() && !super::names::requires_name_announced(&a.road, &b.road, false)
    };
    let mut prev = 0;
    let mut cur = 1;
    while cur < steps.len() && steps[cur].kind != StepKind::Arrive {
        if name_change(&steps[cur]) && steps[prev].road.mode == steps[cur].road.mode {
            if same_name(&steps[prev], &steps[cur]) {
                let other = steps[cur].clone();
                steps[prev].elongate_by(&other);
                steps[cur].invalid = true;
            } else {
                let change_at = cur;
                let mut distance = steps[cur].distance_m;
                while cur + 1 < steps.len()
                    && can_be_extended_to(&steps[cur + 1])
                    && distance < NAME_SEGMENT_CUTOFF_LENGTH
                {
                    cur += 1;
                    distance += steps[cur].distance_m;
                }
                if distance < NAME_SEGMENT_CUTOFF_LENGTH {
                    for i in change_at..=cur {
                        let other = steps[i].clone();
                        steps[prev].elongate_by(&other);
                        steps[i].invalid = true;
                    }
                } else {
                    prev = change_at;
                }
            }
        } else if !steps[cur].invalid {
            prev = cur;
        }
        cur += 1;
    }
    remove_invalid(steps)
}
