//! Many-to-many queries: bucket-based (Knopp et al. 2007), parallel over sources and
//! targets with rayon.

use rayon::prelude::*;

use super::*;

/// Weights and secondary values of a many-to-many query, row-major (`sources x targets`);
/// `None` where unreachable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManyToMany {
    /// Number of rows.
    pub num_sources: usize,
    /// Number of columns.
    pub num_targets: usize,
    /// Row-major cells: `(weight, dist)`.
    pub cells: Vec<Option<(i64, i64)>>,
}

/// Offsets subtracted from seeds: `(weight, dist)`.
type Shift = (i64, i64);

#[derive(Clone, Copy, Debug)]
struct BucketEntry {
    target: u32,
    weight: u32,
    dist: u32,
}

impl ContractionHierarchy {
    /// All shortest-path weights from each seed set in `sources` to each in `targets`
    /// (bucket-based, parallel over sources and targets with rayon).
    pub fn many_to_many(&self, sources: &[Vec<Seed>], targets: &[Vec<Seed>]) -> ManyToMany {
        let n = self.num_nodes();
        // Backward searches: fill buckets.
        let per_target: Vec<(Vec<(u32, BucketEntry)>, Shift)> = targets
            .par_iter()
            .enumerate()
            .map_init(
                || SearchSide::new(n),
                |side, (t, seeds)| {
                    let shift = side.init(self, seeds);
                    let mut entries = Vec::new();
                    while let Some((r, d)) = side.settle_next(self, false) {
                        entries.push((
                            r,
                            BucketEntry {
                                target: t as u32,
                                weight: d,
                                dist: side.sec[r as usize],
                            },
                        ));
                    }
                    (entries, shift)
                },
            )
            .collect();
        let mut bucket_first = vec![0u32; n + 1];
        for (entries, _) in &per_target {
            for (r, _) in entries {
                bucket_first[*r as usize + 1] += 1;
            }
        }
        for i in 0..n {
            bucket_first[i + 1] += bucket_first[i];
        }
        let mut fill = bucket_first.clone();
        let total = bucket_first[n] as usize;
        let mut buckets = vec![
            BucketEntry {
                target: 0,
                weight: 0,
                dist: 0
            };
            total
        ];
        for (entries, _) in &per_target {
            for (r, e) in entries {
                let slot = &mut fill[*r as usize];
                buckets[*slot as usize] = *e;
                *slot += 1;
            }
        }
        let shifts: Vec<(i64, i64)> = per_target.iter().map(|(_, s)| *s).collect();
        drop(per_target);
        let nt = targets.len();
        let rows: Vec<Vec<Option<(i64, i64)>>> = sources
            .par_iter()
            .map_init(
                || (SearchSide::new(n), Vec::new()),
                |(side, row): &mut (SearchSide, Vec<(u64, u32)>), seeds| {
                    row.clear();
                    row.resize(nt, (u64::MAX, 0));
                    let (sw, sd) = side.init(self, seeds);
                    while let Some((r, d)) = side.settle_next(self, true) {
                        let sec = side.sec[r as usize];
                        let b = &buckets[bucket_first[r as usize] as usize
                            ..bucket_first[r as usize + 1] as usize];
                        for e in b {
                            let w = d as u64 + e.weight as u64;
                            let cell = &mut row[e.target as usize];
                            if w < cell.0 {
                                *cell = (w, sec.wrapping_add(e.dist));
                            }
                        }
                    }
                    row.iter()
                        .zip(&shifts)
                        .map(|(&(w, d), &(tw, td))| {
                            (w != u64::MAX).then(|| (w as i64 + sw + tw, d as i64 + sd + td))
                        })
                        .collect()
                },
            )
            .collect();
        ManyToMany {
            num_sources: sources.len(),
            num_targets: nt,
            cells: rows.concat(),
        }
    }
}
