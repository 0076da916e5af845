//! Errors of the planner.

/// Everything that can go wrong when building, reading or solving a planning problem.
///
/// Jobs that merely cannot be served (too heavy, unreachable window, missing skill) are **not**
/// errors: they are listed in [`crate::Solution::unassigned`] with a reason.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The problem is malformed (index out of range, inconsistent dimensions, NaN, ...).
    #[error("invalid instance: {0}")]
    InvalidInstance(String),
    /// A text instance (Solomon, VRPLIB) could not be parsed.
    #[error("parse error at line {line}: {message}")]
    Parse {
        /// 1-based line number in the input.
        line: usize,
        /// What was wrong.
        message: String,
    },
    /// The JSON input is not valid or does not match the expected schema.
    #[error("invalid JSON input: {0}")]
    Json(#[from] serde_json::Error),
    /// A feature of the input format that kerb does not implement (e.g. VROOM shipments).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// No plan at all can be produced (e.g. there is no vehicle).
    #[error("infeasible: {reason}")]
    Infeasible {
        /// Why.
        reason: String,
    },
    /// A time limit that is not a finite number of seconds in `0..=max_s`.
    #[error("time limit must be a finite number of seconds between 0 and {max_s}, got {seconds}")]
    InvalidTimeLimit {
        /// The rejected value.
        seconds: f64,
        /// The largest accepted value ([`crate::MAX_TIME_LIMIT_S`]).
        max_s: f64,
    },
    /// The solve was cancelled or ran out of time before it placed any job.
    #[error("the solve stopped (cancelled or out of time) after {elapsed_s:.3} s, before any job was placed")]
    Stopped {
        /// Seconds from the start of the solve.
        elapsed_s: f64,
    },
    /// Two jobs share an id (outputs name jobs by id, so it would be ambiguous).
    #[error("duplicate job id {id}")]
    DuplicateJobId {
        /// The repeated id.
        id: u64,
    },
    /// Two vehicles share an id.
    #[error("duplicate vehicle id {id}")]
    DuplicateVehicleId {
        /// The repeated id.
        id: u64,
    },
    /// A VROOM job priority above VROOM's maximum of 100.
    #[error("job {job}: priority {priority} is above the maximum of 100")]
    InvalidPriority {
        /// The job id.
        job: u64,
        /// The rejected priority.
        priority: u32,
    },
    /// A VROOM vehicle `speed_factor` outside VROOM's range `(0, 5]`.
    #[error("vehicle {vehicle}: speed_factor {speed_factor} is outside (0, 5]")]
    InvalidSpeedFactor {
        /// The vehicle id.
        vehicle: u64,
        /// The rejected factor.
        speed_factor: f64,
    },
    /// A VROOM vehicle `steps` entry names a job that is not in the input.
    #[error("vehicle {vehicle}: step names job {job}, which does not exist")]
    UnknownStepJob {
        /// The vehicle id.
        vehicle: u64,
        /// The job id the step names.
        job: u64,
    },
    /// A vehicle's given route (VROOM `steps`) breaks a constraint.
    #[error("route of vehicle {vehicle} given in input is infeasible: {reason}")]
    InvalidInitialRoute {
        /// Vehicle id.
        vehicle: u64,
        /// What it breaks (capacity, skills, precedence, time windows or limits).
        reason: String,
    },
    /// The problem is larger than the caller's [`crate::SizeLimits`].
    #[error("too large: {value} {what}, the limit is {limit}")]
    TooLarge {
        /// What was counted (`jobs`, `vehicles`, `matrix cells`, `estimated bytes`).
        what: &'static str,
        /// The count.
        value: u64,
        /// The limit.
        limit: u64,
    },
    /// Reading an input file failed.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

/// Result alias of the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
