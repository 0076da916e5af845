//! Route queries on the contraction hierarchy (or a customized CCH): the CH search plus path unpacking, as a
//! [`TurnPath`] like the Dijkstras return.

use super::TurnPath;
use crate::cch::{Cch, CchWorkspace};
use crate::ch::{ContractionHierarchy, QueryWorkspace, Seed};

/// Runs a CH query in a caller-owned workspace (created or resized for `ch` when needed) and
/// unpacks the path to edge-based nodes.
pub(crate) fn ch_path(
    ch: &ContractionHierarchy,
    ws: &mut Option<QueryWorkspace>,
    sources: &[Seed],
    targets: &[Seed],
) -> Option<TurnPath> {
    if ws.as_ref().is_none_or(|w| !w.fits(ch)) {
        *ws = Some(QueryWorkspace::new(ch));
    }
    let ws = ws.as_mut().expect("workspace just created");
    let r = ch.query(ws, sources, targets)?;
    let edges = ch.unpack(&r);
    Some(TurnPath {
        weight: r.weight,
        dist: r.dist,
        source_seed: r.source_seed,
        target_seed: r.target_seed,
        edges,
    })
}

/// Runs a query on a customized CCH in a caller-owned workspace (created for `cch` when
/// missing; the query resizes one of another graph) and unpacks the path likewise.
pub(crate) fn cch_path(
    cch: &Cch,
    ws: &mut Option<CchWorkspace>,
    sources: &[Seed],
    targets: &[Seed],
) -> Option<TurnPath> {
    let ws = ws.get_or_insert_with(|| cch.workspace());
    let r = cch.query(ws, sources, targets)?;
    let edges = cch.unpack(&r);
    Some(TurnPath {
        weight: r.weight,
        dist: r.dist,
        source_seed: r.source_seed,
        target_seed: r.target_seed,
        edges,
    })
}
