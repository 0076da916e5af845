//! The scenario maps' OSM data and their PBF writer, shared with kerb-core's OSM XML import:
//! [`kerb_core::osm_data`].

pub use kerb_core::osm_data::{encode, Member, MemberType, Node, OsmData, Relation, Tags, Way};
