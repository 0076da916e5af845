//! Turn-by-turn guidance: the steps of a route leg as OSRM builds them.
//!
//! Data flow, one module per concept (after OSRM's `src/guidance` and `src/engine/guidance`):
//! - `road`: what guidance knows of a road (names, `ref`, signs, OSRM's road classification);
//! - `names`: whether a change of road announces its name;
//! - `intersection`: the roads at a node seen from the arriving road (bearings, turn angles,
//!   entry flags);
//! - `instruction`: OSRM's turn types and modifiers;
//! - `turn`: the instruction of every road at an ordinary intersection (obvious turns, forks,
//!   end of road, ramps, conflicting turns);
//! - `roundabout`: ring kinds (roundabout, rotary, roundabout turn) and their instructions;
//! - `lanes`: the turn lanes of the road arriving and which serve the manoeuvre;
//! - `step`: a step under construction;
//! - `collapse`: OSRM's turn collapsing (U-turns, staggered intersections, name changes);
//! - `post`: OSRM's post-processing (roundabout exits, silent steps, short name segments).

mod collapse;
mod instruction;
mod intersection;
mod lanes;
mod names;
mod post;
mod road;
mod roundabout;
mod step;
mod turn;

use kerb_core::{EdgeId, Graph, Point};

use crate::osrm::RouteStep;
use crate::params::Geometries;

use instruction::{turn_direction, Instruction, TurnType};
use intersection::Intersection;
use step::Step;

/// One edge piece of a leg, in travel order.
pub(crate) struct Span<'p> {
    /// The directed edge travelled.
    pub edge: EdgeId,
    /// Its shape, as travelled.
    pub points: &'p [Point<f64>],
    /// Length in metres.
    pub distance_m: f64,
    /// Travel time in seconds.
    pub duration_s: f64,
}

/// The instruction for leaving intersection `ix` by `out`.
fn instruction_at(g: &Graph, ix: &Intersection, out: usize) -> Instruction {
    let all = roundabout::instructions(g, ix).unwrap_or_else(|| turn::TurnHandler::run(ix));
    all.get(out).copied().flatten().unwrap_or_else(|| {
        let angle = ix.roads[out].angle;
        Instruction::new(TurnType::Turn, turn_direction(angle))
    })
}

/// The OSRM steps of a leg travelling `spans` (depart, the announced manoeuvres, arrive).
pub(crate) fn steps(g: &Graph, spans: &[Span], geometries: Geometries) -> Vec<RouteStep> {
    let Some(first) = spans.first() else {
        return Vec::new();
    };
    let mut steps: Vec<Step> = vec![Step::depart(g, first)];
    for w in spans.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let node = g.edge(a.edge).to;
        let joined = g.edge(b.edge).from == node && a.points.len() > 1 && b.points.len() > 1;
        if !joined {
            // Two pieces of the same edge (a waypoint in the middle of a road): no node between.
            if let Some(s) = steps.last_mut() {
                s.extend_by_span(b);
            }
            continue;
        }
        let ix = Intersection::at(g, a.edge);
        let Some(out) = ix.index_of(b.edge) else {
            if let Some(s) = steps.last_mut() {
                s.extend_by_span(b);
            }
            continue;
        };
        let ins = instruction_at(g, &ix, out);
        let location = b.points[0];
        if ins.kind == TurnType::NoTurn {
            // Nothing to announce; a real intersection is still listed on the step.
            if let Some(s) = steps.last_mut() {
                if ix.roads.len() > 2 {
                    s.intersections.push(ix.json(location, out, ins));
                }
                s.extend_by_span(b);
            }
            continue;
        }
        steps.push(Step::turn(g, &ix, out, ins, location, b));
    }
    if let Some(last) = spans.last() {
        let end = *last.points.last().unwrap_or(&last.points[0]);
        let before = steps.last().map_or(0.0, |s| s.last_heading());
        steps.push(Step::arrive(g, last.edge, end, before));
    }
    let steps = post::process(steps);
    steps.into_iter().map(|s| s.into_osrm(geometries)).collect()
}
