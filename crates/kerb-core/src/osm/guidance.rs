//! The tags of a way that turn-by-turn guidance reads, as OSRM's car.lua reads them
//! (`WayHandlers.names`, `roundabouts`, `destinations`, `turn_lanes`, `classes`): kept beside
//! the road arrays in [`crate::graph::GuidanceData`], not used for routing. The access flags
//! of the same section (toll, destination-only), which routing does read, come from the
//! profile's own access interpretation (`tags.rs`), not from here.

use super::tags::TagSource;
use crate::graph::guidance::{CIRCULAR, FERRY, ROUNDABOUT, TUNNEL};

/// The guidance strings and flags of one way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct WayGuidance {
    pub name: String,
    pub reference: String,
    pub pronunciation: String,
    pub exits: String,
    pub destinations_fwd: String,
    pub destinations_bwd: String,
    pub lanes_fwd: String,
    pub lanes_bwd: String,
    pub flags: u8,
}

/// A tag's value; an empty value counts as untagged.
fn get<'t, T: TagSource + ?Sized>(tags: &'t T, key: &str) -> Option<&'t str> {
    tags.tag(key).filter(|v| !v.trim().is_empty())
}

/// `a;b ; c` -> `a; b; c` (OSRM's `canonicalizeStringList`).
fn string_list(v: &str) -> String {
    v.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

fn directional<T: TagSource + ?Sized>(tags: &T, key: &str, forward: bool) -> Option<String> {
    let dir = if forward { "forward" } else { "backward" };
    get(tags, &format!("{key}:{dir}"))
        .or_else(|| get(tags, key))
        .map(|v| v.replace(';', ", "))
}

/// `destination:ref: destination` of one direction (car.lua's `get_destination`).
fn destination<T: TagSource + ?Sized>(tags: &T, forward: bool) -> String {
    let r = directional(tags, "destination:ref", forward);
    let d = directional(tags, "destination", forward);
    let street = directional(tags, "destination:street", forward);
    match (r, d) {
        (Some(r), Some(d)) => format!("{r}: {d}"),
        (r, d) => r.or(d).or(street).unwrap_or_default(),
    }
}

/// The guidance tags of a way that is routable `forward` and/or `backward`.
pub(crate) fn way_guidance<T: TagSource + ?Sized>(
    tags: &T,
    forward: bool,
    backward: bool,
) -> WayGuidance {
    let text = |k: &str| get(tags, k).unwrap_or("").to_string();
    // Signposts are read on one-way roads only (car.lua), for the direction they run.
    let oneway = forward != backward;
    let dest = if oneway {
        destination(tags, forward)
    } else {
        String::new()
    };
    let lanes = |forward: bool| {
        let dir = if forward { "forward" } else { "backward" };
        let own = get(tags, &format!("turn:lanes:{dir}"));
        // Plain `turn:lanes` describes the way's direction of travel, so a one-way road.
        own.or_else(|| get(tags, "turn:lanes").filter(|_| oneway || forward))
            .unwrap_or("")
            .to_string()
    };
    let mut flags = 0;
    match get(tags, "junction") {
        Some("roundabout") => flags |= ROUNDABOUT,
        Some("circular") => flags |= CIRCULAR,
        _ => {}
    }
    if get(tags, "tunnel").is_some_and(|t| t != "no") {
        flags |= TUNNEL;
    }
    if get(tags, "route") == Some("ferry") {
        flags |= FERRY;
    }
    WayGuidance {
        name: text("name"),
        reference: get(tags, "ref").map(string_list).unwrap_or_default(),
        pronunciation: text("name:pronunciation"),
        exits: get(tags, "junction:ref")
            .map(string_list)
            .unwrap_or_default(),
        destinations_fwd: dest.clone(),
        destinations_bwd: dest,
        lanes_fwd: lanes(true),
        lanes_bwd: lanes(false),
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_car_lua_guidance_tags() {
        let t: &[(&str, &str)] = &[
            ("name", "Ring"),
            ("ref", "B 3;B 37"),
            ("junction", "roundabout"),
            ("destination", "Köln;Bonn"),
            ("destination:ref", "A 59"),
            ("turn:lanes", "left|through"),
        ];
        let g = way_guidance(t, true, false);
        assert_eq!(g.name, "Ring");
        assert_eq!(g.reference, "B 3; B 37");
        assert_eq!(g.destinations_fwd, "A 59: Köln, Bonn");
        assert_eq!(g.lanes_fwd, "left|through");
        assert_eq!(g.flags & ROUNDABOUT, ROUNDABOUT);
        // Empty values sign nothing.
        let only_ref: &[(&str, &str)] = &[("destination", ""), ("destination:ref", "A 1")];
        assert_eq!(way_guidance(only_ref, true, false).destinations_fwd, "A 1");
        let empty_tunnel: &[(&str, &str)] = &[("tunnel", "")];
        assert_eq!(way_guidance(empty_tunnel, true, true).flags & TUNNEL, 0);
        // Two-way roads carry no signposts, and plain turn:lanes only forward.
        let two_way = way_guidance(t, true, true);
        assert_eq!(two_way.destinations_fwd, "");
        assert_eq!(two_way.lanes_bwd, "");
    }
}
