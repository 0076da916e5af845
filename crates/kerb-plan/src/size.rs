//! How big a problem is before anything is allocated: counts of jobs, vehicles (after any
//! fleet expansion), locations and matrix cells, a rough byte estimate, and limits to check.

use crate::{Error, Problem, Result};

/// Bytes per matrix cell: a duration and a distance as `f64`, in the input matrix and again
/// in the solver's per vehicle-type copy.
const BYTES_PER_CELL: u64 = 2 * 2 * 8;
/// Bytes per job in the solver (neighbour list of up to 60 jobs, windows, caches).
const BYTES_PER_JOB: u64 = 60 * 4 + 256;
/// Bytes per vehicle in the solver (one route with its caches).
const BYTES_PER_VEHICLE: u64 = 512;

/// The size of a planning problem from its counts alone, so a caller (a reader, a server)
/// can refuse a request before building matrices or expanding a fleet.
///
/// ```
/// use kerb_plan::{SizeEstimate, SizeLimits};
/// let size = SizeEstimate::new(1_000, 20, 1_001, 1);
/// assert_eq!(size.matrix_cells, 1_001 * 1_001);
/// assert!(size.check(&SizeLimits::default()).is_ok());
/// // A fleet of a billion trucks is refused before a single one is allocated.
/// let fleet = SizeEstimate::new(10, 1_000_000_000, 11, 1);
/// assert!(matches!(fleet.check(&SizeLimits::default()), Err(kerb_plan::Error::TooLarge { .. })));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SizeEstimate {
    /// Jobs.
    pub jobs: u64,
    /// Vehicles, after expanding any `count`.
    pub vehicles: u64,
    /// Matrix locations (rows).
    pub locations: u64,
    /// Matrix cells over all profiles (`profiles * locations^2`, saturating).
    pub matrix_cells: u64,
    /// Rough peak memory of reading and solving, in bytes (saturating).
    pub bytes: u64,
}

impl SizeEstimate {
    /// The estimate for `jobs` jobs, `vehicles` vehicles and `profiles` square matrices over
    /// `locations` locations. Never overflows: huge inputs saturate at `u64::MAX`.
    pub fn new(jobs: usize, vehicles: usize, locations: usize, profiles: usize) -> Self {
        let (jobs, vehicles, locations) = (jobs as u64, vehicles as u64, locations as u64);
        let matrix_cells = locations
            .saturating_mul(locations)
            .saturating_mul((profiles as u64).max(1));
        let bytes = matrix_cells
            .saturating_mul(BYTES_PER_CELL)
            .saturating_add(jobs.saturating_mul(BYTES_PER_JOB))
            .saturating_add(vehicles.saturating_mul(BYTES_PER_VEHICLE));
        Self {
            jobs,
            vehicles,
            locations,
            matrix_cells,
            bytes,
        }
    }

    /// [`Error::TooLarge`] naming the first count above its limit.
    pub fn check(&self, limits: &SizeLimits) -> Result<()> {
        let checks = [
            ("jobs", self.jobs, limits.max_jobs),
            ("vehicles", self.vehicles, limits.max_vehicles),
            ("matrix cells", self.matrix_cells, limits.max_matrix_cells),
            ("estimated bytes", self.bytes, limits.max_bytes),
        ];
        match checks.into_iter().find(|&(_, value, limit)| value > limit) {
            Some((what, value, limit)) => Err(Error::TooLarge { what, value, limit }),
            None => Ok(()),
        }
    }
}

/// Largest problem a caller accepts; see [`SizeEstimate::check`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeLimits {
    /// Most jobs.
    pub max_jobs: u64,
    /// Most vehicles after fleet expansion.
    pub max_vehicles: u64,
    /// Most matrix cells over all profiles.
    pub max_matrix_cells: u64,
    /// Most estimated bytes.
    pub max_bytes: u64,
}

impl Default for SizeLimits {
    /// 100,000 jobs, 10,000 vehicles, 500 million matrix cells, 16 GiB.
    fn default() -> Self {
        Self {
            max_jobs: 100_000,
            max_vehicles: 10_000,
            max_matrix_cells: 500_000_000,
            max_bytes: 16 << 30,
        }
    }
}

impl Problem {
    /// The [`SizeEstimate`] of this problem (its matrices are already allocated: use
    /// [`SizeEstimate::new`] on the counts of an input before building one).
    pub fn size_estimate(&self) -> SizeEstimate {
        SizeEstimate::new(
            self.jobs.len(),
            self.vehicles.len(),
            self.matrices.first().map_or(0, |m| m.size),
            self.matrices.len(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Job, Matrix, Vehicle};

    #[test]
    fn counts_of_a_problem_and_saturation() {
        let p = Problem::new(vec![Matrix::from_fn(3, |_, _| (1.0, 1.0)); 2])
            .job(Job::new(1, 1))
            .vehicle(Vehicle::new(1, Some(0)));
        let s = p.size_estimate();
        assert_eq!(
            (s.jobs, s.vehicles, s.locations, s.matrix_cells),
            (1, 1, 3, 18)
        );
        let huge = SizeEstimate::new(usize::MAX, usize::MAX, usize::MAX, usize::MAX);
        assert_eq!((huge.matrix_cells, huge.bytes), (u64::MAX, u64::MAX));
        let err = huge.check(&SizeLimits::default()).unwrap_err();
        assert!(err.to_string().contains("jobs"), "{err}");
    }
}
