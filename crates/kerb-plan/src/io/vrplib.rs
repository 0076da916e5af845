use crate::{Error, Job, Objective, Problem, Result, Vehicle, VehicleCosts};

/// Reads a VRPLIB / TSPLIB CVRP instance (`EUC_2D`: Euclidean rounded to the nearest integer
/// per edge, the Uchoa X-set convention; `EXPLICIT` matrices are not supported).
///
/// The fleet is unlimited (one vehicle per customer is created), the objective is distance.
///
/// ```
/// let text = "NAME : t\nTYPE : CVRP\nDIMENSION : 3\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n\
///   NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 1.6\nDEMAND_SECTION\n1 0\n2 5\n3 6\nDEPOT_SECTION\n1\n-1\nEOF\n";
/// let p = kerb_plan::io::read_vrplib(text).unwrap();
/// assert_eq!(p.jobs.len(), 2);
/// assert_eq!(p.matrices[0].distance(0, 2), 2.0); // 1.6 rounds to 2
/// ```
pub fn read_vrplib(text: &str) -> Result<Problem> {
    let mut dim = 0usize;
    let mut cap: Option<i64> = None;
    let mut coords: Vec<Option<(f64, f64)>> = Vec::new();
    let mut demand: Vec<i64> = Vec::new();
    let mut depots: Vec<usize> = Vec::new();
    let mut section = "";
    // Each node needs a line of its own: a DIMENSION beyond the line count is refused before
    // anything is allocated by it.
    let lines = text.lines().count();
    for (ln, line) in text.lines().enumerate() {
        let perr = |m: String| Error::Parse {
            line: ln + 1,
            message: m,
        };
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if let Some((k, v)) = l.split_once(':') {
            let (k, v) = (k.trim().to_ascii_uppercase(), v.trim());
            match k.as_str() {
                "DIMENSION" => {
                    dim = v.parse().map_err(|_| perr(format!("bad DIMENSION {v}")))?;
                    if dim > lines {
                        return Err(perr(format!(
                            "DIMENSION {dim} but the file has {lines} lines (each node needs a line of NODE_COORD_SECTION)"
                        )));
                    }
                    coords = vec![None; dim];
                    demand = vec![0; dim];
                }
                "CAPACITY" => cap = Some(v.parse().map_err(|_| perr(format!("bad CAPACITY {v}")))?),
                "EDGE_WEIGHT_TYPE" if v != "EUC_2D" => {
                    return Err(Error::Unsupported(format!(
                        "EDGE_WEIGHT_TYPE {v} (only EUC_2D)"
                    )))
                }
                "TYPE" if v != "CVRP" => {
                    return Err(Error::Unsupported(format!("TYPE {v} (only CVRP)")))
                }
                _ => {}
            }
            continue;
        }
        let up = l.to_ascii_uppercase();
        if up.ends_with("_SECTION") || up == "EOF" {
            section = match up.as_str() {
                "NODE_COORD_SECTION" => "coord",
                "DEMAND_SECTION" => "demand",
                "DEPOT_SECTION" => "depot",
                _ => "",
            };
            continue;
        }
        let nums: Vec<f64> = l
            .split_whitespace()
            .map(|t| {
                t.parse::<f64>()
                    .map_err(|_| perr(format!("not a number: {t}")))
            })
            .collect::<Result<_>>()?;
        let idx = |x: f64| -> Result<usize> {
            let i = x as i64 - 1;
            if i < 0 || i as usize >= dim {
                Err(Error::Parse {
                    line: ln + 1,
                    message: format!("node {x} outside 1..={dim}"),
                })
            } else {
                Ok(i as usize)
            }
        };
        match section {
            "coord" if nums.len() >= 3 => coords[idx(nums[0])?] = Some((nums[1], nums[2])),
            "demand" if nums.len() >= 2 => demand[idx(nums[0])?] = nums[1] as i64,
            "depot" => {
                for &x in &nums {
                    if x >= 0.0 {
                        depots.push(idx(x)?);
                    }
                }
            }
            "" => {}
            _ => return Err(perr("malformed section line".into())),
        }
    }
    let perr0 = |m: &str| Error::Parse {
        line: 0,
        message: m.into(),
    };
    if dim < 2 {
        return Err(perr0("DIMENSION missing or < 2"));
    }
    let cap = cap.ok_or_else(|| perr0("CAPACITY missing"))?;
    let points: Vec<(f64, f64)> = coords
        .iter()
        .map(|c| c.ok_or_else(|| perr0("a node has no coordinates")))
        .collect::<Result<_>>()?;
    let depot = *depots
        .first()
        .ok_or_else(|| perr0("DEPOT_SECTION missing"))?;
    // One vehicle per customer, one matrix of dim x dim: checked before it is built.
    crate::SizeEstimate::new(dim - 1, dim - 1, dim, 1).check(&crate::SizeLimits::default())?;
    let m = super::euclidean(&points, true);
    let mut p = Problem::new(vec![m]).objective(Objective {
        minimize_vehicles: false,
    });
    for (i, &d) in demand.iter().enumerate() {
        if i != depot {
            p.jobs.push(Job::new(i as u64 + 1, i).demand(vec![d]));
        }
    }
    for v in 0..p.jobs.len() {
        p.vehicles.push(
            Vehicle::new(v as u64, Some(depot))
                .capacity(vec![cap])
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

    /// What the fuzzer found: a DIMENSION of 38,888,888,851 made the reader allocate ~900 GB
    /// before reading a node. Now a typed error, nothing allocated by the number.
    #[test]
    fn a_dimension_beyond_the_file_is_refused_before_allocating() {
        let text = "NAME : t\nTYPE : CVRP\nDIMENSION : 38888888851\nEDGE_WEIGHT_TYPE : EUC_2D\n";
        match read_vrplib(text) {
            Err(Error::Parse { line: 3, message }) => {
                assert!(message.contains("38888888851"), "{message}")
            }
            other => panic!("expected a parse error on line 3, got {other:?}"),
        }
    }

    /// A file that does hold one line per node but more than the default size limits is
    /// refused before its matrix is built.
    #[test]
    fn an_instance_beyond_the_size_limits_is_too_large() {
        let n = 30_000;
        let mut text = format!(
            "NAME : big\nTYPE : CVRP\nDIMENSION : {n}\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\nNODE_COORD_SECTION\n"
        );
        for i in 1..=n {
            text.push_str(&format!("{i} {i} 0\n"));
        }
        text.push_str("DEPOT_SECTION\n1\n-1\nEOF\n");
        assert!(matches!(read_vrplib(&text), Err(Error::TooLarge { .. })));
    }
}
