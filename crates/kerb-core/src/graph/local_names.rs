//! Street names in other languages: the `name:xx` tags of the ways a graph was imported from,
//! kept per street name so route sheets, summaries and maps can speak the crew's language
//! (`name:ar` in Riyadh, `name:sv` in Helsinki) and fall back to `name` where a way has no
//! translation.
//!
//! Stored as the optional graph section `local_names` (older files have none, and every lookup
//! then falls back to the name). Keyed by the graph's name id rather than by edge: the ways of
//! one street share their translations, so a city's table stays a few kilobytes. Where two ways
//! of the same `name` disagree on a translation, the first imported wins.
//!
//! Layout of the section (little endian): `count: u32`, then per entry `name id: u32`,
//! `language length: u8`, language bytes, `value length: u16`, value bytes (UTF-8).

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::ids::EdgeId;

use super::RoadGraph;

/// The graph section holding the translations.
pub(crate) const SECTION: &str = "local_names";

/// Translations of street names, by name id and language (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LocalNames {
    by_name: HashMap<u32, Vec<(String, String)>>,
}

/// Whether `lang` looks like a language subtag of `name:xx` (`ar`, `sv`, `zh-Hans`, `sr-Latn`),
/// not another `name:` key such as `name:etymology` or `name:left`.
pub fn is_language(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl LocalNames {
    /// Records the `name:xx` tags among `tags` as the translations of name id `name` (0, the
    /// empty name, has none). Translations already recorded for a language are kept.
    pub(crate) fn record<'a>(&mut self, name: u32, tags: impl Iterator<Item = (&'a str, &'a str)>) {
        if name == 0 {
            return;
        }
        for (key, value) in tags {
            let Some(lang) = key.strip_prefix("name:") else {
                continue;
            };
            let value = value.trim();
            if !is_language(lang) || value.is_empty() || value.len() > u16::MAX as usize {
                continue;
            }
            let entry = self.by_name.entry(name).or_default();
            if !entry.iter().any(|(l, _)| l == lang) {
                entry.push((lang.to_string(), value.to_string()));
            }
        }
    }

    /// Number of street names with at least one translation.
    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether no street name has a translation.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The languages that occur, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs: Vec<&str> = self
            .by_name
            .values()
            .flatten()
            .map(|(l, _)| l.as_str())
            .collect();
        langs.sort_unstable();
        langs.dedup();
        langs
    }

    /// The translation of name id `name` into `lang`, if tagged. A regional tag (`zh-Hans`)
    /// falls back to its primary language (`zh`).
    fn translation(&self, name: u32, lang: &str) -> Option<&str> {
        let entry = self.by_name.get(&name)?;
        let find = |l: &str| entry.iter().find(|(k, _)| k == l).map(|(_, v)| v.as_str());
        find(lang).or_else(|| lang.split_once('-').and_then(|(primary, _)| find(primary)))
    }

    /// The name of edge `e` of `graph` in `lang` (e.g. `"ar"`), else its `name` (or `ref`).
    pub fn edge_name<'g>(&'g self, graph: &'g RoadGraph, e: EdgeId, lang: &str) -> &'g str {
        let name = graph.name[e.index()];
        self.translation(name, lang)
            .unwrap_or_else(|| graph.name_str(name))
    }

    /// The section bytes (see the module docs), entries in name-id order so files are
    /// reproducible.
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut keys: Vec<u32> = self.by_name.keys().copied().collect();
        keys.sort_unstable();
        let count: usize = self.by_name.values().map(Vec::len).sum();
        let mut out = Vec::with_capacity(4 + count * 16);
        out.extend_from_slice(&(count as u32).to_le_bytes());
        for k in keys {
            for (lang, value) in &self.by_name[&k] {
                out.extend_from_slice(&k.to_le_bytes());
                out.push(lang.len() as u8);
                out.extend_from_slice(lang.as_bytes());
                out.extend_from_slice(&(value.len() as u16).to_le_bytes());
                out.extend_from_slice(value.as_bytes());
            }
        }
        out
    }

    /// Reads the section bytes, checking every length against the bytes there are and every
    /// name id against the graph's `names` names.
    pub(crate) fn decode(bytes: &[u8], names: usize) -> Result<Self> {
        let bad = |why: &str| Error::Corrupt(format!("section {SECTION}: {why}"));
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8]> {
            let end = at.checked_add(n).filter(|&e| e <= bytes.len());
            let end = end.ok_or_else(|| bad("truncated"))?;
            let slice = &bytes[at..end];
            at = end;
            Ok(slice)
        };
        let count = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
        let mut local = LocalNames::default();
        for _ in 0..count {
            let name = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
            if name == 0 || name as usize >= names {
                return Err(bad("name id out of range"));
            }
            let lang_len = take(1)?[0] as usize;
            let lang =
                std::str::from_utf8(take(lang_len)?).map_err(|_| bad("language not UTF-8"))?;
            let value_len = u16::from_le_bytes(take(2)?.try_into().expect("2 bytes")) as usize;
            let value = std::str::from_utf8(take(value_len)?).map_err(|_| bad("name not UTF-8"))?;
            local
                .by_name
                .entry(name)
                .or_default()
                .push((lang.to_string(), value.to_string()));
        }
        if at != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        Ok(local)
    }
}

impl RoadGraph {
    /// The street-name translations imported with the graph (empty for graphs imported
    /// before they were kept, or from extracts without `name:xx` tags).
    ///
    /// ```
    /// # std::env::set_current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).unwrap();
    /// use kerb_core::{EdgeId, Graph, Profile};
    /// let g = Graph::from_pbf("data/helsinki.osm.pbf", &Profile::car())?;
    /// let names = g.road().local_names()?;
    /// // Helsinki is bilingual: Swedish street names where the Finnish ones are tagged.
    /// println!("{:?}: {}", names.languages(), names.edge_name(g.road(), EdgeId(0), "sv"));
    /// # Ok::<(), kerb_core::Error>(())
    /// ```
    pub fn local_names(&self) -> Result<LocalNames> {
        match self.section(SECTION) {
            Some(bytes) => LocalNames::decode(bytes, self.name_first.len().saturating_sub(1)),
            None => Ok(LocalNames::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_keys_only() {
        for lang in ["ar", "sv", "fil", "zh-Hans", "sr-Latn"] {
            assert!(is_language(lang), "{lang}");
        }
        for key in ["etymology", "left", "Ar", "a", "ar_SA", "", "en-"] {
            assert!(!is_language(key), "{key}");
        }
    }

    #[test]
    fn round_trip_and_checks() {
        let mut names = LocalNames::default();
        let tags = [
            ("name", "Mannerheimintie"),
            ("name:sv", "Mannerheimvägen"),
            ("name:ar", "طريق مانرهايم"),
            ("name:etymology:wikidata", "Q1"),
        ];
        names.record(3, tags.iter().copied());
        names.record(3, [("name:sv", "other")].into_iter());
        names.record(0, [("name:sv", "none")].into_iter());
        assert_eq!(names.len(), 1);
        assert_eq!(names.languages(), vec!["ar", "sv"]);
        assert_eq!(names.translation(3, "sv"), Some("Mannerheimvägen"));
        assert_eq!(names.translation(3, "sv-FI"), Some("Mannerheimvägen"));
        assert_eq!(names.translation(3, "fi"), None);
        let bytes = names.encode();
        assert_eq!(LocalNames::decode(&bytes, 4).unwrap(), names);
        // Out-of-range ids, truncation and trailing bytes are errors, never panics.
        assert!(LocalNames::decode(&bytes, 3).is_err());
        for cut in 0..bytes.len() {
            assert!(LocalNames::decode(&bytes[..cut], 4).is_err(), "cut {cut}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(LocalNames::decode(&long, 4).is_err());
    }
}
