//! `kerb_collect::CollectionDay::from_json` on arbitrary text: the collection-day JSON (`kerb collect`, `POST /plan`) parses or is a
//! typed error, never a panic, an abort or an allocation sized by a number in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = kerb_collect::CollectionDay::from_json(text);
    }
});
