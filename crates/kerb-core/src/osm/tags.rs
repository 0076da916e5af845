//! OSM tag interpretation for a [`Profile`]: road class, access, direction, speed, vehicle
//! limits, barriers, node delays and turn restriction relations, for osmpbfreader tags.

use std::cell::Cell;

use super::conditional::{effective, ConditionalLog};
use crate::ids::RestrictionKind;
use crate::profile::{Profile, RoadClass};

/// Read access to OSM tags, so the profile logic works on osmpbfreader tags and test slices.
pub(crate) trait TagSource {
    fn tag(&self, key: &str) -> Option<&str>;
    /// Whether any `*:conditional` tag is present (most ways have none: a quick test first).
    fn has_conditional(&self) -> bool;
}

impl TagSource for osmpbfreader::Tags {
    fn tag(&self, key: &str) -> Option<&str> {
        self.get(key).map(|v| v.as_str())
    }

    fn has_conditional(&self) -> bool {
        self.keys().any(|k| k.ends_with(":conditional"))
    }
}

impl TagSource for [(&str, &str)] {
    fn tag(&self, key: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn has_conditional(&self) -> bool {
        self.iter().any(|(k, _)| k.ends_with(":conditional"))
    }
}

/// What the profile makes of one OSM way.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WayAttrs {
    pub class: RoadClass,
    pub forward: bool,
    pub backward: bool,
    pub speed_fwd_kmh: f64,
    pub speed_bwd_kmh: f64,
    pub name: String,
    /// The `duration` of a ferry or car train, seconds for the whole way (OSRM spreads it
    /// over the way's segments by length).
    pub duration_s: Option<f64>,
    /// Destination-only forward / backward: the deciding access value is one of the
    /// profile's `access_restricted` (OSRM's `forward_restricted`/`backward_restricted`).
    pub restricted_fwd: bool,
    pub restricted_bwd: bool,
    /// A toll road for this vehicle: `toll`, or its most specific `toll:<access key>`
    /// (`toll:hgv`, `toll:motorcar`), is `yes`.
    pub toll: bool,
}

/// Parses OSM `duration` values: `HH:MM`, `HH:MM:SS`, a number of minutes, or ISO 8601
/// (`PT1H30M`, `P1DT2H`, `PT45S`). Returns seconds, `None` when unreadable or not positive.
pub(crate) fn parse_duration_s(v: &str) -> Option<f64> {
    let v = v.trim();
    if let Some(iso) = v.strip_prefix('P') {
        let mut total = 0.0;
        let mut number = String::new();
        let mut in_time = false;
        let mut any = false;
        for c in iso.chars() {
            match c {
                'T' => in_time = true,
                '0'..='9' | '.' => number.push(c),
                unit => {
                    let n: f64 = number.parse().ok()?;
                    number.clear();
                    any = true;
                    total += n * match (unit, in_time) {
                        ('W', false) => 604_800.0,
                        ('D', false) => 86_400.0,
                        ('H', true) => 3_600.0,
                        ('M', true) => 60.0,
                        ('S', true) => 1.0,
                        _ => return None,
                    };
                }
            }
        }
        return (any && number.is_empty() && total > 0.0).then_some(total);
    }
    let parts: Vec<&str> = v.split(':').collect();
    let nums: Vec<f64> = parts
        .iter()
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
        })
        .collect::<Option<_>>()?;
    let s = match nums.as_slice() {
        [m] => m * 60.0,
        [h, m] => h * 3_600.0 + m * 60.0,
        [h, m, s] => h * 3_600.0 + m * 60.0 + s,
        _ => return None,
    };
    (s > 0.0).then_some(s)
}

/// Access decision of one access value.
fn access_open(profile: &Profile, v: &str) -> bool {
    // `yes;destination` style lists: any opening value opens.
    v.split(';')
        .map(str::trim)
        .any(|v| !profile.access_denied.iter().any(|d| d == v))
}

/// Whether a deciding access value makes a road destination-only: every value of a
/// `a;b` list is restricted (one plainly open value opens the road to through traffic).
fn access_restricted(profile: &Profile, v: &str) -> bool {
    v.split(';')
        .map(str::trim)
        .all(|v| profile.access_restricted.iter().any(|r| r == v))
}

/// Whether the way is a toll road for the profile's vehicle: the most specific of `toll`,
/// `toll:<key>` for the profile's access keys (`toll:hgv=no` frees a truck from `toll=yes`)
/// and, for a goods vehicle, its EU category `toll:N2` (3.5-12 t) or `toll:N3` (over 12 t),
/// as Germany's truck toll is tagged.
fn tolled<T: TagSource + ?Sized>(profile: &Profile, tags: &T) -> bool {
    let mut found = tags.tag("toll");
    for key in profile.access_tags.iter().filter(|k| *k != "access") {
        if let Some(v) = tags.tag(&format!("toll:{key}")) {
            found = Some(v);
        }
    }
    let weight = profile.vehicle.weight_kg;
    let category = if weight > 12_000.0 {
        Some("toll:N3")
    } else if weight > 3_500.0 {
        Some("toll:N2")
    } else {
        None
    };
    if let Some(v) = category.and_then(|k| tags.tag(k)) {
        found = Some(v);
    }
    found.is_some_and(|v| v.trim() == "yes")
}

/// Most specific access value present for a direction (`suffix` = ":forward"/":backward"),
/// each key's `:conditional` variant replacing it where it applies at `access_at`.
fn access_value<'a, T: TagSource + ?Sized>(
    profile: &Profile,
    tags: &'a T,
    suffix: &str,
    log: &Cell<ConditionalLog>,
) -> Option<&'a str> {
    let mut found = None;
    for key in &profile.access_tags {
        if let Some(v) = effective(profile, tags, key, log) {
            found = Some(v);
        }
        if !suffix.is_empty() {
            if let Some(v) = effective(profile, tags, &format!("{key}{suffix}"), log) {
                found = Some(v);
            }
        }
    }
    found
}

/// Parses a number with optional unit for weights; returns kilograms.
pub(crate) fn parse_weight_kg(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    let (num, unit) = split_number(&v)?;
    let unit = unit.trim();
    Some(match unit {
        "" | "t" | "to" | "ton" | "tons" | "tonne" | "tonnes" => num * 1000.0,
        "kg" => num,
        "lbs" | "lb" => num * 0.453_592,
        "st" => num * 907.185, // US short tons
        "cwt" => num * 50.802,
        _ => return None,
    })
}

/// Parses a length (`maxheight`, `maxwidth`, `maxlength`) in metres: `3.5`, `3.5 m`, `12'6"`,
/// `12 ft`. Returns `None` for `none`, `default` and unparsable values.
pub(crate) fn parse_length_m(v: &str) -> Option<f64> {
    let v = v.trim().to_ascii_lowercase();
    if let Some((ft, rest)) = v.split_once('\'') {
        let ft: f64 = ft.trim().parse().ok()?;
        let inch = rest.trim().trim_end_matches('"').trim();
        let inch: f64 = if inch.is_empty() {
            0.0
        } else {
            inch.parse().ok()?
        };
        return Some(ft * 0.3048 + inch * 0.0254);
    }
    let (num, unit) = split_number(&v)?;
    Some(match unit.trim() {
        "" | "m" => num,
        "cm" => num / 100.0,
        "ft" | "feet" => num * 0.3048,
        "in" => num * 0.0254,
        _ => return None,
    })
}

/// Splits `"12.5 t"` into `(12.5, " t")`; accepts a decimal comma.
fn split_number(v: &str) -> Option<(f64, &str)> {
    let end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(v.len());
    if end == 0 {
        return None;
    }
    let num: f64 = v[..end].replace(',', ".").parse().ok()?;
    if !num.is_finite() || num < 0.0 {
        return None;
    }
    Some((num, &v[end..]))
}

/// Outcome of parsing a `maxspeed` value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum MaxSpeed {
    /// A limit in km/h.
    Kmh(f64),
    /// Explicitly no limit (`none`, German Autobahn).
    Unlimited,
}

/// Parses `maxspeed` values: `50`, `30 mph`, `none`, `walk`, and implicit country values like
/// `FI:urban`, `DE:rural`, `DE:zone30`, `GB:nsl_single`. `class` is the fallback for implicit
/// values whose class part is unknown (e.g. `XX:motorway` -> motorway default).
pub(crate) fn parse_maxspeed(v: &str) -> Option<MaxSpeed> {
    let v = v.split(';').next()?.trim();
    let lower = v.to_ascii_lowercase();
    match lower.as_str() {
        "none" | "unlimited" => return Some(MaxSpeed::Unlimited),
        "walk" => return Some(MaxSpeed::Kmh(6.0)),
        "signals" | "variable" | "default" => return None,
        _ => {}
    }
    if let Some((num, unit)) = split_number(&lower) {
        let unit = unit.trim();
        return match unit {
            "" | "km/h" | "kmh" | "kph" => (num > 0.0).then_some(MaxSpeed::Kmh(num)),
            "mph" => (num > 0.0).then_some(MaxSpeed::Kmh(num * 1.609_344)),
            "knots" => (num > 0.0).then_some(MaxSpeed::Kmh(num * 1.852)),
            _ => None,
        };
    }
    let (country, kind) = lower.split_once(':')?;
    implicit_maxspeed(country, kind)
}

/// The posted `maxspeed` of a way as the graph stores it ([`crate::graph::RoadGraph::edge_tags`]):
/// km/h rounded into 1..=254, 255 for no limit, 0 when untagged or unreadable.
pub(crate) fn maxspeed_code<T: TagSource + ?Sized>(tags: &T) -> u8 {
    match tags.tag("maxspeed").and_then(parse_maxspeed) {
        Some(MaxSpeed::Kmh(k)) => k.round().clamp(1.0, 254.0) as u8,
        Some(MaxSpeed::Unlimited) => crate::graph::MAXSPEED_NONE,
        None => 0,
    }
}

/// The `lanes` count of a way (the first of `2;3`), 0 when untagged or unreadable.
pub(crate) fn lanes_count<T: TagSource + ?Sized>(tags: &T) -> u8 {
    tags.tag("lanes")
        .and_then(|v| v.split(';').next())
        .and_then(|v| v.trim().parse::<u8>().ok())
        .unwrap_or(0)
}

/// Implicit (legal default) speed limits by country and road kind, after the OSM wiki table
/// "Default speed limits". Unknown countries get the common European defaults.
fn implicit_maxspeed(country: &str, kind: &str) -> Option<MaxSpeed> {
    let kind = kind.trim();
    // zone30, zone:30, zone20
    if let Some(z) = kind.strip_prefix("zone") {
        let z = z.trim_start_matches(':');
        return z
            .parse::<f64>()
            .ok()
            .filter(|z| *z > 0.0)
            .map(MaxSpeed::Kmh);
    }
    let mph = |m: f64| Some(MaxSpeed::Kmh(m * 1.609_344));
    let kmh = |k: f64| Some(MaxSpeed::Kmh(k));
    match (country, kind) {
        ("gb" | "uk", "nsl_single") => mph(60.0),
        ("gb" | "uk", "nsl_dual" | "motorway") => mph(70.0),
        ("gb" | "uk", "urban") => mph(30.0),
        ("us", "urban") => mph(25.0),
        ("us", "rural") => mph(55.0),
        ("us", "motorway") => mph(65.0),
        (_, "urban") => match country {
            "ru" | "by" | "kz" | "ua" => kmh(60.0),
            _ => kmh(50.0),
        },
        (_, "rural") => match country {
            "de" | "at" | "cz" | "sk" | "pl" | "hu" | "si" | "hr" | "ro" | "bg" => kmh(100.0),
            "fi" | "fr" | "se" | "no" | "dk" | "ee" | "be" | "ch" => kmh(80.0),
            "pt" | "es" | "it" | "gr" | "nl" | "ru" | "lv" | "lt" => kmh(90.0),
            _ => kmh(90.0),
        },
        (_, "trunk" | "motorroad" | "expressway") => match country {
            "fi" | "se" | "no" => kmh(100.0),
            "pt" | "fr" | "it" => kmh(110.0),
            _ => kmh(100.0),
        },
        (_, "motorway") => match country {
            "de" => Some(MaxSpeed::Unlimited),
            "fi" | "se" | "ch" | "pt" | "be" | "es" => kmh(120.0),
            "no" => kmh(110.0),
            "nl" | "fr" | "it" | "at" | "pl" | "cz" | "dk" => kmh(130.0),
            _ => kmh(120.0),
        },
        (_, "living_street") => match country {
            "de" | "at" | "ch" => kmh(7.0),
            _ => kmh(20.0),
        },
        (_, "walk" | "pedestrian_zone") => kmh(6.0),
        (_, "school") => kmh(30.0),
        (_, "bicycle_road") => kmh(30.0),
        _ => None,
    }
}

impl Profile {
    /// Directions `(forward, backward)` in which this profile may drive an OSM way with these
    /// tags, or `None` if the way is not routable at all.
    ///
    /// ```
    /// use kerb_core::Profile;
    /// let tags = [("highway", "residential"), ("oneway", "yes")];
    /// assert_eq!(Profile::car().way_directions(&tags), Some((true, false)));
    /// assert_eq!(Profile::truck().way_directions(&[("highway", "service"), ("maxheight", "3")]), None);
    /// ```
    pub fn way_directions(&self, tags: &[(&str, &str)]) -> Option<(bool, bool)> {
        self.way_attributes(tags, &mut ConditionalLog::default())
            .map(|a| (a.forward, a.backward))
    }

    /// Interprets a way's tags; `None` when the way is not routable in either direction.
    /// Conditional tags evaluated (at [`Profile::access_at`]) are counted in `log`.
    pub(crate) fn way_attributes<T: TagSource + ?Sized>(
        &self,
        tags: &T,
        log: &mut ConditionalLog,
    ) -> Option<WayAttrs> {
        let way_log = Cell::new(ConditionalLog::default());
        let attrs = self.way_attributes_logged(tags, &way_log);
        log.add_way(way_log.get());
        attrs
    }

    fn way_attributes_logged<T: TagSource + ?Sized>(
        &self,
        tags: &T,
        log: &Cell<ConditionalLog>,
    ) -> Option<WayAttrs> {
        // A ferry or car train the profile drives onto is its own class, tagged or not with a
        // highway (car.lua's `route_speeds`); otherwise the highway decides.
        let route = tags
            .tag("route")
            .and_then(RoadClass::from_route)
            .filter(|c| self.speeds_kmh.contains_key(c));
        let class = match route {
            Some(c) => c,
            None => RoadClass::from_highway(tags.tag("highway")?)?,
        };
        let base_speed = *self.speeds_kmh.get(&class)?;
        if base_speed <= 0.0 {
            return None;
        }
        if tags.tag("area") == Some("yes") {
            return None;
        }
        if matches!(tags.tag("impassable"), Some("yes"))
            || matches!(tags.tag("status"), Some("impassable"))
        {
            return None;
        }
        // Size and weight limits against the vehicle.
        let v = &self.vehicle;
        let over = |keys: &[&str], limit_of: fn(&str) -> Option<f64>, value: f64| {
            keys.iter()
                .filter_map(|k| effective(self, tags, k, log))
                .filter_map(limit_of)
                .any(|limit| limit > 0.0 && value > limit + 1e-9)
        };
        let below_default =
            |keys: &[&str]| keys.iter().any(|k| tags.tag(k) == Some("below_default"));
        let is_truck = v.weight_kg > 3500.0;
        let weight_keys: &[&str] = if is_truck {
            &["maxweight", "maxweight:hgv"]
        } else {
            &["maxweight"]
        };
        if over(weight_keys, parse_weight_kg, v.weight_kg)
            || over(
                &["maxheight", "maxheight:physical"],
                parse_length_m,
                v.height_m,
            )
            || over(
                &["maxwidth", "maxwidth:physical"],
                parse_length_m,
                v.width_m,
            )
            || over(&["maxlength"], parse_length_m, v.length_m)
            || v.axle_load_kg
                .is_some_and(|axle| over(&["maxaxleload"], parse_weight_kg, axle))
            || (is_truck && below_default(&["maxheight", "maxheight:physical"]))
        {
            return None;
        }
        // Access in each direction.
        // Pedestrian zones are closed unless a tag explicitly opens them to the vehicle.
        let default_access = class != RoadClass::Pedestrian;
        let fwd_value = access_value(self, tags, ":forward", log);
        let bwd_value = access_value(self, tags, ":backward", log);
        let fwd_access = fwd_value
            .map(|a| access_open(self, a))
            .unwrap_or(default_access);
        let bwd_access = bwd_value
            .map(|a| access_open(self, a))
            .unwrap_or(default_access);
        let restricted_fwd = fwd_value.is_some_and(|a| access_restricted(self, a));
        let restricted_bwd = bwd_value.is_some_and(|a| access_restricted(self, a));
        // A trailer or dangerous goods only ever close a way (`trailer=no`, `hazmat=no`,
        // `hazmat:water=no` in water protection areas); they never open one the vehicle's
        // own keys close.
        let load_keys = [
            (v.trailer, "trailer"),
            (v.hazmat, "hazmat"),
            (v.hazmat, "hazmat:water"),
        ];
        let load_closes = |suffix: &str| {
            load_keys.iter().filter(|(on, _)| *on).any(|(_, key)| {
                [key.to_string(), format!("{key}{suffix}")]
                    .iter()
                    .filter_map(|k| effective(self, tags, k, log))
                    .any(|a| !access_open(self, a))
            })
        };
        let fwd_access = fwd_access && !load_closes(":forward");
        let bwd_access = bwd_access && !load_closes(":backward");
        // Oneway.
        let junction = tags.tag("junction");
        let implied_oneway = class == RoadClass::Motorway
            || (route.is_none() && matches!(junction, Some("roundabout" | "circular")));
        let oneway = tags
            .tag("oneway:motor_vehicle")
            .or_else(|| tags.tag("oneway"));
        let (mut forward, mut backward) = match oneway {
            Some("yes" | "true" | "1") => (true, false),
            Some("-1" | "reverse") => (false, true),
            Some("reversible" | "alternating") => (false, false),
            Some("no" | "false" | "0") => (true, true),
            _ => (true, !implied_oneway),
        };
        forward &= fwd_access;
        backward &= bwd_access;
        if !forward && !backward {
            return None;
        }
        // Speed: posted limit (most specific key) scaled by maxspeed_factor, else class default.
        let mut speed = base_speed;
        if class == RoadClass::Service {
            if let Some(s) = tags
                .tag("service")
                .and_then(|s| self.service_speeds_kmh.get(s))
            {
                if *s <= 0.0 {
                    return None;
                }
                speed = speed.min(*s);
            }
        }
        let limit_for = |suffix: &str| {
            let mut found = None;
            for key in &self.maxspeed_tags {
                for k in [key.clone(), format!("{key}{suffix}")] {
                    if let Some(m) = tags.tag(&k).and_then(parse_maxspeed) {
                        found = Some(m);
                    }
                }
            }
            found
        };
        let speed_of = |limit: Option<MaxSpeed>| {
            let s = match limit {
                Some(MaxSpeed::Kmh(k)) => {
                    (k * self.maxspeed_factor).min(if class == RoadClass::Service {
                        speed
                    } else {
                        f64::MAX
                    })
                }
                Some(MaxSpeed::Unlimited) => self.max_speed_kmh,
                None => speed,
            };
            s.min(self.max_speed_kmh).max(1.0)
        };
        // Surface, track grade and smoothness cap the speed (OSRM's `WayHandlers.surface`,
        // after the posted limit); a cap of 0 closes the way.
        let surface_cap = [
            ("surface", &self.surface_speeds_kmh),
            ("tracktype", &self.tracktype_speeds_kmh),
            ("smoothness", &self.smoothness_speeds_kmh),
        ]
        .into_iter()
        .filter_map(|(key, caps)| tags.tag(key).and_then(|v| caps.get(v)).copied())
        .fold(f64::INFINITY, f64::min);
        if surface_cap <= 0.0 {
            return None;
        }
        let speed_fwd_kmh = speed_of(limit_for(":forward")).min(surface_cap);
        let speed_bwd_kmh = speed_of(limit_for(":backward")).min(surface_cap);
        let name = tags
            .tag("name")
            .or_else(|| tags.tag("ref"))
            .unwrap_or("")
            .to_string();
        let duration_s = route.and(tags.tag("duration")).and_then(parse_duration_s);
        Some(WayAttrs {
            class,
            forward,
            backward,
            speed_fwd_kmh,
            speed_bwd_kmh,
            name,
            duration_s,
            restricted_fwd,
            restricted_bwd,
            toll: tolled(self, tags),
        })
    }

    /// Whether a node's tags block the vehicle (barriers such as bollards; gates pass unless
    /// their access tags close them).
    pub(crate) fn node_blocks<T: TagSource + ?Sized>(&self, tags: &T) -> bool {
        let Some(barrier) = tags.tag("barrier") else {
            return false;
        };
        let log = Cell::new(ConditionalLog::default());
        let access = access_value(self, tags, "", &log).map(|a| access_open(self, a));
        if let Some(h) = tags.tag("maxheight").and_then(parse_length_m) {
            if h > 0.0 && self.vehicle.height_m > h {
                return true;
            }
        }
        if let Some(w) = tags.tag("maxwidth").and_then(parse_length_m) {
            if w > 0.0 && self.vehicle.width_m > w {
                return true;
            }
        }
        if self.barriers_passable.iter().any(|b| b == barrier) {
            access == Some(false)
        } else {
            access != Some(true)
        }
    }

    /// Delay in seconds for passing a node with these tags (traffic signals, stop and give-way
    /// signs; see [`NodeDelays`]).
    pub(crate) fn node_delay_s<T: TagSource + ?Sized>(&self, tags: &T) -> f64 {
        let d = &self.turn_costs.node_delays;
        match tags.tag("highway") {
            Some("traffic_signals") => d.traffic_signals_s,
            Some("stop") => d.stop_s,
            Some("give_way") => d.give_way_s,
            _ => 0.0,
        }
    }

    /// The directions of travel along the way in which a node's delay applies, `(forward,
    /// backward)`: `direction=forward|backward` on stop and give-way signs,
    /// `traffic_signals:direction` on signals (as OSRM's obstacle handling); both otherwise.
    pub(crate) fn node_delay_directions<T: TagSource + ?Sized>(&self, tags: &T) -> (bool, bool) {
        let key = match tags.tag("highway") {
            Some("traffic_signals") => "traffic_signals:direction",
            _ => "direction",
        };
        match tags.tag(key) {
            Some("forward") => (true, false),
            Some("backward") => (false, true),
            _ => (true, true),
        }
    }

    /// Whether a turn restriction relation with these tags applies to this vehicle, and its
    /// kind (`no_*` or `only_*`).
    pub(crate) fn restriction_kind<T: TagSource + ?Sized>(
        &self,
        tags: &T,
    ) -> Option<RestrictionKind> {
        if tags
            .tag("type")
            .is_some_and(|t| t != "restriction" && !t.starts_with("restriction:"))
        {
            return None;
        }
        let mut value = None;
        if tags.tag("type") == Some("restriction") {
            // `restriction:conditional` replaces `restriction` where it applies at the
            // profile's `access_at` (ignored without one, like every conditional tag).
            let log = Cell::new(ConditionalLog::default());
            value = effective(self, tags, "restriction", &log);
        }
        for key in &self.restriction_vehicle_keys {
            if let Some(v) = tags.tag(&format!("restriction:{key}")) {
                value = Some(v);
                break;
            }
        }
        let value = value?;
        if let Some(except) = tags.tag("except") {
            if except
                .split(';')
                .map(str::trim)
                .any(|e| self.restriction_vehicle_keys.iter().any(|k| k == e))
            {
                return None;
            }
        }
        if value.starts_with("no_") {
            Some(RestrictionKind::No)
        } else if value.starts_with("only_") {
            Some(RestrictionKind::Only)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attrs(p: &Profile, tags: &[(&str, &str)]) -> Option<WayAttrs> {
        p.way_attributes(tags, &mut ConditionalLog::default())
    }

    #[test]
    fn highway_classes() {
        let car = Profile::car();
        assert_eq!(
            attrs(&car, &[("highway", "residential")]).unwrap().class,
            RoadClass::Residential
        );
        assert!(attrs(&car, &[("highway", "footway")]).is_none());
        assert!(attrs(&car, &[("highway", "track")]).is_none());
        assert!(attrs(&car, &[("building", "yes")]).is_none());
        assert!(attrs(&car, &[("highway", "pedestrian"), ("area", "yes")]).is_none());
        assert!(attrs(&car, &[("highway", "service"), ("area", "yes")]).is_none());
    }

    #[test]
    fn oneway_variants() {
        let car = Profile::car();
        let a = |t: &[(&str, &str)]| {
            let w = attrs(&car, t).unwrap();
            (w.forward, w.backward)
        };
        assert_eq!(a(&[("highway", "primary")]), (true, true));
        assert_eq!(
            a(&[("highway", "primary"), ("oneway", "yes")]),
            (true, false)
        );
        assert_eq!(
            a(&[("highway", "primary"), ("oneway", "-1")]),
            (false, true)
        );
        assert_eq!(a(&[("highway", "motorway")]), (true, false));
        assert_eq!(
            a(&[("highway", "motorway"), ("oneway", "no")]),
            (true, true)
        );
        assert_eq!(
            a(&[("highway", "tertiary"), ("junction", "roundabout")]),
            (true, false)
        );
        assert!(attrs(&car, &[("highway", "primary"), ("oneway", "reversible")]).is_none());
    }

    #[test]
    fn destination_only_and_toll_per_vehicle() {
        let attrs = |p: &Profile, t: &[(&str, &str)]| {
            p.way_attributes(t, &mut ConditionalLog::default()).unwrap()
        };
        let (car, truck) = (Profile::car(), Profile::truck());
        let t = [("highway", "residential"), ("motor_vehicle", "destination")];
        let a = attrs(&car, &t);
        assert!(a.forward && a.backward && a.restricted_fwd && a.restricted_bwd);
        // The most specific key decides: `hgv=destination` restricts the truck only.
        let t = [("highway", "residential"), ("hgv", "destination")];
        assert!(!attrs(&car, &t).restricted_fwd);
        assert!(attrs(&truck, &t).restricted_fwd);
        let t = [
            ("highway", "residential"),
            ("access", "destination"),
            ("hgv", "yes"),
        ];
        assert!(!attrs(&truck, &t).restricted_fwd);
        // `delivery` closes a road to cars (denied) but lets a truck end there.
        let t = [("highway", "residential"), ("access", "delivery")];
        assert_eq!(car.way_directions(&t), None);
        assert!(attrs(&truck, &t).restricted_fwd);
        // Per direction, and a list with one open value is open.
        let t = [
            ("highway", "residential"),
            ("motor_vehicle:backward", "destination"),
        ];
        let a = attrs(&car, &t);
        assert!(!a.restricted_fwd && a.restricted_bwd);
        let t = [("highway", "residential"), ("access", "yes;destination")];
        assert!(!attrs(&car, &t).restricted_fwd);
        // Tolls: `toll`, the vehicle's own key, the EU category of a goods vehicle.
        let t = [("highway", "motorway"), ("toll", "yes"), ("toll:hgv", "no")];
        assert!(attrs(&car, &t).toll && !attrs(&truck, &t).toll);
        let t = [("highway", "trunk"), ("toll:N3", "yes")];
        assert!(!attrs(&car, &t).toll && attrs(&truck, &t).toll);
        let mut small = Profile::truck();
        small.vehicle.weight_kg = 7_500.0;
        assert!(!attrs(&small, &t).toll);
        let t = [("highway", "trunk"), ("toll", "no")];
        assert!(!attrs(&car, &t).toll);
    }

    #[test]
    fn access_hierarchy() {
        let car = Profile::car();
        let truck = Profile::truck();
        assert!(attrs(&car, &[("highway", "residential"), ("access", "no")]).is_none());
        assert!(attrs(
            &car,
            &[
                ("highway", "residential"),
                ("access", "no"),
                ("motor_vehicle", "yes")
            ]
        )
        .is_some());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle", "private")]
        )
        .is_none());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("access", "destination")]
        )
        .is_some());
        assert!(attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle", "delivery")]
        )
        .is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("motor_vehicle", "delivery")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("hgv", "no")]).is_none());
        assert!(attrs(&car, &[("highway", "residential"), ("hgv", "no")]).is_some());
        assert!(attrs(
            &truck,
            &[
                ("highway", "residential"),
                ("goods", "no"),
                ("hgv", "destination")
            ]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("hgv", "delivery")]).is_some());
        let w = attrs(
            &car,
            &[("highway", "residential"), ("motor_vehicle:backward", "no")],
        )
        .unwrap();
        assert!(w.forward && !w.backward);
    }

    #[test]
    fn axle_load_trailer_and_hazmat() {
        let big = Profile::by_name("refuse-32t").unwrap();
        let truck = Profile::truck();
        let light_axles = [("highway", "residential"), ("maxaxleload", "8 t")];
        assert!(
            attrs(&big, &light_axles).is_none(),
            "9.5 t axles over an 8 t limit"
        );
        assert!(
            attrs(&truck, &light_axles).is_some(),
            "no axle load given: no check"
        );
        assert!(attrs(&big, &[("highway", "residential"), ("maxaxleload", "10")]).is_some());
        let no_trailers = [("highway", "residential"), ("trailer", "no")];
        let no_hazmat = [("highway", "residential"), ("hazmat", "no")];
        let water = [("highway", "residential"), ("hazmat:water", "no")];
        assert!(attrs(&truck, &no_trailers).is_some());
        assert!(attrs(&truck, &no_hazmat).is_some());
        let mut towing = truck.clone();
        towing.vehicle.trailer = true;
        assert!(attrs(&towing, &no_trailers).is_none());
        assert!(attrs(&towing, &no_hazmat).is_some());
        let mut tanker = truck.clone();
        tanker.vehicle.hazmat = true;
        assert!(attrs(&tanker, &no_hazmat).is_none());
        assert!(attrs(&tanker, &water).is_none());
        assert!(attrs(&tanker, &no_trailers).is_some());
        // They only close: `hazmat=designated` does not open a road closed to trucks.
        let closed = [
            ("highway", "residential"),
            ("hgv", "no"),
            ("hazmat", "designated"),
        ];
        assert!(attrs(&tanker, &closed).is_none());
        // Per direction.
        let w = attrs(
            &tanker,
            &[("highway", "residential"), ("hazmat:backward", "no")],
        )
        .unwrap();
        assert!(w.forward && !w.backward);
    }

    #[test]
    fn surface_caps_speed_after_the_posted_limit() {
        let car = Profile::car();
        let fast = attrs(&car, &[("highway", "primary"), ("maxspeed", "100")]).unwrap();
        assert_eq!(fast.speed_fwd_kmh, 80.0);
        let sett = [
            ("highway", "primary"),
            ("maxspeed", "100"),
            ("surface", "sett"),
        ];
        let w = attrs(&car, &sett).unwrap();
        assert_eq!((w.speed_fwd_kmh, w.speed_bwd_kmh), (40.0, 40.0));
        let asphalt = [("highway", "primary"), ("surface", "asphalt")];
        assert_eq!(attrs(&car, &asphalt).unwrap().speed_fwd_kmh, 65.0);
        // The lowest of surface, tracktype and smoothness caps.
        let rough = [
            ("highway", "unclassified"),
            ("surface", "gravel"),
            ("tracktype", "grade4"),
            ("smoothness", "horrible"),
        ];
        assert_eq!(attrs(&car, &rough).unwrap().speed_fwd_kmh, 10.0);
        assert!(attrs(
            &car,
            &[("highway", "unclassified"), ("smoothness", "impassable")]
        )
        .is_none());
        // A profile without caps ignores the tags.
        let mut plain = car.clone();
        plain.surface_speeds_kmh.clear();
        assert_eq!(attrs(&plain, &sett).unwrap().speed_fwd_kmh, 80.0);
    }

    #[test]
    fn dimensions() {
        let car = Profile::car();
        let truck = Profile::truck();
        let under = [("highway", "residential"), ("maxheight", "3")];
        assert!(attrs(&car, &under).is_some());
        assert!(attrs(&truck, &under).is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "4.2 m")]
        )
        .is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "12'0\"")]
        )
        .is_none());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "12'6\"")]
        )
        .is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxheight", "default")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxweight", "7.5")]).is_none());
        assert!(attrs(&car, &[("highway", "residential"), ("maxweight", "7.5")]).is_some());
        assert!(attrs(
            &truck,
            &[("highway", "residential"), ("maxweight", "30000 kg")]
        )
        .is_some());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxwidth", "2.2")]).is_none());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxlength", "8")]).is_none());
        assert!(attrs(&truck, &[("highway", "residential"), ("maxlength", "12")]).is_some());
        assert_eq!(parse_length_m("12 ft"), Some(12.0 * 0.3048));
        assert_eq!(parse_weight_kg("3,5 t"), Some(3500.0));
        assert_eq!(parse_weight_kg("none"), None);
    }

    #[test]
    fn stored_maxspeed_and_lanes() {
        let t = |v: &[(&str, &str)]| (maxspeed_code(v), lanes_count(v));
        assert_eq!(t(&[("maxspeed", "50"), ("lanes", "2")]), (50, 2));
        assert_eq!(t(&[("maxspeed", "30 mph")]), (48, 0));
        assert_eq!(t(&[("maxspeed", "none"), ("lanes", "3;2")]), (255, 3));
        assert_eq!(t(&[("maxspeed", "signals"), ("lanes", "many")]), (0, 0));
        assert_eq!(t(&[("maxspeed", "FI:urban")]), (50, 0));
    }

    #[test]
    fn maxspeed_values() {
        assert_eq!(parse_maxspeed("50"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(
            parse_maxspeed("30 mph"),
            Some(MaxSpeed::Kmh(30.0 * 1.609_344))
        );
        assert_eq!(parse_maxspeed("none"), Some(MaxSpeed::Unlimited));
        assert_eq!(parse_maxspeed("FI:urban"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(parse_maxspeed("DE:rural"), Some(MaxSpeed::Kmh(100.0)));
        assert_eq!(parse_maxspeed("FI:rural"), Some(MaxSpeed::Kmh(80.0)));
        assert_eq!(parse_maxspeed("DE:zone30"), Some(MaxSpeed::Kmh(30.0)));
        assert_eq!(parse_maxspeed("DE:zone:20"), Some(MaxSpeed::Kmh(20.0)));
        assert_eq!(parse_maxspeed("DE:motorway"), Some(MaxSpeed::Unlimited));
        assert_eq!(parse_maxspeed("signals"), None);
        assert_eq!(parse_maxspeed("50;30"), Some(MaxSpeed::Kmh(50.0)));
        assert_eq!(parse_maxspeed("fast"), None);
        let car = Profile::car();
        let truck = Profile::truck();
        let w = attrs(&car, &[("highway", "primary"), ("maxspeed", "50")]).unwrap();
        assert!((w.speed_fwd_kmh - 40.0).abs() < 1e-9);
        // Unknown implicit value: class default.
        let w = attrs(&car, &[("highway", "primary"), ("maxspeed", "XX:weird")]).unwrap();
        assert_eq!(w.speed_fwd_kmh, 65.0);
        // Truck top speed caps every road.
        let w = attrs(&truck, &[("highway", "motorway"), ("maxspeed", "none")]).unwrap();
        assert_eq!(w.speed_fwd_kmh, 80.0);
        let w = attrs(
            &truck,
            &[
                ("highway", "trunk"),
                ("maxspeed", "100"),
                ("maxspeed:hgv", "60"),
            ],
        )
        .unwrap();
        assert!((w.speed_fwd_kmh - 48.0).abs() < 1e-9);
        let w = attrs(
            &car,
            &[
                ("highway", "primary"),
                ("maxspeed:forward", "100"),
                ("maxspeed:backward", "50"),
            ],
        )
        .unwrap();
        assert!(w.speed_fwd_kmh > w.speed_bwd_kmh);
    }

    #[test]
    fn service_roads() {
        let car = Profile::car();
        assert!(attrs(
            &car,
            &[("highway", "service"), ("service", "emergency_access")]
        )
        .is_none());
        let w = attrs(
            &car,
            &[("highway", "service"), ("service", "parking_aisle")],
        )
        .unwrap();
        assert_eq!(w.speed_fwd_kmh, 10.0);
        assert_eq!(
            attrs(&car, &[("highway", "service")])
                .unwrap()
                .speed_fwd_kmh,
            15.0
        );
    }

    #[test]
    fn barriers() {
        let car = Profile::car();
        let truck = Profile::truck();
        assert!(car.node_blocks(&[("barrier", "bollard")][..]));
        assert!(!car.node_blocks(&[("barrier", "bollard"), ("motor_vehicle", "yes")][..]));
        assert!(!car.node_blocks(&[("barrier", "gate")][..]));
        assert!(car.node_blocks(&[("barrier", "gate"), ("access", "private")][..]));
        assert!(!car.node_blocks(&[("barrier", "lift_gate")][..]));
        assert!(!car.node_blocks(&[("highway", "traffic_signals")][..]));
        assert!(truck.node_blocks(&[("barrier", "height_restrictor")][..]));
        assert!(truck.node_blocks(&[("barrier", "gate"), ("maxheight", "3.5")][..]));
    }

    #[test]
    fn restrictions() {
        let car = Profile::car();
        let truck = Profile::truck();
        let no_left = [("type", "restriction"), ("restriction", "no_left_turn")];
        assert_eq!(
            car.restriction_kind(&no_left[..]),
            Some(RestrictionKind::No)
        );
        let only = [("type", "restriction"), ("restriction", "only_straight_on")];
        assert_eq!(car.restriction_kind(&only[..]), Some(RestrictionKind::Only));
        let hgv = [
            ("type", "restriction"),
            ("restriction:hgv", "no_right_turn"),
        ];
        assert_eq!(car.restriction_kind(&hgv[..]), None);
        assert_eq!(truck.restriction_kind(&hgv[..]), Some(RestrictionKind::No));
        let except = [
            ("type", "restriction"),
            ("restriction", "no_left_turn"),
            ("except", "psv;hgv"),
        ];
        assert_eq!(car.restriction_kind(&except[..]), Some(RestrictionKind::No));
        assert_eq!(truck.restriction_kind(&except[..]), None);
        assert_eq!(car.restriction_kind(&[("type", "multipolygon")][..]), None);
    }
}
