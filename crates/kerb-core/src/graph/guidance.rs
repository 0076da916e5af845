//! The OSM tags turn-by-turn guidance reads, per way geometry: the plain `name` (the edge name
//! falls back to `ref`, OSRM's step name does not), `ref`, `name:pronunciation`,
//! `junction:ref` (exit numbers), the signposted `destination`s of each direction,
//! `turn:lanes` of each direction, and flags (`junction=roundabout`/`circular`, `toll`,
//! `tunnel`, destination-only access). Kept by the importer in the optional `GUIDANCE` section;
//! graph files written before it have none, so [`RoadGraph::edge_guidance`] returns `Option`.

use super::RoadGraph;
use crate::ids::{EdgeId, GEOM_REVERSED};

/// `junction=roundabout`.
pub(crate) const ROUNDABOUT: u8 = 1;
/// `junction=circular` (a roundabout-shaped road without roundabout rules).
pub(crate) const CIRCULAR: u8 = 2;
/// A toll road for the profile's vehicle (`toll=yes`, or `toll:hgv`...).
pub(crate) const TOLL: u8 = 4;
/// `tunnel=*` other than `no`.
pub(crate) const TUNNEL: u8 = 8;
/// Destination-only forward (an access value of the profile's `access_restricted`).
pub(crate) const RESTRICTED_FWD: u8 = 16;
/// Access `destination` backward.
pub(crate) const RESTRICTED_BWD: u8 = 32;
/// `route=ferry`.
pub(crate) const FERRY: u8 = 64;

/// The access bits of a way's flags: destination-only forward / backward, toll.
pub(crate) fn access_flags(restricted_fwd: bool, restricted_bwd: bool, toll: bool) -> u8 {
    let mut f = 0;
    if restricted_fwd {
        f |= RESTRICTED_FWD;
    }
    if restricted_bwd {
        f |= RESTRICTED_BWD;
    }
    if toll {
        f |= TOLL;
    }
    f
}

/// String slots per geometry (indices into the graph's name table).
pub(crate) const SLOTS: usize = 8;
const NAME: usize = 0;
const REF: usize = 1;
const PRONUNCIATION: usize = 2;
const EXITS: usize = 3;
const DEST_FWD: usize = 4;
const DEST_BWD: usize = 5;
const LANES_FWD: usize = 6;
const LANES_BWD: usize = 7;

/// Guidance tags of every geometry (indexed like the graph's geometries).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct GuidanceData {
    /// `SLOTS` name-table indices per geometry (name, ref, pronunciation, exits, destinations
    /// forward/backward, turn lanes forward/backward).
    pub(crate) strings: Vec<[u32; SLOTS]>,
    /// Flag bits per geometry (`ROUNDABOUT`, `CIRCULAR`, ...).
    pub(crate) flags: Vec<u8>,
}

impl GuidanceData {
    /// The section bytes: per geometry `SLOTS` little-endian `u32`s and one flag byte.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.flags.len() * (SLOTS * 4 + 1));
        for (s, &f) in self.strings.iter().zip(&self.flags) {
            for v in s {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.push(f);
        }
        out
    }

    /// Reads the section bytes; `None` when the length does not fit.
    pub(crate) fn decode(bytes: &[u8]) -> Option<GuidanceData> {
        let rec = SLOTS * 4 + 1;
        if bytes.len() % rec != 0 {
            return None;
        }
        let mut g = GuidanceData::default();
        for c in bytes.chunks_exact(rec) {
            let mut s = [0u32; SLOTS];
            for (i, v) in s.iter_mut().enumerate() {
                *v = u32::from_le_bytes([c[4 * i], c[4 * i + 1], c[4 * i + 2], c[4 * i + 3]]);
            }
            g.strings.push(s);
            g.flags.push(c[SLOTS * 4]);
        }
        Some(g)
    }
}

/// The guidance tags of one directed edge's way, as [`RoadGraph::edge_guidance`] returns them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EdgeGuidance<'a> {
    /// `name` (empty when untagged; no `ref` fallback).
    pub name: &'a str,
    /// `ref` (`;`-separated lists as tagged).
    pub reference: &'a str,
    /// `name:pronunciation`.
    pub pronunciation: &'a str,
    /// `junction:ref`: the exit number(s) of a ramp.
    pub exits: &'a str,
    /// Signposted destinations in the edge's direction (`destination:ref: destination`).
    pub destinations: &'a str,
    /// `turn:lanes` in the edge's direction (`left|through;right`), empty when untagged.
    pub turn_lanes: &'a str,
    /// Part of a `junction=roundabout`.
    pub roundabout: bool,
    /// Part of a `junction=circular`.
    pub circular: bool,
    /// `toll=yes`.
    pub toll: bool,
    /// In a tunnel.
    pub tunnel: bool,
    /// Destination-only access in the edge's direction.
    pub restricted: bool,
    /// A ferry.
    pub ferry: bool,
}

/// The access facts routing reads from a directed edge's way (see [`RoadGraph::edge_access`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct EdgeAccess {
    /// Destination-only in the edge's direction.
    pub(crate) restricted: bool,
    /// A toll road for the graph's vehicle.
    pub(crate) toll: bool,
}

impl RoadGraph {
    /// Destination-only and toll flags of edge `e` in its travel direction, from the optional
    /// `GUIDANCE` section: neither for graph files written before it (or without it).
    pub(crate) fn edge_access(&self, e: EdgeId) -> EdgeAccess {
        let Some(data) = self.guidance.as_ref() else {
            return EdgeAccess::default();
        };
        let Some(&raw) = self.geom.get(e.index()) else {
            return EdgeAccess::default();
        };
        let f = data
            .flags
            .get((raw & !GEOM_REVERSED) as usize)
            .copied()
            .unwrap_or(0);
        let restricted = if raw & GEOM_REVERSED != 0 {
            RESTRICTED_BWD
        } else {
            RESTRICTED_FWD
        };
        EdgeAccess {
            restricted: f & restricted != 0,
            toll: f & TOLL != 0,
        }
    }

    /// The guidance tags of edge `e`'s way in its travel direction (`None` for graph files
    /// written before they were kept).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{EdgeId, Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::truck())?;
    /// let e = g.edge(EdgeId(0));
    /// let tags = g.edge_guidance(e.id).unwrap();
    /// // The edge name falls back to `ref`; the guidance name is the plain `name` tag.
    /// assert!(tags.name.is_empty() || tags.name == e.name);
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn edge_guidance(&self, e: EdgeId) -> Option<EdgeGuidance<'_>> {
        let data = self.guidance.as_ref()?;
        let raw = *self.geom.get(e.index())?;
        let reversed = raw & GEOM_REVERSED != 0;
        let g = (raw & !GEOM_REVERSED) as usize;
        let s = data.strings.get(g)?;
        let f = *data.flags.get(g)?;
        let text = |slot: usize| self.name_str(s[slot]);
        let (dest, lanes, restricted) = if reversed {
            (DEST_BWD, LANES_BWD, RESTRICTED_BWD)
        } else {
            (DEST_FWD, LANES_FWD, RESTRICTED_FWD)
        };
        Some(EdgeGuidance {
            name: text(NAME),
            reference: text(REF),
            pronunciation: text(PRONUNCIATION),
            exits: text(EXITS),
            destinations: text(dest),
            turn_lanes: text(lanes),
            roundabout: f & ROUNDABOUT != 0,
            circular: f & CIRCULAR != 0,
            toll: f & TOLL != 0,
            tunnel: f & TUNNEL != 0,
            restricted: f & restricted != 0,
            ferry: f & FERRY != 0,
        })
    }
}

/// Checks that the guidance arrays match the graph's geometries and name table.
pub(crate) fn valid(data: &GuidanceData, g: &RoadGraph) -> bool {
    let names = g.name_first.len().saturating_sub(1) as u32;
    data.strings.len() == g.num_geometries()
        && data.flags.len() == g.num_geometries()
        && data.strings.iter().flatten().all(|&i| i < names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_round_trips() {
        let d = GuidanceData {
            strings: vec![[1, 2, 3, 4, 5, 6, 7, 8], [0; SLOTS]],
            flags: vec![ROUNDABOUT | TOLL, 0],
        };
        let bytes = d.encode();
        assert_eq!(bytes.len(), 2 * (SLOTS * 4 + 1));
        assert_eq!(GuidanceData::decode(&bytes), Some(d));
        assert_eq!(GuidanceData::decode(&bytes[1..]), None);
    }
}
