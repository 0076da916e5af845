//! OSM conditional restrictions (`access:conditional=no @ (7:30-19:00 AND weight>7.5)`):
//! parsing a small opening-hours subset and evaluating it for a vehicle at a time of use.
//!
//! Supported conditions, joined by `AND`: weekday lists and ranges (`Mo-Sa`, `Sa,Su`), time
//! ranges (`06:00-11:00`, also across midnight and comma lists), both together
//! (`Mo-Fr 16:00-11:00`), `weight`/`length`/`height`/`width` comparisons (`weight>7.5`) and the
//! traffic purposes `destination`/`delivery` (met when the profile's access rules accept that
//! value). Anything else makes the whole tag unknown: the caller ignores it and counts it.

use std::cell::Cell;

use crate::profile::time::{DepartureTime, TimeCondition};
use crate::profile::{AccessTime, Profile};

use super::tags::{parse_length_m, parse_weight_kg, TagSource, WayAttrs};

/// What became of the conditional tags of one way (or, summed, of one import).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ConditionalLog {
    /// Ways where a conditional tag's condition held and its value was used.
    pub applied: usize,
    /// Ways with a conditional tag outside the supported syntax, which was ignored.
    pub ignored: usize,
    /// Ways whose conditional rules are kept in the graph, to be applied at the time of a
    /// search ([`way_time_rules`]).
    pub kept: usize,
}

impl ConditionalLog {
    /// Adds one way's outcome, counting each way at most once per field.
    pub fn add_way(&mut self, way: ConditionalLog) {
        self.applied += usize::from(way.applied > 0);
        self.ignored += usize::from(way.ignored > 0);
        self.kept += way.kept;
    }
}

/// The value of `key` for `profile`: its `key:conditional` when that applies at the profile's
/// `access_at`, else the plain tag. Outcomes are counted in `log`.
pub(crate) fn effective<'a, T: TagSource + ?Sized>(
    profile: &Profile,
    tags: &'a T,
    key: &str,
    log: &Cell<ConditionalLog>,
) -> Option<&'a str> {
    let plain = tags.tag(key);
    let Some(at) = profile.access_at else {
        return plain;
    };
    let Some(conditional) = tags.tag(&format!("{key}:conditional")) else {
        return plain;
    };
    let mut l = log.get();
    let value = match applying_value(profile, at, conditional) {
        Ok(Some(v)) => {
            l.applied += 1;
            Some(v)
        }
        Ok(None) => plain,
        Err(()) => {
            l.ignored += 1;
            plain
        }
    };
    log.set(l);
    value
}

/// The value of a `key:conditional` tag that applies to `profile` at `at`: the last rule whose
/// condition holds, as OSM specifies. `Err(())` for unsupported syntax.
pub(crate) fn applying_value<'a>(
    profile: &Profile,
    at: AccessTime,
    tag: &'a str,
) -> Result<Option<&'a str>, ()> {
    let at = DepartureTime::from(at);
    Ok(parse_rules(profile, tag)?
        .into_iter()
        .rev()
        .find(|r| r.for_vehicle && r.when.iter().all(|c| c.holds(at)))
        .map(|r| r.value))
}

/// One rule of a conditional tag, `value @ (condition AND condition ...)`, with what does not
/// depend on the time (vehicle comparisons, purposes) already decided for the profile.
#[derive(Clone, Debug, PartialEq)]
struct Rule<'a> {
    value: &'a str,
    /// Whether the vehicle conditions (`weight>7.5`, `destination`) hold for the profile.
    for_vehicle: bool,
    /// Time conditions, all of which must hold.
    when: Vec<TimeCondition>,
}

/// Parses a `key:conditional` value into its rules; `Err(())` outside the supported syntax.
fn parse_rules<'a>(profile: &Profile, tag: &'a str) -> Result<Vec<Rule<'a>>, ()> {
    let mut rules = Vec::new();
    for rule in split_top_level(tag) {
        let (value, condition) = rule.split_once('@').ok_or(())?;
        let value = value.trim();
        let mut condition = condition.trim();
        if let Some(inner) = condition.strip_prefix('(') {
            condition = inner.strip_suffix(')').ok_or(())?.trim();
        }
        if value.is_empty() || condition.is_empty() {
            return Err(());
        }
        let mut parsed = Rule {
            value,
            for_vehicle: true,
            when: Vec::new(),
        };
        for term in condition.split(" AND ").map(str::trim) {
            if let Some(held) = comparison_holds(profile, term)? {
                parsed.for_vehicle &= held;
            } else if matches!(term, "destination" | "delivery") {
                parsed.for_vehicle &= !profile.access_denied.iter().any(|d| d == term);
            } else {
                parsed.when.push(TimeCondition::parse(term).ok_or(())?);
            }
        }
        rules.push(parsed);
    }
    Ok(rules)
}

/// Splits `a @ (x; y); b @ z` at the semicolons outside parentheses.
fn split_top_level(tag: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in tag.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' if depth == 0 => {
                parts.push(&tag[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&tag[start..]);
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// `weight>7.5`, `length<=12`: `Ok(None)` when the term is no comparison.
fn comparison_holds(profile: &Profile, term: &str) -> Result<Option<bool>, ()> {
    let Some(pos) = term.find(['<', '>', '=']) else {
        return Ok(None);
    };
    let (key, rest) = (term[..pos].trim(), &term[pos..]);
    let v = &profile.vehicle;
    let (value, limit_of): (f64, fn(&str) -> Option<f64>) = match key {
        "weight" => (v.weight_kg, parse_weight_kg),
        "length" => (v.length_m, parse_length_m),
        "height" => (v.height_m, parse_length_m),
        "width" => (v.width_m, parse_length_m),
        _ => return Err(()),
    };
    let (op, number) = [">=", "<=", ">", "<", "="]
        .into_iter()
        .find_map(|op| rest.strip_prefix(op).map(|n| (op, n)))
        .ok_or(())?;
    let limit = limit_of(number).ok_or(())?;
    let held = match op {
        ">=" => value >= limit - 1e-9,
        "<=" => value <= limit + 1e-9,
        ">" => value > limit + 1e-9,
        "<" => value < limit - 1e-9,
        _ => (value - limit).abs() <= 1e-9,
    };
    Ok(Some(held))
}

/// At most this many distinct time conditions per way are kept (their combinations are
/// precomputed: 2^n outcomes); a way with more is counted as ignored.
pub(crate) const MAX_TIME_CONDITIONS: usize = 4;

/// A way's conditional rules as kept in the graph: its distinct time conditions and, for each
/// combination of them holding (bit `i` = condition `i`), what the profile makes of the way.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WayTimeRules {
    pub conditions: Vec<TimeCondition>,
    /// `1 << conditions.len()` outcomes; `None` = the way is closed in both directions.
    pub outcomes: Vec<Option<WayAttrs>>,
}

/// The keys whose `:conditional` variants the tag interpretation reads for `profile`.
fn conditional_keys(profile: &Profile) -> Vec<String> {
    let mut keys = Vec::new();
    for base in profile.access_tags.iter().chain(&profile.maxspeed_tags) {
        for suffix in ["", ":forward", ":backward"] {
            keys.push(format!("{base}{suffix}"));
        }
    }
    for k in [
        "maxweight",
        "maxweight:hgv",
        "maxheight",
        "maxheight:physical",
        "maxwidth",
        "maxwidth:physical",
        "maxlength",
        "oneway",
        "oneway:motor_vehicle",
    ] {
        keys.push(k.to_string());
    }
    keys
}

/// A way's tags with some values replaced (the values of the conditional rules that hold)
/// and no conditional tag left.
struct Overlay<'a, T: ?Sized> {
    tags: &'a T,
    values: Vec<(&'a str, &'a str)>,
}

impl<T: TagSource + ?Sized> TagSource for Overlay<'_, T> {
    fn tag(&self, key: &str) -> Option<&str> {
        if let Some((_, v)) = self.values.iter().find(|(k, _)| *k == key) {
            return Some(v);
        }
        if key.ends_with(":conditional") {
            return None;
        }
        self.tags.tag(key)
    }

    fn has_conditional(&self) -> bool {
        false
    }
}

/// The conditional rules of a way to keep in the graph for `profile`, when it has any that
/// can change what the profile makes of the way at some time; `None` otherwise, and always
/// for a profile with a fixed [`Profile::access_at`] (its import evaluates them once).
/// Unparsable tags are counted in `log.ignored` and fall back to the plain tag; ways whose
/// rules are kept in `log.kept`.
pub(crate) fn way_time_rules<T: TagSource + ?Sized>(
    profile: &Profile,
    tags: &T,
    base: Option<&WayAttrs>,
    log: &mut ConditionalLog,
) -> Option<WayTimeRules> {
    if profile.access_at.is_some() || !tags.has_conditional() {
        return None;
    }
    let keys = conditional_keys(profile);
    let mut parsed: Vec<(&str, Vec<Rule<'_>>)> = Vec::new();
    let mut ignored = false;
    for key in &keys {
        let Some(tag) = tags.tag(&format!("{key}:conditional")) else {
            continue;
        };
        match parse_rules(profile, tag) {
            Ok(rules) => {
                let rules: Vec<Rule<'_>> = rules.into_iter().filter(|r| r.for_vehicle).collect();
                if !rules.is_empty() {
                    parsed.push((key.as_str(), rules));
                }
            }
            Err(()) => ignored = true,
        }
    }
    log.ignored += usize::from(ignored);
    let mut conditions: Vec<TimeCondition> = Vec::new();
    let mut masks: Vec<Vec<u32>> = Vec::new();
    for (_, rules) in &parsed {
        let mut key_masks = Vec::new();
        for r in rules {
            let mut mask = 0u32;
            for c in &r.when {
                let i = match conditions.iter().position(|x| x == c) {
                    Some(i) => i,
                    None => {
                        conditions.push(c.clone());
                        conditions.len() - 1
                    }
                };
                mask |= 1 << i.min(31);
            }
            key_masks.push(mask);
        }
        masks.push(key_masks);
    }
    if parsed.is_empty() {
        return None;
    }
    if conditions.len() > MAX_TIME_CONDITIONS {
        log.ignored += usize::from(!ignored);
        return None;
    }
    let outcomes: Vec<Option<WayAttrs>> = (0..1u32 << conditions.len())
        .map(|held| {
            let mut values = Vec::new();
            for ((key, rules), key_masks) in parsed.iter().zip(&masks) {
                // The last rule whose conditions all hold wins.
                if let Some(r) = rules
                    .iter()
                    .zip(key_masks)
                    .rev()
                    .find(|(_, &m)| m & !held == 0)
                {
                    values.push((*key, r.0.value));
                }
            }
            let overlay = Overlay { tags, values };
            profile.way_attributes(&overlay, &mut ConditionalLog::default())
        })
        .collect();
    if outcomes.iter().all(|o| o.as_ref() == base) {
        return None;
    }
    log.kept += 1;
    Some(WayTimeRules {
        conditions,
        outcomes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> AccessTime {
        s.parse().unwrap()
    }

    #[test]
    fn weight_and_time() {
        let truck = Profile::truck();
        let tag = "no @ (7:30-19:00 AND weight>7.5)";
        assert_eq!(applying_value(&truck, at("Mo 12:00"), tag), Ok(Some("no")));
        assert_eq!(applying_value(&truck, at("Mo 06:00"), tag), Ok(None));
        assert_eq!(
            applying_value(&Profile::car(), at("Mo 12:00"), tag),
            Ok(None)
        );
    }

    #[test]
    fn weekdays_and_midnight() {
        let car = Profile::car();
        let tag = "destination @ (Mo-Sa 06:00-11:00)";
        assert_eq!(
            applying_value(&car, at("Sa 06:00"), tag),
            Ok(Some("destination"))
        );
        assert_eq!(applying_value(&car, at("Su 06:00"), tag), Ok(None));
        assert_eq!(applying_value(&car, at("Mo 11:00"), tag), Ok(None));
        let tag = "yes @ (Mo-Fr 16:00-11:00;Sa 00:00-11:00)";
        assert_eq!(applying_value(&car, at("Tu 03:00"), tag), Ok(Some("yes")));
        assert_eq!(applying_value(&car, at("Tu 12:00"), tag), Ok(None));
        assert_eq!(applying_value(&car, at("Sa 10:00"), tag), Ok(Some("yes")));
        assert_eq!(applying_value(&car, at("Su 10:00"), tag), Ok(None));
        assert_eq!(
            applying_value(&car, at("Fr 13:00"), "no @ Mo-Fr 12:45-13:30"),
            Ok(Some("no"))
        );
        assert_eq!(
            applying_value(&car, at("Mo 03:00"), "no @ (19:00-6:00)"),
            Ok(Some("no"))
        );
    }

    #[test]
    fn last_rule_wins_and_purposes() {
        let truck = Profile::truck();
        let tag = "no @ (Mo-Su 00:00-24:00); yes @ (Mo 10:00-11:00)";
        assert_eq!(applying_value(&truck, at("Mo 10:30"), tag), Ok(Some("yes")));
        assert_eq!(applying_value(&truck, at("Tu 10:30"), tag), Ok(Some("no")));
        assert_eq!(
            applying_value(&truck, at("Mo 10:30"), "none @ destination"),
            Ok(Some("none"))
        );
    }

    #[test]
    fn unknown_syntax_is_an_error_not_a_panic() {
        let car = Profile::car();
        for tag in [
            "no @ (sunrise-sunset)",
            "no @ (wet)",
            "no",
            "@",
            "no @ ()",
            "no @ (weight>)",
            "no @ (Mo-Xx)",
            "no @ (25:00-26:00)",
            "no @ ((((",
            "ö @ (Ö-ü 9:ä)",
        ] {
            assert_eq!(applying_value(&car, at("Mo 12:00"), tag), Err(()), "{tag}");
        }
    }

    #[test]
    fn import_counts_ignored_tags_and_keeps_the_way() {
        let truck = Profile {
            access_at: Some(at("Mo 12:00")),
            ..Profile::truck()
        };
        let mut log = ConditionalLog::default();
        let date_range: &[(&str, &str)] = &[
            ("highway", "motorway_link"),
            ("access:conditional", "no @ (sunrise-sunset)"),
        ];
        assert!(truck.way_attributes(date_range, &mut log).is_some());
        let ploeck: &[(&str, &str)] = &[
            ("highway", "residential"),
            ("access:conditional", "no @ (7:30-19:00 AND weight>7.5)"),
        ];
        assert!(truck.way_attributes(ploeck, &mut log).is_none());
        let zone: &[(&str, &str)] = &[
            ("highway", "residential"),
            ("maxweight", "7.5"),
            ("maxweight:conditional", "none @ destination"),
        ];
        assert!(truck.way_attributes(zone, &mut log).is_some());
        assert_eq!(
            log,
            ConditionalLog {
                applied: 2,
                ignored: 1,
                kept: 0
            }
        );
    }

    #[test]
    fn date_ranges_hold_only_for_a_date() {
        let car = Profile::car();
        let tag = "no @ (2016 Apr 25 - 2016 Sep 26)";
        assert_eq!(applying_value(&car, at("Mo 12:00"), tag), Ok(None));
        let rules = parse_rules(&car, tag).unwrap();
        let june = "2016-06-01T12:00".parse().unwrap();
        assert!(rules[0].when[0].holds(june));
    }

    fn kept(p: &Profile, tags: &[(&str, &str)]) -> (Option<WayTimeRules>, ConditionalLog) {
        let mut log = ConditionalLog::default();
        let base = p.way_attributes(tags, &mut ConditionalLog::default());
        (way_time_rules(p, tags, base.as_ref(), &mut log), log)
    }

    #[test]
    fn kept_rules_give_every_combination_of_conditions() {
        let truck = Profile::truck();
        let ploeck: &[(&str, &str)] = &[
            ("highway", "residential"),
            ("oneway", "yes"),
            ("access:conditional", "no @ (7:30-19:00 AND weight>7.5)"),
        ];
        let (rules, log) = kept(&truck, ploeck);
        let rules = rules.unwrap();
        assert_eq!(rules.conditions.len(), 1);
        assert!(rules.outcomes[0]
            .as_ref()
            .is_some_and(|a| a.forward && !a.backward));
        assert_eq!(rules.outcomes[1], None, "closed while 7:30-19:00 holds");
        assert_eq!(log.kept, 1);
        // The weight term is decided at import: nothing to keep for a car.
        assert_eq!(kept(&Profile::car(), ploeck).0, None);
        // Two conditions, a one-way rule and a speed: four outcomes.
        let street: &[(&str, &str)] = &[
            ("highway", "secondary"),
            ("maxspeed", "50"),
            ("maxspeed:conditional", "30 @ (Mo-Fr 07:00-18:00)"),
            ("oneway:conditional", "yes @ (Sa,Su)"),
        ];
        let rules = kept(&truck, street).0.unwrap();
        assert_eq!(rules.outcomes.len(), 4);
        let o = |i: usize| rules.outcomes[i].clone().unwrap();
        assert!(o(1).speed_fwd_kmh < o(0).speed_fwd_kmh);
        assert!(o(0).backward && !o(2).backward && !o(3).backward);
        // The pedestrian street is closed by its plain tags and opened by its rule.
        let zone: &[(&str, &str)] = &[
            ("highway", "pedestrian"),
            (
                "motor_vehicle:conditional",
                "destination @ (Mo-Sa 06:00-11:00)",
            ),
        ];
        let mut light = Profile::truck();
        light
            .speeds_kmh
            .insert(crate::profile::RoadClass::Pedestrian, 6.0);
        assert_eq!(
            light.way_attributes(zone, &mut ConditionalLog::default()),
            None
        );
        let rules = kept(&light, zone).0.unwrap();
        assert!(rules.outcomes[0].is_none() && rules.outcomes[1].is_some());
    }

    #[test]
    fn unparsable_rules_are_counted_and_fall_back() {
        let truck = Profile::truck();
        let tags: &[(&str, &str)] = &[
            ("highway", "residential"),
            ("access:conditional", "no @ (sunrise-sunset)"),
        ];
        let (rules, log) = kept(&truck, tags);
        assert_eq!((rules, log.ignored, log.kept), (None, 1, 0));
        let five = "no @ (Mo 01:00-02:00); no @ (Tu 01:00-02:00); no @ (We 01:00-02:00); no @ (Th 01:00-02:00); no @ (Fr 01:00-02:00)";
        let tags: &[(&str, &str)] = &[("highway", "residential"), ("access:conditional", five)];
        let (rules, log) = kept(&truck, tags);
        assert_eq!((rules, log.ignored), (None, 1), "more than 4 conditions");
        let mut fixed = Profile::truck();
        fixed.access_at = Some(at("Mo 12:00"));
        assert_eq!(
            kept(&fixed, tags).0,
            None,
            "a fixed access_at keeps nothing"
        );
    }
}
