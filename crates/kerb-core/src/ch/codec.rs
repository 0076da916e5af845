//! The hierarchy's byte form (little-endian `u32` arrays with length prefixes), as stored
//! in a graph file section; decoding checks every index.

use super::*;

impl ContractionHierarchy {
    /// Serialises the hierarchy (little-endian `u32` arrays with length prefixes).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(
            16 + 4 * (self.order.len() * 3 + 2) + 16 * (self.up.len() + self.down.len()),
        );
        let put = |b: &mut Vec<u8>, v: u32| b.extend_from_slice(&v.to_le_bytes());
        put(&mut b, self.order.len() as u32);
        put(&mut b, self.up.len() as u32);
        put(&mut b, self.down.len() as u32);
        for &v in self
            .order
            .iter()
            .chain(&self.up_first)
            .chain(&self.down_first)
        {
            put(&mut b, v);
        }
        for a in self.up.iter().chain(&self.down) {
            for v in [a.other, a.weight, a.dist, a.middle] {
                put(&mut b, v);
            }
        }
        b
    }

    /// Reads what [`ContractionHierarchy::to_bytes`] wrote; `None` if the bytes are truncated
    /// or inconsistent.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let mut words = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        if bytes.len() % 4 != 0 {
            return None;
        }
        let n = words.next()? as usize;
        let nu = words.next()? as usize;
        let nd = words.next()? as usize;
        if bytes.len() != 4 * (3 + n + 2 * (n + 1) + 4 * (nu + nd)) {
            return None;
        }
        let order: Vec<u32> = words.by_ref().take(n).collect();
        let up_first: Vec<u32> = words.by_ref().take(n + 1).collect();
        let down_first: Vec<u32> = words.by_ref().take(n + 1).collect();
        let mut arcs = |k: usize| -> Vec<ChArc> {
            (0..k)
                .map(|_| ChArc {
                    other: words.next().unwrap_or(0),
                    weight: words.next().unwrap_or(0),
                    dist: words.next().unwrap_or(0),
                    middle: words.next().unwrap_or(0),
                })
                .collect()
        };
        let up = arcs(nu);
        let down = arcs(nd);
        let mut rank = vec![u32::MAX; n];
        for (r, &v) in order.iter().enumerate() {
            let slot = rank.get_mut(v as usize)?;
            if *slot != u32::MAX {
                return None;
            }
            *slot = r as u32;
        }
        let csr_ok = |first: &[u32], arcs: &[ChArc]| {
            first.first() == Some(&0)
                && first.last().map(|&l| l as usize) == Some(arcs.len())
                && first.windows(2).all(|w| w[0] <= w[1])
                && first.windows(2).enumerate().all(|(r, w)| {
                    arcs[w[0] as usize..w[1] as usize].iter().all(|a| {
                        a.other as usize > r
                            && (a.other as usize) < n
                            && (a.middle == NO_MIDDLE || (a.middle as usize) < r)
                    })
                })
        };
        if !csr_ok(&up_first, &up) || !csr_ok(&down_first, &down) {
            return None;
        }
        Some(ContractionHierarchy {
            order,
            rank,
            up_first,
            up,
            down_first,
            down,
        })
    }
}

/// Magic of a graph file section holding a hierarchy, before the arcs' fingerprint.
const SECTION_MAGIC: &[u8; 4] = b"KCH1";

/// A graph file section for `ch`, stamped with the fingerprint of the arcs it was built from.
pub(crate) fn to_section(ch: &ContractionHierarchy, fingerprint: u64) -> Vec<u8> {
    let mut bytes = SECTION_MAGIC.to_vec();
    bytes.extend_from_slice(&fingerprint.to_le_bytes());
    bytes.extend_from_slice(&ch.to_bytes());
    bytes
}

/// The hierarchy in a section written by [`to_section`], if it decodes, was built from arcs
/// with this fingerprint and has `num_nodes` nodes; `None` for a stale or corrupt one.
pub(crate) fn from_section(
    b: &[u8],
    fingerprint: u64,
    num_nodes: usize,
) -> Option<ContractionHierarchy> {
    let ok = b.len() >= 12 && &b[..4] == SECTION_MAGIC && b[4..12] == fingerprint.to_le_bytes();
    let ch = ok
        .then(|| ContractionHierarchy::from_bytes(&b[12..]))
        .flatten()?;
    (ch.num_nodes() == num_nodes).then_some(ch)
}
