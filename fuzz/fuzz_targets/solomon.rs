//! `kerb_plan::io::read_solomon` on arbitrary text: a Solomon VRPTW instance parses or is a
//! typed error, never a panic, an abort or an allocation sized by a number in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kerb_plan::io::read_solomon(text);
    }
});
