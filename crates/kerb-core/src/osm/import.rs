//! OSM PBF import: two streaming passes (ways + relations, then the nodes they use), then the
//! ways are split at intersections into edges, every node an edge uses is kept (all connected
//! components, as OSRM keeps them: snapping decides which component a query uses), nodes are
//! renumbered along a Hilbert curve for cache locality and the CSR arrays are built.
//!
//! Memory is proportional to the routable road network: only routable ways and the nodes they
//! reference are held. Clipped extracts are tolerated: a node reference whose node is missing
//! splits the way there.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use osmpbfreader::{OsmObj, OsmPbfReader};

use super::conditional::{way_time_rules, ConditionalLog, WayTimeRules};
use super::guidance::way_guidance;
use super::pbf::{guard, validate_pbf, ObjectReader, Objects};
use super::tags::WayAttrs;
use super::tags::{lanes_count, maxspeed_code};
use super::via_way::{self, RawViaWay};
use crate::driving_side::SideCache;
use crate::error::{Error, Result};
use crate::geo::{e7_to_point, road_distance_m};
use crate::graph::conditional::{ConditionalRules, EdgeRule, EdgeState, NO_RULE};
use crate::graph::guidance::access_flags;
use crate::graph::{guidance, GuidanceData, LocalNames, OsmData, RoadGraph, LOCAL_NAMES_SECTION};
use crate::ids::{EdgeId, NodeId, Restriction, RestrictionKind, GEOM_REVERSED, NO_EDGE};
use crate::profile::{DrivingSide, Profile};

/// A `Read` that counts bytes for progress reporting.
struct Counting<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct WayRec {
    id: i64,
    start: u32,
    len: u32,
    class: u8,
    forward: bool,
    backward: bool,
    speed_fwd: f32,
    speed_bwd: f32,
    name: u32,
    /// `maxspeed` as stored (see [`maxspeed_code`]).
    maxspeed: u8,
    lanes: u8,
    /// Guidance strings (name-table indices, see [`crate::graph::GuidanceData`]) and flags.
    guidance: [u32; guidance::SLOTS],
    guidance_flags: u8,
    /// A ferry's `duration` in seconds for the whole way.
    duration_s: Option<f32>,
    /// The conditional rule of each direction (index into [`WayPass::rules`]) or `NO_RULE`.
    rule_fwd: u32,
    rule_bwd: u32,
}

struct RawRestriction {
    from_way: i64,
    via_node: i64,
    to_way: i64,
    kind: RestrictionKind,
}

#[derive(Default)]
struct Names {
    index: HashMap<String, u32>,
    first: Vec<u32>,
    bytes: Vec<u8>,
    /// The `name:xx` translations of the interned names.
    local: LocalNames,
}

impl Names {
    fn new() -> Self {
        let mut n = Names {
            first: vec![0],
            ..Default::default()
        };
        n.intern("");
        n
    }
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.first.len() as u32 - 1;
        self.bytes.extend_from_slice(s.as_bytes());
        self.first.push(self.bytes.len() as u32);
        self.index.insert(s.to_string(), i);
        i
    }
    /// Interns a way's name and records the way's `name:xx` translations of it.
    fn intern_way(&mut self, s: &str, tags: &osmpbfreader::Tags) -> u32 {
        let i = self.intern(s);
        self.local
            .record(i, tags.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        i
    }
}

/// An edge candidate, before renumbering.
struct Cand {
    tail: u32,
    head: u32,
    dist: f32,
    dur: f32,
    geom: u32,
    name: u32,
    class: u8,
    way: i64,
    pair: u32,
    rule: u32,
}

/// Imports an extract for `profile`, calling `report(stage, fraction)` as it advances.
pub(crate) fn import(
    path: &Path,
    profile: &Profile,
    keep_conditional: bool,
    report: &dyn Fn(&'static str, f64),
) -> Result<RoadGraph> {
    let t0 = Instant::now();
    let size = validate_pbf(path)?.max(1);
    report("reading ways", 0.0);
    let ways = read_ways(path, profile, keep_conditional, size, report)?;
    let nodes = read_nodes(path, profile, size, &ways.way_nodes, report)?;
    report("building graph", 0.85);
    let split = split_ways(&ways, &nodes)?;
    let kept_nodes = used_nodes(&split)?;
    report("building graph", 0.92);
    let (new_id, new_coords) = hilbert_order(&split.coords, &kept_nodes);
    let Split {
        gid,
        coord_osm,
        geom_first,
        geom_coords,
        geom_osm,
        geom_way,
        cands,
        ..
    } = split;
    let edges = build_edges(cands, &new_id, new_coords.len(), &geom_first, &geom_coords);
    let osm = osm_data(
        &ways.ways,
        &new_id,
        new_coords.len(),
        &coord_osm,
        &geom_first,
        &geom_osm,
        &geom_way,
        &edges.geom_order,
    );
    let guidance = guidance_data(&ways.ways, &geom_way, &edges.geom_order);
    let (restrictions, unresolved) =
        resolve_restrictions(&ways.raw_restrictions, &nodes, &gid, &new_id, &edges);
    let (via_way_restrictions, via_way_unresolved) =
        resolve_via_ways(&ways, &nodes, &gid, &new_id, &edges);
    let (n, m) = (new_coords.len(), edges.head.len());
    tracing::info!(
        nodes = n,
        edges = m,
        restrictions = restrictions.len(),
        unresolved,
        via_way_restrictions = via_way_restrictions.len(),
        via_way_unresolved,
        elapsed_ms = t0.elapsed().as_millis() as u64,
        "graph built"
    );
    report("done", 1.0);
    let Edges {
        first_out,
        head,
        tail,
        distance_m,
        duration_s,
        class,
        name,
        reverse,
        geom,
        geom_first,
        geom_coords,
        edge_rule,
        ..
    } = edges;
    let conditional = (!ways.rules.is_empty()).then_some(ConditionalRules {
        edge_rule,
        rules: ways.rules,
    });
    let mut g = RoadGraph {
        profile: profile.clone(),
        coords: new_coords,
        first_out,
        head,
        tail,
        distance_m,
        duration_s,
        class,
        name,
        reverse,
        geom,
        geom_first,
        geom_coords,
        name_first: ways.names.first,
        name_bytes: ways.names.bytes,
        restrictions,
        via_way_restrictions,
        osm: Some(osm),
        guidance: Some(guidance),
        left_hand: None,
        conditional,
        sections: local_names_section(&ways.names.local),
    };
    let t_side = Instant::now();
    let left_hand = left_hand_edges(&g);
    tracing::info!(
        left_edges = left_hand.iter().map(|w| w.count_ones()).sum::<u32>(),
        elapsed_ms = t_side.elapsed().as_millis() as u64,
        "driving sides looked up"
    );
    g.left_hand = Some(left_hand);
    Ok(g)
}

/// The driving side at every edge's location, one bit per edge (set = left): the country map
/// looked up at the middle point of the edge's geometry. Looked up whatever the profile's
/// rule, so the same file serves a profile with `driving_side: auto` after one with a fixed
/// side.
fn left_hand_edges(g: &RoadGraph) -> Vec<u64> {
    let mut cache = SideCache::default();
    let mut words = vec![0u64; g.num_edges().div_ceil(64)];
    for e in 0..g.num_edges() {
        let (coords, _) = g.edge_coords(EdgeId(e as u32));
        let Some(&[lon, lat]) = coords.get(coords.len() / 2) else {
            continue;
        };
        if cache.side_at(e7_to_point([lon, lat])) == DrivingSide::Left {
            words[e / 64] |= 1 << (e % 64);
        }
    }
    words
}

/// The graph's extra sections at import: the street-name translations, if any were tagged.
fn local_names_section(local: &LocalNames) -> BTreeMap<String, Vec<u8>> {
    let mut sections = BTreeMap::new();
    if !local.is_empty() {
        sections.insert(LOCAL_NAMES_SECTION.to_string(), local.encode());
    }
    sections
}

/// The OSM ids and tags in the graph's numbering: nodes by their new id, geometries in the
/// order `build_edges` renumbered them.
#[allow(clippy::too_many_arguments)]
fn osm_data(
    ways: &[WayRec],
    new_id: &[u32],
    n: usize,
    coord_osm: &[i64],
    geom_first: &[u32],
    geom_osm: &[i64],
    geom_way: &[u32],
    geom_order: &[u32],
) -> OsmData {
    let mut node_ids = vec![0u64; n];
    for (old, &new) in new_id.iter().enumerate() {
        if new != NO_EDGE {
            node_ids[new as usize] = coord_osm[old] as u64;
        }
    }
    let mut osm = OsmData {
        node_ids,
        ..OsmData::default()
    };
    for &g in geom_order {
        let g = g as usize;
        let w = &ways[geom_way[g] as usize];
        osm.geom_node_ids.extend(
            geom_osm[geom_first[g] as usize..geom_first[g + 1] as usize]
                .iter()
                .map(|&id| id as u64),
        );
        osm.way_ids.push(w.id as u64);
        osm.maxspeed.push(w.maxspeed);
        osm.lanes.push(w.lanes);
    }
    osm
}

/// The guidance tags of every geometry, in the order `build_edges` renumbered them.
fn guidance_data(ways: &[WayRec], geom_way: &[u32], geom_order: &[u32]) -> GuidanceData {
    let mut data = GuidanceData::default();
    for &g in geom_order {
        let w = &ways[geom_way[g as usize] as usize];
        data.strings.push(w.guidance);
        data.flags.push(w.guidance_flags);
    }
    data
}

/// What pass 1 keeps: the routable ways with their node references, the name table and the
/// turn restrictions with a via node or via ways.
struct WayPass {
    names: Names,
    ways: Vec<WayRec>,
    way_nodes: Vec<i64>,
    raw_restrictions: Vec<RawRestriction>,
    raw_via_ways: Vec<RawViaWay>,
    /// The conditional rules the ways' directions refer to.
    rules: Vec<EdgeRule>,
}

/// What a way is on the graph: its attributes without a time when it is open then, else
/// those of the first time its rules open it; each direction open when it is at any time,
/// and its speed the one of the attributes chosen for it.
fn stored_attrs(base: Option<&WayAttrs>, timed: Option<&WayTimeRules>) -> Option<WayAttrs> {
    let outcomes = || timed.into_iter().flat_map(|t| t.outcomes.iter().flatten());
    let mut a = base.or_else(|| outcomes().next())?.clone();
    if !base.is_some_and(|b| b.forward) {
        if let Some(o) = outcomes().find(|o| o.forward) {
            (a.forward, a.speed_fwd_kmh) = (true, o.speed_fwd_kmh);
        }
    }
    if !base.is_some_and(|b| b.backward) {
        if let Some(o) = outcomes().find(|o| o.backward) {
            (a.backward, a.speed_bwd_kmh) = (true, o.speed_bwd_kmh);
        }
    }
    Some(a)
}

/// The rule of one direction of a way (`forward` or backward) stored with speed
/// `stored_kmh`, or `None` when every time gives what the plain tags give.
fn direction_rule(
    base: Option<&WayAttrs>,
    timed: &WayTimeRules,
    forward: bool,
    stored_kmh: f64,
    fixed_duration: bool,
) -> Option<EdgeRule> {
    let open = |a: &WayAttrs| if forward { a.forward } else { a.backward };
    let speed = |a: &WayAttrs| {
        if forward {
            a.speed_fwd_kmh
        } else {
            a.speed_bwd_kmh
        }
    };
    let state = |a: Option<&WayAttrs>| match a {
        Some(a) if open(a) => EdgeState {
            open: true,
            factor: if fixed_duration {
                1.0
            } else {
                (stored_kmh / speed(a).max(1e-3)) as f32
            },
        },
        _ => EdgeState {
            open: false,
            factor: 1.0,
        },
    };
    let base_state = state(base);
    let states: Vec<EdgeState> = timed.outcomes.iter().map(|o| state(o.as_ref())).collect();
    if states.iter().all(|s| *s == base_state) {
        return None;
    }
    Some(EdgeRule {
        conditions: timed.conditions.clone(),
        base_open: base_state.open,
        states,
    })
}

/// Pass 1: routable ways and turn restrictions.
fn read_ways(
    path: &Path,
    profile: &Profile,
    keep_conditional: bool,
    size: u64,
    report: &dyn Fn(&'static str, f64),
) -> Result<WayPass> {
    let count = Arc::new(AtomicU64::new(0));
    let mut names = Names::new();
    let mut ways: Vec<WayRec> = Vec::new();
    let mut way_nodes: Vec<i64> = Vec::new();
    let mut raw_restrictions: Vec<RawRestriction> = Vec::new();
    let mut raw_via_ways: Vec<RawViaWay> = Vec::new();
    let mut malformed = 0usize;
    let mut conditional = ConditionalLog::default();
    let mut rules: Vec<EdgeRule> = Vec::new();
    guard(|| {
        let mut reader = OsmPbfReader::new(Counting {
            inner: BufReader::with_capacity(1 << 20, File::open(path)?),
            count: count.clone(),
        });
        let mut last_report = 0u64;
        for obj in ObjectReader::new(&mut reader, Objects::WaysAndRelations) {
            match obj? {
                OsmObj::Way(w) => {
                    if w.nodes.len() < 2 {
                        continue;
                    }
                    let base = profile.way_attributes(&w.tags, &mut conditional);
                    let timed = keep_conditional
                        .then(|| way_time_rules(profile, &w.tags, base.as_ref(), &mut conditional))
                        .flatten();
                    if let Some(a) = stored_attrs(base.as_ref(), timed.as_ref()) {
                        let mut rule = |forward: bool, kmh: f64| {
                            let r = timed.as_ref().and_then(|t| {
                                direction_rule(
                                    base.as_ref(),
                                    t,
                                    forward,
                                    kmh,
                                    a.duration_s.is_some(),
                                )
                            });
                            r.map_or(NO_RULE, |r| {
                                rules.push(r);
                                rules.len() as u32 - 1
                            })
                        };
                        let (rule_fwd, rule_bwd) =
                            (rule(true, a.speed_fwd_kmh), rule(false, a.speed_bwd_kmh));
                        let gt = way_guidance(&w.tags, a.forward, a.backward);
                        let guidance = [
                            &gt.name,
                            &gt.reference,
                            &gt.pronunciation,
                            &gt.exits,
                            &gt.destinations_fwd,
                            &gt.destinations_bwd,
                            &gt.lanes_fwd,
                            &gt.lanes_bwd,
                        ]
                        .map(|s| names.intern(s));
                        ways.push(WayRec {
                            id: w.id.0,
                            start: way_nodes.len() as u32,
                            len: w.nodes.len() as u32,
                            class: a.class as u8,
                            forward: a.forward,
                            backward: a.backward,
                            speed_fwd: a.speed_fwd_kmh as f32,
                            speed_bwd: a.speed_bwd_kmh as f32,
                            name: names.intern_way(&a.name, &w.tags),
                            maxspeed: maxspeed_code(&w.tags),
                            lanes: lanes_count(&w.tags),
                            guidance,
                            guidance_flags: gt.flags
                                | access_flags(a.restricted_fwd, a.restricted_bwd, a.toll),
                            duration_s: a.duration_s.map(|d| d as f32),
                            rule_fwd,
                            rule_bwd,
                        });
                        way_nodes.extend(w.nodes.iter().map(|n| n.0));
                    }
                }
                OsmObj::Relation(r) => {
                    if let Some(kind) = profile.restriction_kind(&r.tags) {
                        let role = |role: &'static str| {
                            r.refs.iter().filter(move |m| m.role.as_str() == role)
                        };
                        let from: Vec<_> = role("from").filter_map(|m| m.member.way()).collect();
                        let to: Vec<_> = role("to").filter_map(|m| m.member.way()).collect();
                        let via_nodes: Vec<_> =
                            role("via").filter_map(|m| m.member.node()).collect();
                        let via_ways: Vec<i64> = role("via")
                            .filter_map(|m| m.member.way())
                            .map(|w| w.0)
                            .collect();
                        if from.len() != 1 || to.len() != 1 {
                            malformed += 1;
                        } else if via_nodes.len() == 1 && via_ways.is_empty() {
                            raw_restrictions.push(RawRestriction {
                                from_way: from[0].0,
                                via_node: via_nodes[0].0,
                                to_way: to[0].0,
                                kind,
                            });
                        } else if via_nodes.is_empty() && !via_ways.is_empty() {
                            raw_via_ways.push(RawViaWay {
                                from_way: from[0].0,
                                via_ways,
                                to_way: to[0].0,
                                kind,
                            });
                        } else {
                            malformed += 1;
                        }
                    }
                }
                OsmObj::Node(_) => {}
            }
            let c = count.load(Ordering::Relaxed);
            if c - last_report > size / 100 {
                last_report = c;
                report("reading ways", 0.45 * c as f64 / size as f64);
            }
        }
        Ok(())
    })?;
    if way_nodes.len() > u32::MAX as usize / 2 {
        return Err(Error::InvalidInput(
            "extract too large for 32-bit ids".into(),
        ));
    }
    tracing::info!(
        ways = ways.len(),
        restrictions = raw_restrictions.len(),
        via_way_restrictions = raw_via_ways.len(),
        malformed_restrictions = malformed,
        conditional_applied = conditional.applied,
        conditional_ignored = conditional.ignored,
        conditional_kept = conditional.kept,
        access_at = ?profile.access_at.map(|t| t.to_string()),
        "pass 1 done"
    );

    Ok(WayPass {
        names,
        ways,
        way_nodes,
        raw_restrictions,
        raw_via_ways,
        rules,
    })
}

/// What pass 2 keeps, indexed by the dense number of each referenced OSM node.
struct NodePass {
    node_idx: HashMap<i64, u32>,
    /// OSM id of each dense number.
    osm_id: Vec<i64>,
    use_count: Vec<u16>,
    osm_coord: Vec<[i32; 2]>,
    present: Vec<bool>,
    blocked: Vec<bool>,
    /// Seconds of delay at each node (traffic signals, stop and give-way signs).
    delay_s: Vec<f32>,
    /// Whether each node's delay applies travelling along (bit 0) and against (bit 1) the
    /// drawing direction of its ways.
    delay_dirs: Vec<u8>,
}

/// Pass 2: coordinates and barrier tags of the nodes the ways reference.
fn read_nodes(
    path: &Path,
    profile: &Profile,
    size: u64,
    way_nodes: &[i64],
    report: &dyn Fn(&'static str, f64),
) -> Result<NodePass> {
    report("reading nodes", 0.45);
    let mut node_idx: HashMap<i64, u32> = HashMap::with_capacity(way_nodes.len());
    let mut use_count: Vec<u16> = Vec::new();
    let mut osm_id: Vec<i64> = Vec::new();
    for &n in way_nodes {
        let next = node_idx.len() as u32;
        let i = *node_idx.entry(n).or_insert(next);
        if i as usize == use_count.len() {
            use_count.push(0);
            osm_id.push(n);
        }
        use_count[i as usize] = use_count[i as usize].saturating_add(1);
    }
    let n_osm = node_idx.len();
    let mut osm_coord = vec![[0i32; 2]; n_osm];
    let mut present = vec![false; n_osm];
    let mut blocked = vec![false; n_osm];
    let mut delay_s = vec![0f32; n_osm];
    let mut delay_dirs = vec![3u8; n_osm];
    let count = Arc::new(AtomicU64::new(0));
    guard(|| {
        let mut reader = OsmPbfReader::new(Counting {
            inner: BufReader::with_capacity(1 << 20, File::open(path)?),
            count: count.clone(),
        });
        let mut last_report = 0u64;
        for obj in ObjectReader::new(&mut reader, Objects::Nodes) {
            let OsmObj::Node(node) = obj? else {
                continue;
            };
            if let Some(&i) = node_idx.get(&node.id.0) {
                let i = i as usize;
                let (lon, lat) = (node.decimicro_lon, node.decimicro_lat);
                if (-1_800_000_000..=1_800_000_000).contains(&lon)
                    && (-900_000_000..=900_000_000).contains(&lat)
                {
                    osm_coord[i] = [lon, lat];
                    present[i] = true;
                }
                if !node.tags.is_empty() {
                    if profile.node_blocks(&node.tags) {
                        blocked[i] = true;
                    }
                    delay_s[i] = profile.node_delay_s(&node.tags) as f32;
                    let (fwd, bwd) = profile.node_delay_directions(&node.tags);
                    delay_dirs[i] = fwd as u8 | (bwd as u8) << 1;
                }
            }
            let c = count.load(Ordering::Relaxed);
            if c - last_report > size / 100 {
                last_report = c;
                report("reading nodes", 0.45 + 0.4 * c as f64 / size as f64);
            }
        }
        Ok(())
    })?;
    let missing = present.iter().filter(|p| !**p).count();
    tracing::info!(
        nodes = n_osm,
        missing,
        blocked = blocked.iter().filter(|b| **b).count(),
        "pass 2 done"
    );
    Ok(NodePass {
        node_idx,
        osm_id,
        use_count,
        osm_coord,
        present,
        blocked,
        delay_s,
        delay_dirs,
    })
}

/// The ways split into edge candidates, with the nodes and geometries they use.
struct Split {
    /// Graph node of each OSM node (`NO_EDGE` if unused; barriers get one node per side).
    gid: Vec<u32>,
    coords: Vec<[i32; 2]>,
    /// OSM id of each node in `coords`.
    coord_osm: Vec<i64>,
    geom_first: Vec<u32>,
    geom_coords: Vec<[i32; 2]>,
    /// OSM id of each point in `geom_coords`.
    geom_osm: Vec<i64>,
    /// The way (index into the pass-1 ways) of each geometry.
    geom_way: Vec<u32>,
    cands: Vec<Cand>,
}

/// Splits the ways at intersections, barriers and missing nodes.
fn split_ways(w: &WayPass, nodes: &NodePass) -> Result<Split> {
    let (ways, way_nodes) = (&w.ways, &w.way_nodes);
    let NodePass {
        node_idx,
        osm_id,
        use_count,
        osm_coord,
        present,
        blocked,
        delay_s,
        delay_dirs,
    } = nodes;
    let n_osm = osm_coord.len();
    let mut gid = vec![NO_EDGE; n_osm];
    let mut coords: Vec<[i32; 2]> = Vec::new();
    let mut coord_osm: Vec<i64> = Vec::new();
    let mut geom_first: Vec<u32> = vec![0];
    let mut geom_coords: Vec<[i32; 2]> = Vec::new();
    let mut geom_osm: Vec<i64> = Vec::new();
    let mut geom_way: Vec<u32> = Vec::new();
    let mut cands: Vec<Cand> = Vec::new();
    let mut node_id = |i: usize, coords: &mut Vec<[i32; 2]>, coord_osm: &mut Vec<i64>| -> u32 {
        if blocked[i] {
            // Each side of a blocking barrier gets its own dead-end node.
            coords.push(osm_coord[i]);
            coord_osm.push(osm_id[i]);
            return coords.len() as u32 - 1;
        }
        if gid[i] == NO_EDGE {
            gid[i] = coords.len() as u32;
            coords.push(osm_coord[i]);
            coord_osm.push(osm_id[i]);
        }
        gid[i]
    };
    let mut run: Vec<usize> = Vec::new();
    for (wi, w) in ways.iter().enumerate() {
        let refs = &way_nodes[w.start as usize..(w.start + w.len) as usize];
        // A timed way (ferry): seconds per metre of its drawn length.
        let per_m = w.duration_s.and_then(|d| {
            let pts: Vec<usize> = refs
                .iter()
                .map(|r| node_idx[r] as usize)
                .filter(|&i| present[i])
                .collect();
            let len: f64 = pts
                .windows(2)
                .map(|p| {
                    road_distance_m(e7_to_point(osm_coord[p[0]]), e7_to_point(osm_coord[p[1]]))
                })
                .sum();
            (len > 0.0).then(|| d as f64 / len)
        });
        let mut k = 0;
        while k < refs.len() {
            run.clear();
            while k < refs.len() {
                let i = node_idx[&refs[k]] as usize;
                k += 1;
                if !present[i] {
                    break;
                }
                run.push(i);
            }
            if run.len() < 2 {
                continue;
            }
            let mut seg_start = 0;
            for j in 1..run.len() {
                let i = run[j];
                if j + 1 < run.len() && use_count[i] < 2 && !blocked[i] {
                    continue;
                }
                let seg = &run[seg_start..=j];
                seg_start = j;
                let pieces: Vec<f64> = seg
                    .windows(2)
                    .map(|p| {
                        road_distance_m(e7_to_point(osm_coord[p[0]]), e7_to_point(osm_coord[p[1]]))
                    })
                    .collect();
                let dist: f64 = pieces.iter().sum();
                // OSRM stores each OSM segment's travel time in whole deciseconds (at least
                // one); summing the same rounded pieces keeps kerb's times equal to its.
                let travel_s = |kmh: f32| -> f64 {
                    if let Some(per_m) = per_m {
                        return (dist * per_m).max(0.1);
                    }
                    let v = kmh as f64 / 3.6;
                    pieces
                        .iter()
                        .map(|d| (d / v * 10.0).round().max(1.0) / 10.0)
                        .sum()
                };
                // A node's delay goes to the edges that pass through or enter it.
                let delay = |nodes: &[usize], dir: u8| -> f64 {
                    nodes
                        .iter()
                        .filter(|&&i| delay_dirs[i] & dir != 0)
                        .map(|&i| delay_s[i] as f64)
                        .sum()
                };
                let (delay_fwd, delay_bwd) = (delay(&seg[1..], 1), delay(&seg[..seg.len() - 1], 2));
                let (a, z) = (
                    node_id(seg[0], &mut coords, &mut coord_osm),
                    node_id(seg[seg.len() - 1], &mut coords, &mut coord_osm),
                );
                let g = geom_first.len() as u32 - 1;
                geom_coords.extend(seg.iter().map(|&i| osm_coord[i]));
                geom_osm.extend(seg.iter().map(|&i| osm_id[i]));
                geom_first.push(geom_coords.len() as u32);
                geom_way.push(wi as u32);
                let fwd_idx = cands.len() as u32;
                let both = w.forward && w.backward;
                if w.forward {
                    cands.push(Cand {
                        tail: a,
                        head: z,
                        dist: dist as f32,
                        dur: (travel_s(w.speed_fwd) + delay_fwd) as f32,
                        geom: g,
                        name: w.name,
                        class: w.class,
                        way: w.id,
                        pair: if both { fwd_idx + 1 } else { NO_EDGE },
                        rule: w.rule_fwd,
                    });
                }
                if w.backward {
                    cands.push(Cand {
                        tail: z,
                        head: a,
                        dist: dist as f32,
                        dur: (travel_s(w.speed_bwd) + delay_bwd) as f32,
                        geom: g | GEOM_REVERSED,
                        name: w.name,
                        class: w.class,
                        way: w.id,
                        pair: if both { fwd_idx } else { NO_EDGE },
                        rule: w.rule_bwd,
                    });
                }
            }
        }
    }
    if coords.len() >= GEOM_REVERSED as usize || geom_first.len() >= GEOM_REVERSED as usize {
        return Err(Error::InvalidInput(
            "extract too large for 32-bit ids".into(),
        ));
    }

    Ok(Split {
        gid,
        coords,
        coord_osm,
        geom_first,
        geom_coords,
        geom_osm,
        geom_way,
        cands,
    })
}

/// The nodes used by at least one candidate edge. Every component is kept, small ones too
/// (a lone one-way street, a map with several separate test lines): the engine's component
/// mask tells snapping which edges belong to the big, fully connected part.
fn used_nodes(split: &Split) -> Result<Vec<u32>> {
    let Split { coords, cands, .. } = split;
    let mut used = vec![false; coords.len()];
    for c in cands {
        used[c.tail as usize] = true;
        used[c.head as usize] = true;
    }
    let kept_nodes: Vec<u32> = (0..coords.len() as u32)
        .filter(|&n| used[n as usize])
        .collect();
    if kept_nodes.is_empty() {
        return Err(Error::EmptyGraph);
    }
    Ok(kept_nodes)
}

/// New ids of the kept nodes along a Hilbert curve (`NO_EDGE` for dropped nodes), and their
/// coordinates in the new order.
fn hilbert_order(coords: &[[i32; 2]], kept_nodes: &[u32]) -> (Vec<u32>, Vec<[i32; 2]>) {
    let (mut min, mut max) = ([i32::MAX; 2], [i32::MIN; 2]);
    for &n in kept_nodes {
        for d in 0..2 {
            min[d] = min[d].min(coords[n as usize][d]);
            max[d] = max[d].max(coords[n as usize][d]);
        }
    }
    let scale = |v: i32, d: usize| -> u32 {
        let span = (max[d] as i64 - min[d] as i64).max(1) as f64;
        (((v as i64 - min[d] as i64) as f64 / span) * 65535.0) as u32
    };
    let mut order: Vec<(u64, u32)> = kept_nodes
        .iter()
        .map(|&n| {
            let c = coords[n as usize];
            (hilbert(scale(c[0], 0), scale(c[1], 1)), n)
        })
        .collect();
    order.sort_unstable();
    let mut new_id = vec![NO_EDGE; coords.len()];
    let mut new_coords = Vec::with_capacity(order.len());
    for (i, &(_, n)) in order.iter().enumerate() {
        new_id[n as usize] = i as u32;
        new_coords.push(coords[n as usize]);
    }

    (new_id, new_coords)
}

/// The edge arrays of the graph, in CSR order, with the OSM way of each edge.
struct Edges {
    first_out: Vec<u32>,
    head: Vec<u32>,
    tail: Vec<u32>,
    distance_m: Vec<f32>,
    duration_s: Vec<f32>,
    class: Vec<u8>,
    name: Vec<u32>,
    reverse: Vec<u32>,
    geom: Vec<u32>,
    geom_first: Vec<u32>,
    geom_coords: Vec<[i32; 2]>,
    edge_way: Vec<i64>,
    /// The conditional rule of each edge or `NO_RULE`.
    edge_rule: Vec<u32>,
    /// The split geometry each new geometry was copied from.
    geom_order: Vec<u32>,
}

/// The candidates between kept nodes, sorted by (tail, head) into the CSR; geometries are
/// renumbered in edge order for locality.
fn build_edges(
    cands: Vec<Cand>,
    new_id: &[u32],
    n: usize,
    geom_first: &[u32],
    geom_coords: &[[i32; 2]],
) -> Edges {
    let mut edge_order: Vec<u32> = (0..cands.len() as u32)
        .filter(|&c| {
            let c = &cands[c as usize];
            new_id[c.tail as usize] != NO_EDGE && new_id[c.head as usize] != NO_EDGE
        })
        .collect();
    edge_order.sort_unstable_by_key(|&c| {
        let c = &cands[c as usize];
        (new_id[c.tail as usize], new_id[c.head as usize], c.geom)
    });
    let mut cand_to_edge = vec![NO_EDGE; cands.len()];
    for (e, &c) in edge_order.iter().enumerate() {
        cand_to_edge[c as usize] = e as u32;
    }
    let m = edge_order.len();
    let mut first_out = vec![0u32; n + 1];
    let (mut head, mut tail) = (Vec::with_capacity(m), Vec::with_capacity(m));
    let (mut distance_m, mut duration_s) = (Vec::with_capacity(m), Vec::with_capacity(m));
    let (mut class, mut name, mut reverse, mut geom) = (
        Vec::with_capacity(m),
        Vec::with_capacity(m),
        Vec::with_capacity(m),
        Vec::with_capacity(m),
    );
    let mut edge_way = Vec::with_capacity(m);
    let mut edge_rule = Vec::with_capacity(m);
    // Geometries renumbered in edge order for locality.
    let mut geom_new = vec![NO_EDGE; geom_first.len() - 1];
    let mut new_geom_first = vec![0u32];
    let mut new_geom_coords = Vec::new();
    let mut geom_order = Vec::new();
    for &c in &edge_order {
        let c = &cands[c as usize];
        let (t, h) = (new_id[c.tail as usize], new_id[c.head as usize]);
        first_out[t as usize + 1] += 1;
        tail.push(t);
        head.push(h);
        distance_m.push(c.dist);
        duration_s.push(c.dur);
        class.push(c.class);
        name.push(c.name);
        reverse.push(if c.pair == NO_EDGE {
            NO_EDGE
        } else {
            cand_to_edge[c.pair as usize]
        });
        let g = (c.geom & !GEOM_REVERSED) as usize;
        if geom_new[g] == NO_EDGE {
            geom_new[g] = new_geom_first.len() as u32 - 1;
            new_geom_coords.extend_from_slice(
                &geom_coords[geom_first[g] as usize..geom_first[g + 1] as usize],
            );
            new_geom_first.push(new_geom_coords.len() as u32);
            geom_order.push(g as u32);
        }
        geom.push(geom_new[g] | (c.geom & GEOM_REVERSED));
        edge_way.push(c.way);
        edge_rule.push(c.rule);
    }
    for i in 0..n {
        first_out[i + 1] += first_out[i];
    }

    Edges {
        first_out,
        head,
        tail,
        distance_m,
        duration_s,
        class,
        name,
        reverse,
        geom,
        geom_first: new_geom_first,
        geom_coords: new_geom_coords,
        edge_way,
        edge_rule,
        geom_order,
    }
}

/// Turn restrictions on graph edges: from-edges of the from-way into the via node, to-edges of
/// the to-way out of it. Returns them sorted and the number that could not be resolved.
fn resolve_restrictions(
    raw_restrictions: &[RawRestriction],
    nodes: &NodePass,
    gid: &[u32],
    new_id: &[u32],
    edges: &Edges,
) -> (Vec<Restriction>, usize) {
    let NodePass {
        node_idx, blocked, ..
    } = nodes;
    let Edges {
        head,
        first_out,
        edge_way,
        geom,
        ..
    } = edges;
    let mut restrictions = Vec::new();
    let mut unresolved = 0usize;
    {
        let mut into: HashMap<u32, Vec<u32>> = HashMap::new();
        let via_new: Vec<Option<u32>> = raw_restrictions
            .iter()
            .map(|r| {
                let i = *node_idx.get(&r.via_node)? as usize;
                if blocked[i] || gid[i] == NO_EDGE {
                    return None;
                }
                let v = new_id[gid[i] as usize];
                (v != NO_EDGE).then_some(v)
            })
            .collect();
        let via_set: HashSet<u32> = via_new.iter().flatten().copied().collect();
        for (e, &h) in head.iter().enumerate() {
            if via_set.contains(&h) {
                into.entry(h).or_default().push(e as u32);
            }
        }
        for (r, via) in raw_restrictions.iter().zip(&via_new) {
            let Some(via) = *via else {
                unresolved += 1;
                continue;
            };
            let froms: Vec<u32> = into
                .get(&via)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&e| edge_way[e as usize] == r.from_way)
                .collect();
            let tos: Vec<u32> = (first_out[via as usize]..first_out[via as usize + 1])
                .filter(|&e| edge_way[e as usize] == r.to_way)
                .collect();
            // A from- or to-way that runs through the via node (two arms there) leaves the
            // turn ambiguous: OSRM drops such badly tagged restrictions, and so does kerb.
            let arms = |es: &[u32]| {
                es.iter()
                    .map(|&e| geom[e as usize] & !GEOM_REVERSED)
                    .collect::<HashSet<_>>()
                    .len()
            };
            if froms.is_empty() || tos.is_empty() || arms(&froms) > 1 || arms(&tos) > 1 {
                unresolved += 1;
                continue;
            }
            for &f in &froms {
                for &t in &tos {
                    restrictions.push(Restriction {
                        from: EdgeId(f),
                        via: NodeId(via),
                        to: EdgeId(t),
                        kind: r.kind,
                    });
                }
            }
        }
    }
    restrictions.sort_unstable_by_key(|r| (r.from, r.to, r.kind as u8));
    restrictions.dedup();
    (restrictions, unresolved)
}

/// Via-way restrictions on graph edges (see [`via_way`]); returns them and the number that
/// could not be resolved.
fn resolve_via_ways(
    ways: &WayPass,
    nodes: &NodePass,
    gid: &[u32],
    new_id: &[u32],
    edges: &Edges,
) -> (Vec<crate::ids::ViaWayRestriction>, usize) {
    if ways.raw_via_ways.is_empty() {
        return (Vec::new(), 0);
    }
    let wanted: HashSet<i64> = ways
        .raw_via_ways
        .iter()
        .flat_map(|r| r.via_ways.iter().copied().chain([r.from_way, r.to_way]))
        .collect();
    let way_nodes = ways
        .ways
        .iter()
        .filter(|w| wanted.contains(&w.id))
        .map(|w| {
            (
                w.id,
                &ways.way_nodes[w.start as usize..(w.start + w.len) as usize],
            )
        })
        .collect();
    let graph_node = |osm: i64| -> Option<u32> {
        let i = *nodes.node_idx.get(&osm)? as usize;
        if nodes.blocked[i] || gid[i] == NO_EDGE {
            return None;
        }
        let v = new_id[gid[i] as usize];
        (v != NO_EDGE).then_some(v)
    };
    let roads = via_way::Roads {
        way_nodes,
        graph_node: &graph_node,
        first_out: &edges.first_out,
        head: &edges.head,
        edge_way: &edges.edge_way,
        geom: &edges.geom,
    };
    via_way::resolve(&ways.raw_via_ways, &roads)
}

/// Position of (x, y) on a Hilbert curve over a 65536 x 65536 grid.
fn hilbert(mut x: u32, mut y: u32) -> u64 {
    const N: u32 = 1 << 16;
    let mut d = 0u64;
    let mut s = N / 2;
    while s > 0 {
        let rx = (x & s > 0) as u32;
        let ry = (y & s > 0) as u32;
        d += (s as u64) * (s as u64) * ((3 * rx) ^ ry) as u64;
        if ry == 0 {
            if rx == 1 {
                x = N - 1 - x;
                y = N - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hilbert_is_a_bijection_on_small_grid() {
        let mut seen = HashSet::new();
        for x in 0..64u32 {
            for y in 0..64u32 {
                assert!(seen.insert(hilbert(x << 10, y << 10)));
            }
        }
    }
}
