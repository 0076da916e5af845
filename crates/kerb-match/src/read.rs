//! Trace readers: CSV (`lon,lat[,timestamp][,accuracy]`), GeoJSON (a LineString with times, or
//! Point features) and GPX (track, route or waypoints), each turning bad input into a typed error.

use std::path::Path;

use quick_xml::events::Event;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::trace::{Trace, TracePoint};

/// Reads a trace file, choosing the format by extension (`.csv`, `.gpx`, `.geojson`/`.json`).
pub fn read_trace(path: impl AsRef<Path>) -> Result<Trace> {
    let path = path.as_ref();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match extension.as_str() {
        "csv" | "txt" => parse_csv(&text),
        "gpx" => parse_gpx(&text),
        "geojson" | "json" => parse_geojson(&text),
        _ => Err(Error::UnknownFormat { extension }),
    }
}

/// Parses CSV lines `lon,lat[,timestamp][,accuracy_m]`; a first line that does not start with
/// a number is a header, `#` lines and blank lines are skipped. Timestamps are seconds or
/// ISO 8601 (`2024-05-06T07:30:00Z`).
///
/// ```
/// let t = kerb_match::parse_csv("lon,lat,time\n24.94,60.17,0\n24.95,60.17,10\n")?;
/// assert_eq!(t.points()[1].time_s, Some(10.0));
/// # Ok::<(), kerb_match::Error>(())
/// ```
pub fn parse_csv(text: &str) -> Result<Trace> {
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = |reason: String| Error::Parse {
            format: "csv",
            location: format!("line {}", i + 1),
            reason,
        };
        let number = |s: &str, what: &str| {
            s.parse::<f64>()
                .map_err(|_| bad(format!("{what} {s:?} is not a number")))
        };
        if points.is_empty() && fields[0].parse::<f64>().is_err() {
            continue; // header
        }
        if fields.len() < 2 || fields.len() > 4 {
            return Err(bad(format!(
                "expected lon,lat[,timestamp][,accuracy], got {} fields",
                fields.len()
            )));
        }
        let mut p = TracePoint::new(
            number(fields[0], "longitude")?,
            number(fields[1], "latitude")?,
        );
        if let Some(t) = fields.get(2).filter(|s| !s.is_empty()) {
            p.time_s = Some(parse_time(t).ok_or_else(|| bad(format!("bad timestamp {t:?}")))?);
        }
        if let Some(a) = fields.get(3).filter(|s| !s.is_empty()) {
            p.accuracy_m = Some(number(a, "accuracy")?);
        }
        points.push(p);
    }
    Trace::new(points)
}

/// Parses GeoJSON: a `LineString` (bare, as a Feature, or the first one in a FeatureCollection)
/// with optional `properties.times` (or `coordTimes`, as togeojson writes) and
/// `properties.accuracies`; or a FeatureCollection of `Point` features with optional
/// `time`/`timestamp` and `accuracy` properties.
pub fn parse_geojson(text: &str) -> Result<Trace> {
    let bad = |location: String, reason: String| Error::Parse {
        format: "geojson",
        location,
        reason,
    };
    let root: Value =
        serde_json::from_str(text).map_err(|e| bad("document".into(), e.to_string()))?;
    let features: Vec<&Value> = match root["type"].as_str() {
        Some("FeatureCollection") => root["features"]
            .as_array()
            .ok_or_else(|| bad("document".into(), "features is not an array".into()))?
            .iter()
            .collect(),
        Some("Feature") => vec![&root],
        Some("LineString") | Some("Point") => vec![&root],
        other => {
            return Err(bad(
                "document".into(),
                format!("unsupported GeoJSON type {other:?}"),
            ))
        }
    };
    let mut points = Vec::new();
    for (i, f) in features.iter().enumerate() {
        let (geometry, props) = if f["type"] == "Feature" {
            (&f["geometry"], &f["properties"])
        } else {
            (*f, &Value::Null)
        };
        let location = || format!("feature {i}");
        let lonlat = |c: &Value| -> Result<(f64, f64)> {
            match (c[0].as_f64(), c[1].as_f64()) {
                (Some(x), Some(y)) => Ok((x, y)),
                _ => Err(bad(location(), format!("bad position {c}"))),
            }
        };
        let time_of = |v: &Value| -> Result<Option<f64>> {
            match v {
                Value::Null => Ok(None),
                Value::Number(n) => Ok(n.as_f64()),
                Value::String(s) => parse_time(s)
                    .map(Some)
                    .ok_or_else(|| bad(location(), format!("bad timestamp {s:?}"))),
                other => Err(bad(location(), format!("bad timestamp {other}"))),
            }
        };
        match geometry["type"].as_str() {
            Some("LineString") => {
                let coords = geometry["coordinates"]
                    .as_array()
                    .ok_or_else(|| bad(location(), "coordinates is not an array".into()))?;
                let times = props["times"]
                    .as_array()
                    .or_else(|| props["coordTimes"].as_array());
                let accuracies = props["accuracies"].as_array();
                for (k, c) in coords.iter().enumerate() {
                    let (x, y) = lonlat(c)?;
                    let mut p = TracePoint::new(x, y);
                    if let Some(ts) = times {
                        p.time_s = time_of(ts.get(k).unwrap_or(&Value::Null))?;
                    }
                    p.accuracy_m = accuracies.and_then(|a| a.get(k)).and_then(Value::as_f64);
                    points.push(p);
                }
                // One LineString is one trace.
                break;
            }
            Some("Point") => {
                let (x, y) = lonlat(&geometry["coordinates"])?;
                let mut p = TracePoint::new(x, y);
                let t = if props["time"].is_null() {
                    &props["timestamp"]
                } else {
                    &props["time"]
                };
                p.time_s = time_of(t)?;
                p.accuracy_m = props["accuracy"].as_f64();
                points.push(p);
            }
            other => {
                return Err(bad(
                    location(),
                    format!("unsupported geometry {other:?} (expected LineString or Point)"),
                ))
            }
        }
    }
    Trace::new(points)
}

/// Parses GPX 1.0/1.1: every `trkpt` (or, if there are none, `rtept`, else `wpt`) with its
/// `time`; the `hdop` element, when present, becomes an accuracy of `5 m x hdop`.
///
/// ```
/// let gpx = r#"<gpx><trk><trkseg>
///   <trkpt lat="60.17" lon="24.94"><time>2024-05-06T07:30:00Z</time></trkpt>
///   <trkpt lat="60.17" lon="24.95"><time>2024-05-06T07:30:05Z</time></trkpt>
/// </trkseg></trk></gpx>"#;
/// let t = kerb_match::parse_gpx(gpx)?;
/// assert_eq!(t.points()[1].time_s.unwrap() - t.points()[0].time_s.unwrap(), 5.0);
/// # Ok::<(), kerb_match::Error>(())
/// ```
pub fn parse_gpx(text: &str) -> Result<Trace> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut by_kind: [Vec<TracePoint>; 3] = Default::default();
    let mut current: Option<(usize, TracePoint)> = None;
    let mut field: Option<&'static str> = None;
    let bad = |location: String, reason: String| Error::Parse {
        format: "gpx",
        location,
        reason,
    };
    loop {
        let position = reader.buffer_position();
        let location = || format!("byte {position}");
        match reader.read_event() {
            Err(e) => return Err(bad(location(), e.to_string())),
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) if point_kind(&e).is_some() => {
                current = Some(gpx_point(&e).map_err(|r| bad(location(), r))?);
            }
            Ok(Event::Empty(e)) if point_kind(&e).is_some() => {
                let (kind, p) = gpx_point(&e).map_err(|r| bad(location(), r))?;
                by_kind[kind].push(p);
            }
            Ok(Event::Start(e)) if current.is_some() => {
                field = match e.local_name().as_ref() {
                    b"time" => Some("time"),
                    b"hdop" => Some("hdop"),
                    _ => None,
                };
            }
            Ok(Event::Text(t)) => {
                if let (Some(name), Some((_, p))) = (field, current.as_mut()) {
                    let s = t
                        .unescape()
                        .map_err(|e| bad(location(), e.to_string()))?
                        .trim()
                        .to_string();
                    match name {
                        "time" => {
                            p.time_s = Some(
                                parse_time(&s)
                                    .ok_or_else(|| bad(location(), format!("bad time {s:?}")))?,
                            )
                        }
                        _ => {
                            p.accuracy_m = Some(
                                5.0 * s
                                    .parse::<f64>()
                                    .map_err(|_| bad(location(), format!("bad hdop {s:?}")))?,
                            )
                        }
                    }
                }
            }
            Ok(Event::End(e)) => {
                if matches!(e.local_name().as_ref(), b"trkpt" | b"rtept" | b"wpt") {
                    if let Some((kind, p)) = current.take() {
                        by_kind[kind].push(p);
                    }
                }
                field = None;
            }
            Ok(_) => {}
        }
    }
    let [trk, rte, wpt] = by_kind;
    let points = if !trk.is_empty() {
        trk
    } else if !rte.is_empty() {
        rte
    } else {
        wpt
    };
    Trace::new(points)
}

/// Which list a GPX element's point goes to: track, route or waypoint.
fn point_kind(e: &quick_xml::events::BytesStart) -> Option<usize> {
    match e.local_name().as_ref() {
        b"trkpt" => Some(0),
        b"rtept" => Some(1),
        b"wpt" => Some(2),
        _ => None,
    }
}

/// The point of a `trkpt`/`rtept`/`wpt` element from its `lat` and `lon` attributes.
fn gpx_point(
    e: &quick_xml::events::BytesStart,
) -> std::result::Result<(usize, TracePoint), String> {
    let kind = point_kind(e).ok_or("not a point element")?;
    let (mut lon, mut lat) = (None, None);
    for a in e.attributes() {
        let a = a.map_err(|err| err.to_string())?;
        let v = String::from_utf8_lossy(&a.value).trim().parse::<f64>().ok();
        match a.key.local_name().as_ref() {
            b"lon" => lon = v,
            b"lat" => lat = v,
            _ => {}
        }
    }
    match (lon, lat) {
        (Some(lon), Some(lat)) => Ok((kind, TracePoint::new(lon, lat))),
        _ => Err("point without numeric lat and lon".into()),
    }
}

/// Seconds from a number (`1714980600`, `12.5`) or an ISO 8601 date-time in UTC or with an
/// offset (`2024-05-06T07:30:00Z`, `2024-05-06 07:30:00.5+03:00`), as Unix time.
pub fn parse_time(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Ok(v) = s.parse::<f64>() {
        return v.is_finite().then_some(v);
    }
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let rest = &s[17..];
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let second: f64 = rest[..end].parse().ok()?;
    let zone = &rest[end..];
    let offset_s = match zone {
        "" | "Z" | "z" => 0,
        z if (z.starts_with('+') || z.starts_with('-')) && z.len() >= 3 => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
            let h: i64 = digits.get(0..2)?.parse().ok()?;
            let m: i64 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
            sign * (h * 3600 + m * 60)
        }
        _ => return None,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 24 || minute > 59 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 - offset_s) as f64 + second)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_times_are_unix_seconds() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_time("2024-05-06T07:30:00Z"), Some(1_714_980_600.0));
        assert_eq!(
            parse_time("2024-05-06T10:30:00+03:00"),
            Some(1_714_980_600.0)
        );
        assert_eq!(parse_time("2024-05-06 07:30:00.5"), Some(1_714_980_600.5));
        assert_eq!(parse_time("yesterday"), None);
        assert_eq!(parse_time("2024-13-06T07:30:00Z"), None);
    }

    #[test]
    fn csv_reads_optional_columns_and_rejects_garbage() {
        let t = parse_csv("24.94,60.17\n24.95,60.17,5,3.5\n").unwrap();
        assert_eq!(t.points()[0].time_s, None);
        assert_eq!(t.points()[1].accuracy_m, Some(3.5));
        assert!(matches!(
            parse_csv("24.94,60.17\n24.95,abc\n"),
            Err(Error::Parse { .. })
        ));
        assert!(matches!(
            parse_csv("24.94,60.17,10\n24.95,60.17,5\n"),
            Err(Error::TimeBackwards { index: 1, .. })
        ));
        assert!(matches!(
            parse_csv("24.94,60.17\n"),
            Err(Error::TooShort { points: 1 })
        ));
    }

    #[test]
    fn geojson_line_with_times_and_points() {
        let line = r#"{"type":"Feature","properties":{"times":["2024-05-06T07:30:00Z",1714980610]},
            "geometry":{"type":"LineString","coordinates":[[24.94,60.17],[24.95,60.17]]}}"#;
        let t = parse_geojson(line).unwrap();
        assert_eq!(t.points()[1].time_s, Some(1_714_980_610.0));
        let pts = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"time":0,"accuracy":4},"geometry":{"type":"Point","coordinates":[24.94,60.17]}},
            {"type":"Feature","properties":{"timestamp":3},"geometry":{"type":"Point","coordinates":[24.95,60.17]}}]}"#;
        let t = parse_geojson(pts).unwrap();
        assert_eq!(t.points()[0].accuracy_m, Some(4.0));
        assert_eq!(t.points()[1].time_s, Some(3.0));
        assert!(matches!(
            parse_geojson(r#"{"type":"Polygon","coordinates":[]}"#),
            Err(Error::Parse { .. })
        ));
    }

    #[test]
    fn gpx_reads_track_points_with_hdop_and_self_closing_points() {
        let gpx = r#"<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">
          <trk><trkseg><trkpt lat="60.17" lon="24.94"><hdop>2</hdop></trkpt>
          <trkpt lat="60.18" lon="24.95"/></trkseg></trk></gpx>"#;
        let t = parse_gpx(gpx).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.points()[0].accuracy_m, Some(10.0));
        assert_eq!(t.points()[1].point.y(), 60.18);
        assert!(parse_gpx("<gpx><trkpt lat=\"x\" lon=\"1\"/></gpx>").is_err());
        assert!(parse_gpx("<gpx><trk></gpx>").is_err());
    }
}
