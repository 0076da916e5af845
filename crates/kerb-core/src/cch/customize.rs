//! Basic and perfect customization, level by level on rayon. Nodes of one level are never
//! adjacent and their arcs are contiguous, so each level is cut into one mutable slice per
//! node while the finished levels are read.

use rayon::prelude::*;

use super::*;

/// Levels with fewer nodes than this run on the calling thread (rayon's overhead dominates).
const PARALLEL_LEVEL: usize = 64;

impl CchTopology {
    /// Customizes this topology for a metric: each `(tail, head)` of `arcs` must be an edge of
    /// the graph the topology was built on (parallel arcs keep the cheapest; pairs not given are
    /// closed). Runs basic then perfect customization on rayon's current pool.
    pub fn customize(self: &Arc<Self>, arcs: &[ch::Arc]) -> Result<Cch, CchError> {
        let m = self.num_arcs();
        let mut up = vec![INF; m];
        let mut down = vec![INF; m];
        for a in arcs {
            let n = self.num_nodes() as u32;
            if a.tail >= n || a.head >= n {
                return Err(CchError::ArcNotInTopology {
                    tail: a.tail,
                    head: a.head,
                });
            }
            if a.tail == a.head || a.weight == u32::MAX {
                continue;
            }
            let (rt, rh) = (self.rank[a.tail as usize], self.rank[a.head as usize]);
            let k = self
                .arc_between(rt.min(rh), rt.max(rh))
                .ok_or(CchError::ArcNotInTopology {
                    tail: a.tail,
                    head: a.head,
                })?;
            let slot = if rt < rh { &mut up[k] } else { &mut down[k] };
            *slot = (*slot).min(pack(a.weight, a.dist));
        }
        self.basic(&mut up, &mut down);
        let (mut up_perfect, mut down_perfect) = (up.clone(), down.clone());
        self.perfect(&mut up_perfect, &mut down_perfect);
        // An arc perfect customization lowered is on no shortest path: drop it, so that
        // every open arc unpacks into lower triangles of open arcs.
        for (b, p) in up.iter_mut().zip(&up_perfect) {
            if *p < *b {
                *b = INF;
            }
        }
        for (b, p) in down.iter_mut().zip(&down_perfect) {
            if *p < *b {
                *b = INF;
            }
        }
        Ok(Cch {
            topology: Arc::clone(self),
            up,
            down,
        })
    }

    /// The arcs of the nodes in `level`, cut into one `(rank, up, down)` slice per node.
    fn level_slices<'a>(
        &self,
        level: usize,
        up: &'a mut [Packed],
        down: &'a mut [Packed],
        offset: usize,
    ) -> Vec<(u32, &'a mut [Packed], &'a mut [Packed])> {
        let (lo, hi) = (self.level_first[level], self.level_first[level + 1]);
        let mut out = Vec::with_capacity((hi - lo) as usize);
        let (mut up, mut down) = (up, down);
        let mut at = offset;
        for r in lo..hi {
            let len = self.up_range(r).len();
            debug_assert_eq!(self.up_range(r).start, at);
            let (a, rest_up) = std::mem::take(&mut up).split_at_mut(len);
            let (b, rest_down) = std::mem::take(&mut down).split_at_mut(len);
            up = rest_up;
            down = rest_down;
            at += len;
            out.push((r, a, b));
        }
        out
    }

    /// Lower triangles, bottom-up: arc `{u, w}` takes `u -> v -> w` for every lower `v`
    /// adjacent to both (pulled by `u`, reading only lower levels).
    fn basic(&self, up: &mut [Packed], down: &mut [Packed]) {
        for level in 0..self.num_levels() {
            let start = self.up_first[self.level_first[level] as usize] as usize;
            let end = self.up_first[self.level_first[level + 1] as usize] as usize;
            let (done_up, rest_up) = up.split_at_mut(start);
            let (done_down, rest_down) = down.split_at_mut(start);
            let (done_up, done_down) = (&*done_up, &*done_down);
            let slices = self.level_slices(
                level,
                &mut rest_up[..end - start],
                &mut rest_down[..end - start],
                start,
            );
            let work = |(u, my_up, my_down): (u32, &mut [Packed], &mut [Packed])| {
                let mine = &self.up_head[self.up_range(u)];
                for d in self.down_range(u) {
                    let v = self.down_tail[d];
                    let vu = self.down_arc[d] as usize;
                    let (v_to_u, u_to_v) = (done_up[vu], done_down[vu]);
                    if v_to_u == INF && u_to_v == INF {
                        continue;
                    }
                    // Upward neighbours of v above u, all upward neighbours of u too.
                    let vr = self.up_range(v);
                    let theirs = &self.up_head[vr.clone()];
                    let from = theirs.partition_point(|&w| w <= u);
                    let mut k = 0;
                    for (j, &w) in theirs.iter().enumerate().skip(from) {
                        while mine[k] < w {
                            k += 1;
                        }
                        let vw = vr.start + j;
                        my_up[k] = my_up[k].min(add(u_to_v, done_up[vw]));
                        my_down[k] = my_down[k].min(add(done_down[vw], v_to_u));
                    }
                }
            };
            if slices.len() < PARALLEL_LEVEL {
                slices.into_iter().for_each(work);
            } else {
                slices.into_par_iter().for_each(work);
            }
        }
    }

    /// Intermediate and upper triangles, top-down: for the arcs `{x, z}`, `{x, y}` of a node
    /// `x` and the arc `{z, y}` between their higher ends (already exact), each of the two arcs
    /// of `x` may take the path through the other.
    fn perfect(&self, up: &mut [Packed], down: &mut [Packed]) {
        for level in (0..self.num_levels()).rev() {
            let start = self.up_first[self.level_first[level] as usize] as usize;
            let end = self.up_first[self.level_first[level + 1] as usize] as usize;
            let (below_up, done_up) = up.split_at_mut(end);
            let (below_down, done_down) = down.split_at_mut(end);
            let (done_up, done_down) = (&*done_up, &*done_down);
            let slices = self.level_slices(
                level,
                &mut below_up[start..],
                &mut below_down[start..],
                start,
            );
            let work = |(x, my_up, my_down): (u32, &mut [Packed], &mut [Packed])| {
                let mine = &self.up_head[self.up_range(x)];
                for (i, &z) in mine.iter().enumerate() {
                    let zr = self.up_range(z);
                    let theirs = &self.up_head[zr.clone()];
                    let mut j = i + 1;
                    for (k, &y) in theirs.iter().enumerate() {
                        while j < mine.len() && mine[j] < y {
                            j += 1;
                        }
                        if j == mine.len() {
                            break;
                        }
                        if mine[j] != y {
                            continue;
                        }
                        let zy = zr.start + k - end;
                        let (z_to_y, y_to_z) = (done_up[zy], done_down[zy]);
                        my_up[j] = my_up[j].min(add(my_up[i], z_to_y));
                        my_down[j] = my_down[j].min(add(y_to_z, my_down[i]));
                        my_up[i] = my_up[i].min(add(my_up[j], y_to_z));
                        my_down[i] = my_down[i].min(add(z_to_y, my_down[j]));
                    }
                }
            };
            if slices.len() < PARALLEL_LEVEL {
                slices.into_iter().for_each(work);
            } else {
                slices.into_par_iter().for_each(work);
            }
        }
    }
}
