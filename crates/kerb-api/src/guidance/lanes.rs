//! Turn lanes at an intersection: the `turn:lanes` of the road arriving, left to right, each
//! with the turns its markings allow and whether it serves the manoeuvre taken (after OSRM's
//! `turn_lane_matcher.cpp`: an exact match of the direction first, then a lane to the same
//! side, then an unmarked lane).

use super::instruction::{Instruction, Modifier, TurnType};
use super::step::{Step, StepKind};
use crate::osrm::Lane;

/// OSRM's distance needed per lane change when anticipating lanes (metres).
const MIN_DISTANCE_NEEDED_FOR_LANE_CHANGE: f64 = 200.0;

/// OSRM's name of a `turn:lanes` value.
fn indication(v: &str) -> &str {
    match v.trim() {
        "" | "none" => "none",
        "through" => "straight",
        "slight_left" => "slight left",
        "slight_right" => "slight right",
        "sharp_left" => "sharp left",
        "sharp_right" => "sharp right",
        "merge_to_left" => "merge to left",
        "merge_to_right" => "merge to right",
        "reverse" => "uturn",
        other => other,
    }
}

fn exact(ind: &str, m: Modifier) -> bool {
    ind == m.api_name()
}

fn same_side(ind: &str, m: Modifier) -> bool {
    match ind {
        "left" | "slight left" | "sharp left" => m.is_left(),
        "right" | "slight right" | "sharp right" => m.is_right(),
        "straight" => m == Modifier::Straight,
        "uturn" => m == Modifier::UTurn,
        _ => false,
    }
}

/// The lanes of a road tagged `turn_lanes` when leaving it by `ins` (`None` when untagged).
pub(crate) fn lanes(turn_lanes: &str, ins: Instruction) -> Option<Vec<Lane>> {
    if turn_lanes.is_empty() {
        return None;
    }
    let parsed: Vec<Vec<&str>> = turn_lanes
        .split('|')
        .map(|l| l.split(';').map(indication).collect())
        .collect();
    let m = ins.modifier;
    let any = |f: &dyn Fn(&str) -> bool| parsed.iter().any(|l| l.iter().any(|i| f(i)));
    let rule: Box<dyn Fn(&str) -> bool> = if any(&|i| exact(i, m)) {
        Box::new(move |i| exact(i, m))
    } else if any(&|i| same_side(i, m)) {
        Box::new(move |i| same_side(i, m))
    } else {
        Box::new(|i| i == "none")
    };
    Some(
        parsed
            .iter()
            .map(|l| Lane {
                indications: l.iter().map(|i| i.to_string()).collect(),
                valid: l.iter().any(|i| rule(i)),
            })
            .collect(),
    )
}

/// The valid lanes of a step's manoeuvre as OSRM's `LaneTupel`: (lanes in the turn, first
/// lane from the right), with the number of lanes.
fn tuple(s: &Step) -> Option<(usize, usize, usize)> {
    let lanes = s.intersections.first()?.lanes.as_ref()?;
    let n = lanes.len();
    let from_right: Vec<usize> = (0..n)
        .filter(|&i| lanes[i].valid)
        .map(|i| n - 1 - i)
        .collect();
    let first = *from_right.iter().min()?;
    Some((from_right.len(), first, n))
}

fn set_tuple(s: &mut Step, count: usize, first: usize) {
    if let Some(lanes) = s.intersections.first_mut().and_then(|i| i.lanes.as_mut()) {
        let n = lanes.len();
        for (i, l) in lanes.iter_mut().enumerate() {
            let r = n - 1 - i;
            l.valid = r >= first && r < first + count;
        }
    }
}

fn is_left_turn(i: Instruction) -> bool {
    if i.kind == TurnType::Merge {
        i.modifier.is_right()
    } else {
        i.modifier.is_left()
    }
}

fn is_right_turn(i: Instruction) -> bool {
    if i.kind == TurnType::Merge {
        i.modifier.is_left()
    } else {
        i.modifier.is_right()
    }
}

/// OSRM's `anticipateLaneChange`: on a run of manoeuvres close together, each with lanes,
/// the earlier manoeuvre only offers the lanes that lead into the lanes of the next.
pub(crate) fn anticipate_lane_change(steps: &mut [Step]) {
    let short_with_lanes = |s: &Step| -> bool {
        let Some((count, first, n)) = tuple(s) else {
            return false;
        };
        let to_cross = first.max(n - first - count);
        s.distance_m < (1 + to_cross) as f64 * MIN_DISTANCE_NEEDED_FOR_LANE_CHANGE
    };
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < steps.len() {
        if short_with_lanes(&steps[i]) {
            let start = i;
            while i < steps.len() && short_with_lanes(&steps[i]) {
                i += 1;
            }
            if i - start > 1 {
                ranges.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    for (start, end) in ranges {
        let mut straight_left = vec![false; steps.len()];
        let mut straight_right = vec![false; steps.len()];
        let mut distance_to_constrained = 0.0;
        for cur in (start + 1..end).rev() {
            let prev = cur - 1;
            let (Some((c_count, c_first, c_n)), Some((p_count, p_first, _))) =
                (tuple(&steps[cur]), tuple(&steps[prev]))
            else {
                continue;
            };
            let (ci, pi) = (steps[cur].instruction, steps[prev].instruction);
            if pi.kind == TurnType::Suppressed {
                distance_to_constrained += steps[prev].distance_m;
            } else {
                distance_to_constrained = 0.0;
            }
            let lanes_to_constrain = p_count > 1;
            let fan_in = p_count > c_count;
            let delta = p_count as f64 - c_count as f64;
            let can_make_all =
                distance_to_constrained > delta * MIN_DISTANCE_NEEDED_FOR_LANE_CHANGE;
            if !lanes_to_constrain || !fan_in || can_make_all {
                continue;
            }
            let right_of_turn = c_first;
            let left_of_turn = c_n - c_first - c_count;
            let prev_straight = !is_left_turn(pi) && !is_right_turn(pi);
            if prev_straight {
                if is_left_turn(ci) || straight_left[cur] {
                    straight_left[prev] = true;
                } else if is_right_turn(ci) || straight_right[cur] {
                    straight_right[prev] = true;
                }
            }
            let for_left = |_: ()| {
                let first = (p_first + p_count).saturating_sub(c_count);
                first.saturating_sub(left_of_turn.min(c_count))
            };
            let for_right = |_: ()| p_first + right_of_turn.min(c_count);
            let first = if is_left_turn(ci) || (!is_right_turn(ci) && straight_left[cur]) {
                for_left(())
            } else {
                for_right(())
            };
            set_tuple(&mut steps[prev], c_count, first);
        }
    }
}

/// Whether a step carries lanes at its manoeuvre.
pub(crate) fn has_lanes(s: &Step) -> bool {
    s.kind == StepKind::Turn && tuple(s).is_some()
}

#[cfg(test)]
mod tests {
    use super::super::instruction::TurnType;
    use super::*;

    #[test]
    fn lanes_serving_a_turn() {
        let right = Instruction::new(TurnType::Turn, Modifier::Right);
        let l = lanes("through|right;through|right", right).unwrap();
        let v: Vec<_> = l
            .iter()
            .map(|l| (l.indications.join(";"), l.valid))
            .collect();
        assert_eq!(
            v,
            vec![
                ("straight".to_string(), false),
                ("right;straight".to_string(), true),
                ("right".to_string(), true)
            ]
        );
        let slight = Instruction::new(TurnType::Turn, Modifier::SlightLeft);
        let l = lanes("left|none", slight).unwrap();
        assert!(l[0].valid && !l[1].valid);
        assert!(lanes("", slight).is_none());
    }
}
