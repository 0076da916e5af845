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
