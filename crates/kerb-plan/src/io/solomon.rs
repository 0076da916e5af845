use crate::{Error, Job, Objective, Problem, Result, TimeWindow, Vehicle, VehicleCosts};

/// Reads a Solomon / Gehring-Homberger VRPTW instance.
///
/// Conventions (those of the literature): Euclidean distances in double precision, travel
/// time = distance, cost = distance, customer 0 is the depot whose due date closes the shift,
/// `VEHICLE NUMBER` identical vehicles, hierarchical objective (vehicles, then distance).
///
/// ```
/// let text = "T\n\nVEHICLE\nNUMBER CAPACITY\n 2 10\n\nCUSTOMER\nCUST NO. X Y DEMAND READY DUE SERVICE\n\
///   0 0 0 0 0 100 0\n 1 3 4 5 0 50 1\n 2 6 8 5 0 50 1\n";
/// let p = kerb_plan::io::read_solomon(text).unwrap();
/// assert_eq!((p.jobs.len(), p.vehicles.len()), (2, 2));
/// assert_eq!(p.matrices[0].distance(0, 1), 5.0);
/// ```
pub fn read_solomon(text: &str) -> Result<Problem> {
    let mut fleet: Option<(usize, i64)> = None;
    let mut rows: Vec<[f64; 7]> = Vec::new();
    let mut in_vehicle = false;
    for (ln, line) in text.lines().enumerate() {
        let toks: Vec<&str> = line.split_whitespace().collect();
        if toks.is_empty() {
            continue;
        }
        if toks[0].eq_ignore_ascii_case("VEHICLE") {
            in_vehicle = true;
            continue;
        }
        let nums: Option<Vec<f64>> = toks.iter().map(|t| t.parse::<f64>().ok()).collect();
        let Some(nums) = nums else {
            continue;
        };
        let perr = |m: &str| Error::Parse {
            line: ln + 1,
            message: m.to_string(),
        };
        if in_vehicle && fleet.is_none() {
            if nums.len() != 2 || nums[0] < 1.0 || nums[1] < 0.0 {
                return Err(perr("expected `VEHICLE_NUMBER CAPACITY`"));
            }
            fleet = Some((nums[0] as usize, nums[1] as i64));
            continue;
        }
        if nums.len() != 7 {
            return Err(perr("expected 7 numbers: id x y demand ready due service"));
        }
        if nums[0] as usize != rows.len() {
            return Err(perr(
                "customer numbers must be consecutive from 0 (the depot)",
            ));
        }
        if nums[3] < 0.0 || nums[4] > nums[5] || nums[6] < 0.0 {
            return Err(perr("negative demand/service or ready time after due date"));
        }
        rows.push([
            nums[0], nums[1], nums[2], nums[3], nums[4], nums[5], nums[6],
        ]);
    }
    let (k, cap) = fleet.ok_or(Error::Parse {
        line: 0,
        message: "missing VEHICLE section".into(),
    })?;
    if rows.len() < 2 {
        return Err(Error::Parse {
            line: 0,
            message: "needs a depot and at least one customer".into(),
        });
    }
    // The fleet and the matrix are checked against the default SizeLimits before either is
    // built (a VEHICLE NUMBER of 10^80 must not allocate a vehicle).
    crate::SizeEstimate::new(rows.len() - 1, k, rows.len(), 1)
        .check(&crate::SizeLimits::default())?;
    let points: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
    let m = super::euclidean(&points, false);
    let depot = rows[0];
    let mut p = Problem::new(vec![m]).objective(Objective {
        minimize_vehicles: true,
    });
    for (i, r) in rows.iter().enumerate().skip(1) {
        let mut j = Job::new(i as u64, i)
            .demand(vec![r[3] as i64])
            .service(r[6]);
        j.time_windows.push(TimeWindow::new(r[4], r[5]));
        p.jobs.push(j);
    }
    for v in 0..k {
        p.vehicles.push(
            Vehicle::new(v as u64, Some(0))
                .capacity(vec![cap])
                .shift(depot[4], depot[5])
                .costs(VehicleCosts {
                    fixed: 0.0,
                    per_hour: 0.0,
                    per_km: 1000.0,
                    ..VehicleCosts::default()
                }),
        );
    }
    p.validate()?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the fuzzer found: a VEHICLE NUMBER of 5.6e87 made the reader push vehicles until
    /// memory ran out. Now refused before any vehicle is built.
    #[test]
    fn a_huge_fleet_is_too_large_before_any_vehicle_is_built() {
        let text = format!(
            "T\n\nVEHICLE\nNUMBER CAPACITY\n {} 10\n\nCUSTOMER\n0 0 0 0 0 100 0\n1 3 4 5 0 50 1\n",
            "5".repeat(88)
        );
        match read_solomon(&text) {
            Err(Error::TooLarge { .. }) => {}
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
}
