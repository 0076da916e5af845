//! OSM conditional restrictions (`access:conditional=no @ (7:30-19:00 AND weight>7.5)`):
//! parsing a small opening-hours subset and evaluating it for a vehicle at a time of use.
//!
//! Supported conditions, joined by `AND`: weekday lists and ranges (`Mo-Sa`, `Sa,Su`), time
//! ranges (`06:00-11:00`, also across midnight and comma lists), both together
//! (`Mo-Fr 16:00-11:00`), `weight`/`length`/`height`/`width` comparisons (`weight>7.5`) and the
//! traffic purposes `destination`/`delivery` (met when the profile's access rules accept that
//! value). Anything else makes the whole tag unknown: the caller ignores it and counts it.

use std::cell::Cell;

use crate::profile::time::parse_clock;
use crate::profile::{AccessTime, Profile, Weekday};

use super::tags::{parse_length_m, parse_weight_kg, TagSource};

/// What became of the conditional tags of one way (or, summed, of one import).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct ConditionalLog {
    /// Ways where a conditional tag's condition held and its value was used.
    pub applied: usize,
    /// Ways with a conditional tag outside the supported syntax, which was ignored.
    pub ignored: usize,
}

impl ConditionalLog {
    /// Adds one way's outcome, counting each way at most once per field.
    pub fn add_way(&mut self, way: ConditionalLog) {
        self.applied += usize::from(way.applied > 0);
        self.ignored += usize::from(way.ignored > 0);
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
    let mut found = None;
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
        let mut holds = true;
        for term in condition.split(" AND ") {
            holds &= term_holds(profile, at, term.trim())?;
        }
        if holds {
            found = Some(value);
        }
    }
    Ok(found)
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

/// One condition: a comparison, a purpose, or an opening-hours rule list (`;`-separated
/// inside the parentheses, any of which may hold).
fn term_holds(profile: &Profile, at: AccessTime, term: &str) -> Result<bool, ()> {
    if let Some(held) = comparison_holds(profile, term)? {
        return Ok(held);
    }
    if matches!(term, "destination" | "delivery") {
        return Ok(!profile.access_denied.iter().any(|d| d == term));
    }
    let mut any = false;
    for rule in term.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        any |= hours_rule_holds(at, rule)?;
    }
    Ok(any)
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

/// `Mo-Fr 16:00-11:00`, `Sa,Su`, `7:30-19:00`, `Mo-Sa 06:00-11:00,14:00-16:00`.
fn hours_rule_holds(at: AccessTime, rule: &str) -> Result<bool, ()> {
    let (days, times) = match rule.split_once(' ') {
        Some((d, t)) => (Some(d.trim()), Some(t.trim())),
        None if rule.contains(':') => (None, Some(rule)),
        None => (Some(rule), None),
    };
    let days = match days {
        Some(d) => Some(weekdays(d)?),
        None => None,
    };
    let minute = at.minute_of_day;
    let mut today = days.is_none_or(|d| d[at.weekday as usize]);
    let Some(times) = times else {
        return Ok(today);
    };
    // A range past midnight started on the previous day.
    let yesterday = Weekday::ALL[(at.weekday as usize + 6) % 7];
    let mut from_yesterday = days.is_none_or(|d| d[yesterday as usize]);
    let mut inside = false;
    for range in times.split(',') {
        let (start, end) = range.trim().split_once('-').ok_or(())?;
        let (start, end) = (parse_clock(start).ok_or(())?, parse_clock(end).ok_or(())?);
        inside |= if start <= end {
            today && (start..end).contains(&minute)
        } else {
            (today && minute >= start) || (from_yesterday && minute < end)
        };
    }
    today &= inside;
    from_yesterday &= inside;
    Ok(today || from_yesterday)
}

/// `Mo-Fr`, `Sa,Su`, `Mo-We,Fr`, `Fr-Mo` as a set of weekdays.
fn weekdays(spec: &str) -> Result<[bool; 7], ()> {
    let mut set = [false; 7];
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a = Weekday::from_abbrev(a.trim()).ok_or(())? as usize;
        let b = Weekday::from_abbrev(b.trim()).ok_or(())? as usize;
        let mut d = a;
        loop {
            set[d] = true;
            if d == b {
                break;
            }
            d = (d + 1) % 7;
        }
    }
    Ok(set)
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
            "no @ (2016 Apr 25 - 2016 Sep 26)",
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
            ("access:conditional", "no @ (2016 Apr 25 - 2016 Sep 26)"),
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
                ignored: 1
            }
        );
    }
}
