//! Byte forms: the topology (`KCCHTOP1`, input fingerprint, order and upward arcs; everything
//! else is derived and every invariant checked on read) and a metric (`KCCHMET1`, the
//! topology checksum, a checksum of the costs, the upward and downward costs).

use super::*;

const TOPOLOGY_MAGIC: &[u8; 8] = b"KCCHTOP1";
const METRIC_MAGIC: &[u8; 8] = b"KCCHMET1";

fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at + 8)?.try_into().ok()?))
}

impl CchTopology {
    /// Serialises the topology (order and upward arcs, little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = TOPOLOGY_MAGIC.to_vec();
        b.extend_from_slice(&self.fingerprint.to_le_bytes());
        for v in [self.order.len() as u32, self.up_head.len() as u32] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        for &v in self.order.iter().chain(&self.up_first).chain(&self.up_head) {
            b.extend_from_slice(&v.to_le_bytes());
        }
        b
    }

    /// Reads what [`CchTopology::to_bytes`] wrote, for the graph with this `fingerprint`:
    /// [`CchError::StaleTopology`] if it was built for another graph, [`CchError::Corrupt`] if
    /// it does not decode or breaks an invariant.
    pub fn from_bytes(b: &[u8], fingerprint: u64) -> Result<Self, CchError> {
        let corrupt = |what: &str| CchError::Corrupt(what.to_string());
        if b.len() < 24 || &b[..8] != TOPOLOGY_MAGIC {
            return Err(corrupt("not a CCH topology"));
        }
        let found = u64_at(b, 8).ok_or_else(|| corrupt("truncated"))?;
        if found != fingerprint {
            return Err(CchError::StaleTopology {
                found,
                expected: fingerprint,
            });
        }
        let mut w = words(&b[16..]);
        let n = w.next().unwrap_or(0) as usize;
        let m = w.next().unwrap_or(0) as usize;
        if (b.len() - 24) as u64 != 4 * (2 * n as u64 + 1 + m as u64) {
            return Err(corrupt("length does not match the header"));
        }
        let order: Vec<u32> = w.by_ref().take(n).collect();
        let up_first: Vec<u32> = w.by_ref().take(n + 1).collect();
        let up_head: Vec<u32> = w.take(m).collect();
        CchTopology::from_parts(order, up_first, up_head, fingerprint)
    }
}

impl Cch {
    fn cost_checksum(&self) -> u64 {
        let mut h = Fnv::new();
        for &c in self.up.iter().chain(&self.down) {
            h.eat(c as u32);
            h.eat((c >> 32) as u32);
        }
        h.0
    }

    /// Serialises the metric, stamped with its topology's checksum.
    pub fn metric_bytes(&self) -> Vec<u8> {
        let mut b = METRIC_MAGIC.to_vec();
        b.extend_from_slice(&self.topology.checksum().to_le_bytes());
        b.extend_from_slice(&self.cost_checksum().to_le_bytes());
        b.extend_from_slice(&(self.up.len() as u64).to_le_bytes());
        for &c in self.up.iter().chain(&self.down) {
            b.extend_from_slice(&c.to_le_bytes());
        }
        b
    }

    /// Reads a metric written by [`Cch::metric_bytes`] onto `topology`:
    /// [`CchError::StaleMetric`] if it was customized on another topology (e.g. before the map
    /// was re-imported), [`CchError::Corrupt`] if the bytes are damaged.
    pub fn from_metric_bytes(topology: Arc<CchTopology>, b: &[u8]) -> Result<Cch, CchError> {
        let corrupt = |what: &str| CchError::Corrupt(what.to_string());
        if b.len() < 32 || &b[..8] != METRIC_MAGIC {
            return Err(corrupt("not a CCH metric"));
        }
        let found = u64_at(b, 8).ok_or_else(|| corrupt("truncated"))?;
        if found != topology.checksum() {
            return Err(CchError::StaleMetric {
                found,
                expected: topology.checksum(),
            });
        }
        let sum = u64_at(b, 16).ok_or_else(|| corrupt("truncated"))?;
        let m = u64_at(b, 24).ok_or_else(|| corrupt("truncated"))?;
        if m != topology.num_arcs() as u64 || (b.len() - 32) as u64 != 16 * m {
            return Err(corrupt("length does not match the topology"));
        }
        let costs: Vec<Packed> = b[32..]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let (up, down) = costs.split_at(m as usize);
        let cch = Cch {
            topology,
            up: up.to_vec(),
            down: down.to_vec(),
        };
        if cch.cost_checksum() != sum {
            return Err(corrupt("cost checksum mismatch"));
        }
        Ok(cch)
    }
}
