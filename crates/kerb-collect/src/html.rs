//! A self-contained HTML map of a plan: the road network, bins, depots, disposal sites and
//! one coloured line per truck, drawn as inline SVG. No tile server, no external script:
//! the page opens offline.

use std::fmt::Write;

/// Something to draw on the map.
#[derive(Debug, Clone, Default)]
pub struct MapLayers {
    /// Road centre lines `(lon, lat)`; drawn grey, wider for major roads (`true`).
    pub roads: Vec<(Vec<(f64, f64)>, bool)>,
    /// One line per truck, with a label shown on hover.
    pub routes: Vec<(String, Vec<(f64, f64)>)>,
    /// Bins `(lon, lat, label, route index or None when unassigned)`.
    pub bins: Vec<(f64, f64, String, Option<usize>)>,
    /// Depots `(lon, lat, label)`.
    pub depots: Vec<(f64, f64, String)>,
    /// Disposal sites `(lon, lat, label)`.
    pub disposal: Vec<(f64, f64, String)>,
}

const PALETTE: [&str; 10] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
    "#469990", "#800000",
];

/// Colour of route `i` (cycles through a 10-colour palette).
pub fn route_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Projection {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    ky: f64,
}

impl Projection {
    fn fit(points: impl Iterator<Item = (f64, f64)>, width: f64) -> (Projection, f64) {
        let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for (x, y) in points {
            a = a.min(x);
            b = b.min(y);
            c = c.max(x);
            d = d.max(y);
        }
        if a > c {
            (a, b, c, d) = (0.0, 0.0, 1.0, 1.0);
        }
        let coslat = ((b + d) / 2.0).to_radians().cos().max(0.01);
        let span_x = ((c - a) * coslat).max(1e-9);
        let span_y = (d - b).max(1e-9);
        let k = width / span_x;
        (
            Projection {
                min_lon: a,
                max_lat: d,
                kx: k * coslat,
                ky: k,
            },
            span_y * k,
        )
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.kx,
            (self.max_lat - lat) * self.ky,
        )
    }

    fn path(&self, line: &[(f64, f64)]) -> String {
        let mut s = String::with_capacity(line.len() * 16);
        for (i, &(lon, lat)) in line.iter().enumerate() {
            let (x, y) = self.xy(lon, lat);
            let _ = write!(s, "{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x, y);
        }
        s
    }
}

/// Renders the layers as a complete HTML document titled `title`, with a legend listing
/// `summary` lines.
pub fn render(title: &str, summary: &[String], layers: &MapLayers) -> String {
    let width = 1000.0;
    let all = layers
        .roads
        .iter()
        .flat_map(|(l, _)| l.iter().copied())
        .chain(layers.bins.iter().map(|b| (b.0, b.1)))
        .chain(layers.depots.iter().map(|d| (d.0, d.1)))
        .chain(layers.disposal.iter().map(|d| (d.0, d.1)));
    let (p, height) = Projection::fit(all, width);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 {} {}" width="100%">"#,
        width + 20.0,
        height + 20.0
    );
    svg.push_str(r##"<g fill="none" stroke="#bbb" stroke-linecap="round">"##);
    for (line, major) in &layers.roads {
        let _ = write!(
            svg,
            r#"<path d="{}" stroke-width="{}"/>"#,
            p.path(line),
            if *major { 2.5 } else { 1.0 }
        );
    }
    svg.push_str("</g><g fill=\"none\" stroke-width=\"3\" stroke-opacity=\"0.85\" stroke-linejoin=\"round\">");
    for (i, (label, line)) in layers.routes.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<path class="route" d="{}" stroke="{}"><title>{}</title></path>"#,
            p.path(line),
            route_colour(i),
            escape(label)
        );
    }
    svg.push_str("</g>");
    for (lon, lat, label, route) in &layers.bins {
        let (x, y) = p.xy(*lon, *lat);
        let fill = route.map(route_colour).unwrap_or("#000");
        let _ = write!(
            svg,
            r##"<circle class="bin" cx="{x:.1}" cy="{y:.1}" r="3" fill="{fill}" stroke="#fff" stroke-width="0.8"><title>{}</title></circle>"##,
            escape(label)
        );
    }
    for (lon, lat, label) in &layers.depots {
        let (x, y) = p.xy(*lon, *lat);
        let _ = write!(
            svg,
            r##"<rect class="depot" x="{:.1}" y="{:.1}" width="14" height="14" fill="#222"><title>{}</title></rect>"##,
            x - 7.0,
            y - 7.0,
            escape(label)
        );
    }
    for (lon, lat, label) in &layers.disposal {
        let (x, y) = p.xy(*lon, *lat);
        let _ = write!(
            svg,
            r##"<polygon class="disposal" points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="#8b4513"><title>{}</title></polygon>"##,
            x,
            y - 9.0,
            x - 8.0,
            y + 6.0,
            x + 8.0,
            y + 6.0,
            escape(label)
        );
    }
    svg.push_str("</svg>");
    let mut legend = String::new();
    for (i, (label, _)) in layers.routes.iter().enumerate() {
        let _ = write!(
            legend,
            r#"<li><span style="background:{}"></span>{}</li>"#,
            route_colour(i),
            escape(label)
        );
    }
    let summary: String = summary
        .iter()
        .map(|s| format!("<p>{}</p>", escape(s)))
        .collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{t}</title>
<style>
body{{font-family:sans-serif;margin:0;display:flex}}
#map{{flex:1;min-width:0}} aside{{width:280px;padding:12px;font-size:13px;border-left:1px solid #ddd}}
aside ul{{list-style:none;padding:0}} aside li span{{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle}}
.route:hover{{stroke-width:6}}
</style></head>
<body><div id="map">{svg}</div>
<aside><h2>{t}</h2>{summary}<ul>{legend}</ul>
<p>&#9632; depot &nbsp; &#9650; disposal site &nbsp; &#9679; bin (black: unassigned)</p>
<p>Map data &copy; OpenStreetMap contributors, ODbL.</p></aside></body></html>
"#,
        t = escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_layer_and_escapes_labels() {
        let layers = MapLayers {
            roads: vec![(vec![(24.0, 60.0), (24.01, 60.01)], true)],
            routes: vec![("truck <1>".into(), vec![(24.0, 60.0), (24.01, 60.0)])],
            bins: vec![
                (24.005, 60.005, "bin a".into(), Some(0)),
                (24.006, 60.006, "bin b".into(), None),
            ],
            depots: vec![(24.0, 60.0, "depot".into())],
            disposal: vec![(24.01, 60.01, "landfill".into())],
        };
        let html = render("Day", &["2 bins".into()], &layers);
        assert!(html.contains("truck &lt;1&gt;"));
        assert_eq!(html.matches("class=\"bin\"").count(), 2);
        assert_eq!(html.matches("class=\"route\"").count(), 1);
        assert!(html.contains("class=\"depot\"") && html.contains("class=\"disposal\""));
        assert!(!html.contains("http://tile") && !html.contains("<script src"));
    }
}
