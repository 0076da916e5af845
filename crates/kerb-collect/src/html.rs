//! A self-contained HTML map of a plan: the road network, bins, depots, disposal sites and
//! one coloured line per truck with direction arrows, drawn as inline SVG, plus a legend
//! with each truck's distance and times. No tile server, no external script or font: the
//! page opens offline. A few lines of inline script add zoom, pan and per-truck toggles;
//! without script the page still shows the whole map.

use std::fmt::Write;

/// A truck's route on the map.
#[derive(Debug, Clone, Default)]
pub struct MapRoute {
    /// Name shown in the legend and the tooltip (the truck id).
    pub name: String,
    /// Legend lines under the name (bins, distance, times, ...); also the route's tooltip.
    pub details: Vec<String>,
    /// Road geometry `(lon, lat)` in driving order.
    pub line: Vec<(f64, f64)>,
}

/// A point on the map with a tooltip.
#[derive(Debug, Clone, Default)]
pub struct MapMarker {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Short label drawn beside depots and disposal sites (unused for bins).
    pub label: String,
    /// Hover text; lines separated by `\n`.
    pub tooltip: String,
    /// Index into [`MapLayers::routes`] of the truck serving it (bins); `None` when unassigned.
    pub route: Option<usize>,
}

/// A street stretch served along its length.
#[derive(Debug, Clone, Default)]
pub struct MapStreet {
    /// The stretch `(lon, lat)` as drawn by the caller.
    pub line: Vec<(f64, f64)>,
    /// Hover text; lines separated by `\n`.
    pub tooltip: String,
    /// Index into [`MapLayers::routes`] of the (first) truck serving it; `None` when no
    /// pass is planned.
    pub route: Option<usize>,
}

/// Something to draw on the map.
#[derive(Debug, Clone, Default)]
pub struct MapLayers {
    /// Road centre lines `(lon, lat)`; drawn grey, wider for major roads (`true`).
    pub roads: Vec<(Vec<(f64, f64)>, bool)>,
    /// One line per truck.
    pub routes: Vec<MapRoute>,
    /// Bins, coloured by their route; black when unassigned.
    pub bins: Vec<MapMarker>,
    /// Street stretches served along their length: a wide band in their truck's colour
    /// under the routes, dashed black when unassigned.
    pub streets: Vec<MapStreet>,
    /// Depots (black squares).
    pub depots: Vec<MapMarker>,
    /// Disposal sites (brown triangles).
    pub disposal: Vec<MapMarker>,
    /// Lines listed under the legend (for example unassigned bins and why).
    pub notes: Vec<String>,
    /// Per route (same order as `routes`), its stops in order: the route sheet a crew drives
    /// by, folded under the truck's legend entry. Empty: no sheets.
    pub sheets: Vec<Vec<SheetRow>>,
    /// Language of the page's street names (`ar`, `en`, ...): the document's `lang`, and
    /// right-to-left layout for Arabic, Hebrew, Persian, Urdu and the like. `None`: English.
    pub language: Option<String>,
}

/// One stop on a route sheet.
#[derive(Debug, Clone, Default)]
pub struct SheetRow {
    /// Arrival, as `HH:MM`.
    pub time: String,
    /// Bin, street, depot or disposal-site id, or what happens (`break`).
    pub id: String,
    /// Street name in the page's language (may be empty).
    pub street: String,
    /// A short note (`left`, `right`, `unload`).
    pub note: String,
}

/// Whether text in `lang` runs right to left (the primary subtag of the scripts written so:
/// Arabic, Hebrew, Persian, Urdu, Pashto, Sindhi, Kurdish (Sorani), Uyghur, Yiddish, Dhivehi).
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("");
    matches!(
        primary,
        "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ckb" | "ug" | "yi" | "dv" | "arz" | "iw"
    )
}

const PALETTE: [&str; 10] = [
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324",
    "#469990", "#800000",
];

/// Grey of the road network.
pub const ROAD_COLOUR: &str = "#b4b4b4";

/// Colour of route `i` (cycles through a 10-colour palette).
pub fn route_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Mean metres per degree of latitude.
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

struct Projection {
    min_lon: f64,
    max_lat: f64,
    kx: f64,
    ky: f64,
}

impl Projection {
    /// Equirectangular projection of the points' bounding box into `width` x `0.75 width`
    /// units; returns the projection and the width and height the points take.
    fn fit(points: impl Iterator<Item = (f64, f64)>, width: f64) -> (Projection, f64, f64) {
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
        // Tall areas are fitted to the height of a 4:3 page rather than stretched to `width`.
        let k = (width / span_x).min(width * 0.75 / span_y);
        (
            Projection {
                min_lon: a,
                max_lat: d,
                kx: k * coslat,
                ky: k,
            },
            span_x * k,
            span_y * k,
        )
    }

    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.min_lon) * self.kx,
            (self.max_lat - lat) * self.ky,
        )
    }

    /// Map units per metre.
    fn units_per_m(&self) -> f64 {
        self.ky / M_PER_DEG
    }
}

fn path_d(pts: &[(f64, f64)]) -> String {
    let mut s = String::with_capacity(pts.len() * 14);
    for (i, &(x, y)) in pts.iter().enumerate() {
        let _ = write!(s, "{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x, y);
    }
    s
}

/// The polyline moved `d` units to the right of its direction of travel (y grows
/// downwards), so that trucks sharing a street, or one truck driving it both ways, show as
/// parallel lines. Joins use the mean of the neighbouring normals, stretched at most 2x.
fn offset_right(pts: &[(f64, f64)], d: f64) -> Vec<(f64, f64)> {
    let mut p: Vec<(f64, f64)> = Vec::with_capacity(pts.len());
    for &q in pts {
        if p.last().is_none_or(|l| (l.0 - q.0).hypot(l.1 - q.1) > 1e-6) {
            p.push(q);
        }
    }
    if p.len() < 2 {
        return p;
    }
    let normal = |a: (f64, f64), b: (f64, f64)| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let l = dx.hypot(dy);
        (-dy / l, dx / l)
    };
    (0..p.len())
        .map(|i| {
            let n0 = (i > 0).then(|| normal(p[i - 1], p[i]));
            let n1 = (i + 1 < p.len()).then(|| normal(p[i], p[i + 1]));
            let (nx, ny) = match (n0, n1) {
                (Some(a), Some(b)) => {
                    let (sx, sy) = (a.0 + b.0, a.1 + b.1);
                    let l = sx.hypot(sy);
                    if l < 1e-6 {
                        a // a U-turn: keep the incoming side
                    } else {
                        // Miter length 1/cos(half angle), capped.
                        let cos_half = l / 2.0;
                        let m = (1.0 / cos_half).min(2.0);
                        (sx / l * m, sy / l * m)
                    }
                }
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => (0.0, 0.0),
            };
            (p[i].0 + nx * d, p[i].1 + ny * d)
        })
        .collect()
}

/// Arrowheads every `spacing` units along the polyline, pointing in the direction of travel,
/// as one SVG path.
fn arrows(pts: &[(f64, f64)], spacing: f64, size: f64) -> String {
    let mut s = String::new();
    let mut next = spacing / 2.0;
    let mut walked = 0.0;
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = (b.0 - a.0).hypot(b.1 - a.1);
        if len < 1e-9 {
            continue;
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        while next <= walked + len {
            let t = next - walked;
            let (cx, cy) = (a.0 + ux * t, a.1 + uy * t);
            let tip = (cx + ux * size, cy + uy * size);
            let l = (
                cx - ux * size - uy * size * 0.8,
                cy - uy * size + ux * size * 0.8,
            );
            let r = (
                cx - ux * size + uy * size * 0.8,
                cy - uy * size - ux * size * 0.8,
            );
            let _ = write!(
                s,
                "M{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z",
                tip.0, tip.1, l.0, l.1, r.0, r.1
            );
            next += spacing;
        }
        walked += len;
    }
    s
}

/// A round length for a scale bar of at most `max_units` map units.
fn scale_length_m(units_per_m: f64, max_units: f64) -> f64 {
    let mut best = 1.0;
    for exp in 0..7 {
        for step in [1.0, 2.0, 5.0] {
            let m = step * 10f64.powi(exp);
            if m * units_per_m <= max_units {
                best = m;
            }
        }
    }
    best
}

fn metres_label(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", m / 1000.0)
    } else {
        format!("{m} m")
    }
}

const STYLE: &str = r#"
html,body{margin:0;height:100%;font-family:sans-serif}
body{display:flex}
#map{flex:1;min-width:0;height:100vh;background:#fafafa}
#map svg{width:100%;height:100%;display:block;cursor:grab;touch-action:none}
#map svg.dragging{cursor:grabbing}
aside{width:300px;padding:10px 14px;font-size:13px;border-left:1px solid #ddd;overflow:auto;height:100vh;box-sizing:border-box;background:#fff}
aside h2{font-size:16px;margin:4px 0 8px}
[dir=rtl] aside{border-left:0;border-right:1px solid #ddd}
.sheet{margin:4px 0 0 24px;color:#333}
.sheet summary{cursor:pointer;color:#555}
.sheet ol{margin:4px 0;padding-inline-start:22px}
.sheet .t{font-variant-numeric:tabular-nums;color:#555}
.sheet .n{color:#777}
aside p{margin:4px 0}
aside ul{list-style:none;padding:0;margin:8px 0}
.truck{margin:0 0 8px;padding:4px;border-radius:4px}
.truck:hover{background:#f0f0f0}
.truck .sw{display:inline-block;width:22px;height:6px;margin:0 6px 2px 2px;vertical-align:middle;border-radius:2px}
.truck .d{color:#444;margin-left:24px;line-height:1.35}
.sym svg{vertical-align:middle;margin-right:4px}
.notes{color:#444;font-size:12px}
.hint{color:#777;font-size:11px}
.route .line{fill:none;stroke-width:2.6;stroke-linejoin:round;stroke-linecap:round}
.route .arrows{stroke:#fff;stroke-width:0.6}
.route.hl .line{stroke-width:5}
.bin{stroke:#fff;stroke-width:0.9}
.street{fill:none;stroke-width:9;stroke-opacity:0.35;stroke-linecap:round;stroke-linejoin:round}
.street.none{stroke:#000;stroke-opacity:0.6;stroke-width:3;stroke-dasharray:6 4}
.label{font-size:12px;paint-order:stroke;stroke:#fff;stroke-width:3px;fill:#222;font-weight:bold}
.scale{font-size:11px;fill:#222}
"#;

/// Zoom (wheel), pan (drag), reset (double click), per-truck toggles and highlight from the
/// legend. Sets `data-map-ready` on `<html>` when done, with the map's screen box and
/// transform, and lists any script error in `#errors`, so that a headless browser can check
/// the page (scripts/check_map.py).
const SCRIPT: &str = r#"
(function(){
  var errs=document.getElementById('errors');
  window.addEventListener('error',function(e){errs.textContent+=e.message+'\n';document.documentElement.setAttribute('data-map-errors','1');});
  var svg=document.querySelector('#map svg');
  var v0=svg.getAttribute('viewBox').split(' ').map(Number), v=v0.slice();
  function set(){svg.setAttribute('viewBox',v.map(function(x){return x.toFixed(2);}).join(' '));}
  function toUser(cx,cy){var p=svg.createSVGPoint();p.x=cx;p.y=cy;return p.matrixTransform(svg.getScreenCTM().inverse());}
  svg.addEventListener('wheel',function(e){
    e.preventDefault();
    var k=Math.exp(e.deltaY*0.0015), z=v[2]*k/v0[2];
    if(z<0.02||z>1.5)return;
    var p=toUser(e.clientX,e.clientY);
    v=[p.x-(p.x-v[0])*k,p.y-(p.y-v[1])*k,v[2]*k,v[3]*k];set();
  },{passive:false});
  var drag=null;
  svg.addEventListener('pointerdown',function(e){drag={x:e.clientX,y:e.clientY,v:v.slice(),s:svg.getScreenCTM().a};svg.setPointerCapture(e.pointerId);svg.classList.add('dragging');});
  svg.addEventListener('pointermove',function(e){if(!drag)return;v[0]=drag.v[0]-(e.clientX-drag.x)/drag.s;v[1]=drag.v[1]-(e.clientY-drag.y)/drag.s;set();});
  svg.addEventListener('pointerup',function(){drag=null;svg.classList.remove('dragging');});
  svg.addEventListener('dblclick',function(){v=v0.slice();set();});
  document.querySelectorAll('.truck').forEach(function(li){
    var i=li.getAttribute('data-route'), g=document.getElementById('route-'+i);
    li.querySelector('input').addEventListener('change',function(e){
      var show=e.target.checked?'':'none';
      document.querySelectorAll('#map [data-route="'+i+'"]').forEach(function(el){el.style.display=show;});
    });
    li.addEventListener('mouseenter',function(){g.classList.add('hl');g.parentNode.appendChild(g);});
    li.addEventListener('mouseleave',function(){g.classList.remove('hl');});
  });
  var r=svg.getBoundingClientRect(), m=svg.getScreenCTM(), h=document.documentElement;
  h.setAttribute('data-map-ctm',[m.a,m.d,m.e,m.f].join(','));
  h.setAttribute('data-map-box',[r.left,r.top,r.width,r.height,innerWidth,innerHeight].join(','));
  document.documentElement.setAttribute('data-map-ready','1');
})();
"#;

/// Renders the layers as a complete HTML document titled `title`, with a legend listing
/// `summary` lines, one entry per truck and the symbols.
///
/// ```
/// use kerb_collect::html::{render, MapLayers, MapMarker, MapRoute};
/// let layers = MapLayers {
///     roads: vec![(vec![(24.94, 60.16), (24.95, 60.17)], false)],
///     routes: vec![MapRoute { name: "truck-1".into(), details: vec!["2.1 km".into()],
///                             line: vec![(24.94, 60.16), (24.95, 60.17)] }],
///     bins: vec![MapMarker { lon: 24.945, lat: 60.165, route: Some(0), ..Default::default() }],
///     ..Default::default()
/// };
/// let html = render("Monday", &[], &layers);
/// assert!(html.contains("<svg") && !html.contains("https://"));
/// ```
pub fn render(title: &str, summary: &[String], layers: &MapLayers) -> String {
    let all = layers
        .roads
        .iter()
        .flat_map(|(l, _)| l.iter().copied())
        .chain(layers.routes.iter().flat_map(|r| r.line.iter().copied()))
        .chain(layers.bins.iter().map(|b| (b.lon, b.lat)))
        .chain(layers.streets.iter().flat_map(|s| s.line.iter().copied()))
        .chain(layers.depots.iter().map(|d| (d.lon, d.lat)))
        .chain(layers.disposal.iter().map(|d| (d.lon, d.lat)));
    let (p, width, height) = Projection::fit(all, 1000.0);
    let project = |line: &[(f64, f64)]| -> Vec<(f64, f64)> {
        line.iter().map(|&(lon, lat)| p.xy(lon, lat)).collect()
    };
    // Room on the right for site labels and at the bottom for the scale bar.
    let (margin, right, bottom) = (15.0, 110.0, 40.0);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg viewBox="{} {} {} {}" preserveAspectRatio="xMidYMid meet">"#,
        -margin,
        -margin,
        width + margin + right,
        height + margin + bottom
    );
    let _ = write!(
        svg,
        r#"<g id="roads" fill="none" stroke="{ROAD_COLOUR}" stroke-linecap="round" stroke-linejoin="round">"#
    );
    for (line, major) in &layers.roads {
        let _ = write!(
            svg,
            r#"<path d="{}" stroke-width="{}"/>"#,
            path_d(&project(line)),
            if *major { 3.0 } else { 1.6 }
        );
    }
    svg.push_str("</g><g id=\"streets\">");
    for st in &layers.streets {
        let (class, colour, route_attr) = match st.route {
            Some(i) => ("street", route_colour(i), format!(r#" data-route="{i}""#)),
            None => ("street none", "#000", String::new()),
        };
        let _ = write!(
            svg,
            r#"<path class="{class}"{route_attr} stroke="{colour}" d="{}"><title>{}</title></path>"#,
            path_d(&project(&st.line)),
            escape(&st.tooltip)
        );
    }
    svg.push_str("</g><g id=\"routes\">");
    for (i, r) in layers.routes.iter().enumerate() {
        // Each truck its own lane to the right of travel, so shared streets show every truck.
        let line = offset_right(&project(&r.line), 2.0 + 2.2 * (i % 4) as f64);
        let colour = route_colour(i);
        let mut tip = r.name.clone();
        for d in &r.details {
            tip.push('\n');
            tip.push_str(d);
        }
        let _ = write!(
            svg,
            r#"<g class="route" id="route-{i}" data-route="{i}" data-truck="{}" data-colour="{colour}"><title>{}</title><path class="line" stroke="{colour}" d="{}"/><path class="arrows" fill="{colour}" d="{}"/></g>"#,
            escape(&r.name),
            escape(&tip),
            path_d(&line),
            arrows(&line, 45.0, 4.5)
        );
    }
    svg.push_str("</g><g id=\"bins\">");
    for b in &layers.bins {
        let (x, y) = p.xy(b.lon, b.lat);
        let (fill, r) = match b.route {
            Some(i) => (route_colour(i), 3.4),
            None => ("#000", 4.0),
        };
        let route_attr = b
            .route
            .map(|i| format!(r#" data-route="{i}""#))
            .unwrap_or_default();
        let _ = write!(
            svg,
            r#"<circle class="bin"{route_attr} cx="{x:.1}" cy="{y:.1}" r="{r}" fill="{fill}"><title>{}</title></circle>"#,
            escape(&b.tooltip)
        );
    }
    svg.push_str("</g><g id=\"sites\">");
    for d in &layers.depots {
        let (x, y) = p.xy(d.lon, d.lat);
        let _ = write!(
            svg,
            r##"<g class="depot"><title>{}</title><rect x="{:.1}" y="{:.1}" width="14" height="14" fill="#111" stroke="#fff" stroke-width="1.5"/><text class="label" x="{:.1}" y="{:.1}">{}</text></g>"##,
            escape(&d.tooltip),
            x - 7.0,
            y - 7.0,
            x + 10.0,
            y + 4.0,
            escape(&d.label)
        );
    }
    for d in &layers.disposal {
        let (x, y) = p.xy(d.lon, d.lat);
        let _ = write!(
            svg,
            r##"<g class="disposal"><title>{}</title><polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="#8b4513" stroke="#fff" stroke-width="1.5"/><text class="label" x="{:.1}" y="{:.1}">{}</text></g>"##,
            escape(&d.tooltip),
            x,
            y - 10.0,
            x - 9.0,
            y + 7.0,
            x + 9.0,
            y + 7.0,
            x + 11.0,
            y + 4.0,
            escape(&d.label)
        );
    }
    svg.push_str("</g>");
    let scale_m = scale_length_m(p.units_per_m(), width.max(400.0) * 0.3);
    let scale_u = scale_m * p.units_per_m();
    let sy = height + bottom - 14.0;
    let _ = write!(
        svg,
        r##"<g class="scale" id="scale" data-metres="{scale_m}" data-units="{scale_u:.3}"><path d="M0,{:.1}v5h{scale_u:.1}v-5" fill="none" stroke="#222" stroke-width="1.5"/><text x="{:.1}" y="{:.1}">{}</text></g>"##,
        sy - 5.0,
        scale_u + 6.0,
        sy + 1.0,
        metres_label(scale_m)
    );
    svg.push_str("</svg>");

    let mut legend = String::new();
    for (i, r) in layers.routes.iter().enumerate() {
        let details: Vec<String> = r.details.iter().map(|d| escape(d)).collect();
        let sheet = layers
            .sheets
            .get(i)
            .map(|rows| sheet_html(rows))
            .unwrap_or_default();
        let _ = write!(
            legend,
            r#"<li class="truck" data-route="{i}"><label><input type="checkbox" checked><span class="sw" style="background:{}"></span><b>{}</b></label><div class="d">{}</div>{sheet}</li>"#,
            route_colour(i),
            escape(&r.name),
            details.join("<br>")
        );
    }
    let summary: String = summary
        .iter()
        .map(|s| format!("<p>{}</p>", escape(s)))
        .collect();
    let notes: String = layers
        .notes
        .iter()
        .map(|s| format!("<p>{}</p>", escape(s)))
        .collect();
    let symbols = concat!(
        r##"<p class="sym"><svg width="14" height="14"><rect x="1" y="1" width="12" height="12" fill="#111"/></svg>depot "##,
        r##"<svg width="16" height="14"><polygon points="8,1 1,13 15,13" fill="#8b4513"/></svg>disposal site</p>"##,
        r##"<p class="sym"><svg width="14" height="14"><circle cx="7" cy="7" r="4" fill="#e6194b" stroke="#fff"/></svg>bin, in its truck's colour "##,
        r##"<svg width="14" height="14"><circle cx="7" cy="7" r="4.5" fill="#000"/></svg>unassigned</p>"##,
        r##"<p class="sym"><svg width="26" height="10"><path d="M1,5H25" stroke="#555" stroke-width="2.6"/><path d="M17,1L23,5L17,9Z" fill="#555" stroke="#fff" stroke-width="0.6"/></svg>driving direction; each truck keeps to its own lane right of the road centre</p>"##
    );
    let street_symbols = if layers.streets.is_empty() {
        ""
    } else {
        concat!(
            r##"<p class="sym"><svg width="26" height="10"><path d="M2,5H24" stroke="#e6194b" stroke-opacity="0.35" stroke-width="9"/></svg>street served along its length "##,
            r##"<svg width="26" height="10"><path d="M2,5H24" stroke="#000" stroke-width="3" stroke-dasharray="6 4"/></svg>unassigned</p>"##
        )
    };
    let lang = layers.language.as_deref().unwrap_or("en");
    let dir = if is_rtl(lang) { "rtl" } else { "ltr" };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title>
<style>{STYLE}</style></head>
<body><div id="map">{svg}</div>
<aside><h2>{t}</h2>{summary}<ul>{legend}</ul>{symbols}{street_symbols}<div class="notes">{notes}</div>
<p class="hint">Hover a bin, site or route for details. Scroll to zoom, drag to pan, double-click to reset; untick a truck to hide it.</p>
<p class="hint">Map data &copy; OpenStreetMap contributors, ODbL.</p><pre id="errors"></pre></aside>
<script>{SCRIPT}</script></body></html>
"#,
        t = escape(title),
        lang = escape(lang)
    )
}

/// A route sheet as a folded list: arrival, id, street (each isolated with `<bdi>` so an
/// Arabic street name beside a Latin id keeps its own direction), note.
fn sheet_html(rows: &[SheetRow]) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let mut out = format!(
        r#"<details class="sheet"><summary>route sheet ({} stops)</summary><ol>"#,
        rows.len()
    );
    for row in rows {
        let _ = write!(
            out,
            r#"<li><span class="t">{}</span> <bdi>{}</bdi>"#,
            escape(&row.time),
            escape(&row.id)
        );
        if !row.street.is_empty() {
            let _ = write!(
                out,
                r#" &middot; <bdi class="st" dir="auto">{}</bdi>"#,
                escape(&row.street)
            );
        }
        if !row.note.is_empty() {
            let _ = write!(out, r#" <span class="n">({})</span>"#, escape(&row.note));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol></details>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(lon: f64, lat: f64, tip: &str, route: Option<usize>) -> MapMarker {
        MapMarker {
            lon,
            lat,
            label: tip.into(),
            tooltip: tip.into(),
            route,
        }
    }

    #[test]
    fn arabic_pages_run_right_to_left_with_isolated_street_names() {
        let row = |time: &str, id: &str, street: &str, note: &str| SheetRow {
            time: time.into(),
            id: id.into(),
            street: street.into(),
            note: note.into(),
        };
        let layers = MapLayers {
            routes: vec![MapRoute {
                name: "truck-1".into(),
                details: vec![],
                line: vec![(46.67, 24.71), (46.68, 24.72)],
            }],
            sheets: vec![vec![
                row("06:00", "depot", "", ""),
                row("06:12", "bin-1", "طريق الملك فهد", "right"),
                row("06:40", "tip", "", "unload"),
            ]],
            language: Some("ar".into()),
            ..Default::default()
        };
        let html = render("Sunday", &[], &layers);
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(html.contains("route sheet (3 stops)"));
        assert!(html.contains(r#"<bdi class="st" dir="auto">طريق الملك فهد</bdi>"#));
        assert_eq!(html.matches("<li><span class=\"t\">").count(), 3);
        assert!(is_rtl("ar") && is_rtl("fa-IR") && is_rtl("he") && !is_rtl("en") && !is_rtl("sv"));
    }

    #[test]
    fn renders_every_layer_and_escapes_labels() {
        let layers = MapLayers {
            roads: vec![(vec![(24.0, 60.0), (24.01, 60.01)], true)],
            routes: vec![MapRoute {
                name: "truck <1>".into(),
                details: vec!["1.0 km".into()],
                line: vec![(24.0, 60.0), (24.01, 60.0)],
            }],
            bins: vec![
                marker(24.005, 60.005, "bin a", Some(0)),
                marker(24.006, 60.006, "bin b", None),
            ],
            streets: vec![
                MapStreet {
                    line: vec![(24.0, 60.002), (24.004, 60.002)],
                    tooltip: "street s".into(),
                    route: Some(0),
                },
                MapStreet {
                    line: vec![(24.0, 60.003), (24.004, 60.003)],
                    tooltip: "street t".into(),
                    route: None,
                },
            ],
            depots: vec![marker(24.0, 60.0, "depot", None)],
            disposal: vec![marker(24.01, 60.01, "landfill", None)],
            notes: vec!["bin b: unreachable".into()],
            ..Default::default()
        };
        let html = render("Day", &["2 bins".into()], &layers);
        assert!(html.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(!html.contains("route sheet"));
        assert_eq!(html.matches("class=\"street\" data-route=\"0\"").count(), 1);
        assert_eq!(html.matches("class=\"street none\"").count(), 1);
        assert!(html.contains("street served along its length"));
        assert!(html.contains("truck &lt;1&gt;"));
        assert_eq!(html.matches("class=\"bin\"").count(), 2);
        assert_eq!(html.matches("class=\"route\"").count(), 1);
        assert_eq!(html.matches("class=\"arrows\"").count(), 1);
        assert!(html.contains("class=\"depot\"") && html.contains("class=\"disposal\""));
        assert!(html.contains("bin b: unreachable"));
        // Nothing to fetch: no URL at all (inline SVG needs no namespace in HTML).
        assert!(!html.contains("http") && !html.contains(" src="));
    }

    #[test]
    fn offset_lines_move_right_of_travel() {
        // Eastwards in SVG coordinates (y down): the right-hand side is +y.
        let east = offset_right(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)], 2.0);
        assert!(east.iter().all(|p| (p.1 - 2.0).abs() < 1e-9), "{east:?}");
        // Back westwards along the same street: the other side.
        let west = offset_right(&[(20.0, 0.0), (0.0, 0.0)], 2.0);
        assert!(west.iter().all(|p| (p.1 + 2.0).abs() < 1e-9), "{west:?}");
        // A right-angle corner keeps the distance to both legs.
        let corner = offset_right(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)], 1.0);
        assert!((corner[1].0 - 9.0).abs() < 1e-9 && (corner[1].1 - 1.0).abs() < 1e-9);
        // Duplicate points and a U-turn do not produce NaN.
        let u = offset_right(&[(0.0, 0.0), (0.0, 0.0), (5.0, 0.0), (0.0, 0.0)], 1.0);
        assert!(u.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    }

    #[test]
    fn arrows_are_spaced_along_the_line() {
        let d = arrows(&[(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)], 45.0, 4.0);
        // At 22.5, 67.5, 112.5, 157.5 units along a 200-unit line.
        assert_eq!(d.matches('M').count(), 4);
        assert!(d.starts_with("M26.5,0.0"), "{d}");
    }

    #[test]
    fn scale_bar_lengths_are_round() {
        assert_eq!(scale_length_m(1.0, 250.0), 200.0);
        assert_eq!(scale_length_m(0.1, 250.0), 2000.0);
        assert_eq!(metres_label(2000.0), "2 km");
        assert_eq!(metres_label(500.0), "500 m");
    }
}
