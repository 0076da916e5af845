//! The CCH topology of an order: the chordal supergraph (every node's upward neighbours form
//! a clique), found by eliminating nodes bottom-up along the elimination tree, then renumbered
//! level by level so that nodes (and their arcs) of one level are contiguous, which lets the
//! customization hand each level to rayon as disjoint slices.

use super::*;

impl CchTopology {
    /// The topology of `order` (rank -> node) over the undirected graph with `edges` (either
    /// direction; loops and duplicates ignored); `fingerprint` identifies the input graph.
    pub(crate) fn from_order(
        num_nodes: usize,
        edges: &[(u32, u32)],
        order: &[u32],
        fingerprint: u64,
    ) -> Self {
        let mut rank = vec![0u32; num_nodes];
        for (r, &v) in order.iter().enumerate() {
            rank[v as usize] = r as u32;
        }
        let mut up: Vec<Vec<u32>> = vec![Vec::new(); num_nodes];
        for &(a, b) in edges {
            let (ra, rb) = (rank[a as usize], rank[b as usize]);
            if ra != rb {
                up[ra.min(rb) as usize].push(ra.max(rb));
            }
        }
        // Elimination: the upward neighbours of r join those of its parent (lowest of them).
        for r in 0..num_nodes {
            let mut mine = std::mem::take(&mut up[r]);
            mine.sort_unstable();
            mine.dedup();
            if let Some((&parent, rest)) = mine.split_first() {
                up[parent as usize].extend_from_slice(rest);
            }
            up[r] = mine;
        }
        // Levels: 0 without lower neighbours, else one above the highest lower neighbour.
        let mut level = vec![0u32; num_nodes];
        for r in 0..num_nodes {
            for &w in &up[r] {
                level[w as usize] = level[w as usize].max(level[r] + 1);
            }
        }
        // Renumber by (level, rank): every arc keeps its orientation (its ends are on
        // different levels, the lower end below), so the upward sets stay cliques.
        let mut by_level: Vec<u32> = (0..num_nodes as u32).collect();
        by_level.sort_by_key(|&r| (level[r as usize], r));
        let mut new_rank = vec![0u32; num_nodes];
        for (nr, &r) in by_level.iter().enumerate() {
            new_rank[r as usize] = nr as u32;
        }
        let mut up_first = Vec::with_capacity(num_nodes + 1);
        let mut up_head = Vec::new();
        up_first.push(0);
        for &r in &by_level {
            let start = up_head.len();
            up_head.extend(up[r as usize].iter().map(|&w| new_rank[w as usize]));
            up_head[start..].sort_unstable();
            up_first.push(up_head.len() as u32);
        }
        let new_order: Vec<u32> = by_level.iter().map(|&r| order[r as usize]).collect();
        CchTopology::from_parts(new_order, up_first, up_head, fingerprint)
            .expect("a topology built from an order is valid")
    }

    /// Derives ranks, downward arcs and levels from the stored arrays, checking every
    /// invariant queries and customization rely on (a permutation, sorted upward arcs above
    /// their tail, upward sets closed along the elimination tree, levels contiguous).
    pub(crate) fn from_parts(
        order: Vec<u32>,
        up_first: Vec<u32>,
        up_head: Vec<u32>,
        fingerprint: u64,
    ) -> Result<Self, CchError> {
        let n = order.len();
        let corrupt = |what: &str| CchError::Corrupt(what.to_string());
        let mut rank = vec![u32::MAX; n];
        for (r, &v) in order.iter().enumerate() {
            let slot = rank
                .get_mut(v as usize)
                .ok_or_else(|| corrupt("order entry out of range"))?;
            if *slot != u32::MAX {
                return Err(corrupt("order repeats a node"));
            }
            *slot = r as u32;
        }
        if up_first.len() != n + 1
            || up_first[0] != 0
            || up_first[n] as usize != up_head.len()
            || up_first.windows(2).any(|w| w[0] > w[1])
        {
            return Err(corrupt("arc index"));
        }
        let arcs = |r: usize| &up_head[up_first[r] as usize..up_first[r + 1] as usize];
        for r in 0..n {
            let a = arcs(r);
            if a.first().is_some_and(|&w| w as usize <= r)
                || a.last().is_some_and(|&w| w as usize >= n)
                || a.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(corrupt("upward arcs not sorted above their tail"));
            }
            // Chordality: the other upward neighbours are upward neighbours of the parent.
            if let Some((&p, rest)) = a.split_first() {
                let pa = arcs(p as usize);
                let mut k = 0;
                for &w in rest {
                    while k < pa.len() && pa[k] < w {
                        k += 1;
                    }
                    if k == pa.len() || pa[k] != w {
                        return Err(corrupt("upward neighbours are not a clique"));
                    }
                }
            }
        }
        // Levels must be non-decreasing with rank and strictly increase along every arc.
        let mut level = vec![0u32; n];
        for r in 0..n {
            for &w in arcs(r) {
                level[w as usize] = level[w as usize].max(level[r] + 1);
            }
        }
        if level.windows(2).any(|w| w[0] > w[1]) {
            return Err(corrupt("ranks not grouped by level"));
        }
        let num_levels = level.last().map_or(0, |&l| l as usize + 1);
        let mut level_first = vec![0u32; num_levels + 1];
        for &l in &level {
            level_first[l as usize + 1] += 1;
        }
        for l in 0..num_levels {
            level_first[l + 1] += level_first[l];
        }
        // Downward arcs: for each node its lower neighbours (sorted) with the arc id.
        let mut down_first = vec![0u32; n + 1];
        for &w in &up_head {
            down_first[w as usize + 1] += 1;
        }
        for r in 0..n {
            down_first[r + 1] += down_first[r];
        }
        let mut fill = down_first.clone();
        let mut down_tail = vec![0u32; up_head.len()];
        let mut down_arc = vec![0u32; up_head.len()];
        for r in 0..n {
            for a in up_first[r]..up_first[r + 1] {
                let w = up_head[a as usize] as usize;
                let slot = fill[w] as usize;
                down_tail[slot] = r as u32;
                down_arc[slot] = a;
                fill[w] += 1;
            }
        }
        let mut t = CchTopology {
            order,
            rank,
            up_first,
            up_head,
            down_first,
            down_tail,
            down_arc,
            level_first,
            fingerprint,
            checksum: 0,
        };
        t.checksum = t.compute_checksum();
        Ok(t)
    }

    fn compute_checksum(&self) -> u64 {
        let mut h = Fnv::new();
        h.eat(self.fingerprint as u32);
        h.eat((self.fingerprint >> 32) as u32);
        for &v in self.order.iter().chain(&self.up_first).chain(&self.up_head) {
            h.eat(v);
        }
        h.0
    }
}

/// FNV-1a over little-endian `u32`s.
pub(crate) struct Fnv(pub(crate) u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn eat(&mut self, v: u32) {
        for b in v.to_le_bytes() {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}
