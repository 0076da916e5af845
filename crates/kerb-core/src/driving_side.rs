//! The driving side by location: kerb's built-in country map (Natural Earth 1:50m admin-0
//! countries, see `data/README.md`) and the lookup the importer runs for every road, as
//! OSRM's location-dependent data does for its profiles' `driving_side`.
//!
//! The map holds the left-hand-traffic countries and the right-hand countries next to them
//! (`scripts/gen_driving_side.py`). A point inside a polygon takes its side; a point in none
//! (a pier, reclaimed land, an island the 1:50m coast leaves out) takes the side of the
//! nearest polygon within [`COAST_M`]; anything else drives on the right. The right-hand
//! neighbours are there so that fallback cannot carry a left-hand side over a land border
//! (a Shenzhen street next to Hong Kong).

use std::collections::HashMap;
use std::sync::OnceLock;

use ::geo::{Contains, Coord, Line, LineString, Point, Polygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

use crate::profile::DrivingSide;

/// The generated map (`scripts/gen_driving_side.py`), compiled in so no file is needed at run
/// time.
static MAP_BYTES: &[u8] = include_bytes!("../data/driving_side.bin");
const MAGIC: &[u8; 8] = b"KERBDSD1";

/// A point outside every polygon but at most this far from one takes that polygon's side.
pub const COAST_M: f64 = 20_000.0;

/// Mean Earth radius used for the local metric frame, metres.
const EARTH_M: f64 = 6_371_008.8;

/// One polygon of a country in the map.
struct Country {
    iso: u16,
    side: DrivingSide,
    polygon: Polygon<f64>,
}

/// The decoded map with an R-tree over the polygons' bounding boxes (point in polygon) and
/// one over their edges (the coast fallback looks at the few edges near the point only).
struct CountryMap {
    countries: Vec<Country>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    edges: RTree<GeomWithData<Line<f64>, usize>>,
}

/// Why the embedded map could not be decoded (only a broken build can produce one; a test
/// decodes the shipped file).
#[derive(Debug, thiserror::Error)]
#[error("driving-side map corrupt at byte {offset}: {what}")]
struct MapError {
    offset: usize,
    what: &'static str,
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize, what: &'static str) -> Result<&[u8], MapError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or(MapError {
            offset: self.at,
            what,
        })?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self, what: &'static str) -> Result<u8, MapError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &'static str) -> Result<u16, MapError> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &'static str) -> Result<u32, MapError> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn f64(&mut self, what: &'static str) -> Result<f64, MapError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }
    /// A zig-zag LEB128 varint.
    fn varint(&mut self) -> Result<i64, MapError> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8("varint")?;
            v |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Ok((v >> 1) as i64 ^ -((v & 1) as i64));
            }
        }
        Err(MapError {
            offset: self.at,
            what: "varint too long",
        })
    }
}

fn decode(bytes: &[u8]) -> Result<CountryMap, MapError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(8, "magic")? != MAGIC {
        return Err(MapError {
            offset: 0,
            what: "bad magic",
        });
    }
    let (sx, sy) = (r.f64("scale")?, r.f64("scale")?);
    let (tx, ty) = (r.f64("translate")?, r.f64("translate")?);
    let n = r.u32("polygon count")? as usize;
    let mut countries = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let iso = r.u16("iso code")?;
        let side = match r.u8("side")? {
            0 => DrivingSide::Right,
            1 => DrivingSide::Left,
            _ => {
                return Err(MapError {
                    offset: r.at - 1,
                    what: "bad side",
                })
            }
        };
        let rings = r.u32("ring count")? as usize;
        let mut ring_list = Vec::with_capacity(rings.min(bytes.len()));
        for _ in 0..rings {
            let points = r.u32("point count")? as usize;
            let mut coords = Vec::with_capacity(points.min(bytes.len()));
            let (mut x, mut y) = (0i64, 0i64);
            for _ in 0..points {
                x += r.varint()?;
                y += r.varint()?;
                coords.push(Coord {
                    x: tx + x as f64 * sx,
                    y: ty + y as f64 * sy,
                });
            }
            ring_list.push(LineString::new(coords));
        }
        let mut rings = ring_list.into_iter();
        let exterior = rings.next().ok_or(MapError {
            offset: r.at,
            what: "polygon without rings",
        })?;
        countries.push(Country {
            iso,
            side,
            polygon: Polygon::new(exterior, rings.collect()),
        });
    }
    if r.at != bytes.len() {
        return Err(MapError {
            offset: r.at,
            what: "trailing bytes",
        });
    }
    let boxes = countries
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
            for p in c.polygon.exterior().coords() {
                lo = [lo[0].min(p.x), lo[1].min(p.y)];
                hi = [hi[0].max(p.x), hi[1].max(p.y)];
            }
            (lo[0] <= hi[0]).then(|| GeomWithData::new(Rectangle::from_corners(lo, hi), i))
        })
        .collect();
    let edges = countries
        .iter()
        .enumerate()
        .flat_map(|(i, c)| {
            let rings = std::iter::once(c.polygon.exterior()).chain(c.polygon.interiors());
            rings.flat_map(move |r| r.lines().map(move |l| GeomWithData::new(l, i)))
        })
        .collect();
    Ok(CountryMap {
        countries,
        tree: RTree::bulk_load(boxes),
        edges: RTree::bulk_load(edges),
    })
}

fn map() -> &'static CountryMap {
    static MAP: OnceLock<CountryMap> = OnceLock::new();
    MAP.get_or_init(|| {
        decode(MAP_BYTES).unwrap_or_else(|e| {
            tracing::error!(error = %e, "built-in driving-side map unusable; every road drives on the right");
            CountryMap {
                countries: Vec::new(),
                tree: RTree::new(),
                edges: RTree::new(),
            }
        })
    })
}

/// Distance in metres from `p` to the segment `a`-`b`, in a local equirectangular frame
/// (`k` = cosine of the latitude); good to well under a percent at the [`COAST_M`] scale.
fn segment_distance_m(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>, k: f64) -> f64 {
    let to_m = EARTH_M * std::f64::consts::PI / 180.0;
    let (ax, ay) = ((a.x - p.x) * k * to_m, (a.y - p.y) * to_m);
    let (bx, by) = ((b.x - p.x) * k * to_m, (b.y - p.y) * to_m);
    let (dx, dy) = (bx - ax, by - ay);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (ax + t * dx, ay + t * dy);
    (x * x + y * y).sqrt()
}

/// The polygon of the map `p` lies in, else the nearest within [`COAST_M`].
fn country_index(p: Point<f64>) -> Option<usize> {
    let m = map();
    let at = [p.x(), p.y()];
    if let Some(hit) = m
        .tree
        .locate_all_at_point(&at)
        .find(|c| m.countries[c.data].polygon.contains(&p))
    {
        return Some(hit.data);
    }
    let k = p.y().to_radians().cos().max(0.01);
    let dlat = COAST_M / (EARTH_M * std::f64::consts::PI / 180.0);
    let dlon = dlat / k;
    let mut best: Option<(f64, usize)> = None;
    let search_lines = AABB::from_corners(
        Point::new(at[0] - dlon, at[1] - dlat),
        Point::new(at[0] + dlon, at[1] + dlat),
    );
    for edge in m.edges.locate_in_envelope_intersecting(&search_lines) {
        let line = edge.geom();
        let d = segment_distance_m(p.0, line.start, line.end, k);
        if d <= COAST_M && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, edge.data));
        }
    }
    best.map(|(_, i)| i)
}

/// The side traffic drives on at `p` (lon, lat): the country's, from kerb's built-in map
/// (see the module docs for points near a coast); right where the map knows no country.
///
/// ```
/// use kerb_core::{driving_side_at, DrivingSide, Point};
/// assert_eq!(driving_side_at(Point::new(-0.1276, 51.5072)), DrivingSide::Left); // London
/// assert_eq!(driving_side_at(Point::new(2.3522, 48.8566)), DrivingSide::Right); // Paris
/// ```
pub fn driving_side_at(p: Point<f64>) -> DrivingSide {
    country_index(p).map_or(DrivingSide::Right, |i| map().countries[i].side)
}

/// The ISO 3166-1 numeric code of the map's country at `p` (as [`driving_side_at`] finds
/// it), `None` where the map has no country or the country has no code (Northern Cyprus).
/// Only left-hand-traffic countries and their neighbours are in the map.
pub fn country_code_at(p: Point<f64>) -> Option<u16> {
    country_index(p)
        .map(|i| map().countries[i].iso)
        .filter(|&c| c != 0)
}

/// Grid cell size of the import's lookup cache, degrees (about 500 m: finer than the
/// 1:50m coastlines and borders the map is drawn from).
const CELL_DEG: f64 = 0.005;

/// Caches [`driving_side_at`] per grid cell of [`CELL_DEG`], for the millions of lookups of a
/// large import (neighbouring roads share a cell).
#[derive(Default)]
pub(crate) struct SideCache {
    cells: HashMap<(i32, i32), DrivingSide>,
}

impl SideCache {
    /// The driving side at `p`, looked up once per cell.
    pub(crate) fn side_at(&mut self, p: Point<f64>) -> DrivingSide {
        let cell = (
            (p.x() / CELL_DEG).floor() as i32,
            (p.y() / CELL_DEG).floor() as i32,
        );
        *self.cells.entry(cell).or_insert_with(|| {
            let centre = Point::new(
                (cell.0 as f64 + 0.5) * CELL_DEG,
                (cell.1 as f64 + 0.5) * CELL_DEG,
            );
            driving_side_at(centre)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_map_decodes() {
        let m = decode(MAP_BYTES).expect("shipped map");
        assert!(m.countries.len() > 400, "{}", m.countries.len());
        assert!(m.countries.iter().any(|c| c.side == DrivingSide::Right));
        let left: std::collections::BTreeSet<u16> = m
            .countries
            .iter()
            .filter(|c| c.side == DrivingSide::Left)
            .map(|c| c.iso)
            .collect();
        // UK, Ireland, India, Japan, Singapore, Hong Kong, Macao, Australia, South Africa.
        for iso in [826, 372, 356, 392, 702, 344, 446, 36, 710] {
            assert!(left.contains(&iso), "{iso} missing");
        }
    }

    #[test]
    fn broken_maps_are_errors() {
        assert!(decode(b"KERBDSD0").is_err());
        assert!(decode(&MAP_BYTES[..MAP_BYTES.len() - 1]).is_err());
        let mut extra = MAP_BYTES.to_vec();
        extra.push(0);
        assert!(decode(&extra).is_err());
        assert!(decode(&MAP_BYTES[..40]).is_err());
    }

    #[test]
    fn known_places() {
        let side = |lon, lat| driving_side_at(Point::new(lon, lat));
        use DrivingSide::{Left, Right};
        assert_eq!(side(-0.1276, 51.5072), Left, "London");
        assert_eq!(side(-1.5491, 53.8008), Left, "Leeds");
        assert_eq!(side(151.2093, -33.8688), Left, "Sydney");
        assert_eq!(side(144.9631, -37.8136), Left, "Melbourne");
        assert_eq!(side(103.8198, 1.3521), Left, "Singapore");
        assert_eq!(side(139.6917, 35.6895), Left, "Tokyo");
        assert_eq!(side(28.0473, -26.2041), Left, "Johannesburg");
        assert_eq!(side(-6.2603, 53.3498), Left, "Dublin");
        assert_eq!(side(77.2090, 28.6139), Left, "Delhi");
        assert_eq!(side(114.1694, 22.3193), Left, "Hong Kong");
        assert_eq!(side(2.3522, 48.8566), Right, "Paris");
        assert_eq!(side(-74.0060, 40.7128), Right, "New York");
        assert_eq!(side(55.2708, 25.2048), Right, "Dubai");
        assert_eq!(side(8.6724, 49.3988), Right, "Heidelberg");
        assert_eq!(side(24.9384, 60.1699), Right, "Helsinki");
        // The 1:50m border runs about a kilometre north of the real one (the Shenzhen River).
        assert_eq!(
            side(114.1000, 22.5800),
            Right,
            "Shenzhen (Luohu), next to Hong Kong"
        );
        assert_eq!(side(1.8587, 50.9513), Right, "Calais, across from Dover");
        assert_eq!(side(-30.0, 0.0), Right, "mid-Atlantic");
        assert_eq!(country_code_at(Point::new(113.5439, 22.1987)), Some(446));
    }

    #[test]
    fn coast_fallback() {
        // Marina Bay Sands and Gardens by the Bay stand on reclaimed land; a point out in the
        // Singapore Strait is in no polygon but within COAST_M of Singapore.
        let inside = |p: Point<f64>| {
            let m = map();
            m.tree
                .locate_all_at_point(&[p.x(), p.y()])
                .any(|c| m.countries[c.data].polygon.contains(&p))
        };
        let strait = Point::new(103.87, 1.22);
        assert!(!inside(strait));
        assert_eq!(driving_side_at(strait), DrivingSide::Left);
        assert_eq!(country_code_at(strait), Some(702));
        let bayfront = Point::new(103.8610, 1.2816);
        assert!(!inside(bayfront));
        assert_eq!(driving_side_at(bayfront), DrivingSide::Left);
        // Far out at sea: nothing within COAST_M.
        assert_eq!(driving_side_at(Point::new(90.0, -10.0)), DrivingSide::Right);
        let d = segment_distance_m(
            Coord { x: 0.0, y: 0.1 },
            Coord { x: -1.0, y: 0.0 },
            Coord { x: 1.0, y: 0.0 },
            1.0,
        );
        assert!((d - 11_119.5).abs() < 1.0, "{d}");
    }

    #[test]
    fn cache_agrees_with_lookup() {
        let mut cache = SideCache::default();
        for (lon, lat) in [
            (-1.55, 53.80),
            (8.67, 49.40),
            (103.85, 1.29),
            (103.85, 1.2901),
        ] {
            let p = Point::new(lon, lat);
            assert_eq!(cache.side_at(p), driving_side_at(p), "{lon},{lat}");
        }
        assert_eq!(cache.cells.len(), 3);
    }
}
