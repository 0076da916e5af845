//! Turn lanes at an intersection: the `turn:lanes` of the road arriving, left to right, each
//! with the turns its markings allow and whether it serves the manoeuvre taken (after OSRM's
//! `turn_lane_matcher.cpp`: an exact match of the direction first, then a lane to the same
//! side, then an unmarked lane).

use super::instruction::{Instruction, Modifier};
use crate::osrm::Lane;

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

#[cfg(test)]
mod tests {
    use super::super::instruction::TurnType;
    use super::*;

    #[test]
    fn lanes_serving_a_turn() {
        let right = Instruction::new(TurnType::Turn, Modifier::Right);
        let l = lanes("through|right;through|right", right).unwrap();
        let v: Vec<_> = l.iter().map(|l| (l.indications.join(";"), l.valid)).collect();
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
