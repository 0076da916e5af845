//! Reproducible random query points in a bounding box, for tests and benches that snap
//! them to a graph themselves.

use rand::{Rng, SeedableRng};

/// `n` reproducible random `(lon, lat)` points inside a bounding box given as
/// `(min_lon, min_lat, max_lon, max_lat)`: query points for tests and benches, which snap
/// them to the graph themselves.
pub fn random_points(bbox: (f64, f64, f64, f64), n: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    random_points_with(bbox, n, &mut rng)
}

/// As [`random_points`], drawing from a caller's generator (so a test can interleave other
/// random choices with the same stream).
pub fn random_points_with(
    (x0, y0, x1, y1): (f64, f64, f64, f64),
    n: usize,
    rng: &mut impl Rng,
) -> Vec<(f64, f64)> {
    (0..n)
        .map(|_| (rng.gen_range(x0..=x1), rng.gen_range(y0..=y1)))
        .collect()
}
