//! The week's stable territories: its bins cut by [`sectors_by_bearing`] into one sector per
//! truck of about equal expected weekly work, so a bin goes to the same truck on every day it
//! is visited.

use std::collections::HashMap;

use super::{CollectionWeek, Frequency};
use crate::day::Bin;
use crate::fill::RateEstimate;
use crate::territory::{sectors_by_bearing, Sector};

/// The week's territories: its bins by bearing from the first depot, cut into one sector per
/// truck of about equal expected weekly work (visits a week times service time plus a minute
/// of driving), one [`Sector`] per week bin.
pub(crate) fn sectors(
    week: &CollectionWeek,
    models: &[RateEstimate],
    trucks: usize,
) -> Vec<Sector> {
    let depot = &week.day.depots[0];
    let position: HashMap<&str, &Bin> = week.day.bins.iter().map(|b| (b.id.as_str(), b)).collect();
    let n_days = week.calendar().len() as f64;
    let items: Vec<(f64, f64, f64)> = week
        .bins
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let bin = position[b.id.as_str()];
            let visits = match &b.frequency {
                Frequency::Daily => n_days,
                Frequency::Days(d) => d.len() as f64,
                Frequency::Weekly => 1.0,
                Frequency::OnDemand => {
                    (models[i].rate_pct_per_day * 7.0 / week.options.must_pct.max(1.0)).max(1.0)
                }
            };
            (bin.lon, bin.lat, visits * (bin.service_s + 60.0))
        })
        .collect();
    sectors_by_bearing((depot.lon, depot.lat), &items, trucks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sectors_split_the_work_evenly_around_the_depot() {
        let bins: Vec<String> = (0..8)
            .map(|k| {
                let a = k as f64 * std::f64::consts::TAU / 8.0;
                format!(
                    r#"{{"id": "b{k}", "lon": {}, "lat": {}}}"#,
                    24.95 + 0.01 * a.cos(),
                    60.17 + 0.005 * a.sin()
                )
            })
            .collect();
        let week_bins: Vec<String> = (0..8)
            .map(|k| format!(r#"{{"id": "b{k}", "capacity_l": 240, "rate_pct_per_day": 10}}"#))
            .collect();
        let text = format!(
            r#"{{"day": {{"bins": [{}], "depots": [{{"id": "d", "lon": 24.95, "lat": 60.17}}],
                "disposal_sites": [],
                "trucks": [{{"id": "t", "depot": "d", "capacity_kg": 8000, "shift": ["06:00", "14:00"], "count": 2}}]}},
              "bins": [{}]}}"#,
            bins.join(","),
            week_bins.join(",")
        );
        let week = CollectionWeek::from_json(&text).unwrap();
        let models: Vec<RateEstimate> = {
            let m = week.fill_models();
            week.bins.iter().map(|b| m[&b.id]).collect()
        };
        let s = sectors(&week, &models, 2);
        assert_eq!(s.iter().filter(|s| s.truck == 0).count(), 4);
        assert!(s.iter().all(|s| s.size == 4 && s.rank < 4));
        // Contiguous by bearing: the four bins of a sector are neighbours around the depot.
        let truck_of: Vec<usize> = s.iter().map(|s| s.truck).collect();
        let changes = (0..8)
            .filter(|&k| truck_of[k] != truck_of[(k + 1) % 8])
            .count();
        assert_eq!(changes, 2, "{truck_of:?}");
    }
}
