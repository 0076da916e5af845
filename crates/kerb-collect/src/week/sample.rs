//! A seeded generator of sample collection weeks: the bins of [`sample_day`] with fill
//! rates, visit frequencies and two weeks of noisy sensor history, a few sensors failing.

use std::collections::BTreeMap;

use kerb_core::Graph;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{CollectionWeek, Frequency, TrueFill, WeekBin, WeekOptions, Weekday, WorkingDay};
use crate::day::TimeOfDay;
use crate::fill::{Reading, DAY_S};
use crate::generate::sample_day;

/// Monday 2026-01-05 00:00 UTC: the sample weeks' start.
pub const SAMPLE_START: f64 = 20_458.0 * DAY_S;

/// Days of sensor history before the week.
const HISTORY_DAYS: usize = 14;

/// Generates a week on `graph`: the bins, depot, disposal site and `trucks` trucks of
/// [`sample_day`] with the same seed; per bin a capacity (its volume), a frequency (8 %
/// daily at 50-90 %/day, 10 % Monday/Thursday, 10 % weekly, the rest on demand at 4-35
/// %/day) and readings at 00:00, 08:00 and 16:00 for two weeks before the start, with 3-point
/// noise, emptied on a Monday/Thursday rota; 3 % of the sensors are dead (no readings, a
/// known rate instead) and 3 % send a `255` now and then. Monday to Friday, one truck fewer
/// on Friday, the disposal site closing at 14:00 on Wednesday.
pub fn sample_week(graph: &Graph, n_bins: usize, trucks: u32, seed: u64) -> CollectionWeek {
    sample_week_with_truth(graph, n_bins, trucks, seed).0
}

/// [`sample_week`] and each bin's true fill at the start and mean filling rate, to judge a
/// plan on the truth ([`true_overflows`](super::true_overflows)).
pub fn sample_week_with_truth(
    graph: &Graph,
    n_bins: usize,
    trucks: u32,
    seed: u64,
) -> (CollectionWeek, BTreeMap<String, TrueFill>) {
    let mut day = sample_day(graph, n_bins, trucks, seed);
    day.name = format!("sample week: {n_bins} bins, seed {seed}");
    day.options.iterations = Some(200);
    day.options.time_limit_s = 30.0;
    let mut rng = StdRng::seed_from_u64(seed ^ 0x0F11_1EE7);
    let mut bins = Vec::with_capacity(day.bins.len());
    let mut readings = Vec::new();
    let mut truth = BTreeMap::new();
    for b in &day.bins {
        let kind: f64 = rng.gen();
        let (frequency, rate) = if kind < 0.08 {
            (Frequency::Daily, rng.gen_range(50.0..90.0))
        } else if kind < 0.18 {
            (
                Frequency::Days(vec![Weekday::Mon, Weekday::Thu]),
                rng.gen_range(15.0..30.0),
            )
        } else if kind < 0.28 {
            (Frequency::Weekly, rng.gen_range(4.0..12.0))
        } else {
            // Skewed: most bins fill slowly, a few fast.
            let u: f64 = rng.gen();
            (Frequency::OnDemand, 4.0 + 31.0 * u * u)
        };
        let rate: f64 = rate;
        let sensor: f64 = rng.gen();
        let dead = sensor < 0.03;
        let glitchy = (0.03..0.06).contains(&sensor);
        let mut fill: f64 = rng.gen_range(0.0..30.0);
        let mut last_fill = fill;
        for h in 0..HISTORY_DAYS * 3 {
            let t = SAMPLE_START - (HISTORY_DAYS * 3 - h) as f64 * 8.0 * 3600.0;
            // The history starts on a Monday, two weeks before the week.
            let weekday = (h / 3) % 7;
            // Readings at 00:00, 08:00 and 16:00; emptied before the 08:00 one on Mondays and Thursdays (or daily).
            if h % 3 == 1 && (matches!(frequency, Frequency::Daily) || weekday == 0 || weekday == 3)
            {
                fill = 0.0;
            }
            if !dead {
                let noise: f64 = (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum::<f64>() * 1.7;
                let value = if glitchy && rng.gen_bool(0.1) {
                    255.0
                } else {
                    (fill + noise).clamp(0.0, 150.0)
                };
                readings.push(Reading {
                    bin_id: b.id.clone(),
                    timestamp: t,
                    fill_pct: (value * 10.0).round() / 10.0,
                });
            }
            last_fill = fill;
            fill += rate / 3.0 * rng.gen_range(0.7..1.3);
        }
        truth.insert(
            b.id.clone(),
            TrueFill {
                fill_pct: fill,
                rate_pct_per_day: rate,
            },
        );
        bins.push(WeekBin {
            id: b.id.clone(),
            capacity_l: b.volume_l.max(120.0),
            frequency,
            rate_pct_per_day: dead.then_some((rate * 10.0).round() / 10.0),
            fill_pct: dead.then_some((last_fill.min(150.0) * 10.0).round() / 10.0),
        });
    }
    let fleet = trucks.max(1);
    let working_days = Weekday::ALL[..5]
        .iter()
        .map(|&weekday| WorkingDay {
            weekday,
            trucks: (weekday == Weekday::Fri && fleet > 1).then_some(fleet - 1),
            disposal_hours: (weekday == Weekday::Wed)
                .then(|| vec![[TimeOfDay(6.0 * 3600.0), TimeOfDay(14.0 * 3600.0)]]),
        })
        .collect();
    let week = CollectionWeek {
        name: day.name.clone(),
        day,
        bins,
        readings,
        start: SAMPLE_START,
        first_weekday: Weekday::Mon,
        working_days,
        options: WeekOptions::default(),
    };
    (week, truth)
}
