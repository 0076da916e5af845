//! Parsing of OSRM's `{coordinates}` path segment: `lon,lat;lon,lat...`, `polyline(..)` or
//! `polyline6(..)`, with WGS84 validation and a size limit checked before allocating.

use crate::error::{Error, ErrorKind, Result};

/// A `[longitude, latitude]` pair in degrees (GeoJSON and OSRM order).
pub type LonLat = [f64; 2];

/// Checks that a coordinate is finite and inside WGS84 bounds.
pub fn validate(c: LonLat, index: usize) -> Result<LonLat> {
    let [lon, lat] = c;
    if !lon.is_finite()
        || !lat.is_finite()
        || !(-180.0..=180.0).contains(&lon)
        || !(-90.0..=90.0).contains(&lat)
    {
        return Err(Error::new(
            ErrorKind::InvalidValue,
            format!("Invalid coordinate value at index {index}: ({lon}, {lat}); longitude must be in [-180, 180] and latitude in [-90, 90]"),
        ));
    }
    Ok(c)
}

/// Parses the coordinates segment of an OSRM URL, refusing more than `max` coordinates with
/// `TooBig` before allocating for them.
///
/// ```
/// let c = kerb_api::coords::parse_coordinates("24.94,60.17;24.95,60.175", 10).unwrap();
/// assert_eq!(c, vec![[24.94, 60.17], [24.95, 60.175]]);
/// let p = kerb_api::coords::parse_coordinates("polyline(_p~iF~ps|U_ulLnnqC)", 10).unwrap();
/// assert_eq!(p, vec![[-120.2, 38.5], [-120.95, 40.7]]);
/// ```
pub fn parse_coordinates(s: &str, max: usize) -> Result<Vec<LonLat>> {
    parse_coordinates_inner(s, max)
}

/// Parses the coordinates segment of a service that takes exactly one coordinate
/// (`nearest`, `isochrone`); more than one is OSRM's `InvalidOptions`.
///
/// ```
/// assert!(kerb_api::coords::parse_one_coordinate("24.9,60.1", "Nearest").is_ok());
/// let e = kerb_api::coords::parse_one_coordinate("24.9,60.1;24.8,60.2", "Nearest").unwrap_err();
/// assert_eq!(e.message, "Nearest service takes exactly one coordinate.");
/// ```
pub fn parse_one_coordinate(s: &str, service: &str) -> Result<LonLat> {
    let one = || {
        Error::new(
            ErrorKind::InvalidOptions,
            format!("{service} service takes exactly one coordinate."),
        )
    };
    let coords = parse_coordinates_inner(s, 1).map_err(|e| {
        if e.kind == ErrorKind::TooBig {
            one()
        } else {
            e
        }
    })?;
    match coords[..] {
        [c] => Ok(c),
        _ => Err(one()),
    }
}

fn parse_coordinates_inner(s: &str, max: usize) -> Result<Vec<LonLat>> {
    if s.is_empty() {
        return Err(Error::new(ErrorKind::InvalidUrl, "URL has no coordinates"));
    }
    let coords = if let Some(inner) = strip_call(s, "polyline6") {
        decode_polyline(inner, 6, max)?
    } else if let Some(inner) = strip_call(s, "polyline") {
        decode_polyline(inner, 5, max)?
    } else {
        let n = s.bytes().filter(|&b| b == b';').count() + 1;
        if n > max {
            return Err(too_many(n, max));
        }
        let mut out = Vec::with_capacity(n);
        let mut offset = 0;
        for (i, part) in s.split(';').enumerate() {
            out.push(parse_pair(part, i, offset)?);
            offset += part.len() + 1;
        }
        out
    };
    coords
        .into_iter()
        .enumerate()
        .map(|(i, c)| validate(c, i))
        .collect()
}

fn too_many(n: usize, max: usize) -> Error {
    Error::new(
        ErrorKind::TooBig,
        format!("Too many coordinates: {n} given, the limit is {max}"),
    )
}

fn strip_call<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    s.strip_prefix(name)?.strip_prefix('(')?.strip_suffix(')')
}

fn parse_pair(part: &str, index: usize, offset: usize) -> Result<LonLat> {
    let malformed = || {
        Error::new(
            ErrorKind::InvalidQuery,
            format!(
                "Coordinate {index} malformed close to position {offset}: {part:?} (expected {{longitude}},{{latitude}})"
            ),
        )
    };
    let (lon, lat) = part.split_once(',').ok_or_else(malformed)?;
    let lon = parse_number(lon).ok_or_else(malformed)?;
    let lat = parse_number(lat).ok_or_else(malformed)?;
    Ok([lon, lat])
}

/// Parses a plain decimal number (digits, sign, dot, exponent); refuses Rust's `nan`/`inf` words
/// so that they are reported as malformed, as OSRM does.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty()
        || !s
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    s.parse().ok()
}

/// Decodes a Google encoded polyline of the given precision (5 or 6) into `[lon, lat]` pairs.
///
/// Refuses characters outside the polyline alphabet, truncated values, overlong varints and
/// more than `max` points.
pub fn decode_polyline(s: &str, precision: u32, max: usize) -> Result<Vec<LonLat>> {
    let malformed = |pos: usize| {
        Error::new(
            ErrorKind::InvalidQuery,
            format!("Encoded polyline malformed close to position {pos}"),
        )
    };
    let factor = 10f64.powi(precision as i32);
    let bytes = s.as_bytes();
    let mut i = 0;
    let next = |i: &mut usize| -> Result<i64> {
        let mut result: i64 = 0;
        let mut shift = 0u32;
        loop {
            let b = *bytes.get(*i).ok_or_else(|| malformed(*i))?;
            if !(63..=126).contains(&b) || shift > 55 {
                return Err(malformed(*i));
            }
            *i += 1;
            let chunk = (b - 63) as i64;
            result |= (chunk & 0x1f) << shift;
            shift += 5;
            if chunk < 0x20 {
                break;
            }
        }
        Ok(if result & 1 == 1 {
            !(result >> 1)
        } else {
            result >> 1
        })
    };
    let mut out = Vec::new();
    let (mut lat, mut lon) = (0i64, 0i64);
    while i < bytes.len() {
        if out.len() == max {
            return Err(too_many(max + 1, max));
        }
        lat = lat.checked_add(next(&mut i)?).ok_or_else(|| malformed(i))?;
        lon = lon.checked_add(next(&mut i)?).ok_or_else(|| malformed(i))?;
        out.push([lon as f64 / factor, lat as f64 / factor]);
    }
    if out.is_empty() {
        return Err(Error::new(
            ErrorKind::InvalidUrl,
            "Encoded polyline is empty",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_pairs() {
        let c = parse_coordinates("24.94,60.17;-0.5,1e1", 5).unwrap();
        assert_eq!(c, vec![[24.94, 60.17], [-0.5, 10.0]]);
    }

    #[test]
    fn malformed_pairs_are_invalid_query() {
        for s in [
            "24.94",
            "24.94,60.17;",
            "a,b",
            "nan,nan",
            "inf,1",
            "1,2,3",
            "1;2",
            " , ",
        ] {
            let e = parse_coordinates(s, 5).unwrap_err();
            assert_eq!(e.kind, ErrorKind::InvalidQuery, "{s}");
        }
    }

    #[test]
    fn out_of_range_is_invalid_value() {
        for s in ["-200,60", "24,91", "180.0001,0", "0,-90.5"] {
            assert_eq!(
                parse_coordinates(s, 5).unwrap_err().kind,
                ErrorKind::InvalidValue,
                "{s}"
            );
        }
        assert!(parse_coordinates("180,90;-180,-90", 5).is_ok());
    }

    #[test]
    fn too_many_before_allocation() {
        let s = ["1,1"; 11].join(";");
        assert_eq!(
            parse_coordinates(&s, 10).unwrap_err().kind,
            ErrorKind::TooBig
        );
        assert_eq!(parse_coordinates(&s, 11).unwrap().len(), 11);
    }

    #[test]
    fn polyline_google_example() {
        // Google's documented example: (38.5,-120.2), (40.7,-120.95), (43.252,-126.453).
        let c = parse_coordinates("polyline(_p~iF~ps|U_ulLnnqC_mqNvxq`@)", 10).unwrap();
        assert_eq!(c, vec![[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]]);
        assert_eq!(
            parse_coordinates("polyline(_p~iF~ps|U_ulLnnqC_mqNvxq`@)", 2)
                .unwrap_err()
                .kind,
            ErrorKind::TooBig
        );
    }

    #[test]
    fn polyline6_precision() {
        // 60.17, 24.94 at precision 6 encoded by hand-checked reference encoder.
        let enc = encode6(&[[24.94, 60.17], [24.95, 60.175]]);
        let c = parse_coordinates(&format!("polyline6({enc})"), 10).unwrap();
        assert!((c[0][0] - 24.94).abs() < 1e-9 && (c[1][1] - 60.175).abs() < 1e-9);
    }

    #[test]
    fn bad_polylines() {
        for s in [
            "polyline()",
            "polyline(_p~iF)",
            "polyline(_p~iF~ps|U_ulL)",
            "polyline( )",
            "polyline(~~~~~~~~~~~~~~~~~~~~~~~~)",
        ] {
            let e = parse_coordinates(s, 10).unwrap_err();
            assert!(
                matches!(e.kind, ErrorKind::InvalidQuery | ErrorKind::InvalidUrl),
                "{s}: {e}"
            );
        }
        // Decodes fine but lands outside WGS84.
        let enc = encode6(&[[24.94, 60.17]]);
        assert_eq!(
            parse_coordinates(&format!("polyline({enc})"), 10)
                .unwrap_err()
                .kind,
            ErrorKind::InvalidValue
        );
    }

    fn encode6(c: &[LonLat]) -> String {
        let mut out = String::new();
        let (mut plat, mut plon) = (0i64, 0i64);
        for &[lon, lat] in c {
            let (la, lo) = ((lat * 1e6).round() as i64, (lon * 1e6).round() as i64);
            for d in [la - plat, lo - plon] {
                let mut v = if d < 0 { !(d << 1) } else { d << 1 };
                while v >= 0x20 {
                    out.push((((v & 0x1f) | 0x20) as u8 + 63) as char);
                    v >>= 5;
                }
                out.push((v as u8 + 63) as char);
            }
            plat = la;
            plon = lo;
        }
        out
    }
}
