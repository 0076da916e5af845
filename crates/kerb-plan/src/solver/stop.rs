//! When a solve must stop: the hard deadline of its time limit and the caller's cancel token,
//! one rule checked alike by construction, local search and ruin-and-recreate.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A deadline and a cancel token; without either it never fires, so an iteration-only run
/// follows exactly the same trajectory as before it was checked.
#[derive(Clone, Debug, Default)]
pub(crate) struct Stop {
    deadline: Option<Instant>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Stop {
    /// Stops at `deadline` (if any) or once `cancel` (if any) is set.
    pub(crate) fn new(deadline: Option<Instant>, cancel: Option<Arc<AtomicBool>>) -> Stop {
        Stop { deadline, cancel }
    }

    /// The same token with the earlier of the two deadlines (a phase's share of the limit).
    pub(crate) fn until(&self, deadline: Option<Instant>) -> Stop {
        let deadline = match (self.deadline, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Stop {
            deadline,
            cancel: self.cancel.clone(),
        }
    }

    /// The caller cancelled the solve.
    pub(crate) fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// Cancelled, or past the deadline.
    pub(crate) fn reached(&self) -> bool {
        self.cancelled() || self.deadline.is_some_and(|d| Instant::now() >= d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn fires_on_cancel_or_deadline_and_never_without_either() {
        assert!(!Stop::default().reached());
        let token = Arc::new(AtomicBool::new(false));
        let stop = Stop::new(None, Some(token.clone()));
        assert!(!stop.reached());
        token.store(true, Ordering::Relaxed);
        assert!(stop.reached() && stop.cancelled());
        let past = Stop::new(Some(Instant::now()), None);
        assert!(past.reached() && !past.cancelled());
        let later = Instant::now() + Duration::from_secs(3600);
        assert!(!Stop::default().until(Some(later)).reached());
        assert!(Stop::new(Some(later), None)
            .until(Some(Instant::now()))
            .reached());
    }
}
