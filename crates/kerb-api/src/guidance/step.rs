//! A step under construction: the manoeuvre at its start, the road it travels, its shape,
//! length and time, and the intersections it passes (OSRM's `RouteStep` with `ElongateBy`,
//! `AdaptStepSignage` and `Invalidate`).

use kerb_core::{DrivingSide, Graph, Point};

use super::instruction::Instruction;
use super::intersection::{first_bearing, last_bearing, Intersection};
use super::road::{road, Road};
use super::Span;
use crate::geometry::{encode_geometry, push_dedup};
use crate::osrm::{self, round1, round_coord, RouteStep, StepManeuver};
use crate::params::Geometries;

/// Depart, a manoeuvre on the way, or arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StepKind {
    Depart,
    Turn,
    Arrive,
}

/// One step of a leg.
#[derive(Clone, Debug)]
pub(crate) struct Step<'a> {
    pub kind: StepKind,
    /// The manoeuvre (meaningful for `StepKind::Turn`).
    pub instruction: Instruction,
    /// The road travelled (names, signs, class).
    pub road: Road<'a>,
    pub points: Vec<Point<f64>>,
    pub distance_m: f64,
    pub duration_s: f64,
    pub location: Point<f64>,
    /// Heading arriving at the manoeuvre.
    pub bearing_before: f64,
    /// Heading leaving the manoeuvre.
    pub bearing_after: f64,
    pub intersections: Vec<osrm::Intersection>,
    pub exit: Option<usize>,
    pub rotary_name: Option<String>,
    /// Removed by post-processing.
    pub invalid: bool,
}

impl<'a> Step<'a> {
    /// The depart step onto the first span.
    pub(crate) fn depart(g: &'a Graph, span: &Span) -> Step<'a> {
        let location = span.points[0];
        let after = first_bearing(span.points);
        Step {
            kind: StepKind::Depart,
            instruction: Instruction::no_turn(),
            road: road(g, span.edge),
            points: span.points.to_vec(),
            distance_m: span.distance_m,
            duration_s: span.duration_s,
            location,
            bearing_before: 0.0,
            bearing_after: after,
            intersections: vec![osrm::Intersection {
                location: round_coord([location.x(), location.y()]),
                bearings: vec![after.round() as u16 % 360],
                entry: vec![true],
                in_: None,
                out: Some(0),
                classes: None,
                lanes: None,
            }],
            exit: None,
            rotary_name: None,
            invalid: false,
        }
        .with_classes()
    }

    /// A manoeuvre at intersection `ix`, leaving by road `out` onto `span`.
    pub(crate) fn turn(
        g: &'a Graph,
        ix: &Intersection<'a>,
        out: usize,
        instruction: Instruction,
        location: Point<f64>,
        span: &Span,
    ) -> Step<'a> {
        Step {
            kind: StepKind::Turn,
            instruction,
            road: road(g, span.edge),
            points: span.points.to_vec(),
            distance_m: span.distance_m,
            duration_s: span.duration_s,
            location,
            bearing_before: ix.in_heading,
            bearing_after: ix.roads[out].bearing,
            intersections: vec![ix.json(location, out, instruction)],
            exit: None,
            rotary_name: None,
            invalid: false,
        }
    }

    /// The arrive step at `end` of the last edge.
    pub(crate) fn arrive(
        g: &'a Graph,
        edge: kerb_core::EdgeId,
        end: Point<f64>,
        before: f64,
    ) -> Step<'a> {
        Step {
            kind: StepKind::Arrive,
            instruction: Instruction::no_turn(),
            road: road(g, edge),
            points: vec![end, end],
            distance_m: 0.0,
            duration_s: 0.0,
            location: end,
            bearing_before: before,
            bearing_after: 0.0,
            intersections: vec![osrm::Intersection {
                location: round_coord([end.x(), end.y()]),
                bearings: vec![((before + 180.0) % 360.0).round() as u16 % 360],
                entry: vec![true],
                in_: Some(0),
                out: None,
                classes: None,
                lanes: None,
            }],
            exit: None,
            rotary_name: None,
            invalid: false,
        }
    }

    fn with_classes(mut self) -> Self {
        if !self.road.classes.is_empty() {
            if let Some(i) = self.intersections.first_mut() {
                i.classes = Some(self.road.classes.iter().map(|c| c.to_string()).collect());
            }
        }
        self
    }

    /// Heading at the end of the step.
    pub(crate) fn last_heading(&self) -> f64 {
        last_bearing(&self.points)
    }

    /// Adds a further span of the same step (no intersection).
    pub(crate) fn extend_by_span(&mut self, span: &Span) {
        for &p in span.points {
            push_dedup(&mut self.points, p);
        }
        self.distance_m += span.distance_m;
        self.duration_s += span.duration_s;
    }

    /// OSRM's `ElongateBy`: this step continues over `other`.
    pub(crate) fn elongate_by(&mut self, other: &Step<'a>) {
        for &p in &other.points {
            push_dedup(&mut self.points, p);
        }
        self.distance_m += other.distance_m;
        self.duration_s += other.duration_s;
        self.intersections
            .extend(other.intersections.iter().cloned());
    }

    /// OSRM's `AdaptStepSignage`: names and signs of `other`.
    pub(crate) fn adapt_signage(&mut self, other: &Step<'a>) {
        self.road.name = other.road.name;
        self.road.reference = other.road.reference;
        self.road.pronunciation = other.road.pronunciation;
        self.road.destinations = other.road.destinations;
        self.road.exits = other.road.exits;
        self.road.mode = other.road.mode;
    }

    /// A silent step (no instruction of its own).
    pub(crate) fn is_silent(&self) -> bool {
        self.kind == StepKind::Turn && self.instruction.kind.is_silent()
    }

    /// The OSRM JSON step.
    pub(crate) fn into_osrm(self, geometries: Geometries) -> RouteStep {
        let mut pts = self.points;
        if pts.len() == 1 {
            pts.push(pts[0]);
        }
        let (kind, modifier) = match self.kind {
            StepKind::Depart => ("depart".to_string(), None),
            StepKind::Arrive => ("arrive".to_string(), None),
            StepKind::Turn => (
                self.instruction.kind.api_name().to_string(),
                Some(self.instruction.modifier.api_name().to_string()),
            ),
        };
        let text = |s: &str| (!s.is_empty()).then(|| s.to_string());
        let exit = match self.kind {
            StepKind::Turn if self.instruction.kind.is_roundabout() => self.exit,
            _ => None,
        };
        RouteStep {
            geometry: encode_geometry(&pts, geometries),
            maneuver: StepManeuver {
                location: round_coord([self.location.x(), self.location.y()]),
                bearing_before: if self.kind == StepKind::Depart {
                    0
                } else {
                    self.bearing_before.round() as u16 % 360
                },
                bearing_after: if self.kind == StepKind::Arrive {
                    0
                } else {
                    self.bearing_after.round() as u16 % 360
                },
                kind,
                modifier,
                exit,
            },
            mode: self.road.mode.to_string(),
            driving_side: match self.road.driving_side {
                DrivingSide::Left => "left",
                DrivingSide::Right => "right",
            }
            .to_string(),
            name: self.road.name.to_string(),
            reference: text(self.road.reference),
            pronunciation: text(self.road.pronunciation),
            destinations: text(self.road.destinations),
            exits: text(self.road.exits),
            rotary_name: self.rotary_name,
            intersections: self.intersections,
            weight: round1(self.duration_s),
            duration: round1(self.duration_s),
            distance: round1(self.distance_m),
        }
    }
}
