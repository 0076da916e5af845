//! Bin lists from CSV and GeoJSON, the formats municipal GIS exports come in.

use serde::Deserialize;

use crate::day::{Bin, StreetSide, TimeOfDay};
use crate::Error;

#[derive(Deserialize)]
struct CsvRow {
    id: String,
    lon: f64,
    lat: f64,
    #[serde(default)]
    weight_kg: Option<f64>,
    #[serde(default)]
    volume_l: Option<f64>,
    #[serde(default)]
    service_s: Option<f64>,
    #[serde(default)]
    tw_start: Option<String>,
    #[serde(default)]
    tw_end: Option<String>,
    #[serde(default)]
    side: Option<String>,
}

fn parse_side(s: Option<&str>, id: &str) -> Result<StreetSide, Error> {
    match s.map(str::trim).unwrap_or("") {
        "" | "auto" => Ok(StreetSide::Auto),
        "either" => Ok(StreetSide::Either),
        other => Err(Error::InvalidInput(format!(
            "bin {id:?}: side must be auto or either, not {other:?}"
        ))),
    }
}

fn window(start: Option<&str>, end: Option<&str>, id: &str) -> Result<Vec<[TimeOfDay; 2]>, Error> {
    let parse = |s: &str| match s.trim().parse::<f64>() {
        Ok(v) => Ok(TimeOfDay(v)),
        Err(_) => TimeOfDay::parse(s),
    };
    match (
        start.filter(|s| !s.trim().is_empty()),
        end.filter(|s| !s.trim().is_empty()),
    ) {
        (None, None) => Ok(vec![]),
        (Some(a), Some(b)) => Ok(vec![[parse(a)?, parse(b)?]]),
        _ => Err(Error::InvalidInput(format!(
            "bin {id:?}: tw_start and tw_end go together"
        ))),
    }
}

/// Reads bins from CSV with a header row. Columns: `id,lon,lat` required; optional
/// `weight_kg,volume_l,service_s,tw_start,tw_end,side`.
///
/// ```
/// let csv = "id,lon,lat,weight_kg\nb1,24.94,60.17,25\n";
/// let bins = kerb_collect::bins::read_bins_csv(csv).unwrap();
/// assert_eq!(bins[0].weight_kg, 25.0);
/// ```
pub fn read_bins_csv(text: &str) -> Result<Vec<Bin>, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut bins = Vec::new();
    for (i, row) in reader.deserialize::<CsvRow>().enumerate() {
        let row = row.map_err(|e| Error::InvalidInput(format!("bins CSV row {}: {e}", i + 2)))?;
        bins.push(Bin {
            side: parse_side(row.side.as_deref(), &row.id)?,
            value: None,
            truck: None,
            time_windows: window(row.tw_start.as_deref(), row.tw_end.as_deref(), &row.id)?,
            weight_kg: row.weight_kg.unwrap_or(0.0),
            volume_l: row.volume_l.unwrap_or(0.0),
            service_s: row.service_s.unwrap_or(30.0),
            id: row.id,
            lon: row.lon,
            lat: row.lat,
        });
    }
    Ok(bins)
}

/// Reads bins from a GeoJSON `FeatureCollection` of `Point` features. Properties use the
/// same names as the CSV columns; `id` falls back to the feature id or its index.
pub fn read_bins_geojson(text: &str) -> Result<Vec<Bin>, Error> {
    let bad = |m: String| Error::InvalidInput(format!("bins GeoJSON: {m}"));
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| bad("expected a FeatureCollection with a features array".into()))?;
    let mut bins = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let geom = f
            .get("geometry")
            .ok_or_else(|| bad(format!("feature {i} has no geometry")))?;
        if geom.get("type").and_then(|t| t.as_str()) != Some("Point") {
            return Err(bad(format!("feature {i} is not a Point")));
        }
        let c = geom
            .get("coordinates")
            .and_then(|c| c.as_array())
            .filter(|c| c.len() >= 2)
            .ok_or_else(|| bad(format!("feature {i} has no [lon, lat] coordinates")))?;
        let (lon, lat) = match (c[0].as_f64(), c[1].as_f64()) {
            (Some(a), Some(b)) => (a, b),
            _ => return Err(bad(format!("feature {i}: coordinates must be numbers"))),
        };
        let props = f
            .get("properties")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let num = |k: &str| props.get(k).and_then(|x| x.as_f64());
        let text = |k: &str| {
            props.get(k).and_then(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .or_else(|| x.as_f64().map(|n| n.to_string()))
            })
        };
        let id = text("id")
            .or_else(|| {
                f.get("id").map(|x| {
                    x.as_str()
                        .map(str::to_owned)
                        .unwrap_or_else(|| x.to_string())
                })
            })
            .unwrap_or_else(|| i.to_string());
        bins.push(Bin {
            side: parse_side(text("side").as_deref(), &id)?,
            value: None,
            truck: None,
            time_windows: window(text("tw_start").as_deref(), text("tw_end").as_deref(), &id)?,
            weight_kg: num("weight_kg").unwrap_or(0.0),
            volume_l: num("volume_l").unwrap_or(0.0),
            service_s: num("service_s").unwrap_or(30.0),
            id,
            lon,
            lat,
        });
    }
    Ok(bins)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_windows_and_side() {
        let bins = read_bins_csv(
            "id,lon,lat,weight_kg,tw_start,tw_end,side\na,1,2,3,08:00,10:00,either\nb,1,2,,,,\n",
        )
        .unwrap();
        assert_eq!(bins.len(), 2);
        assert_eq!(bins[0].time_windows[0][1].0, 36_000.0);
        assert_eq!(bins[0].side, StreetSide::Either);
        assert_eq!(bins[1].weight_kg, 0.0);
        assert!(bins[1].time_windows.is_empty());
    }

    #[test]
    fn csv_errors_name_the_row() {
        let e = read_bins_csv("id,lon,lat\na,x,2\n").unwrap_err();
        assert!(e.to_string().contains("row 2"), "{e}");
        let e = read_bins_csv("id,lon,lat,side\na,1,2,middle\n").unwrap_err();
        assert!(e.to_string().contains("side"), "{e}");
    }

    #[test]
    fn geojson_points() {
        let g = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[24.9,60.1]},"properties":{"weight_kg":12}}]}"#;
        let bins = read_bins_geojson(g).unwrap();
        assert_eq!(bins[0].id, "7");
        assert_eq!(bins[0].weight_kg, 12.0);
        assert!(read_bins_geojson(r#"{"type":"FeatureCollection","features":[{"geometry":{"type":"LineString","coordinates":[]}}]}"#).is_err());
    }
}
