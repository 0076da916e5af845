//! A scenario's map: the grid (size, origin, cheap-ruler offsets), named nodes and locations,
//! and the `the nodes` / `the ways` / `the relations` tables turned into OSM elements.

use std::collections::HashMap;

use crate::pbf::{Member, MemberType, Node, OsmData, Relation, Tags, Way};

/// OSRM's runner places routability ways 100 grid cells apart on one line.
pub const WAY_SPACING: f64 = 100.0;

/// Why a map table could not be turned into OSM data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MapError {
    /// A table names a node that the node map does not have.
    #[error("unknown node {0:?}")]
    UnknownNode(String),
    /// A relation names a way that the ways table does not have.
    #[error("unknown way {0:?}")]
    UnknownWay(String),
    /// A node name is used twice.
    #[error("duplicate node {0:?}")]
    DuplicateNode(String),
    /// A relation names a relation member that no earlier relation row has.
    #[error("unknown relation {0:?}")]
    UnknownRelation(String),
    /// A table lacks a column the step needs.
    #[error("table lacks column {0:?}")]
    MissingColumn(&'static str),
    /// A number in a table does not parse.
    #[error("bad number {0:?}")]
    BadNumber(String),
}

/// The map being drawn by a scenario's `Given` steps.
#[derive(Debug, Clone)]
pub struct World {
    grid_size_m: f64,
    origin: [f64; 2],
    next_id: i64,
    /// OSM nodes (named ones and routability helpers).
    pub data: OsmData,
    node_by_name: HashMap<char, usize>,
    locations: HashMap<char, [f64; 2]>,
    way_by_name: HashMap<String, i64>,
    relation_by_name: HashMap<String, i64>,
}

impl Default for World {
    fn default() -> Self {
        World {
            grid_size_m: 100.0,
            origin: [1.0, 1.0],
            next_id: 1,
            data: OsmData::default(),
            node_by_name: HashMap::new(),
            locations: HashMap::new(),
            way_by_name: HashMap::new(),
            relation_by_name: HashMap::new(),
        }
    }
}

/// mapbox/cheap-ruler's metre scale factors at a latitude (WGS84 ellipsoid), as used by OSRM's
/// runner to place nodes.
fn cheap_ruler(lat: f64) -> (f64, f64) {
    const RE: f64 = 6378.137;
    const FE: f64 = 1.0 / 298.257223563;
    let e2 = FE * (2.0 - FE);
    let m = std::f64::consts::PI / 180.0 * RE * 1000.0;
    let coslat = lat.to_radians().cos();
    let w2 = 1.0 / (1.0 - e2 * (1.0 - coslat * coslat));
    let w = w2.sqrt();
    (m * w * coslat, m * w * w2 * (1.0 - e2))
}

fn set_tag(tags: &mut Tags, k: &str, v: &str) {
    match tags.iter_mut().find(|(key, _)| key == k) {
        Some(t) => t.1 = v.to_string(),
        None => tags.push((k.to_string(), v.to_string())),
    }
}

fn remove_tag(tags: &mut Tags, k: &str) {
    tags.retain(|(key, _)| key != k);
}

impl World {
    /// Sets the grid spacing.
    pub fn set_grid_size(&mut self, metres: f64) {
        self.grid_size_m = metres;
    }

    /// Sets the coordinate of the top-left grid cell.
    pub fn set_origin(&mut self, lon: f64, lat: f64) {
        self.origin = [lon, lat];
    }

    fn make_id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The coordinate `x_cells` east and `y_cells` north of the origin.
    pub fn offset(&self, x_cells: f64, y_cells: f64) -> [f64; 2] {
        let (kx, ky) = cheap_ruler(self.origin[1]);
        [
            self.origin[0] + x_cells * self.grid_size_m / kx,
            self.origin[1] + y_cells * self.grid_size_m / ky,
        ]
    }

    fn add_named(&mut self, name: char, lonlat: [f64; 2], id: Option<i64>) -> Result<(), MapError> {
        if self.node_by_name.contains_key(&name) || self.locations.contains_key(&name) {
            return Err(MapError::DuplicateNode(name.to_string()));
        }
        if name.is_ascii_lowercase() {
            let id = id.unwrap_or_else(|| self.make_id());
            self.node_by_name.insert(name, self.data.nodes.len());
            self.data.nodes.push(Node {
                id,
                lon: lonlat[0],
                lat: lonlat[1],
                tags: vec![("name".into(), name.to_string())],
            });
        } else {
            self.locations.insert(name, lonlat);
        }
        Ok(())
    }

    /// `Given the node map`: letters are OSM nodes, digits are bare locations; a character
    /// column is half a grid cell.
    pub fn add_node_map(&mut self, map: &str) -> Result<(), MapError> {
        for (row, line) in map.lines().enumerate() {
            for (col, c) in line.chars().enumerate() {
                if c.is_ascii_lowercase() || c.is_ascii_digit() {
                    let at = self.offset(col as f64 * 0.5, -(row as f64));
                    self.add_named(c, at, None)?;
                }
            }
        }
        Ok(())
    }

    /// `Given the node locations`: `node`, `lat`, `lon` (and optional `id`) columns.
    pub fn add_node_locations(&mut self, table: &[Vec<String>]) -> Result<(), MapError> {
        for row in hashes(table) {
            let get = |k: &'static str| row.get(k).ok_or(MapError::MissingColumn(k));
            let num = |s: &str| s.parse::<f64>().map_err(|_| MapError::BadNumber(s.into()));
            let name = get("node")?;
            let c = single_char(name)?;
            let id = match row.get("id") {
                Some(s) if !s.is_empty() => {
                    Some(s.parse().map_err(|_| MapError::BadNumber(s.clone()))?)
                }
                _ => None,
            };
            self.add_named(c, [num(get("lon")?)?, num(get("lat")?)?], id)?;
        }
        Ok(())
    }

    /// `And the nodes`: tags (and `id`) for named nodes.
    pub fn add_node_tags(&mut self, table: &[Vec<String>]) -> Result<(), MapError> {
        let Some((header, rows)) = table.split_first() else {
            return Ok(());
        };
        for row in rows {
            let mut name = None;
            for (k, v) in header.iter().zip(row) {
                if k == "node" {
                    name = Some(v.clone());
                }
            }
            let name = name.ok_or(MapError::MissingColumn("node"))?;
            let idx = *self
                .node_by_name
                .get(&single_char(&name)?)
                .ok_or_else(|| MapError::UnknownNode(name.clone()))?;
            for (k, v) in header.iter().zip(row) {
                if k == "node" {
                    continue;
                }
                if k == "id" {
                    let id = v.parse().map_err(|_| MapError::BadNumber(v.clone()))?;
                    self.data.nodes[idx].id = id;
                } else if v != "(nil)" {
                    set_tag(&mut self.data.nodes[idx].tags, k, v);
                }
            }
        }
        Ok(())
    }

    /// `And the ways`: `nodes` (a string of node names) plus tag columns; `highway=primary`
    /// and `name=<nodes>` unless given (`""` is an empty name, an empty cell or `(nil)` none).
    pub fn add_ways(&mut self, table: &[Vec<String>]) -> Result<(), MapError> {
        let Some((header, rows)) = table.split_first() else {
            return Ok(());
        };
        for row in rows {
            let cells: Vec<(&str, &str)> = header
                .iter()
                .map(String::as_str)
                .zip(row.iter().map(String::as_str))
                .collect();
            let nodes = cells
                .iter()
                .find(|(k, _)| *k == "nodes")
                .map(|(_, v)| *v)
                .ok_or(MapError::MissingColumn("nodes"))?;
            let mut refs = Vec::new();
            for c in nodes.chars() {
                let idx = self
                    .node_by_name
                    .get(&c)
                    .ok_or_else(|| MapError::UnknownNode(c.to_string()))?;
                refs.push(self.data.nodes[*idx].id);
            }
            let mut tags: Tags = vec![("highway".into(), "primary".into())];
            let mut has_name = false;
            for (k, v) in &cells {
                match *k {
                    "nodes" => {}
                    "name" => {
                        has_name = true;
                        match *v {
                            "\"\"" | "''" => set_tag(&mut tags, "name", ""),
                            "" | "(nil)" => {}
                            v => set_tag(&mut tags, "name", v),
                        }
                    }
                    // Like OSRM's runner, an empty cell is a tag with an empty value (so an
                    // empty `highway` cell replaces the default `primary`).
                    k if *v == "(nil)" => remove_tag(&mut tags, k),
                    k => set_tag(&mut tags, k, v),
                }
            }
            if !has_name {
                set_tag(&mut tags, "name", nodes);
            }
            let id = self.make_id();
            self.way_by_name.insert(nodes.to_string(), id);
            self.data.ways.push(Way { id, refs, tags });
        }
        Ok(())
    }

    /// `And the relations`: `node:role`, `way:role` (comma-separated names) and tag columns.
    pub fn add_relations(&mut self, table: &[Vec<String>]) -> Result<(), MapError> {
        let Some((header, rows)) = table.split_first() else {
            return Ok(());
        };
        for row in rows {
            let mut members = Vec::new();
            let mut tags = Tags::new();
            for (k, v) in header.iter().zip(row) {
                let (kind, role) = match k.split_once(':') {
                    Some(("node", r)) => (Some(MemberType::Node), r),
                    Some(("way", r)) => (Some(MemberType::Way), r),
                    Some(("relation", r)) => (Some(MemberType::Relation), r),
                    _ if k == "node" => (Some(MemberType::Node), ""),
                    _ if k == "way" => (Some(MemberType::Way), ""),
                    _ if k == "relation" => (Some(MemberType::Relation), ""),
                    _ => (None, ""),
                };
                match kind {
                    Some(kind) => {
                        for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                            let id = match kind {
                                MemberType::Node => {
                                    let idx = self
                                        .node_by_name
                                        .get(&single_char(name)?)
                                        .ok_or_else(|| MapError::UnknownNode(name.into()))?;
                                    self.data.nodes[*idx].id
                                }
                                // OSRM's runner also finds a way by its reversed name.
                                MemberType::Way => *self
                                    .way_by_name
                                    .get(name)
                                    .or_else(|| {
                                        let reversed: String = name.chars().rev().collect();
                                        self.way_by_name.get(&reversed)
                                    })
                                    .ok_or_else(|| MapError::UnknownWay(name.into()))?,
                                MemberType::Relation => *self
                                    .relation_by_name
                                    .get(name)
                                    .ok_or_else(|| MapError::UnknownRelation(name.into()))?,
                            };
                            members.push(Member {
                                kind,
                                id,
                                role: role.to_string(),
                            });
                        }
                    }
                    // As in OSRM's runner, every other cell is a tag, empty or not.
                    None => set_tag(&mut tags, k, v),
                }
            }
            let id = self.make_id();
            if let Some((_, name)) = tags
                .iter()
                .find(|(k, v)| k.contains("name") && !v.is_empty())
            {
                self.relation_by_name.insert(name.clone(), id);
            }
            self.data.relations.push(Relation { id, members, tags });
        }
        Ok(())
    }

    /// The routability table's ways: row `i` is a five-node way `w<i>` at grid x `100 i ..
    /// 100 i + 4`, tagged with the row's non-result columns (`node/<key>` tags the middle node).
    pub fn add_routability_ways(&mut self, table: &[Vec<String>]) {
        for (ri, row) in hashes(table).iter().enumerate() {
            let mut refs = Vec::new();
            let first = self.data.nodes.len();
            for (i, l) in ["a", "b", "c", "d", "e"].iter().enumerate() {
                let at = self.offset(i as f64 + WAY_SPACING * ri as f64, 0.0);
                let id = self.make_id();
                refs.push(id);
                self.data.nodes.push(Node {
                    id,
                    lon: at[0],
                    lat: at[1],
                    tags: vec![("name".into(), format!("{l}{ri}"))],
                });
            }
            let mut way_tags: Tags = vec![("highway".into(), "primary".into())];
            for (k, v) in header_order(table, row) {
                if is_result_column(k) || v.is_empty() {
                    continue;
                }
                if let Some(node_key) = k.strip_prefix("node/") {
                    if v != "(nil)" {
                        set_tag(&mut self.data.nodes[first + 2].tags, node_key, v);
                    }
                } else if v == "(nil)" {
                    remove_tag(&mut way_tags, k);
                } else {
                    set_tag(&mut way_tags, k, v);
                }
            }
            set_tag(&mut way_tags, "name", &format!("w{ri}"));
            let id = self.make_id();
            self.data.ways.push(Way {
                id,
                refs,
                tags: way_tags,
            });
        }
    }

    /// The routability table's ways as one map per row (the scenario's other elements plus
    /// that row's way): kerb keeps only the largest strongly connected component of a map, so
    /// rows drawn 10 km apart in one map would hide each other (see CONFORMANCE.md).
    pub fn routability_maps(&mut self, table: &[Vec<String>]) -> Vec<OsmData> {
        let base = self.data.clone();
        let (nodes, ways) = (self.data.nodes.len(), self.data.ways.len());
        self.add_routability_ways(table);
        (0..self.data.ways.len() - ways)
            .map(|i| {
                let mut d = base.clone();
                d.nodes
                    .extend_from_slice(&self.data.nodes[nodes + 5 * i..nodes + 5 * i + 5]);
                d.ways.push(self.data.ways[ways + i].clone());
                d
            })
            .collect()
    }

    /// The coordinate of a named node or location.
    pub fn location(&self, name: &str) -> Option<[f64; 2]> {
        let c = single_char(name).ok()?;
        if let Some(i) = self.node_by_name.get(&c) {
            let n = &self.data.nodes[*i];
            return Some([n.lon, n.lat]);
        }
        self.locations.get(&c).copied()
    }

    /// The name of the node at `location` (OSRM's `findNodeByLocation`), or `?`.
    pub fn name_at(&self, location: [f64; 2]) -> String {
        let mut named: Vec<(char, [f64; 2])> = self
            .node_by_name
            .iter()
            .map(|(c, i)| (*c, [self.data.nodes[*i].lon, self.data.nodes[*i].lat]))
            .chain(self.locations.iter().map(|(c, l)| (*c, *l)))
            .collect();
        named.sort_by_key(|(c, _)| *c);
        named
            .into_iter()
            .find(|(_, l)| crate::fuzzy::matches_location(location, *l))
            .map(|(c, _)| c.to_string())
            .unwrap_or_else(|| "?".into())
    }

    /// The named OSM node within a quarter grid cell of `location`, in drawing order, or `_`
    /// (OSRM's `findNodeByLocation`, used by the `locations` column).
    pub fn node_near(&self, location: [f64; 2]) -> String {
        let margin = 0.25 * self.grid_size_m * 0.899_067_936_270_461_1e-5;
        let mut named: Vec<(usize, char)> =
            self.node_by_name.iter().map(|(c, i)| (*i, *c)).collect();
        named.sort_unstable();
        named
            .into_iter()
            .find(|(i, _)| {
                let n = &self.data.nodes[*i];
                (n.lon - location[0]).abs() <= margin && (n.lat - location[1]).abs() <= margin
            })
            .map(|(_, c)| c.to_string())
            .unwrap_or_else(|| "_".into())
    }

    /// The name of the node with OSM id `id`, or `?`.
    pub fn name_of_id(&self, id: i64) -> String {
        self.data
            .nodes
            .iter()
            .find(|n| n.id == id)
            .and_then(|n| n.tags.iter().find(|(k, _)| k == "name"))
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "?".into())
    }

    /// The OSM id of a named node.
    pub fn id_of(&self, name: &str) -> Option<i64> {
        let c = single_char(name).ok()?;
        self.node_by_name.get(&c).map(|i| self.data.nodes[*i].id)
    }
}

fn single_char(name: &str) -> Result<char, MapError> {
    let mut chars = name.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() || c.is_ascii_digit() => Ok(c),
        _ => Err(MapError::UnknownNode(name.into())),
    }
}

/// Result columns of a routability table (not tags).
pub fn is_result_column(k: &str) -> bool {
    ["forw", "backw", "bothw"]
        .iter()
        .any(|d| k == *d || k.strip_prefix(d).is_some_and(|r| r.starts_with('_')))
}

fn header_order<'a>(
    table: &'a [Vec<String>],
    row: &'a HashMap<String, String>,
) -> Vec<(&'a str, &'a str)> {
    table
        .first()
        .map(|h| {
            h.iter()
                .filter_map(|k| row.get(k).map(|v| (k.as_str(), v.as_str())))
                .collect()
        })
        .unwrap_or_default()
}

/// A table's rows as header -> cell maps.
pub fn hashes(table: &[Vec<String>]) -> Vec<HashMap<String, String>> {
    let Some((header, rows)) = table.split_first() else {
        return Vec::new();
    };
    rows.iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_cells_are_grid_size_apart() {
        let mut w = World::default();
        w.add_node_map("a b\n\nc").unwrap();
        let a = w.location("a").unwrap();
        let b = w.location("b").unwrap();
        let c = w.location("c").unwrap();
        let ab = kerb_core::haversine_m(a.into(), b.into());
        let ac = kerb_core::haversine_m(a.into(), c.into());
        // Cells are WGS84 metres (cheap-ruler); a spherical haversine is within 0.6 % of them.
        assert!((ab / 100.0 - 1.0).abs() < 0.006, "{ab}");
        assert!((ac / 200.0 - 1.0).abs() < 0.006, "{ac}");
        assert!(
            ac > ab * 2.0,
            "north-south metres are longer on a sphere at 1 degree N"
        );
        assert_eq!(w.name_at(b), "b");
        assert_eq!(w.node_near([b[0] + 1e-5, b[1]]), "b");
        assert_eq!(w.node_near([b[0] + 1e-3, b[1]]), "_");
    }

    #[test]
    fn ways_default_to_primary_named_after_their_nodes() {
        let mut w = World::default();
        w.add_node_map("a b c").unwrap();
        let t = |rows: &[&[&str]]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        w.add_ways(&t(&[
            &["nodes", "oneway"],
            &["ab", "yes"],
            &["bc", "(nil)"],
        ]))
        .unwrap();
        assert_eq!(
            w.data.ways[0].tags,
            vec![
                ("highway".to_string(), "primary".to_string()),
                ("oneway".into(), "yes".into()),
                ("name".into(), "ab".into())
            ]
        );
        assert_eq!(w.data.ways[1].refs, vec![2, 3]);
        assert!(w.add_ways(&t(&[&["nodes"], &["az"]])).is_err());
    }
}
