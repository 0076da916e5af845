//! `Graph::open` on arbitrary bytes: a corrupt or hostile graph file must be a typed error,
//! never a panic or an out-of-bounds index later. Opened graphs are also queried once.
#![no_main]

use kerb_core::{Graph, Point, SnapOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("kerb-fuzz-graph-{}.kerb", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(g) = Graph::open(&path) {
        // A file that opens must hold together: snapping walks its index and edge arrays.
        let b = g.bbox();
        let _ = g.snap(Point::new(b.min().x, b.min().y), &SnapOptions::default());
    }
});
