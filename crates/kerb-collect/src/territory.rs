//! Stable territories: bins cut into one sector per truck around the depot, of about equal
//! expected work, so that each truck keeps a compact area: every day it is visited in a
//! collection week, and within one day when the day asks for balanced territories
//! ([`DayOptions::territories`](crate::DayOptions::territories)).

use std::collections::HashMap;

use crate::day::{Bin, CollectionDay};
use crate::fill::RateEstimate;
use crate::week::{CollectionWeek, Frequency};

/// A bin's place in the territories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sector {
    /// Index of its truck in the expanded fleet.
    pub truck: usize,
    /// Its rank by bearing within the sector.
    pub rank: usize,
    /// Bins in the sector.
    pub size: usize,
}

/// Cluster-first sectors: `items` (lon, lat, work) sorted by bearing from `depot` (lon, lat)
/// and cut into `trucks` sectors of about equal total work, one [`Sector`] per item.
pub(crate) fn sectors_by_bearing(
    depot: (f64, f64),
    items: &[(f64, f64, f64)],
    trucks: usize,
) -> Vec<Sector> {
    let (dlon, dlat) = depot;
    let mut order: Vec<(f64, usize, f64)> = items
        .iter()
        .enumerate()
        .map(|(i, &(lon, lat, work))| {
            let bearing = (lat - dlat).atan2((lon - dlon) * dlat.to_radians().cos());
            (bearing, i, work)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let total: f64 = order.iter().map(|o| o.2).sum();
    let last = trucks.saturating_sub(1);
    let mut out = vec![
        Sector {
            truck: 0,
            rank: 0,
            size: 0
        };
        order.len()
    ];
    let mut size = vec![0; trucks.max(1)];
    let mut acc = 0.0;
    for &(_, i, work) in &order {
        // The sector holding the middle of this item's share of the cumulative work.
        let truck = (((acc + 0.5 * work) / total.max(f64::MIN_POSITIVE) * trucks as f64) as usize)
            .min(last);
        acc += work;
        out[i] = Sector {
            truck,
            rank: size[truck],
            size: 0,
        };
        size[truck] += 1;
    }
    for s in &mut out {
        s.size = size[s.truck];
    }
    out
}

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

/// The day with every bin not already pinned to a truck pinned to its territory's truck:
/// the bins by bearing from the first depot, cut into one sector per truck of about equal
/// work (service time plus a minute of driving per bin). Bins the caller pinned keep their
/// truck and count towards it.
pub(crate) fn pin_day_territories(day: &CollectionDay) -> CollectionDay {
    let mut out = day.clone();
    let names: Vec<String> = day.truck_names().collect();
    let Some(depot) = day.depots.first() else {
        return out;
    };
    if names.len() < 2 {
        return out;
    }
    let items: Vec<(f64, f64, f64)> = day
        .bins
        .iter()
        .map(|b| (b.lon, b.lat, b.service_s + 60.0))
        .collect();
    let sectors = sectors_by_bearing((depot.lon, depot.lat), &items, names.len());
    for (b, s) in out.bins.iter_mut().zip(&sectors) {
        if b.truck.is_none() {
            b.truck = Some(names[s.truck].clone());
        }
    }
    out
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
