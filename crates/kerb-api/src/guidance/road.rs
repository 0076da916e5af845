//! What guidance knows of one directed road: its names, signs and OSRM's road classification
//! (`extractor/road_classification.hpp`: priority class, motorway/link flags, low priority),
//! read from the graph's guidance tags.

use kerb_core::{DrivingSide, EdgeId, Graph, RoadClass};

/// OSRM's road classification of a road.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Classification {
    /// OSRM's `RoadPriorityClass` (0 motorway .. 31 connectivity; lower is more important).
    pub priority: u8,
    /// Motorway or trunk (also their links).
    pub motorway: bool,
    /// A `*_link` road.
    pub link: bool,
    /// A road OSRM may ignore for obvious-turn decisions (service roads, tracks, ...).
    pub low_priority: bool,
    /// Tagged `lanes`, 0 when untagged.
    pub lanes: u8,
}

impl Classification {
    /// The classification of a `highway=*` class (car.lua's `Guidance.set_classification`).
    pub(crate) fn of(class: RoadClass, lanes: u8) -> Self {
        use RoadClass::*;
        let (priority, motorway, link, low_priority) = match class {
            Motorway => (0, true, false, false),
            MotorwayLink => (1, true, true, false),
            Trunk => (2, true, false, false),
            TrunkLink => (3, true, true, false),
            Primary => (4, false, false, false),
            PrimaryLink => (5, false, true, false),
            Secondary => (6, false, false, false),
            SecondaryLink => (7, false, true, false),
            Tertiary => (8, false, false, false),
            TertiaryLink => (9, false, true, false),
            Residential => (10, false, false, false),
            LivingStreet => (11, false, false, false),
            Service => (12, false, false, true),
            Unclassified => (15, false, false, false),
            Track => (16, false, false, true),
            Pedestrian => (18, false, false, true),
            _ => (31, false, false, true),
        };
        Classification {
            priority,
            motorway,
            link,
            low_priority,
            lanes,
        }
    }

    /// A motorway or trunk, not a link.
    pub(crate) fn is_motorway(&self) -> bool {
        self.motorway && !self.link
    }

    /// A motorway or trunk link.
    pub(crate) fn is_ramp(&self) -> bool {
        self.motorway && self.link
    }

    /// OSRM's `getRoadGroup`.
    pub(crate) fn group(&self) -> u8 {
        match self.priority {
            0 | 1 => 0,
            2 | 3 => 1,
            4..=9 => 2,
            10..=13 => 3,
            14 | 15 => 4,
            16 | 17 => 5,
            18 => 6,
            _ => 7,
        }
    }
}

/// OSRM's `strictlyLess`: `a` is of a strictly lower group than `b`.
pub(crate) fn strictly_less(a: Classification, b: Classification) -> bool {
    if !a.low_priority && b.low_priority {
        return false;
    }
    if a.low_priority && !b.low_priority {
        return true;
    }
    a.group() > b.group()
}

/// OSRM's `isLinkTo`: `link` is the link class of `road`.
pub(crate) fn is_link_to(link: Classification, road: Classification) -> bool {
    link.link
        && !road.link
        && matches!(link.priority, 1 | 3 | 5 | 7 | 9)
        && link.priority == road.priority + 1
}

/// OSRM's `canBeSeenAsFork`.
pub(crate) fn can_be_seen_as_fork(a: Classification, b: Classification) -> bool {
    (a.priority as i32 - b.priority as i32).abs() <= 1
}

/// The names, signs and class of a directed road.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Road<'a> {
    pub name: &'a str,
    pub reference: &'a str,
    pub pronunciation: &'a str,
    pub exits: &'a str,
    pub destinations: &'a str,
    pub turn_lanes: &'a str,
    pub class: Classification,
    pub roundabout: bool,
    pub circular: bool,
    /// OSRM's classes of the road (`toll`, `motorway`, `ferry`, `restricted`, `tunnel`).
    pub classes: Vec<&'static str>,
    /// Travel mode (`driving`, `ferry`, `train`).
    pub mode: &'static str,
    /// The side traffic drives on along the road (OSRM's per-step `driving_side`).
    pub driving_side: DrivingSide,
}

impl Road<'_> {
    /// On a roundabout or a circular junction.
    pub(crate) fn on_ring(&self) -> bool {
        self.roundabout || self.circular
    }
}

/// The guidance view of edge `e`.
pub(crate) fn road(g: &Graph, e: EdgeId) -> Road<'_> {
    let edge = g.edge(e);
    let lanes = g.edge_tags(e).and_then(|t| t.lanes).unwrap_or(0);
    let class = Classification::of(edge.road_class, lanes);
    match g.edge_guidance(e) {
        Some(t) => {
            let mut classes = Vec::new();
            // OSRM's order of car.lua's `classes`.
            if t.toll {
                classes.push("toll");
            }
            if matches!(
                edge.road_class,
                RoadClass::Motorway | RoadClass::MotorwayLink
            ) {
                classes.push("motorway");
            }
            if t.ferry {
                classes.push("ferry");
            }
            if t.restricted {
                classes.push("restricted");
            }
            if t.tunnel {
                classes.push("tunnel");
            }
            Road {
                name: t.name,
                reference: t.reference,
                pronunciation: t.pronunciation,
                exits: t.exits,
                destinations: t.destinations,
                turn_lanes: t.turn_lanes,
                class,
                roundabout: t.roundabout,
                circular: t.circular,
                classes,
                mode: if t.ferry {
                    "ferry"
                } else {
                    edge.road_class.mode()
                },
                driving_side: g.driving_side(e),
            }
        }
        // Graph files without guidance tags: the edge name is all there is.
        None => Road {
            name: edge.name,
            reference: "",
            pronunciation: "",
            exits: "",
            destinations: "",
            turn_lanes: "",
            class,
            roundabout: false,
            circular: false,
            classes: Vec::new(),
            mode: edge.road_class.mode(),
            driving_side: g.driving_side(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_follows_osrm() {
        let m = Classification::of(RoadClass::Motorway, 0);
        let ramp = Classification::of(RoadClass::MotorwayLink, 0);
        let res = Classification::of(RoadClass::Residential, 0);
        let service = Classification::of(RoadClass::Service, 0);
        assert!(m.is_motorway() && !m.is_ramp());
        assert!(ramp.is_ramp() && !ramp.is_motorway());
        assert!(is_link_to(ramp, m));
        assert!(!is_link_to(m, ramp));
        assert!(strictly_less(res, m));
        assert!(strictly_less(service, res));
        assert!(!strictly_less(m, res));
        assert!(can_be_seen_as_fork(m, ramp));
        assert!(!can_be_seen_as_fork(m, res));
    }
}
