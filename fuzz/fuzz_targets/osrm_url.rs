//! kerb-api's OSRM request parsing on arbitrary text, as `kerb serve` hands it over: the
//! coordinates segment (`lon,lat;...`, `polyline(..)`, `polyline6(..)`) and the query string of
//! every service (route, table, nearest, match, isochrone), and the JSON body of the POST forms.
//! Each parses or is a typed error, never a panic or an allocation sized by a number in the input.
#![no_main]

use kerb_api::coords::{parse_coordinates, parse_one_coordinate};
use kerb_api::matching::parse_match;
use kerb_api::params::{
    body_options, parse_isochrone, parse_nearest, parse_route, parse_table, query_options,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A JSON body (POST /route, /table, /match) is tried as such; anything else as a URL tail.
    if text.starts_with('{') {
        if let Ok(body) = serde_json::from_str::<serde_json::Value>(text) {
            if let Ok((coords, options)) = body_options(&body, 1000) {
                let n = coords.len();
                let _ = parse_route(&options, n);
                let _ = parse_table(&options, n).map(|o| o.check_size(n, 1000));
                let _ = parse_match(&options, n, 5000);
            }
        }
        return;
    }
    let (coordinates, query) = text.split_once('?').unwrap_or((text, ""));
    let options = query_options(form_urlencoded::parse(query.as_bytes()).into_owned());
    let _ = parse_one_coordinate(coordinates, "Nearest");
    let _ = parse_nearest(&options, 1, 100);
    let _ = parse_isochrone(&options, 3600.0);
    if let Ok(coords) = parse_coordinates(coordinates, 1000) {
        let n = coords.len();
        let _ = parse_route(&options, n);
        let _ = parse_table(&options, n).map(|o| o.check_size(n, 1000));
        let _ = parse_match(&options, n, 5000);
    }
});
