//! `Graph::from_pbf` on arbitrary bytes: any file must give a graph or a typed error, never a
//! panic, abort or runaway allocation. The reader takes a path, so each input goes to a file.
#![no_main]

use kerb_core::{Graph, Profile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("kerb-fuzz-pbf-{}.osm.pbf", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = Graph::from_pbf(&path, &Profile::truck());
    }
});
