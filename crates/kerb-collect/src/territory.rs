//! Stable territories: bins cut into one sector per truck around the depot, of about equal
//! expected work, so that each truck keeps a compact area: every day it is visited in a
//! collection week, and within one day when the day asks for balanced territories
//! ([`DayOptions::territories`](crate::DayOptions::territories)).

use crate::day::CollectionDay;

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
