//! Running the `kerb` binary from tests, and the per-process scratch folders they write to.
//! The binary's path comes from the caller (`env!("CARGO_BIN_EXE_kerb")` only exists there).

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `bin` with `args`, capturing stdout and stderr; any exit status is returned.
///
/// `bin` is the binary Cargo built for the calling integration test: a test file of kerb-cli
/// writes `kerb_testdata::run(env!("CARGO_BIN_EXE_kerb"), ["route", "--graph", ...])`.
///
/// # Panics
///
/// When the binary cannot be started.
pub fn run<S: AsRef<OsStr>>(bin: impl AsRef<OsStr>, args: impl IntoIterator<Item = S>) -> Output {
    let bin = bin.as_ref();
    Command::new(bin)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin.to_string_lossy()))
}

/// As [`run`], and the run must succeed.
///
/// # Panics
///
/// When the binary cannot be started or exits with a failure, with its arguments and stderr.
pub fn run_ok<S: AsRef<OsStr>>(
    bin: impl AsRef<OsStr>,
    args: impl IntoIterator<Item = S>,
) -> Output {
    let args: Vec<S> = args.into_iter().collect();
    let out = run(&bin, &args);
    assert!(
        out.status.success(),
        "{} {:?}: {}\n{}",
        bin.as_ref().to_string_lossy(),
        args.iter()
            .map(|a| a.as_ref().to_string_lossy())
            .collect::<Vec<_>>(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A scratch folder `kerb-{label}-{process id}` in the system's temporary folder, created if
/// needed: each test binary (one process) gets its own, so parallel binaries never collide.
///
/// # Panics
///
/// When the folder cannot be created.
pub fn temp_dir(label: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kerb-{label}-{}", std::process::id()));
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_returns_failures_and_run_ok_rejects_them() {
        let ok = run_ok("sh", ["-c", "echo out; echo err >&2"]);
        assert_eq!(ok.stdout, b"out\n");
        assert_eq!(ok.stderr, b"err\n");
        let failed = run("sh", ["-c", "exit 3"]);
        assert_eq!(failed.status.code(), Some(3));
        let msg =
            std::panic::catch_unwind(|| run_ok("sh", ["-c", "echo why >&2; exit 1"])).unwrap_err();
        let msg = msg.downcast_ref::<String>().unwrap();
        assert!(msg.contains("why") && msg.contains("exit 1"), "{msg}");
    }

    #[test]
    fn temp_dir_is_per_process_and_exists() {
        let d = temp_dir("testdata-test");
        assert!(d.is_dir());
        assert!(d.ends_with(format!("kerb-testdata-test-{}", std::process::id())));
    }
}
