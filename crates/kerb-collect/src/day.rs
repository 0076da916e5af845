//! The collection-day input: bins, depots, disposal sites, trucks and options.
//!
//! JSON is the canonical form ([`CollectionDay::from_json`]); bins may also come from CSV
//! (`bins::read_bins_csv`) or GeoJSON (`bins::read_bins_geojson`).
//! Times of day are seconds since midnight, or `"HH:MM"` / `"HH:MM:SS"` strings.

use serde::{Deserialize, Deserializer, Serialize};

use crate::Error;

/// A time of day in seconds since midnight. Deserialises from a number or `"HH:MM[:SS]"`.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct TimeOfDay(pub f64);

impl TimeOfDay {
    /// Parses `"HH:MM"` or `"HH:MM:SS"` (hours may exceed 23 for shifts past midnight).
    ///
    /// ```
    /// use kerb_collect::TimeOfDay;
    /// assert_eq!(TimeOfDay::parse("07:30").unwrap().0, 27_000.0);
    /// assert!(TimeOfDay::parse("7h").is_err());
    /// ```
    pub fn parse(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::InvalidInput(format!(
                "invalid time of day {s:?} (expected HH:MM or HH:MM:SS)"
            ))
        };
        let parts: Vec<&str> = s.trim().split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return Err(bad());
        }
        let mut secs = 0.0;
        for (i, p) in parts.iter().enumerate() {
            let v: u32 = p.parse().map_err(|_| bad())?;
            if i > 0 && v >= 60 {
                return Err(bad());
            }
            secs += f64::from(v) * [3600.0, 60.0, 1.0][i];
        }
        Ok(TimeOfDay(secs))
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Str(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(v) if v.is_finite() && v >= 0.0 => Ok(TimeOfDay(v)),
            Raw::Num(v) => Err(serde::de::Error::custom(format!("invalid time of day {v}"))),
            Raw::Str(s) => TimeOfDay::parse(&s).map_err(serde::de::Error::custom),
        }
    }
}

/// Which side of the street a bin stands on, if the municipality knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StreetSide {
    /// Taken from the bin's position relative to the road it snaps to (the usual case: bin
    /// coordinates on the pavement).
    #[default]
    Auto,
    /// Standing where it can be served from either direction (e.g. at the kerb of a narrow
    /// street, or collected on foot across it): no kerbside constraint.
    Either,
}

/// One bin (or collection point) to empty.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bin {
    /// Caller's identifier, echoed in the output.
    pub id: String,
    /// Longitude (WGS84).
    pub lon: f64,
    /// Latitude (WGS84).
    pub lat: f64,
    /// Waste weight to pick up, kg.
    #[serde(default)]
    pub weight_kg: f64,
    /// Waste volume to pick up, litres.
    #[serde(default)]
    pub volume_l: f64,
    /// Time spent at the bin, seconds.
    #[serde(default = "default_service_s")]
    pub service_s: f64,
    /// Optional time windows `[[start, end], ...]` in which service must start.
    #[serde(default)]
    pub time_windows: Vec<[TimeOfDay; 2]>,
    /// Side of the street, if known.
    #[serde(default)]
    pub side: StreetSide,
    /// `None`: the bin must be collected. `Some(v)`: optional, worth `v` (seconds-equivalent
    /// of the objective): the planner collects it when the detour costs less than `v`
    /// (prize-collecting, used by the week planner for "cheap" bins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    /// The only truck (by its expanded name, `id` or `id-k`) that may collect the bin: a
    /// stable territory across the days of a week.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub truck: Option<String>,
}

fn default_service_s() -> f64 {
    30.0
}

/// How a [`Street`] is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum StreetSides {
    /// As for bins: one pass on a one-way road or a zig-zag road class
    /// ([`DayOptions::zigzag_road_classes`]), otherwise both sides in two passes.
    #[default]
    Auto,
    /// Both kerbs, one pass per direction, each with the served kerb on the truck's right
    /// (a major two-way road): the waste is split evenly between the passes.
    Both,
    /// One pass, collecting both sides at once (a quiet street), in the drawing direction
    /// unless only the other one may be driven.
    Once,
}

/// A street stretch served along its whole length (arc routing): kerbside bags, rows of
/// wheelie bins, or street sweeping. The truck drives the stretch from end to end.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Street {
    /// Caller's identifier, echoed in the output.
    pub id: String,
    /// The stretch as drawn, `[[lon, lat], ...]` (at least two points, along one road,
    /// e.g. from one junction to the next).
    pub coordinates: Vec<[f64; 2]>,
    /// Waste weight along the stretch, kg.
    #[serde(default)]
    pub weight_kg: f64,
    /// Waste volume along the stretch, litres.
    #[serde(default)]
    pub volume_l: f64,
    /// Collection time on top of driving the stretch, seconds (all passes together).
    #[serde(default)]
    pub service_s: f64,
    /// Optional time windows `[[start, end], ...]` in which a pass must start.
    #[serde(default)]
    pub time_windows: Vec<[TimeOfDay; 2]>,
    /// One pass or one per kerb.
    #[serde(default)]
    pub sides: StreetSides,
}

/// A depot where trucks start and end their shift.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Depot {
    /// Identifier referenced by trucks.
    pub id: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// A disposal site (landfill, transfer station) where a full truck empties.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DisposalSite {
    /// Identifier echoed in the output.
    pub id: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Opening hours `[[open, close], ...]`; empty means always open.
    #[serde(default)]
    pub opening_hours: Vec<[TimeOfDay; 2]>,
    /// Time to unload, seconds.
    #[serde(default = "default_unload_s")]
    pub unload_s: f64,
}

fn default_unload_s() -> f64 {
    900.0
}

/// A break (e.g. lunch) taken within a window.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Break {
    /// Window `[earliest start, latest start]`.
    pub window: [TimeOfDay; 2],
    /// Duration, seconds.
    pub duration_s: f64,
}

/// A truck (or `count` identical trucks).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Truck {
    /// Identifier; with `count > 1` the trucks are named `id-1`, `id-2`, ...
    pub id: String,
    /// Depot where the shift starts.
    pub depot: String,
    /// Depot where the shift ends (defaults to `depot`).
    #[serde(default)]
    pub end_depot: Option<String>,
    /// Payload, kg.
    pub capacity_kg: f64,
    /// Body volume, litres (0 = not limited).
    #[serde(default)]
    pub capacity_l: f64,
    /// Shift `[start, end]`.
    pub shift: [TimeOfDay; 2],
    /// Optional break.
    #[serde(default, rename = "break")]
    pub break_: Option<Break>,
    /// Number of identical trucks.
    #[serde(default = "one")]
    pub count: u32,
    /// Fixed cost of using the truck (in seconds-equivalent of the objective).
    #[serde(default)]
    pub fixed_cost: f64,
    /// Routing profile the truck drives on (a graph's profile name, e.g. `refuse-7.5t`);
    /// `None` = the default graph of the day. Each profile used gets its own snapping and
    /// matrix, so a street only some trucks may enter is served by those.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

fn one() -> u32 {
    1
}

/// Solver and kerbside options.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
#[serde(default)]
pub struct DayOptions {
    /// Wall-clock limit for the planner, seconds.
    pub time_limit_s: f64,
    /// Iteration limit for the planner (deterministic runs); `None` = time limit only.
    pub iterations: Option<u64>,
    /// Solver threads.
    pub threads: usize,
    /// Random seed.
    pub seed: u64,
    /// Road classes (OSM `highway` values) quiet enough for "zig-zag" service: bins on both
    /// sides are collected in one pass, whichever way the truck drives (like Valhalla's
    /// `preferred_side_cutoff` / GraphHopper's `curbside=auto`). On other two-way roads
    /// the truck must have the bin on its kerb side.
    pub zigzag_road_classes: Vec<String>,
    /// Maximum distance from a bin to the road it is served from, metres.
    pub max_snap_m: f64,
    /// Balanced territories: cut the bins into one compact sector per truck around the first
    /// depot (by bearing, of about equal service work) and pin each bin not already pinned to
    /// its sector's truck. Routes stop interleaving street by street and working times even
    /// out, at some cost in km (measured in BENCHMARKS.md); off by default, so that the
    /// planner alone decides on the cheapest plan.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub territories: bool,
    /// Language of the street names in the plan's stops, summaries and map (`ar`, `en`, `sv`:
    /// OSM's `name:xx`), each falling back to the street's `name` where it has no translation;
    /// `None` gives `name`. Arabic, Hebrew and Persian pages are laid out right to left.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The day's date (`2026-12-07`) or weekday (`Mo`). With it the graphs' kept
    /// `*:conditional` rules apply: each profile's matrix is built for its trucks leaving at
    /// the earliest of their shift starts (a road open only 06:00-11:00 is usable for a shift
    /// starting at 06:00), and each truck's road geometry for the time it leaves the depot.
    /// Without it the rules are ignored (the roads as their plain tags say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Default for DayOptions {
    fn default() -> Self {
        DayOptions {
            time_limit_s: 5.0,
            iterations: None,
            threads: 2,
            seed: 1,
            zigzag_road_classes: vec!["living_street".into(), "service".into()],
            max_snap_m: 100.0,
            territories: false,
            language: None,
            date: None,
        }
    }
}

/// Most trucks a day may have after expanding every [`Truck::count`]: a city's whole fleet is
/// a few hundred; beyond this a typo (`count: 1000000000`) would allocate one planner vehicle each.
pub const MAX_TRUCKS: u64 = 10_000;

/// How big a day is once expanded, counted without allocating anything: what front ends
/// compare with their limits before planning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DaySize {
    /// Bins.
    pub bins: usize,
    /// Street stretches.
    pub streets: usize,
    /// Trucks after expanding every `count`.
    pub trucks: u64,
    /// Planner locations at most: depots, disposal sites, bins and up to two passes per street.
    pub locations: u64,
    /// Cells of the location-to-location duration/distance matrix at most (`locations²`).
    pub matrix_cells: u64,
}

/// A whole collection day.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionDay {
    /// Free-form name.
    #[serde(default)]
    pub name: String,
    /// Bins to empty.
    #[serde(default)]
    pub bins: Vec<Bin>,
    /// Street stretches to serve along their length.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub streets: Vec<Street>,
    /// Depots.
    pub depots: Vec<Depot>,
    /// Disposal sites.
    pub disposal_sites: Vec<DisposalSite>,
    /// Fleet.
    pub trucks: Vec<Truck>,
    /// Options.
    #[serde(default)]
    pub options: DayOptions,
}

impl CollectionDay {
    /// When a truck leaving `start_s` seconds after midnight of the day departs, if the day
    /// names its date or weekday ([`DayOptions::date`]); an error for an unreadable date.
    ///
    /// ```
    /// use kerb_collect::CollectionDay;
    /// let mut day = CollectionDay::from_json(r#"{"depots": [{"id": "d", "lon": 24.9, "lat": 60.2}],
    ///     "disposal_sites": [], "trucks": [{"id": "t", "depot": "d", "capacity_kg": 8000,
    ///     "shift": ["06:00", "14:00"]}], "options": {"date": "2026-12-07"}}"#)?;
    /// assert_eq!(day.departure(6.5 * 3600.0)?.unwrap().to_string(), "2026-12-07T06:30");
    /// day.options.date = Some("Sa".into());
    /// assert_eq!(day.departure(25.0 * 3600.0)?.unwrap().to_string(), "Su 01:00");
    /// day.options.date = Some("7.12.2026".into());
    /// assert!(day.departure(0.0).is_err());
    /// # Ok::<(), kerb_collect::Error>(())
    /// ```
    pub fn departure(&self, start_s: f64) -> Result<Option<kerb_core::DepartureTime>, Error> {
        let Some(date) = &self.options.date else {
            return Ok(None);
        };
        let midnight = if date.len() == 2 {
            format!("{date} 00:00")
        } else {
            format!("{date}T00:00")
        };
        let t: kerb_core::DepartureTime = midnight.parse().map_err(|_| {
            Error::InvalidInput(format!(
                "options.date {date:?} must be a date like \"2026-12-07\" or a weekday like \"Mo\""
            ))
        })?;
        Ok(Some(t.after_s(start_s)))
    }

    /// Parses and validates a collection day from JSON.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        let day: CollectionDay = serde_json::from_str(text)
            .map_err(|e| Error::InvalidInput(format!("collection day JSON: {e}")))?;
        day.validate()?;
        Ok(day)
    }

    /// The day's size once expanded ([`DaySize`]), cheap enough to check before [`validate`]
    /// or any allocation; sums saturate rather than overflow.
    ///
    /// ```
    /// let day = kerb_collect::CollectionDay::from_json(r#"{
    ///     "bins": [{"id": "b", "lon": 24.94, "lat": 60.17}],
    ///     "depots": [{"id": "d", "lon": 24.95, "lat": 60.17}], "disposal_sites": [],
    ///     "trucks": [{"id": "t", "depot": "d", "capacity_kg": 8000, "shift": ["06:00", "14:00"], "count": 3}]
    /// }"#)?;
    /// let size = day.size();
    /// assert_eq!((size.trucks, size.locations, size.matrix_cells), (3, 2, 4));
    /// # Ok::<(), kerb_collect::Error>(())
    /// ```
    ///
    /// [`validate`]: CollectionDay::validate
    pub fn size(&self) -> DaySize {
        let trucks = self
            .trucks
            .iter()
            .fold(0u64, |n, t| n.saturating_add(u64::from(t.count)));
        let locations = [
            self.depots.len(),
            self.disposal_sites.len(),
            self.bins.len(),
            self.streets.len(),
            self.streets.len(),
        ]
        .iter()
        .fold(0u64, |n, &k| n.saturating_add(k as u64));
        DaySize {
            bins: self.bins.len(),
            streets: self.streets.len(),
            trucks,
            locations,
            matrix_cells: locations.saturating_mul(locations),
        }
    }

    /// The trucks' expanded names in planner order: `id` for a single truck, `id-1`, `id-2`,
    /// ... for a `count` of them (the names routes carry).
    pub fn truck_names(&self) -> impl Iterator<Item = String> + '_ {
        self.trucks.iter().flat_map(|t| {
            (0..t.count).map(move |c| {
                if t.count == 1 {
                    t.id.clone()
                } else {
                    format!("{}-{}", t.id, c + 1)
                }
            })
        })
    }

    /// Checks references and values that serde cannot: unique ids, known depots, finite
    /// non-negative quantities, ordered windows, a fleet of at most [`MAX_TRUCKS`] trucks
    /// ([`Error::TooManyTrucks`]).
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::InvalidInput(m));
        if self.depots.is_empty() {
            return bad("at least one depot is required".into());
        }
        if self.trucks.is_empty() {
            return bad("at least one truck is required".into());
        }
        if let Some(lang) = &self.options.language {
            if !kerb_core::is_language(lang) {
                return bad(format!(
                    "options.language {lang:?} is not a language code such as \"ar\" or \"en\" (OSM name:xx)"
                ));
            }
        }
        if self.options.date.is_some() {
            self.departure(0.0)?;
        }
        let mut ids = std::collections::HashSet::new();
        for b in &self.bins {
            if !ids.insert(b.id.as_str()) {
                return bad(format!("duplicate bin id {:?}", b.id));
            }
            for (what, v) in [
                ("weight_kg", b.weight_kg),
                ("volume_l", b.volume_l),
                ("service_s", b.service_s),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return bad(format!(
                        "bin {:?}: {what} must be a finite non-negative number",
                        b.id
                    ));
                }
            }
            check_windows(&format!("bin {:?}", b.id), &b.time_windows)?;
            if b.value.is_some_and(|v| !v.is_finite() || v < 0.0) {
                return bad(format!(
                    "bin {:?}: value must be a finite non-negative number",
                    b.id
                ));
            }
        }
        for s in &self.streets {
            if !ids.insert(s.id.as_str()) {
                return bad(format!("duplicate bin or street id {:?}", s.id));
            }
            if s.coordinates.len() < 2 {
                return bad(format!(
                    "street {:?}: coordinates need at least two points",
                    s.id
                ));
            }
            if let Some(c) = s.coordinates.iter().find(|c| {
                !(c[0].is_finite() && c[1].is_finite()) || c[0].abs() > 180.0 || c[1].abs() > 90.0
            }) {
                return bad(format!("street {:?}: invalid coordinate {c:?}", s.id));
            }
            for (what, v) in [
                ("weight_kg", s.weight_kg),
                ("volume_l", s.volume_l),
                ("service_s", s.service_s),
            ] {
                if !v.is_finite() || v < 0.0 {
                    return bad(format!(
                        "street {:?}: {what} must be a finite non-negative number",
                        s.id
                    ));
                }
            }
            check_windows(&format!("street {:?}", s.id), &s.time_windows)?;
        }
        for s in &self.disposal_sites {
            check_windows(&format!("disposal site {:?}", s.id), &s.opening_hours)?;
            if !s.unload_s.is_finite() || s.unload_s < 0.0 {
                return bad(format!(
                    "disposal site {:?}: unload_s must be non-negative",
                    s.id
                ));
            }
        }
        let mut fleet = 0u64;
        for t in &self.trucks {
            fleet = fleet.saturating_add(u64::from(t.count));
            if fleet > MAX_TRUCKS {
                return Err(Error::TooManyTrucks {
                    truck: t.id.clone(),
                    fleet,
                    limit: MAX_TRUCKS,
                });
            }
            for d in std::iter::once(&t.depot).chain(t.end_depot.as_ref()) {
                if !self.depots.iter().any(|x| &x.id == d) {
                    return bad(format!("truck {:?}: unknown depot {d:?}", t.id));
                }
            }
            if !(t.capacity_kg.is_finite() && t.capacity_kg > 0.0) {
                return bad(format!("truck {:?}: capacity_kg must be positive", t.id));
            }
            if !t.capacity_l.is_finite() || t.capacity_l < 0.0 {
                return bad(format!("truck {:?}: capacity_l must be non-negative", t.id));
            }
            check_windows(
                &format!("truck {:?} shift", t.id),
                std::slice::from_ref(&t.shift),
            )?;
            if t.count == 0 {
                return bad(format!("truck {:?}: count must be at least 1", t.id));
            }
        }
        if let Some(b) = self.bins.iter().find(|b| {
            b.truck
                .as_ref()
                .is_some_and(|t| !self.truck_names().any(|n| &n == t))
        }) {
            return bad(format!("bin {:?}: unknown truck {:?}", b.id, b.truck));
        }
        if !(self.options.time_limit_s.is_finite() && self.options.time_limit_s > 0.0) {
            return bad("options.time_limit_s must be positive".into());
        }
        Ok(())
    }
}

fn check_windows(what: &str, windows: &[[TimeOfDay; 2]]) -> Result<(), Error> {
    for w in windows {
        if w[1].0 < w[0].0 {
            return Err(Error::InvalidInput(format!(
                "{what}: window [{}, {}] ends before it starts",
                w[0].0, w[1].0
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: &str = r#"{
        "bins": [{"id": "b1", "lon": 24.94, "lat": 60.17, "weight_kg": 20, "time_windows": [["08:00", "12:00"]]}],
        "depots": [{"id": "d", "lon": 24.95, "lat": 60.17}],
        "disposal_sites": [{"id": "x", "lon": 24.95, "lat": 60.175, "opening_hours": [[21600, "18:00"]]}],
        "trucks": [{"id": "t", "depot": "d", "capacity_kg": 8000, "shift": ["06:00", "14:00"], "count": 2}]
    }"#;

    #[test]
    fn parses_times_as_strings_or_numbers() {
        let day = CollectionDay::from_json(DAY).unwrap();
        assert_eq!(day.bins[0].time_windows[0][0].0, 8.0 * 3600.0);
        assert_eq!(day.disposal_sites[0].opening_hours[0][0].0, 21_600.0);
        assert_eq!(day.bins[0].service_s, 30.0);
        assert_eq!(day.trucks[0].count, 2);
    }

    #[test]
    fn rejects_unknown_depot_and_reversed_windows() {
        let e = CollectionDay::from_json(&DAY.replace(r#""depot": "d""#, r#""depot": "nope""#))
            .unwrap_err();
        assert!(e.to_string().contains("unknown depot"), "{e}");
        let e = CollectionDay::from_json(
            &DAY.replace(r#"["08:00", "12:00"]"#, r#"["12:00", "08:00"]"#),
        )
        .unwrap_err();
        assert!(e.to_string().contains("ends before it starts"), "{e}");
        let e = CollectionDay::from_json("{").unwrap_err();
        assert!(e.to_string().contains("JSON"), "{e}");
    }

    #[test]
    fn rejects_an_absurd_fleet_before_expanding_it() {
        let huge = DAY.replace(r#""count": 2"#, r#""count": 1000000000"#);
        let e = CollectionDay::from_json(&huge).unwrap_err();
        assert!(
            matches!(&e, Error::TooManyTrucks { truck, fleet: 1_000_000_000, limit: MAX_TRUCKS } if truck == "t"),
            "{e}"
        );
        // The limit is on the whole fleet: entries each under it may add up past it.
        let mut day = CollectionDay::from_json(DAY).unwrap();
        day.trucks[0].count = 6_000;
        day.trucks.push(day.trucks[0].clone());
        day.trucks[1].id = "u".into();
        assert!(matches!(
            day.validate(),
            Err(Error::TooManyTrucks { fleet: 12_000, .. })
        ));
        day.trucks[1].count = 4_000;
        day.validate().unwrap();
    }

    #[test]
    fn size_counts_the_expanded_day_without_overflow() {
        let mut day = CollectionDay::from_json(DAY).unwrap();
        let size = day.size();
        assert_eq!(
            size,
            DaySize {
                bins: 1,
                streets: 0,
                trucks: 2,
                locations: 3,
                matrix_cells: 9
            }
        );
        day.streets.push(Street {
            id: "s".into(),
            coordinates: vec![[24.94, 60.17], [24.95, 60.17]],
            weight_kg: 0.0,
            volume_l: 0.0,
            service_s: 0.0,
            time_windows: vec![],
            sides: StreetSides::Auto,
        });
        day.bins = (0..3_000)
            .map(|i| Bin {
                id: format!("b{i}"),
                ..day.bins[0].clone()
            })
            .collect();
        day.trucks[0].count = u32::MAX;
        day.trucks.push(day.trucks[0].clone());
        let size = day.size();
        assert_eq!((size.bins, size.streets), (3_000, 1));
        assert_eq!(size.trucks, 2 * u64::from(u32::MAX));
        assert_eq!(size.locations, 1 + 1 + 3_000 + 2);
        assert_eq!(size.matrix_cells, 3_004 * 3_004);
    }

    #[test]
    fn rejects_bad_time_strings() {
        assert!(TimeOfDay::parse("25:61").is_err());
        assert!(TimeOfDay::parse("").is_err());
        assert_eq!(TimeOfDay::parse("26:00").unwrap().0, 93_600.0);
    }
}
