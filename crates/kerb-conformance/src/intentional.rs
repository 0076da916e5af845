//! The reviewed list of intentional differences: scenarios where kerb's answer is right for a
//! service-vehicle engine and OSRM's expectation is a car.lua quirk (`intentional.txt`).

use crate::error::{Error, Result};

/// The list shipped with the crate.
pub const LIST: &str = include_str!("../intentional.txt");

/// One reviewed difference.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The feature file's path suffix, e.g. `car/barrier.feature`.
    pub file: String,
    /// The scenario name (an outline's name matches all its example rows).
    pub scenario: String,
    /// Why kerb deliberately differs.
    pub reason: String,
}

/// Parses `file :: scenario :: reason` lines (`#` comments and blank lines ignored).
pub fn parse(text: &str) -> Result<Vec<Difference>> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split(" :: ").map(str::trim).collect();
        let [file, scenario, reason] = parts.as_slice() else {
            return Err(Error::IntentionalList {
                line: i + 1,
                message: "expected `file :: scenario :: reason`".into(),
            });
        };
        if reason.is_empty() {
            return Err(Error::IntentionalList {
                line: i + 1,
                message: "a reason is required".into(),
            });
        }
        out.push(Difference {
            file: file.to_string(),
            scenario: scenario.to_string(),
            reason: reason.to_string(),
        });
    }
    Ok(out)
}

/// The reviewed reason for `scenario` of `file`, if it is on the list.
pub fn lookup<'a>(list: &'a [Difference], file: &str, scenario: &str) -> Option<&'a str> {
    list.iter()
        .find(|d| {
            file.ends_with(&d.file)
                && (scenario == d.scenario
                    || scenario
                        .strip_prefix(&d.scenario)
                        .is_some_and(|rest| rest.starts_with(" [")))
        })
        .map(|d| d.reason.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_list_parses_and_outline_rows_match() {
        parse(LIST).unwrap();
        let l = parse("car/x.feature :: Foo :: because\n").unwrap();
        assert_eq!(
            lookup(&l, "features/car/x.feature", "Foo [a | b]"),
            Some("because")
        );
        assert_eq!(lookup(&l, "features/car/x.feature", "Foobar"), None);
        assert!(parse("a :: b").is_err());
    }
}
