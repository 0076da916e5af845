//! The `kerb-conformance` binary: `kerb-conformance [--report FILE] DIR_OR_FILE...` runs the
//! feature files and prints one line per scenario, then the summary and the reasons counted.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};

fn main() -> anyhow::Result<()> {
    let mut report = None;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--report" => {
                report = Some(PathBuf::from(args.next().context("--report needs a file")?))
            }
            "-h" | "--help" => {
                println!("usage: kerb-conformance [--report FILE.jsonl] DIR_OR_FILE...");
                return Ok(());
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        bail!("usage: kerb-conformance [--report FILE.jsonl] DIR_OR_FILE...");
    }
    // A closed stdout (e.g. `| head`) stops the printing, not the run and its report.
    let mut stdout = std::io::stdout().lock();
    let mut printing = true;
    let results = kerb_conformance::run_paths(&paths, &mut |r| {
        printing = printing && writeln!(stdout, "{}", r.line_text()).is_ok();
    })?;
    let summary = kerb_conformance::Summary::of(&results);
    if printing {
        let _ = write!(stdout, "{}", summary.text());
    }
    if let Some(path) = report {
        std::fs::write(&path, kerb_conformance::report::json_lines(&results))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}
