//! The solver options of a plan or collection request and their one set of defaults: what
//! every front end fills from its transport (flags, query string, keyword arguments).

use std::time::Duration;

use kerb_plan::SolveOptions;

use super::limits::PlanLimits;
use crate::{Error, ErrorKind, Result};

/// Iterations per thread when a VROOM request gives neither `iterations` nor a time limit:
/// deterministic, and a few seconds on a few hundred jobs.
pub const DEFAULT_ITERATIONS: u64 = 20_000;
/// Solver threads when a VROOM request does not say: one, so that a plan depends only on the
/// input, the seed and the iterations, never on the machine.
pub const DEFAULT_THREADS: usize = 1;
/// Random seed when a request does not say.
pub const DEFAULT_SEED: u64 = 1;
/// The largest time limit any request may ask for, seconds (a day). Longer values are an
/// error rather than a panic in [`Duration::from_secs_f64`].
pub const MAX_TIME_LIMIT_S: f64 = 86_400.0;

/// Solver options as a front end received them: each `None` means "not given", and the
/// defaults apply when the options are resolved for a request.
///
/// For VROOM input the defaults are [`DEFAULT_ITERATIONS`] (when no time limit is given),
/// [`DEFAULT_THREADS`] and [`DEFAULT_SEED`]; for a collection day they are the day's own
/// `options` block (itself defaulting to [`kerb_collect::DayOptions::default`]), which a
/// given value here overrides. Either way the front end's [`PlanLimits`] then bound the
/// result: the time limit is capped at [`PlanLimits::max_time_limit`] (and that cap is also
/// the guard when only iterations are given), threads are clamped to
/// [`PlanLimits::max_threads`], and iterations beyond [`PlanLimits::max_iterations`] are
/// refused.
///
/// ```
/// use kerb_api::plan::{PlanLimits, PlanOptions};
/// let o = PlanOptions::default().with_time_limit_s(2.5)?.with_seed(7);
/// let s = o.solve_options(&PlanLimits::cli())?;
/// assert_eq!(s.time_limit, Some(std::time::Duration::from_millis(2500)));
/// assert_eq!((s.iterations, s.threads, s.seed), (None, 1, 7));
/// assert!(PlanOptions::default().with_time_limit_s(f64::NAN).is_err());
/// assert!(PlanOptions::default().with_time_limit_s(1e308).is_err());
/// # Ok::<(), kerb_api::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// Wall-clock limit of the solver (checked: positive, at most [`MAX_TIME_LIMIT_S`]).
    pub time_limit: Option<Duration>,
    /// Iterations per thread (at least 1).
    pub iterations: Option<u64>,
    /// Solver threads (at least 1; clamped to the front end's limit).
    pub threads: Option<usize>,
    /// Random seed.
    pub seed: Option<u64>,
}

/// `seconds` as a time limit: finite, positive and at most [`MAX_TIME_LIMIT_S`], else
/// [`ErrorKind::InvalidValue`] naming `time_limit_s`.
pub fn checked_time_limit(seconds: f64) -> Result<Duration> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= MAX_TIME_LIMIT_S) {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("time_limit_s must be a positive number of seconds up to {MAX_TIME_LIMIT_S}, got {seconds}"),
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

impl PlanOptions {
    /// Sets the time limit from seconds, checked with [`checked_time_limit`].
    pub fn with_time_limit_s(mut self, seconds: f64) -> Result<Self> {
        self.time_limit = Some(checked_time_limit(seconds)?);
        Ok(self)
    }

    /// Sets the iterations per thread (0 is refused when the options are resolved).
    pub fn with_iterations(mut self, iterations: u64) -> Self {
        self.iterations = Some(iterations);
        self
    }

    /// Sets the solver threads (0 is refused when the options are resolved).
    pub fn with_threads(mut self, threads: usize) -> Self {
        self.threads = Some(threads);
        self
    }

    /// Sets the random seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The solver options of a VROOM request under `limits`, defaults filled in.
    ///
    /// Errors: zero iterations or threads ([`ErrorKind::InvalidValue`]), more iterations
    /// than the limit ([`ErrorKind::TooBig`]).
    pub fn solve_options(&self, limits: &PlanLimits) -> Result<SolveOptions> {
        let iterations = match (self.iterations, self.time_limit) {
            (Some(n), _) => Some(n),
            (None, None) => Some(DEFAULT_ITERATIONS),
            (None, Some(_)) => None,
        };
        resolve(
            self.time_limit,
            iterations,
            self.threads.unwrap_or(DEFAULT_THREADS),
            self.seed.unwrap_or(DEFAULT_SEED),
            limits,
        )
    }

    /// Applies these options over a collection day's own `options` under `limits`: given
    /// values replace the day's, then the limits bound them (as in [`solve_options`]).
    ///
    /// [`solve_options`]: PlanOptions::solve_options
    pub fn apply_to_day(
        &self,
        day: &mut kerb_collect::CollectionDay,
        limits: &PlanLimits,
    ) -> Result<()> {
        let o = &mut day.options;
        let time_limit = match self.time_limit {
            Some(t) => t,
            None => checked_time_limit(o.time_limit_s)?,
        };
        let s = resolve(
            Some(time_limit),
            self.iterations.or(o.iterations),
            self.threads.unwrap_or(o.threads),
            self.seed.unwrap_or(o.seed),
            limits,
        )?;
        o.time_limit_s = s.time_limit.unwrap_or(time_limit).as_secs_f64();
        o.iterations = s.iterations;
        o.threads = s.threads;
        o.seed = s.seed;
        Ok(())
    }
}

/// Checks and bounds resolved values.
fn resolve(
    time_limit: Option<Duration>,
    iterations: Option<u64>,
    threads: usize,
    seed: u64,
    limits: &PlanLimits,
) -> Result<SolveOptions> {
    if iterations == Some(0) {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            "iterations must be at least 1",
        ));
    }
    if let Some(n) = iterations.filter(|&n| n > limits.max_iterations) {
        return Err(Error::new(
            ErrorKind::TooBig,
            format!(
                "iterations: {n} exceed the limit of {}",
                limits.max_iterations
            ),
        ));
    }
    if threads == 0 {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            "threads must be at least 1",
        ));
    }
    let mut o = SolveOptions::default()
        .with_threads(threads.min(limits.max_threads()))
        .with_seed(seed);
    o.iterations = iterations;
    o.time_limit = Some(
        time_limit
            .unwrap_or(limits.max_time_limit)
            .min(limits.max_time_limit),
    );
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_deterministic() {
        let s = PlanOptions::default()
            .solve_options(&PlanLimits::cli())
            .unwrap();
        assert_eq!(s.iterations, Some(DEFAULT_ITERATIONS));
        assert_eq!((s.threads, s.seed), (DEFAULT_THREADS, DEFAULT_SEED));
        assert_eq!(s.time_limit, Some(PlanLimits::cli().max_time_limit));
    }

    #[test]
    fn time_limits_are_checked_not_panicking() {
        for bad in [
            f64::NAN,
            f64::INFINITY,
            -1.0,
            0.0,
            1e308,
            MAX_TIME_LIMIT_S * 2.0,
        ] {
            let e = checked_time_limit(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidValue, "{bad}");
        }
        assert_eq!(checked_time_limit(0.5).unwrap(), Duration::from_millis(500));
    }

    #[test]
    fn limits_bound_threads_iterations_and_time() {
        let limits = PlanLimits::serve(Duration::from_secs(10), 1000);
        let o = PlanOptions::default()
            .with_threads(100_000)
            .with_time_limit_s(3600.0)
            .unwrap();
        let s = o.solve_options(&limits).unwrap();
        assert!(s.threads <= limits.max_threads() && s.threads >= 1);
        assert_eq!(s.time_limit, Some(Duration::from_secs(10)));
        let too_many = PlanOptions::default().with_iterations(u64::MAX);
        assert_eq!(
            too_many.solve_options(&limits).unwrap_err().kind,
            ErrorKind::TooBig
        );
        let zero = PlanOptions::default().with_threads(0);
        assert_eq!(
            zero.solve_options(&limits).unwrap_err().kind,
            ErrorKind::InvalidValue
        );
    }
}
