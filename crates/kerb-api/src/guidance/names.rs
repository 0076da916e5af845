//! Whether a change of road needs its name announced: OSRM's `requiresNameAnnounced`
//! (`util/guidance/name_announcements.hpp`), with car.lua's street-name suffixes (`North`,
//! `E`, ...) that do not make a new name.

use super::road::Road;

/// car.lua's `suffix_list`, lower case (OSRM compares lower-cased).
const SUFFIXES: [&str; 16] = [
    "n", "ne", "e", "se", "s", "sw", "w", "nw", "north", "south", "west", "east", "nor", "sou",
    "we", "ea",
];

fn longest_common_substring<'a>(a: &'a str, b: &str) -> &'a str {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    if ab.is_empty() || bb.is_empty() {
        return "";
    }
    let (mut prev, mut cur) = (vec![0u32; bb.len()], vec![0u32; bb.len()]);
    let (mut best, mut best_end) = (0u32, 0usize);
    for (i, &ca) in ab.iter().enumerate() {
        for (j, &cb) in bb.iter().enumerate() {
            cur[j] = if ca == cb {
                if j == 0 {
                    1
                } else {
                    prev[j - 1] + 1
                }
            } else {
                0
            };
            if cur[j] > best {
                best = cur[j];
                best_end = i + 1;
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    a.get(best_end - best as usize..best_end).unwrap_or("")
}

fn trim_lower(s: &str) -> String {
    s.trim_matches(' ').to_lowercase()
}

/// Prefixes and suffixes of both names around their longest common substring.
fn decompose(a: &str, b: &str) -> (String, String, String, String) {
    let lcs = longest_common_substring(a, b);
    if lcs.is_empty() {
        return (trim_lower(a), trim_lower(b), String::new(), String::new());
    }
    let (Some(pa), Some(pb)) = (a.find(lcs), b.find(lcs)) else {
        return (trim_lower(a), trim_lower(b), String::new(), String::new());
    };
    (
        trim_lower(&a[..pa]),
        trim_lower(&a[pa + lcs.len()..]),
        trim_lower(&b[..pb]),
        trim_lower(&b[pb + lcs.len()..]),
    )
}

/// Whether going from a road with `from` names onto one with `to` names is announced.
/// `with_suffixes`: the extractor's variant that ignores suffix changes (`Main St` ->
/// `Main St N`); the engine's post-processing uses none.
pub(crate) fn requires_name_announced(from: &Road, to: &Road, with_suffixes: bool) -> bool {
    if from.name == to.name
        && from.reference == to.reference
        && from.pronunciation == to.pronunciation
        && from.exits == to.exits
    {
        return false;
    }
    let (fname, fref, tname, tref) = (from.name, from.reference, to.name, to.reference);
    if (fname.is_empty() && fref.is_empty()) && !(tname.is_empty() && tref.is_empty()) {
        return true;
    }
    let names_are_empty = fname.is_empty() && tname.is_empty();
    let name_is_contained = fname.starts_with(tname) || tname.starts_with(fname);
    let is_suffix_change = {
        let (p1, s1, p2, s2) = decompose(fname, tname);
        let ok = |s: &str| s.is_empty() || (with_suffixes && SUFFIXES.contains(&s));
        ok(&p1) && ok(&s1) && ok(&p2) && ok(&s2)
    };
    let names_are_equal = fname == tname || name_is_contained || is_suffix_change;
    let name_is_removed = !fname.is_empty() && tname.is_empty();
    let refs_are_empty = fref.is_empty() && tref.is_empty();
    let ref_is_contained =
        fref.is_empty() || tref.is_empty() || fref.contains(tref) || tref.contains(fref);
    let ref_is_removed = !fref.is_empty() && tref.is_empty();
    let obvious_change = (names_are_empty && refs_are_empty)
        || (names_are_equal && ref_is_contained)
        || (names_are_equal && refs_are_empty)
        || (ref_is_contained && name_is_removed)
        || (names_are_equal && ref_is_removed)
        || is_suffix_change;
    let needs_announce =
        (fname.is_empty() && !fref.is_empty() && !tname.is_empty() && tref.is_empty())
            || (!fname.is_empty() && fref.is_empty() && tname.is_empty() && !tref.is_empty())
            || (names_are_empty && !ref_is_contained);
    let pronunciation_changes = from.pronunciation != to.pronunciation;
    let exits_change = from.exits != to.exits;
    let looses_exit = names_are_equal && !from.exits.is_empty() && to.exits.is_empty();
    !obvious_change || needs_announce || pronunciation_changes || (exits_change && !looses_exit)
}

#[cfg(test)]
mod tests {
    use super::super::road::{Classification, Road};
    use super::*;
    use kerb_core::RoadClass;

    fn road<'a>(name: &'a str, reference: &'a str) -> Road<'a> {
        Road {
            name,
            reference,
            pronunciation: "",
            exits: "",
            destinations: "",
            turn_lanes: "",
            class: Classification::of(RoadClass::Primary, 0),
            roundabout: false,
            circular: false,
            classes: Vec::new(),
            mode: "driving",
            driving_side: kerb_core::DrivingSide::Right,
        }
    }

    #[test]
    fn name_changes_as_osrm_announces_them() {
        let ann = |a: Road, b: Road| requires_name_announced(&a, &b, true);
        assert!(!ann(road("Main", ""), road("Main", "")));
        assert!(ann(road("ab", ""), road("eb", "")));
        // Suffix changes and contained names are no new name.
        assert!(!ann(road("Main St", ""), road("Main St N", "")));
        assert!(!requires_name_announced(
            &road("Main St", ""),
            &road("Main St N", ""),
            false
        ));
        // Without the suffix table only containment helps.
        assert!(requires_name_announced(
            &road("N Main", ""),
            &road("S Main", ""),
            false
        ));
        assert!(!ann(road("N Main", ""), road("S Main", "")));
        assert!(!ann(road("Main", ""), road("Main Street", "")));
        // A name appearing from nothing, or a ref replacing a name, is announced.
        assert!(ann(road("", ""), road("Main", "")));
        assert!(ann(road("Main", ""), road("", "A1")));
        assert!(!ann(road("", "A1"), road("", "A1; A2")));
        assert!(ann(road("", "A1"), road("", "B2")));
        assert_eq!(longest_common_substring("abcde", "xbcdy"), "bcd");
    }
}
