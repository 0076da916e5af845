//! The runner's error type: problems with a feature file or the runner's own input, as opposed
//! to scenario failures, which are results (see `report`).

/// Errors of the conformance runner.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The feature file does not parse.
    #[error("line {line}: {message}")]
    Gherkin {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The reviewed list of intentional differences does not parse.
    #[error("intentional differences list, line {line}: {message}")]
    IntentionalList {
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Result with the runner's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
