//! Fill-level model: sensor readings (`bin_id, timestamp, fill_pct`) in, a robust per-bin
//! filling rate and a per-day fill forecast with an uncertainty band out.
//!
//! Rates are Theil-Sen slopes (the median of the slopes between every pair of readings)
//! taken within emptying cycles only: a drop of more than [`RESET_DROP_PCT`] between two
//! consecutive readings (or of [`MIN_RESET_DROP_PCT`] halving the level) is an emptying, and
//! pairs across it are not compared. Readings a
//! sensor cannot have produced (outside `0..=150 %`, not finite) are dropped and counted.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::Error;

/// A fall in fill level between consecutive readings larger than this (percentage points)
/// is taken as the bin being emptied.
pub const RESET_DROP_PCT: f64 = 20.0;

/// A drop of at least this much (percentage points) that also halves the level is an
/// emptying too: a bin emptied while nearly empty falls by less than [`RESET_DROP_PCT`].
pub const MIN_RESET_DROP_PCT: f64 = 8.0;

/// Whether a fall from `before` to `after` is the bin being emptied rather than noise.
fn is_emptying(before: f64, after: f64) -> bool {
    before - after > RESET_DROP_PCT.min(MIN_RESET_DROP_PCT.max(0.5 * before))
}

/// Seconds per day.
pub const DAY_S: f64 = 86_400.0;

/// One sensor reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// The bin it belongs to.
    pub bin_id: String,
    /// When it was taken: Unix seconds, or `"YYYY-MM-DDTHH:MM[:SS][Z]"` (UTC).
    #[serde(deserialize_with = "de_timestamp")]
    pub timestamp: f64,
    /// Fill level, percent of the bin's capacity.
    pub fill_pct: f64,
}

fn de_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Num(f64),
        Str(String),
    }
    match Raw::deserialize(d)? {
        Raw::Num(v) if v.is_finite() => Ok(v),
        Raw::Num(v) => Err(serde::de::Error::custom(format!("invalid timestamp {v}"))),
        Raw::Str(s) => parse_timestamp(&s).map_err(serde::de::Error::custom),
    }
}

/// Parses a Unix timestamp in seconds or a UTC date-time `"YYYY-MM-DDTHH:MM[:SS][Z]"`
/// (a space may replace the `T`).
///
/// ```
/// use kerb_collect::fill::parse_timestamp;
/// assert_eq!(parse_timestamp("1970-01-02T00:00:00Z").unwrap(), 86_400.0);
/// assert_eq!(parse_timestamp("2026-12-02 06:30").unwrap(), parse_timestamp("1796193000").unwrap());
/// assert!(parse_timestamp("yesterday").is_err());
/// ```
pub fn parse_timestamp(s: &str) -> Result<f64, Error> {
    let s = s.trim();
    if let Ok(v) = s.parse::<f64>() {
        if v.is_finite() {
            return Ok(v);
        }
    }
    let bad = || {
        Error::InvalidInput(format!(
            "invalid timestamp {s:?} (expected Unix seconds or YYYY-MM-DDTHH:MM[:SS]Z)"
        ))
    };
    let s = s.strip_suffix('Z').unwrap_or(s);
    let (date, time) = s.split_once(['T', ' ']).ok_or_else(bad)?;
    let d: Vec<&str> = date.split('-').collect();
    let t: Vec<&str> = time.split(':').collect();
    if d.len() != 3 || !(2..=3).contains(&t.len()) {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<i64>().map_err(|_| bad());
    let (y, m, day) = (num(d[0])?, num(d[1])?, num(d[2])?);
    let (hh, mm) = (num(t[0])?, num(t[1])?);
    let ss: f64 = match t.get(2) {
        Some(p) => p.parse().map_err(|_| bad())?,
        None => 0.0,
    };
    if !(1..=12).contains(&m)
        || !(1..=31).contains(&day)
        || hh > 23
        || mm > 59
        || !(0.0..60.0).contains(&ss)
    {
        return Err(bad());
    }
    Ok((days_from_civil(y, m, day) * 86_400 + hh * 3600 + mm * 60) as f64 + ss)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Reads readings from CSV with a header `bin_id,timestamp,fill_pct`.
///
/// ```
/// let r = kerb_collect::fill::read_readings_csv("bin_id,timestamp,fill_pct\na,0,10\na,86400,30\n")?;
/// assert_eq!(r[1].fill_pct, 30.0);
/// # Ok::<(), kerb_collect::Error>(())
/// ```
pub fn read_readings_csv(text: &str) -> Result<Vec<Reading>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    reader
        .deserialize::<Reading>()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| Error::InvalidInput(format!("readings CSV row {}: {e}", i + 2)))
        })
        .collect()
}

/// Reads readings from a JSON array of `{"bin_id", "timestamp", "fill_pct"}` objects.
pub fn read_readings_json(text: &str) -> Result<Vec<Reading>, Error> {
    serde_json::from_str(text).map_err(|e| Error::InvalidInput(format!("readings JSON: {e}")))
}

/// A bin's filling rate estimated from its readings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RateEstimate {
    /// Filling rate, percentage points per day (never negative).
    pub rate_pct_per_day: f64,
    /// Spread of the rate (scaled median absolute deviation of the pairwise slopes),
    /// percentage points per day.
    pub rate_sd_pct_per_day: f64,
    /// Spread of single readings around the fitted lines, percentage points (sensor noise).
    pub noise_sd_pct: f64,
    /// The last valid reading: `(timestamp, fill_pct)`, the state forecasts start from.
    pub last: (f64, f64),
    /// Valid readings used.
    pub readings: usize,
    /// Readings dropped as impossible.
    pub rejected: usize,
    /// Emptyings detected.
    pub resets: usize,
    /// Rate multipliers by weekday (Monday first, mean 1) when the history shows a weekly
    /// pattern beyond its noise ([`weekday_profile`]); `None` = the same rate every day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekday_factors: Option<[f64; 7]>,
}

/// A forecast fill level with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FillForecast {
    /// Expected fill, percent (may exceed 100: the bin overflows).
    pub mean_pct: f64,
    /// Standard deviation, percentage points.
    pub sd_pct: f64,
}

impl FillForecast {
    /// Probability the fill exceeds `pct` (normal approximation).
    pub fn probability_above(&self, pct: f64) -> f64 {
        if self.sd_pct <= 0.0 {
            return if self.mean_pct > pct { 1.0 } else { 0.0 };
        }
        1.0 - normal_cdf((pct - self.mean_pct) / self.sd_pct)
    }

    /// The upper end of a one-sided band with `z` standard deviations.
    pub fn upper(&self, z: f64) -> f64 {
        self.mean_pct + z * self.sd_pct
    }
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf, error below 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    }
}

/// Whether a reading is one a working sensor could have sent.
fn plausible(r: &Reading) -> bool {
    r.timestamp.is_finite() && r.fill_pct.is_finite() && (0.0..=150.0).contains(&r.fill_pct)
}

/// Estimates one bin's rate from its readings (any order, other bins' readings ignored by
/// the caller). `None` when fewer than two valid readings in one emptying cycle remain.
pub fn estimate_rate(readings: &[&Reading]) -> Option<RateEstimate> {
    let mut valid: Vec<(f64, f64)> = readings
        .iter()
        .filter(|r| plausible(r))
        .map(|r| (r.timestamp, r.fill_pct))
        .collect();
    let rejected = readings.len() - valid.len();
    valid.sort_by(|a, b| a.0.total_cmp(&b.0));
    let last = *valid.last()?;
    // Emptying cycles: split where the level drops by more than RESET_DROP_PCT.
    let mut cycles: Vec<&[(f64, f64)]> = Vec::new();
    let mut start = 0;
    for k in 1..valid.len() {
        if is_emptying(valid[k - 1].1, valid[k].1) {
            cycles.push(&valid[start..k]);
            start = k;
        }
    }
    cycles.push(&valid[start..]);
    let resets = cycles.len() - 1;
    let mut slopes = Vec::new();
    for c in &cycles {
        for i in 0..c.len() {
            for j in i + 1..c.len() {
                let dt = c[j].0 - c[i].0;
                if dt > 0.0 {
                    slopes.push((c[j].1 - c[i].1) / dt * DAY_S);
                }
            }
        }
    }
    if slopes.is_empty() {
        return None;
    }
    let rate = median(&mut slopes);
    let mut dev: Vec<f64> = slopes.iter().map(|s| (s - rate).abs()).collect();
    let rate_sd = 1.4826 * median(&mut dev) / (slopes.len() as f64).sqrt();
    // Sensor noise: residuals around each cycle's line with the common slope.
    let mut residuals = Vec::new();
    for c in &cycles {
        let mut offsets: Vec<f64> = c.iter().map(|p| p.1 - rate * p.0 / DAY_S).collect();
        let centre = median(&mut offsets);
        residuals.extend(offsets.iter().map(|o| (o - centre).abs()));
    }
    let noise_sd = 1.4826 * median(&mut residuals);
    let weekday_factors = weekday_profile(&cycles, rate);
    Some(RateEstimate {
        rate_pct_per_day: rate.max(0.0),
        rate_sd_pct_per_day: rate_sd,
        noise_sd_pct: noise_sd,
        last,
        readings: valid.len(),
        rejected,
        resets,
        weekday_factors,
    })
}

/// Fewest slopes on each weekday for a weekday profile.
pub const MIN_PROFILE_SLOPES: usize = 6;

/// Weekday (Monday = 0) of a Unix time; 1970-01-01 was a Thursday.
pub fn weekday_of(timestamp: f64) -> usize {
    ((timestamp / DAY_S).floor() as i64 + 3).rem_euclid(7) as usize
}

/// Rate multipliers by weekday from the slopes between consecutive readings less than a day
/// apart, each put on the weekday of its midpoint. Needs [`MIN_PROFILE_SLOPES`] slopes on
/// every weekday (two weeks of readings three times a day); each
/// weekday's median is shrunk towards the overall `rate` by how far it stands out of its own
/// noise (`factor = 1 + (m / rate - 1) * d² / (d² + se²)`), and the profile is kept only if
/// some weekday differs from the rate by more than four standard errors and 25 %.
pub fn weekday_profile(cycles: &[&[(f64, f64)]], rate: f64) -> Option<[f64; 7]> {
    if rate <= 0.0 {
        return None;
    }
    let mut by_day: [Vec<f64>; 7] = Default::default();
    for c in cycles {
        for w in c.windows(2) {
            let dt = w[1].0 - w[0].0;
            if dt > 0.0 && dt <= DAY_S {
                by_day[weekday_of(0.5 * (w[0].0 + w[1].0))].push((w[1].1 - w[0].1) / dt * DAY_S);
            }
        }
    }
    if by_day.iter().any(|d| d.len() < MIN_PROFILE_SLOPES) {
        return None;
    }
    let mut factors = [1.0; 7];
    let mut significant = false;
    for (f, slopes) in factors.iter_mut().zip(by_day.iter_mut()) {
        let m = median(slopes);
        let mut dev: Vec<f64> = slopes.iter().map(|s| (s - m).abs()).collect();
        // Standard error of a median: 1.25 times that of a mean.
        let se = 1.25 * 1.4826 * median(&mut dev) / (slopes.len() as f64).sqrt();
        let d = m - rate;
        significant |= d.abs() > 4.0 * se && d.abs() > 0.25 * rate;
        let weight = if d == 0.0 {
            0.0
        } else {
            d * d / (d * d + se * se)
        };
        *f = (1.0 + (m / rate - 1.0) * weight).max(0.0);
    }
    let mean = factors.iter().sum::<f64>() / 7.0;
    (significant && mean > 0.0).then(|| factors.map(|f| f / mean))
}

/// Rate estimates of every bin with enough readings, by bin id.
pub fn estimate_rates(readings: &[Reading]) -> BTreeMap<String, RateEstimate> {
    let mut by_bin: BTreeMap<&str, Vec<&Reading>> = BTreeMap::new();
    for r in readings {
        by_bin.entry(r.bin_id.as_str()).or_default().push(r);
    }
    by_bin
        .into_iter()
        .filter_map(|(id, rs)| estimate_rate(&rs).map(|e| (id.to_string(), e)))
        .collect()
}

impl RateEstimate {
    /// The fill at `timestamp` (not before the last reading), if the bin is not emptied
    /// in between: the last reading plus the rate, with the reading's noise and the rate's
    /// spread growing with the horizon.
    pub fn forecast_at(&self, timestamp: f64) -> FillForecast {
        let days = ((timestamp - self.last.0) / DAY_S).max(0.0);
        FillForecast {
            mean_pct: self.last.1 + self.rate_pct_per_day * self.rate_days(self.last.0, timestamp),
            sd_pct: (self.noise_sd_pct.powi(2) + (self.rate_sd_pct_per_day * days).powi(2)).sqrt(),
        }
    }

    /// Days of filling at the base rate between `from` and `to`: the elapsed days, each
    /// part of a day weighted by its weekday factor.
    fn rate_days(&self, from: f64, to: f64) -> f64 {
        let Some(factors) = self.weekday_factors else {
            return ((to - from) / DAY_S).max(0.0);
        };
        let mut t = from;
        let mut total = 0.0;
        while t < to {
            let day_end = ((t / DAY_S).floor() + 1.0) * DAY_S;
            let next = day_end.min(to);
            total += factors[weekday_of(t)] * (next - t) / DAY_S;
            t = next;
        }
        total
    }

    /// Forecasts for `days` consecutive days, each at `start + k * DAY_S`.
    pub fn forecast_days(&self, start: f64, days: usize) -> Vec<FillForecast> {
        (0..days)
            .map(|k| self.forecast_at(start + k as f64 * DAY_S))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(rate: f64, noise: &[f64], every_h: f64, empty_at: f64) -> Vec<Reading> {
        let mut fill: f64 = 5.0;
        let mut out = Vec::new();
        for (k, n) in noise.iter().enumerate() {
            let t = k as f64 * every_h * 3600.0;
            if fill >= empty_at {
                fill = 0.0;
            }
            out.push(Reading {
                bin_id: "b".into(),
                timestamp: t,
                fill_pct: (fill + n).max(0.0),
            });
            fill += rate * every_h / 24.0;
        }
        out
    }

    fn noise(n: usize) -> Vec<f64> {
        // Deterministic pseudo-noise in [-3, 3].
        (0..n)
            .map(|k| ((k * 7919 % 13) as f64 - 6.0) * 0.5)
            .collect()
    }

    #[test]
    fn recovers_a_rate_through_noise_and_emptyings() {
        let h = history(12.0, &noise(60), 8.0, 80.0);
        let refs: Vec<&Reading> = h.iter().collect();
        let e = estimate_rate(&refs).unwrap();
        assert!((e.rate_pct_per_day - 12.0).abs() < 1.0, "{e:?}");
        assert!(e.resets >= 2, "{e:?}");
        assert!(e.noise_sd_pct > 0.5 && e.noise_sd_pct < 5.0, "{e:?}");
    }

    #[test]
    fn a_nearly_empty_bin_emptied_is_a_reset_too() {
        let h = history(4.0, &noise(60), 8.0, 15.0);
        let refs: Vec<&Reading> = h.iter().collect();
        let e = estimate_rate(&refs).unwrap();
        assert!(e.resets >= 3, "{e:?}");
        assert!((e.rate_pct_per_day - 4.0).abs() < 1.0, "{e:?}");
        assert!(is_emptying(16.0, 1.0) && !is_emptying(16.0, 10.0) && !is_emptying(60.0, 45.0));
    }

    #[test]
    fn outliers_and_failed_sensors_do_not_move_the_rate() {
        let mut h = history(20.0, &noise(30), 6.0, 90.0);
        h[5].fill_pct = 255.0; // a failed sensor's sentinel
        h[9].fill_pct = f64::NAN;
        h[12].fill_pct = 99.0; // a single spike
        let refs: Vec<&Reading> = h.iter().collect();
        let e = estimate_rate(&refs).unwrap();
        assert_eq!(e.rejected, 2);
        assert!((e.rate_pct_per_day - 20.0).abs() < 2.0, "{e:?}");
    }

    #[test]
    fn forecast_grows_with_the_horizon() {
        let h = history(10.0, &noise(20), 12.0, 200.0);
        let refs: Vec<&Reading> = h.iter().collect();
        let e = estimate_rate(&refs).unwrap();
        let f = e.forecast_days(e.last.0, 4);
        assert!((f[3].mean_pct - f[0].mean_pct - 30.0).abs() < 3.0);
        assert!(f[3].sd_pct >= f[0].sd_pct);
        assert!(f[3].probability_above(f[3].mean_pct) - 0.5 < 1e-6);
        assert!(
            FillForecast {
                mean_pct: 120.0,
                sd_pct: 5.0
            }
            .probability_above(100.0)
                > 0.99
        );
        assert!(normal_cdf(0.0) - 0.5 < 1e-7 && (normal_cdf(1.96) - 0.975).abs() < 1e-4);
    }

    #[test]
    fn a_weekly_pattern_is_found_only_when_the_data_shows_it() {
        // Three weeks of readings every 8 hours from a Monday; weekends fill three times as fast.
        let monday = 20_458.0 * DAY_S;
        let noise = noise(63);
        let mut fill: f64 = 0.0;
        let mut steady: f64 = 0.0;
        let (mut weekly, mut flat) = (Vec::new(), Vec::new());
        for (k, n) in noise.iter().enumerate() {
            let t = monday + k as f64 * 8.0 * 3600.0;
            if fill > 90.0 {
                fill = 0.0;
            }
            if steady > 90.0 {
                steady = 0.0;
            }
            let reading = |f: f64| Reading {
                bin_id: "b".into(),
                timestamp: t,
                fill_pct: (f + n * 0.3).max(0.0),
            };
            weekly.push(reading(fill));
            flat.push(reading(steady));
            let factor = if weekday_of(t) >= 5 { 3.0 } else { 1.0 };
            fill += 10.0 * factor / 3.0;
            steady += 10.0 / 3.0;
        }
        let refs: Vec<&Reading> = weekly.iter().collect();
        let e = estimate_rate(&refs).unwrap();
        let f = e.weekday_factors.expect("a weekend peak");
        assert!(f[5] > 2.0 * f[2] && f[6] > 2.0 * f[2], "{f:?}");
        // Forecast over a weekend day at about three weekdays' worth of filling.
        let saturday = monday + 5.0 * DAY_S;
        let wednesday = monday + 2.0 * DAY_S;
        let (mut at_sat, mut at_wed) = (e, e);
        at_sat.last = (saturday, 0.0);
        at_wed.last = (wednesday, 0.0);
        assert!(grow_from(&at_sat, saturday) > 2.0 * grow_from(&at_wed, wednesday));
        let refs: Vec<&Reading> = flat.iter().collect();
        assert_eq!(estimate_rate(&refs).unwrap().weekday_factors, None);
        assert_eq!(weekday_of(monday), 0);
    }

    fn grow_from(e: &RateEstimate, t: f64) -> f64 {
        e.forecast_at(t + DAY_S).mean_pct - e.forecast_at(t).mean_pct
    }

    #[test]
    fn too_few_readings_give_no_estimate() {
        let one = Reading {
            bin_id: "b".into(),
            timestamp: 0.0,
            fill_pct: 10.0,
        };
        assert!(estimate_rate(&[&one]).is_none());
        assert!(estimate_rate(&[]).is_none());
    }

    #[test]
    fn readers_parse_csv_json_and_reject_bad_rows() {
        let csv = "bin_id,timestamp,fill_pct\na,2026-01-05T06:00:00Z,10\nb,100,20\n";
        let r = read_readings_csv(csv).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].timestamp, parse_timestamp("2026-01-05 06:00").unwrap());
        let e = read_readings_csv("bin_id,timestamp,fill_pct\na,soon,10\n").unwrap_err();
        assert!(e.to_string().contains("row 2"), "{e}");
        let j =
            read_readings_json(r#"[{"bin_id": "a", "timestamp": 5, "fill_pct": 1.5}]"#).unwrap();
        assert_eq!(j[0].fill_pct, 1.5);
        assert!(read_readings_json("[{").is_err());
        // 2026-01-05 is a Monday: 20458 days after the epoch.
        assert_eq!(days_from_civil(2026, 1, 5), 20_458);
    }
}
