//! The conditional rules a graph keeps (`*:conditional` tags evaluated for the imported
//! vehicle, times left open): per directed edge an optional index into a table of rules, each
//! the edge's distinct time conditions and its state (open, travel-time factor) for every
//! combination of them holding. Searches with a departure time read the state at the moment
//! the vehicle reaches an edge; without one the edge is as its plain tags say (`base_open`).
//!
//! Stored as the optional `CONDITIONAL` section: `version u32 | rules JSON length u32 | rules
//! JSON | pair count u32 | (edge u32, rule u32)*`. Graphs without it (older files, extracts
//! without conditional tags) have no rules.

use serde::{Deserialize, Serialize};

use crate::profile::time::{DepartureTime, TimeCondition};

/// The section's format version.
const VERSION: u32 = 1;

/// Edges without a rule.
pub(crate) const NO_RULE: u32 = u32::MAX;

/// At most this many time conditions per rule (2^n states).
const MAX_CONDITIONS: usize = 4;

/// What a directed edge is at some time.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct EdgeState {
    /// Whether the vehicle may enter the edge.
    pub open: bool,
    /// Its travel time relative to the stored one (`maxspeed:conditional`).
    pub factor: f32,
}

/// The conditional rule of one direction of a way.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct EdgeRule {
    pub conditions: Vec<TimeCondition>,
    /// Whether the edge is open when no time is given (its plain tags).
    pub base_open: bool,
    /// The state for each combination of conditions holding (bit `i` = condition `i`).
    pub states: Vec<EdgeState>,
}

impl EdgeRule {
    /// The edge's state at `t`.
    pub(crate) fn state_at(&self, t: DepartureTime) -> EdgeState {
        let held = self
            .conditions
            .iter()
            .enumerate()
            .filter(|(_, c)| c.holds(t))
            .fold(0usize, |m, (i, _)| m | 1 << i);
        self.states[held]
    }
}

/// The rules of a graph's edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ConditionalRules {
    /// Per directed edge: index into `rules`, or [`NO_RULE`].
    pub edge_rule: Vec<u32>,
    pub rules: Vec<EdgeRule>,
}

impl ConditionalRules {
    /// The rule of edge `e`, if it has one.
    pub(crate) fn rule(&self, e: u32) -> Option<&EdgeRule> {
        match self.edge_rule.get(e as usize) {
            Some(&r) if r != NO_RULE => self.rules.get(r as usize),
            _ => None,
        }
    }

    /// Whether edge `e` is open without a time (only a rule can close it).
    pub(crate) fn base_open(&self, e: u32) -> bool {
        self.rule(e).is_none_or(|r| r.base_open)
    }

    /// Number of edges with a rule.
    pub(crate) fn num_ruled_edges(&self) -> usize {
        self.edge_rule.iter().filter(|&&r| r != NO_RULE).count()
    }

    pub(crate) fn encode(&self) -> Vec<u8> {
        let json = serde_json::to_vec(&self.rules).unwrap_or_default();
        let pairs: Vec<(u32, u32)> = self
            .edge_rule
            .iter()
            .enumerate()
            .filter(|&(_, &r)| r != NO_RULE)
            .map(|(e, &r)| (e as u32, r))
            .collect();
        let mut out = Vec::with_capacity(12 + json.len() + pairs.len() * 8);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (e, r) in pairs {
            out.extend_from_slice(&e.to_le_bytes());
            out.extend_from_slice(&r.to_le_bytes());
        }
        out
    }

    /// Reads the section for a graph of `num_edges` edges; an error message when it is of
    /// another version or inconsistent.
    pub(crate) fn decode(bytes: &[u8], num_edges: usize) -> Result<ConditionalRules, String> {
        let mut at = 0usize;
        let mut u32_at = |bytes: &[u8]| -> Result<u32, String> {
            let b = bytes
                .get(at..at + 4)
                .ok_or_else(|| "section CONDITIONAL is truncated".to_string())?;
            at += 4;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let version = u32_at(bytes)?;
        if version != VERSION {
            return Err(format!(
                "section CONDITIONAL has version {version}, this kerb reads {VERSION}"
            ));
        }
        let len = u32_at(bytes)? as usize;
        let start = 8;
        let json = bytes
            .get(start..start + len)
            .ok_or("section CONDITIONAL is truncated")?;
        let rules: Vec<EdgeRule> = serde_json::from_slice(json)
            .map_err(|e| format!("section CONDITIONAL has bad rules: {e}"))?;
        for r in &rules {
            let factors_ok = r
                .states
                .iter()
                .all(|s| s.factor.is_finite() && s.factor > 0.0);
            if r.conditions.len() > MAX_CONDITIONS
                || r.states.len() != 1 << r.conditions.len()
                || !factors_ok
            {
                return Err("section CONDITIONAL has an inconsistent rule".into());
            }
        }
        let mut at = start + len;
        let mut next = || -> Result<u32, String> {
            let b = bytes
                .get(at..at + 4)
                .ok_or_else(|| "section CONDITIONAL is truncated".to_string())?;
            at += 4;
            Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        };
        let count = next()? as usize;
        if count > num_edges {
            return Err("section CONDITIONAL has more ruled edges than the graph".into());
        }
        let mut edge_rule = vec![NO_RULE; num_edges];
        for _ in 0..count {
            let (e, r) = (next()? as usize, next()?);
            if e >= num_edges || r as usize >= rules.len() || edge_rule[e] != NO_RULE {
                return Err("section CONDITIONAL names an edge or rule that does not exist".into());
            }
            edge_rule[e] = r;
        }
        if at != bytes.len() {
            return Err("section CONDITIONAL has trailing bytes".into());
        }
        Ok(ConditionalRules { edge_rule, rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ConditionalRules {
        let rule = EdgeRule {
            conditions: vec![TimeCondition::parse("Mo-Sa 06:00-11:00").unwrap()],
            base_open: false,
            states: vec![
                EdgeState {
                    open: false,
                    factor: 1.0,
                },
                EdgeState {
                    open: true,
                    factor: 1.5,
                },
            ],
        };
        ConditionalRules {
            edge_rule: vec![NO_RULE, 0, NO_RULE, 0],
            rules: vec![rule],
        }
    }

    #[test]
    fn state_at_the_time_and_without_one() {
        let r = rules();
        assert!(r.base_open(0) && !r.base_open(1));
        let at = |s: &str| r.rule(1).unwrap().state_at(s.parse().unwrap());
        assert!(at("Mo 06:30").open && at("Mo 06:30").factor == 1.5);
        assert!(!at("Mo 20:00").open);
        assert!(!at("2026-12-06T09:00").open, "Sunday");
        assert_eq!(r.num_ruled_edges(), 2);
    }

    #[test]
    fn section_round_trips_and_damage_is_an_error() {
        let r = rules();
        let bytes = r.encode();
        assert_eq!(ConditionalRules::decode(&bytes, 4), Ok(r));
        assert!(
            ConditionalRules::decode(&bytes, 3).is_err(),
            "edge 3 missing"
        );
        for cut in 0..bytes.len() {
            assert!(
                ConditionalRules::decode(&bytes[..cut], 4).is_err(),
                "cut {cut}"
            );
        }
        let mut other = bytes.clone();
        other[0] = 2;
        assert!(ConditionalRules::decode(&other, 4)
            .unwrap_err()
            .contains("version 2"));
        let mut longer = bytes;
        longer.push(0);
        assert!(ConditionalRules::decode(&longer, 4).is_err());
    }
}
