//! The planner's locations as a typed table: depots, disposal sites, bins on their side of
//! the street and street passes, each a variant, indexed the way the planner's matrix is.

use std::ops::Range;

use kerb_core::Waypoint;

use super::snap::{SnappedBin, SnappedDay};
use crate::streets::StreetPass;

/// One location of the planner.
#[derive(Debug, Clone)]
pub(super) enum Location {
    /// A depot (index into `CollectionDay::depots`).
    Depot {
        /// Index into `CollectionDay::depots`.
        depot: usize,
        /// Where it snapped.
        waypoint: Waypoint,
    },
    /// A disposal site (index into `CollectionDay::disposal_sites`).
    DisposalSite {
        /// Index into `CollectionDay::disposal_sites`.
        site: usize,
        /// Where it snapped.
        waypoint: Waypoint,
    },
    /// A bin, approached from the kerb its service needs.
    Bin(SnappedBin),
    /// A drive along a street stretch: entered at one end, left at the other.
    StreetPass(StreetPass),
}

/// Which end of a location a waypoint is: where the truck arrives or where it leaves. Only a
/// street pass has two different ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum End {
    /// Where the truck arrives (a pass's start).
    Entry,
    /// Where the truck leaves (a pass's end).
    Exit,
}

impl Location {
    /// The waypoint of `end`.
    pub fn waypoint(&self, end: End) -> &Waypoint {
        match (self, end) {
            (Location::Depot { waypoint, .. } | Location::DisposalSite { waypoint, .. }, _) => {
                waypoint
            }
            (Location::Bin(b), _) => &b.waypoint,
            (Location::StreetPass(p), End::Entry) => &p.entry,
            (Location::StreetPass(p), End::Exit) => &p.exit,
        }
    }
}

/// Depots, then disposal sites, then bins, then street passes. Bins and passes are the
/// stops: stop `k` is planner job `k` at location `first_stop() + k`.
#[derive(Debug, Clone)]
pub(super) struct LocationTable {
    locations: Vec<Location>,
    depots: usize,
    disposal_sites: usize,
    bins: usize,
}

impl LocationTable {
    /// The table of a snapped day, in its order.
    pub fn new(snapped: SnappedDay) -> Self {
        let (depots, disposal_sites, bins) = (
            snapped.depots.len(),
            snapped.disposal_sites.len(),
            snapped.bins.len(),
        );
        let locations = (snapped.depots.into_iter().enumerate())
            .map(|(depot, waypoint)| Location::Depot { depot, waypoint })
            .chain(
                (snapped.disposal_sites.into_iter().enumerate())
                    .map(|(site, waypoint)| Location::DisposalSite { site, waypoint }),
            )
            .chain(snapped.bins.into_iter().map(Location::Bin))
            .chain(snapped.passes.into_iter().map(Location::StreetPass))
            .collect();
        LocationTable {
            locations,
            depots,
            disposal_sites,
            bins,
        }
    }

    /// Number of locations.
    pub fn len(&self) -> usize {
        self.locations.len()
    }

    /// Location `l`.
    pub fn get(&self, l: usize) -> &Location {
        &self.locations[l]
    }

    /// Location `l`, to change a bin's approach.
    pub fn get_mut(&mut self, l: usize) -> &mut Location {
        &mut self.locations[l]
    }

    /// The waypoint every location is entered at, in table order (the matrix's columns).
    pub fn entries(&self) -> Vec<Waypoint> {
        self.ends(End::Entry)
    }

    /// The waypoint every location is left at, in table order (the matrix's rows).
    pub fn exits(&self) -> Vec<Waypoint> {
        self.ends(End::Exit)
    }

    fn ends(&self, end: End) -> Vec<Waypoint> {
        self.locations
            .iter()
            .map(|l| l.waypoint(end).clone())
            .collect()
    }

    /// Depot locations.
    pub fn depots(&self) -> Range<usize> {
        0..self.depots
    }

    /// Where a truck may end up empty: the disposal sites, or the depots when the day has none.
    pub fn sinks(&self) -> Range<usize> {
        if self.disposal_sites == 0 {
            self.depots()
        } else {
            self.depots..self.first_stop()
        }
    }

    /// Location of disposal site `site`.
    pub fn disposal_site(&self, site: usize) -> usize {
        self.depots + site
    }

    /// Location of the first stop (bin or street pass).
    pub fn first_stop(&self) -> usize {
        self.depots + self.disposal_sites
    }

    /// Stop locations: bins, then street passes.
    pub fn stops(&self) -> Range<usize> {
        self.first_stop()..self.locations.len()
    }

    /// Keeps the stops `keep` says yes to and returns the bins and street passes dropped,
    /// each in table order.
    pub fn retain_stops(
        &mut self,
        mut keep: impl FnMut(usize) -> bool,
    ) -> (Vec<SnappedBin>, Vec<StreetPass>) {
        let first = self.first_stop();
        let stops: Vec<Location> = self.locations.drain(first..).collect();
        let (mut bins, mut passes) = (Vec::new(), Vec::new());
        self.bins = 0;
        for (k, location) in stops.into_iter().enumerate() {
            if keep(first + k) {
                self.bins += usize::from(matches!(location, Location::Bin(_)));
                self.locations.push(location);
            } else {
                match location {
                    Location::Bin(b) => bins.push(b),
                    Location::StreetPass(p) => passes.push(p),
                    // Only stops follow `first_stop`.
                    Location::Depot { .. } | Location::DisposalSite { .. } => {}
                }
            }
        }
        (bins, passes)
    }

    /// Bins in stop order (stop `k` for `k < bins().len()`).
    pub fn bins(&self) -> impl Iterator<Item = &SnappedBin> {
        self.locations[self.stops()].iter().filter_map(|l| match l {
            Location::Bin(b) => Some(b),
            _ => None,
        })
    }

    /// Street passes in stop order (stop `bins().count() + k`).
    pub fn passes(&self) -> impl Iterator<Item = &StreetPass> {
        self.locations[self.stops()].iter().filter_map(|l| match l {
            Location::StreetPass(p) => Some(p),
            _ => None,
        })
    }

    /// Number of bins among the stops.
    pub fn num_bins(&self) -> usize {
        self.bins
    }
}
