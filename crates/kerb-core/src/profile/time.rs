//! [`AccessTime`]: the moment of the week (weekday and time of day) at which a profile's
//! import evaluates `*:conditional` tags, written `"Mo 06:00"` in profile files.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A day of the week, with OSM opening-hours abbreviations (`Mo` .. `Su`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday, `Mo`.
    Mo,
    /// Tuesday, `Tu`.
    Tu,
    /// Wednesday, `We`.
    We,
    /// Thursday, `Th`.
    Th,
    /// Friday, `Fr`.
    Fr,
    /// Saturday, `Sa`.
    Sa,
    /// Sunday, `Su`.
    Su,
}

impl Weekday {
    /// The week from Monday, in order.
    pub const ALL: [Weekday; 7] = [
        Weekday::Mo,
        Weekday::Tu,
        Weekday::We,
        Weekday::Th,
        Weekday::Fr,
        Weekday::Sa,
        Weekday::Su,
    ];

    /// Parses an opening-hours abbreviation (`Mo`, `Tu`, ...; case-sensitive like OSM).
    pub fn from_abbrev(s: &str) -> Option<Weekday> {
        Weekday::ALL.into_iter().find(|d| d.abbrev() == s)
    }

    /// The opening-hours abbreviation.
    pub fn abbrev(self) -> &'static str {
        ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][self as usize]
    }
}

/// A weekday and time of day, e.g. `"Mo 06:00"`, at which conditional restrictions are
/// evaluated.
///
/// ```
/// use kerb_core::{AccessTime, Weekday};
/// let t: AccessTime = "Sa 07:30".parse()?;
/// assert_eq!((t.weekday, t.minute_of_day), (Weekday::Sa, 450));
/// assert_eq!(t.to_string(), "Sa 07:30");
/// assert!("Xx 25:00".parse::<AccessTime>().is_err());
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccessTime {
    /// Day of the week.
    pub weekday: Weekday,
    /// Minutes since midnight, 0..1440.
    pub minute_of_day: u16,
}

impl AccessTime {
    /// A weekday and a time `hour:minute`; `None` outside 00:00..=23:59.
    pub fn new(weekday: Weekday, hour: u16, minute: u16) -> Option<AccessTime> {
        (hour < 24 && minute < 60).then_some(AccessTime {
            weekday,
            minute_of_day: hour * 60 + minute,
        })
    }
}

/// Parses `H:MM` or `HH:MM` into minutes since midnight; `24:00` is allowed (end of day).
pub(crate) fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

impl FromStr for AccessTime {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::InvalidProfile(format!(
                "access_at {s:?} must be a weekday and a time, e.g. \"Mo 06:00\""
            ))
        };
        let (day, clock) = s.trim().split_once(' ').ok_or_else(bad)?;
        let weekday = Weekday::from_abbrev(day).ok_or_else(bad)?;
        let minute_of_day = parse_clock(clock).filter(|m| *m < 1440).ok_or_else(bad)?;
        Ok(AccessTime {
            weekday,
            minute_of_day,
        })
    }
}

impl TryFrom<String> for AccessTime {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Error> {
        s.parse()
    }
}

impl From<AccessTime> for String {
    fn from(t: AccessTime) -> String {
        t.to_string()
    }
}

impl fmt::Display for AccessTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = (self.minute_of_day / 60, self.minute_of_day % 60);
        write!(f, "{} {h:02}:{m:02}", self.weekday.abbrev())
    }
}

/// Seconds in a day.
const DAY_S: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if month <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        month,
        day,
    )
}

fn days_in_month(year: i64, month: u32) -> u32 {
    (days_from_civil(year + i64::from(month == 12), month % 12 + 1, 1)
        - days_from_civil(year, month, 1)) as u32
}

/// When a vehicle leaves: a local wall-clock time on a date (`2026-12-07T06:30`), or on a
/// weekday of no particular week (`Mo 06:30`). Searches with a departure time apply each
/// road's `*:conditional` rules at the moment the vehicle reaches it
/// ([`crate::SearchFilter::departing_at`]); date ranges (`@ (Nov-Mar)`) hold only for a dated
/// departure. Times are the map's local time (no time zone, no daylight-saving shift).
///
/// ```
/// use kerb_core::{DepartureTime, Weekday};
/// let t: DepartureTime = "2026-12-07T06:30".parse()?;
/// assert_eq!((t.weekday(), t.minute_of_day(), t.date()), (Weekday::Mo, 390, Some((2026, 12, 7))));
/// assert_eq!(t.after_s(18.0 * 3600.0).to_string(), "2026-12-08T00:30");
/// let w: DepartureTime = "Sa 23:00".parse()?;
/// assert_eq!((w.after_s(7200.0).weekday(), w.date()), (Weekday::Su, None));
/// assert!("2026-02-30T06:00".parse::<DepartureTime>().is_err());
/// # Ok::<(), kerb_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DepartureTime {
    /// Dated: seconds since 1970-01-01 00:00 local time. Weekday only: seconds since the
    /// Monday 1970-01-05 00:00, so the same arithmetic gives the weekday.
    seconds: i64,
    dated: bool,
}

impl DepartureTime {
    /// A departure on a date at `hour:minute`; `None` for an invalid date or time.
    pub fn on_date(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> Option<Self> {
        let (y, m) = (i64::from(year), u32::from(month));
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&m)
            && day >= 1
            && u32::from(day) <= days_in_month(y, m)
            && hour < 24
            && minute < 60;
        valid.then(|| DepartureTime {
            seconds: days_from_civil(y, m, u32::from(day)) * DAY_S
                + i64::from(hour) * 3600
                + i64::from(minute) * 60,
            dated: true,
        })
    }

    /// A departure on a weekday of no particular date.
    pub fn on_weekday(at: AccessTime) -> Self {
        DepartureTime {
            seconds: (4 + at.weekday as i64) * DAY_S + i64::from(at.minute_of_day) * 60,
            dated: false,
        }
    }

    /// The moment `seconds` later (rounded to whole seconds).
    pub fn after_s(self, seconds: f64) -> Self {
        let add = if seconds.is_finite() {
            seconds.round().clamp(-1e12, 1e12) as i64
        } else {
            0
        };
        DepartureTime {
            seconds: self.seconds.saturating_add(add),
            ..self
        }
    }

    /// The moment `ms` milliseconds later (whole seconds; searches count milliseconds).
    pub(crate) fn after_ms(self, ms: i64) -> Self {
        DepartureTime {
            seconds: self.seconds.saturating_add(ms.div_euclid(1000)),
            ..self
        }
    }

    fn day_number(self) -> i64 {
        self.seconds.div_euclid(DAY_S)
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        Weekday::ALL[(self.day_number() + 3).rem_euclid(7) as usize]
    }

    /// Minutes since midnight, 0..1440.
    pub fn minute_of_day(self) -> u16 {
        (self.seconds.rem_euclid(DAY_S) / 60) as u16
    }

    /// `(year, month, day)` of a dated departure.
    pub fn date(self) -> Option<(i32, u8, u8)> {
        self.dated.then(|| {
            let (y, m, d) = civil_from_days(self.day_number());
            (y as i32, m as u8, d as u8)
        })
    }

    /// The same moment one day earlier (for opening hours that run past midnight).
    fn day_before(self) -> Self {
        DepartureTime {
            seconds: self.seconds - DAY_S,
            ..self
        }
    }
}

impl From<AccessTime> for DepartureTime {
    fn from(at: AccessTime) -> Self {
        DepartureTime::on_weekday(at)
    }
}

impl FromStr for DepartureTime {
    type Err = Error;

    /// `YYYY-MM-DDTHH:MM` (seconds `:SS` allowed and dropped, a space for the `T` too) or a
    /// weekday and time as in profiles (`Mo 06:30`).
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || {
            Error::InvalidInput(format!(
                "departure time {s:?} must be a local date and time like \"2026-12-07T06:30\" or a weekday and time like \"Mo 06:30\""
            ))
        };
        let s = s.trim();
        if s.len() >= 3 && s.as_bytes()[2] == b' ' {
            return s.parse::<AccessTime>().map(Self::from).map_err(|_| bad());
        }
        let (date, clock) = s.split_once(['T', ' ']).ok_or_else(bad)?;
        let mut d = date.splitn(3, '-');
        let (Some(y), Some(m), Some(day)) = (d.next(), d.next(), d.next()) else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || day.len() != 2 {
            return Err(bad());
        }
        let clock = match clock.len() {
            8 if clock.as_bytes()[5] == b':' && clock[6..].parse::<u8>().is_ok_and(|s| s < 60) => {
                &clock[..5]
            }
            _ => clock,
        };
        let minute = parse_clock(clock)
            .filter(|m| *m < 1440 && clock.len() == 5)
            .ok_or_else(bad)?;
        let num = |v: &str| v.parse::<u16>().map_err(|_| bad());
        DepartureTime::on_date(
            i32::from(num(y)?),
            num(m)? as u8,
            num(day)? as u8,
            (minute / 60) as u8,
            (minute % 60) as u8,
        )
        .ok_or_else(bad)
    }
}

impl fmt::Display for DepartureTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m) = (self.minute_of_day() / 60, self.minute_of_day() % 60);
        match self.date() {
            Some((y, mo, d)) => write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}"),
            None => write!(f, "{} {h:02}:{m:02}", self.weekday().abbrev()),
        }
    }
}

/// A month and day of an opening-hours date selector (`Dec 24`, `2016 Apr 25`, `Nov`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MonthDay {
    /// A year when given (`2016 Apr 25`).
    pub year: Option<u16>,
    /// 1..=12.
    pub month: u8,
    /// 1..=31, or 0 for the whole month.
    pub day: u8,
}

/// `from-to` of an opening-hours date selector, both ends included; a range without years
/// may wrap over the new year (`Nov-Mar`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DateRange {
    pub from: MonthDay,
    pub to: MonthDay,
}

impl DateRange {
    fn contains(&self, (year, month, day): (i32, u8, u8)) -> bool {
        let key = |md: &MonthDay, end: bool| {
            let d = if md.day == 0 && end {
                31
            } else {
                md.day.max(1)
            };
            u32::from(md.month) * 32 + u32::from(d)
        };
        let today = u32::from(month) * 32 + u32::from(day);
        let (from, to) = (key(&self.from, false), key(&self.to, true));
        match (self.from.year, self.to.year) {
            (Some(fy), Some(ty)) => {
                let at = (year as i64, today);
                (i64::from(fy), from) <= at && at <= (i64::from(ty), to)
            }
            _ if from <= to => (from..=to).contains(&today),
            _ => today >= from || today <= to,
        }
    }
}

/// One opening-hours rule: optional dates, weekdays (bit `d` for [`Weekday`] `d`) and time
/// ranges (minutes, `start > end` runs past midnight); all given parts must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct HoursRule {
    pub dates: Vec<DateRange>,
    pub days: Option<u8>,
    pub times: Vec<(u16, u16)>,
}

impl HoursRule {
    fn day_holds(&self, t: DepartureTime) -> bool {
        let day_ok = self.days.is_none_or(|d| d & (1 << t.weekday() as u8) != 0);
        let date_ok = self.dates.is_empty()
            || t.date()
                .is_some_and(|date| self.dates.iter().any(|r| r.contains(date)));
        day_ok && date_ok
    }

    fn holds(&self, t: DepartureTime) -> bool {
        if self.times.is_empty() {
            return self.day_holds(t);
        }
        let minute = t.minute_of_day();
        let (today, yesterday) = (self.day_holds(t), self.day_holds(t.day_before()));
        self.times.iter().any(|&(start, end)| {
            if start <= end {
                today && (start..end).contains(&minute)
            } else {
                // A range past midnight started on the previous day.
                (today && minute >= start) || (yesterday && minute < end)
            }
        })
    }

    /// Parses `Mo-Fr 16:00-11:00`, `Sa,Su`, `7:30-19:00`, `Nov-Mar`, `Dec 24-26`,
    /// `2016 Apr 25-2016 Sep 26 Mo-Fr 07:00-19:00`; `None` outside that subset.
    fn parse(rule: &str) -> Option<HoursRule> {
        let mut rest = rule.trim();
        let mut dates = Vec::new();
        while starts_with_date(rest) {
            let (from, r) = month_day(rest)?;
            rest = r.trim_start();
            let mut to = from;
            if let Some(r) = rest.strip_prefix('-') {
                let r = r.trim_start();
                if starts_with_date(r) {
                    let (end, r) = month_day(r)?;
                    to = end;
                    rest = r;
                } else {
                    // `Dec 24-26`: a day of the same month.
                    let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
                    let day: u8 = r[..end].parse().ok().filter(|d| (1..=31).contains(d))?;
                    if from.day == 0 || r[end..].starts_with(':') {
                        return None;
                    }
                    to = MonthDay { day, ..from };
                    rest = &r[end..];
                }
            }
            dates.push(DateRange { from, to });
            rest = rest.trim_start();
            match rest.strip_prefix(',') {
                Some(r) if starts_with_date(r.trim_start()) => rest = r.trim_start(),
                Some(_) => return None,
                None => break,
            }
        }
        let (days, times) = match rest.split_once(' ') {
            Some((d, t)) => (Some(d.trim()), t.trim()),
            None if rest.contains(':') => (None, rest),
            None if rest.is_empty() => (None, ""),
            None => (Some(rest), ""),
        };
        let days = match days {
            Some(d) => Some(weekday_set(d)?),
            None => None,
        };
        let mut ranges = Vec::new();
        for range in times.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let (start, end) = range.split_once('-')?;
            ranges.push((parse_clock(start)?, parse_clock(end)?));
        }
        if dates.is_empty() && days.is_none() && ranges.is_empty() {
            return None;
        }
        Some(HoursRule {
            dates,
            days,
            times: ranges,
        })
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_of(s: &str) -> Option<u8> {
    let head = s.get(..3)?;
    let next_is_letter = s[3..].starts_with(|c: char| c.is_alphabetic());
    let m = MONTHS.iter().position(|&m| m == head)?;
    (!next_is_letter).then_some(m as u8 + 1)
}

/// Whether `s` starts with a date: a month name, or a year and a month name.
fn starts_with_date(s: &str) -> bool {
    month_of(s).is_some()
        || (s.len() > 5
            && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && s.as_bytes()[4] == b' '
            && month_of(&s[5..]).is_some())
}

/// `[YYYY ]Mon[ DD]` at the start of `s`, and the rest.
fn month_day(s: &str) -> Option<(MonthDay, &str)> {
    let (year, s) = match month_of(s) {
        Some(_) => (None, s),
        None => (Some(s.get(..4)?.parse::<u16>().ok()?), s.get(5..)?),
    };
    let month = month_of(s)?;
    let mut rest = &s[3..];
    let mut day = 0;
    let digits = rest.trim_start();
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    if rest.starts_with(' ') && (1..=2).contains(&end) && !digits[end..].starts_with(':') {
        day = digits[..end]
            .parse()
            .ok()
            .filter(|d| (1..=31).contains(d))?;
        rest = &digits[end..];
    }
    Some((MonthDay { year, month, day }, rest))
}

/// `Mo-Fr`, `Sa,Su`, `Mo-We,Fr`, `Fr-Mo` as a bit set of weekdays.
fn weekday_set(spec: &str) -> Option<u8> {
    let mut set = 0u8;
    for part in spec.split(',') {
        let part = part.trim();
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a = Weekday::from_abbrev(a.trim())? as usize;
        let b = Weekday::from_abbrev(b.trim())? as usize;
        let mut d = a;
        loop {
            set |= 1 << d;
            if d == b {
                break;
            }
            d = (d + 1) % 7;
        }
    }
    Some(set)
}

/// The time part of a conditional restriction (`Mo-Sa 06:00-11:00; Su 08:00-10:00`): holds
/// when any of its opening-hours rules does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TimeCondition {
    pub rules: Vec<HoursRule>,
}

impl TimeCondition {
    /// Parses an opening-hours rule list (`;`-separated); `None` outside the supported subset.
    pub(crate) fn parse(s: &str) -> Option<TimeCondition> {
        let rules = s
            .split(';')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(HoursRule::parse)
            .collect::<Option<Vec<_>>>()?;
        (!rules.is_empty()).then_some(TimeCondition { rules })
    }

    /// Whether the condition holds at `t`.
    pub(crate) fn holds(&self, t: DepartureTime) -> bool {
        self.rules.iter().any(|r| r.holds(t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DepartureTime {
        s.parse().unwrap()
    }

    fn holds(cond: &str, at: &str) -> bool {
        TimeCondition::parse(cond).unwrap().holds(t(at))
    }

    #[test]
    fn calendar_arithmetic() {
        for (s, wd) in [
            ("1970-01-01T00:00", Weekday::Th),
            ("2000-02-29T12:00", Weekday::Tu),
            ("2026-12-07T06:30", Weekday::Mo),
            ("2027-01-03T23:59", Weekday::Su),
        ] {
            assert_eq!(t(s).weekday(), wd, "{s}");
            assert_eq!(t(s).to_string(), s);
        }
        assert_eq!(
            t("2026-12-31T23:30").after_s(3600.0).to_string(),
            "2027-01-01T00:30"
        );
        assert_eq!(
            t("2028-02-28T12:00").after_s(86_400.0).date(),
            Some((2028, 2, 29))
        );
        assert_eq!(t("2026-12-07T06:30:59"), t("2026-12-07 06:30"));
        assert_eq!(t("Su 23:30").after_s(3600.0).to_string(), "Mo 00:30");
        assert_eq!(t("Mo 00:30").after_ms(-3_600_000).to_string(), "Su 23:30");
        for bad in [
            "2026-13-01T06:00",
            "2026-02-29T06:00",
            "2026-12-07T24:00",
            "2026-12-7T06:00",
            "2026-12-07",
            "Xx 06:00",
            "Mo 6",
            "",
        ] {
            assert!(bad.parse::<DepartureTime>().is_err(), "{bad}");
        }
    }

    #[test]
    fn weekdays_times_and_midnight() {
        let old_town = "Mo-Sa 06:00-11:00";
        assert!(holds(old_town, "2026-12-07T06:30"));
        assert!(holds(old_town, "2026-12-12T10:59"));
        assert!(!holds(old_town, "2026-12-07T11:00"));
        assert!(!holds(old_town, "2026-12-06T09:00"), "Sunday");
        assert!(!holds(old_town, "Mo 20:00"));
        let night = "Mo-Fr 22:00-06:00";
        assert!(holds(night, "Fr 23:00"));
        assert!(
            holds(night, "Sa 05:00"),
            "the Friday night's range runs into Saturday"
        );
        assert!(!holds(night, "Sa 23:00"));
        assert!(!holds(night, "Mo 05:00"), "Sunday night is not in Mo-Fr");
        assert!(holds("7:30-19:00", "We 07:30"));
        assert!(!holds("7:30-19:00", "We 19:00"));
        assert!(holds(
            "Mo-Fr 07:00-09:00,16:00-18:00; Sa 10:00-12:00",
            "Sa 11:00"
        ));
        assert!(holds("Fr-Mo", "Su 12:00"));
        assert!(!holds("Fr-Mo", "Tu 12:00"));
    }

    #[test]
    fn date_ranges_need_a_date() {
        assert!(holds("Nov-Mar", "2026-12-07T06:30"));
        assert!(holds("Nov-Mar", "2027-03-31T06:30"));
        assert!(!holds("Nov-Mar", "2027-04-01T06:30"));
        assert!(!holds("Nov-Mar", "Mo 06:30"), "no date, no date range");
        assert!(holds("Dec 24-26", "2026-12-25T12:00"));
        assert!(!holds("Dec 24-26", "2026-12-27T12:00"));
        let works = "2016 Apr 25-2016 Sep 26";
        assert!(holds(works, "2016-06-01T12:00"));
        assert!(!holds(works, "2017-06-01T12:00"));
        assert!(holds("2016 Apr 25 - 2016 Sep 26", "2016-09-26T23:00"));
        let summer_mornings = "May 1-Sep 30 Mo-Fr 06:00-10:00";
        assert!(holds(summer_mornings, "2026-06-01T07:00"));
        assert!(!holds(summer_mornings, "2026-06-01T11:00"));
        assert!(!holds(summer_mornings, "2026-10-01T07:00"));
        assert!(holds("Jan 01,Dec 24-31", "2026-12-31T07:00"));
    }

    #[test]
    fn outside_the_subset_is_none() {
        for bad in [
            "sunrise-sunset",
            "PH off",
            "wet",
            "Mo-Xx",
            "25:00-26:00",
            "Dec 24-",
            "Jan 01,",
            "week 1-10",
            "",
            "Ö-ü 9:ä",
        ] {
            assert_eq!(TimeCondition::parse(bad), None, "{bad}");
        }
    }
}
