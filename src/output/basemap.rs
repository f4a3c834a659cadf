//! The region's basemap: country polygons, land borders and coastline (the sea shores and the
//! Caspian's) from Natural Earth 1:50m, clipped to 26..62 °E, 34..58 °N and embedded in the
//! binary (`assets/basemap/`, where `convert.py` made them from npm's `world-atlas` package and
//! `README.md` names source, licence and version).
//!
//! The quick-look map draws it under the network, `report.html` draws it as SVG paths, and
//! `corridor.gpkg` carries it as two layers.

use std::sync::OnceLock;

use serde_json::Value;

use crate::network::LonLat;

static COUNTRIES: &str = include_str!("../../assets/basemap/countries.geojson");
static LINES: &str = include_str!("../../assets/basemap/lines.geojson");

/// A ring of a polygon: closed (first point repeated last).
pub type Ring = Vec<LonLat>;

/// A country: its name as Natural Earth spells it and its polygons (exterior ring first, then
/// holes), clipped to the region.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    pub name: String,
    /// ISO 3166-1 numeric code (`"051"` for Armenia); empty for places without one.
    pub iso_n3: String,
    pub polygons: Vec<Vec<Ring>>,
}

/// What a basemap line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LineKind {
    /// A land border between two countries.
    Border,
    /// A shore: sea, or the Caspian.
    Coast,
}

impl LineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Border => "border",
            LineKind::Coast => "coast",
        }
    }
}

/// The basemap, parsed once from the embedded files.
#[derive(Debug, Clone, PartialEq)]
pub struct Basemap {
    /// By name.
    pub countries: Vec<Country>,
    /// `(kind, polylines)`, borders first.
    pub lines: Vec<(LineKind, Vec<Vec<LonLat>>)>,
    /// The clipping box: (min lon, min lat, max lon, max lat).
    pub extent: (f64, f64, f64, f64),
}

/// The embedded basemap. The files are checked by the tests; were they ever broken, the map
/// would come out without a basemap rather than fail.
pub fn basemap() -> &'static Basemap {
    static MAP: OnceLock<Basemap> = OnceLock::new();
    MAP.get_or_init(|| parse(COUNTRIES, LINES).unwrap_or_else(|_| Basemap::empty()))
}

impl Basemap {
    fn empty() -> Basemap {
        Basemap {
            countries: Vec::new(),
            lines: Vec::new(),
            extent: (26.0, 34.0, 62.0, 58.0),
        }
    }
}

fn ring(v: &Value) -> Option<Ring> {
    v.as_array()?
        .iter()
        .map(|p| {
            let p = p.as_array()?;
            Some(LonLat {
                lon: p.first()?.as_f64()?,
                lat: p.get(1)?.as_f64()?,
            })
        })
        .collect()
}

fn rings(v: &Value) -> Option<Vec<Ring>> {
    v.as_array()?.iter().map(ring).collect()
}

/// Parses the two embedded GeoJSON files.
fn parse(countries: &str, lines: &str) -> Result<Basemap, String> {
    let c: Value = serde_json::from_str(countries).map_err(|e| e.to_string())?;
    let l: Value = serde_json::from_str(lines).map_err(|e| e.to_string())?;
    let features = |v: &Value| -> Result<Vec<Value>, String> {
        v.get("features")
            .and_then(Value::as_array)
            .cloned()
            .ok_or_else(|| "no features".to_string())
    };
    let mut out = Basemap::empty();
    for (i, f) in features(&c)?.iter().enumerate() {
        let name = f["properties"]["name"].as_str().unwrap_or_default();
        let iso = f["properties"]["iso_n3"].as_str().unwrap_or_default();
        let g = &f["geometry"];
        let coords = &g["coordinates"];
        let polygons = match g["type"].as_str() {
            Some("Polygon") => rings(coords).map(|r| vec![r]),
            Some("MultiPolygon") => coords
                .as_array()
                .and_then(|ps| ps.iter().map(rings).collect()),
            _ => None,
        }
        .ok_or_else(|| format!("country feature {i}: bad geometry"))?;
        out.countries.push(Country {
            // Natural Earth 4.1 (world-atlas 2.0.2) predates the country's official English
            // name; the map uses the project's one country table (`network::Country::name`).
            name: if name == "Turkey" { "Türkiye" } else { name }.to_string(),
            iso_n3: iso.to_string(),
            polygons,
        });
    }
    for (i, f) in features(&l)?.iter().enumerate() {
        let kind = match f["properties"]["kind"].as_str() {
            Some("border") => LineKind::Border,
            Some("coast") => LineKind::Coast,
            other => return Err(format!("line feature {i}: unknown kind {other:?}")),
        };
        let parts = rings(&f["geometry"]["coordinates"])
            .ok_or_else(|| format!("line feature {i}: bad geometry"))?;
        out.lines.push((kind, parts));
    }
    out.lines.sort_by_key(|(k, _)| *k);
    Ok(out)
}

/// The basemap as two GeoJSON FeatureCollections (`basemap_countries`: MultiPolygon, `name`,
/// `iso_n3`; `basemap_lines`: MultiLineString, `kind`), clipped to `view` (min lon, min lat,
/// max lon, max lat), coordinates rounded to 6 decimals: what `corridor.gpkg` carries, so that
/// the basemap reaches no further than the data it serves.
///
/// # Returns
/// `None` when no country of the basemap reaches into `view` (a network outside the region the
/// basemap covers, such as an import of another part of the world).
pub fn clipped_geojson(view: (f64, f64, f64, f64)) -> Option<(Value, Value)> {
    let map = basemap();
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let coords = |pts: &[LonLat]| -> Value {
        Value::Array(
            pts.iter()
                .map(|p| serde_json::json!([round(p.lon), round(p.lat)]))
                .collect(),
        )
    };
    let closed = |mut r: Vec<LonLat>| {
        if r.first() != r.last() {
            r.push(r[0]);
        }
        r
    };
    let mut countries = Vec::new();
    for c in &map.countries {
        let mut polygons = Vec::new();
        for poly in &c.polygons {
            let Some(outer) = poly.first() else { continue };
            let outer = clip_ring(outer, view);
            if outer.len() < 3 {
                continue;
            }
            let mut rings = vec![coords(&closed(outer))];
            for hole in &poly[1..] {
                let hole = clip_ring(hole, view);
                if hole.len() >= 3 {
                    rings.push(coords(&closed(hole)));
                }
            }
            polygons.push(Value::Array(rings));
        }
        if !polygons.is_empty() {
            countries.push(serde_json::json!({
                "type": "Feature",
                "properties": {"name": c.name, "iso_n3": c.iso_n3},
                "geometry": {"type": "MultiPolygon", "coordinates": polygons},
            }));
        }
    }
    if countries.is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    for (kind, parts) in &map.lines {
        let parts: Vec<Value> = parts
            .iter()
            .flat_map(|l| clip_line(l, view))
            .map(|l| coords(&l))
            .collect();
        if !parts.is_empty() {
            lines.push(serde_json::json!({
                "type": "Feature",
                "properties": {"kind": kind.as_str()},
                "geometry": {"type": "MultiLineString", "coordinates": parts},
            }));
        }
    }
    let collection = |name: &str, features: Vec<Value>| serde_json::json!({"type": "FeatureCollection", "name": name, "features": features});
    Some((
        collection("basemap_countries", countries),
        collection("basemap_lines", lines),
    ))
}

/// The parts of a polyline inside a box (min lon, min lat, max lon, max lat), each of at least
/// two points.
pub fn clip_line(line: &[LonLat], view: (f64, f64, f64, f64)) -> Vec<Vec<LonLat>> {
    let mut parts = Vec::new();
    let mut part: Vec<LonLat> = Vec::new();
    for w in line.windows(2) {
        match clip_segment(w[0], w[1], view) {
            Some((a, b)) => {
                // A segment entering the box starts a new part.
                if part.last() != Some(&a) {
                    if part.len() >= 2 {
                        parts.push(std::mem::take(&mut part));
                    }
                    part = vec![a];
                }
                part.push(b);
            }
            None => {
                if part.len() >= 2 {
                    parts.push(std::mem::take(&mut part));
                }
                part.clear();
            }
        }
    }
    if part.len() >= 2 {
        parts.push(part);
    }
    parts
}

/// Liang-Barsky clipping of the segment `a`-`b` to a box; `None` when it misses the box. An end
/// inside the box is returned as it is (not recomputed), so that consecutive segments join.
/// Any plane works: the map also clips pixel segments with it (`lon` as x, `lat` as y).
pub(crate) fn clip_segment(
    a: LonLat,
    b: LonLat,
    (x0, y0, x1, y1): (f64, f64, f64, f64),
) -> Option<(LonLat, LonLat)> {
    let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.lon - x0),
        (dx, x1 - a.lon),
        (-dy, a.lat - y0),
        (dy, y1 - a.lat),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                if r > t1 {
                    return None;
                }
                t0 = t0.max(r);
            } else {
                if r < t0 {
                    return None;
                }
                t1 = t1.min(r);
            }
        }
    }
    let at = |t: f64| {
        if t <= 0.0 {
            a
        } else if t >= 1.0 {
            b
        } else {
            LonLat {
                lon: a.lon + t * dx,
                lat: a.lat + t * dy,
            }
        }
    };
    Some((at(t0), at(t1)))
}

/// A point inside a country's largest polygon part within `view` (min lon, min lat, max lon,
/// max lat) to hang its name on: the part's area centroid when it lies inside the part, else
/// `None`. Coordinates are taken as planar with longitudes scaled by `kx`.
pub fn label_point(country: &Country, view: (f64, f64, f64, f64), kx: f64) -> Option<LonLat> {
    let mut best: Option<(f64, LonLat, &Ring)> = None;
    for poly in &country.polygons {
        let Some(outer) = poly.first() else { continue };
        let clipped = clip_ring(outer, view);
        if clipped.len() < 3 {
            continue;
        }
        let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for i in 0..clipped.len() {
            let p = clipped[i];
            let q = clipped[(i + 1) % clipped.len()];
            let cross = p.lon * kx * q.lat - q.lon * kx * p.lat;
            a += cross;
            cx += (p.lon * kx + q.lon * kx) * cross;
            cy += (p.lat + q.lat) * cross;
        }
        if a.abs() < 1e-9 {
            continue;
        }
        let c = LonLat {
            lon: cx / (3.0 * a) / kx,
            lat: cy / (3.0 * a),
        };
        if best.as_ref().is_none_or(|(b, _, _)| a.abs() > *b) {
            best = Some((a.abs(), c, outer));
        }
    }
    let (_, c, outer) = best?;
    contains(outer, c).then_some(c)
}

/// Even-odd point in ring.
pub fn contains(ring: &[LonLat], p: LonLat) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + n - 1) % n];
        if (a.lat > p.lat) != (b.lat > p.lat)
            && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon
        {
            inside = !inside;
        }
    }
    inside
}

/// Sutherland-Hodgman clipping of a ring to a box (min lon, min lat, max lon, max lat).
pub fn clip_ring(ring: &[LonLat], (x0, y0, x1, y1): (f64, f64, f64, f64)) -> Vec<LonLat> {
    let mut pts: Vec<LonLat> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    type Inside = fn(LonLat, f64) -> bool;
    let edges: [(Inside, f64, bool); 4] = [
        (|p, v| p.lon >= v, x0, true),
        (|p, v| p.lon <= v, x1, true),
        (|p, v| p.lat >= v, y0, false),
        (|p, v| p.lat <= v, y1, false),
    ];
    for (inside, v, vertical) in edges {
        if pts.is_empty() {
            break;
        }
        let cut = |a: LonLat, b: LonLat| {
            if vertical {
                let t = (v - a.lon) / (b.lon - a.lon);
                LonLat {
                    lon: v,
                    lat: a.lat + t * (b.lat - a.lat),
                }
            } else {
                let t = (v - a.lat) / (b.lat - a.lat);
                LonLat {
                    lon: a.lon + t * (b.lon - a.lon),
                    lat: v,
                }
            }
        };
        let mut out = Vec::with_capacity(pts.len());
        let mut prev = pts[pts.len() - 1];
        for &p in &pts {
            if inside(p, v) {
                if !inside(prev, v) {
                    out.push(cut(prev, p));
                }
                out.push(p);
            } else if inside(prev, v) {
                out.push(cut(prev, p));
            }
            prev = p;
        }
        pts = out;
    }
    pts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_cut_where_they_leave_the_box() {
        let p = |lon, lat| LonLat { lon, lat };
        // In, out, back in: two parts, the crossing points on the box's edge.
        let line = [p(0.5, 0.5), p(2.0, 0.5), p(2.0, 0.8), p(0.5, 0.8)];
        let parts = clip_line(&line, (0.0, 0.0, 1.0, 1.0));
        assert_eq!(
            parts,
            vec![
                vec![p(0.5, 0.5), p(1.0, 0.5)],
                vec![p(1.0, 0.8), p(0.5, 0.8)]
            ]
        );
        assert!(clip_line(&[p(5.0, 5.0), p(6.0, 6.0)], (0.0, 0.0, 1.0, 1.0)).is_empty());
    }

    #[test]
    fn the_clipped_basemap_stays_in_its_box_and_is_absent_elsewhere() {
        let view = (43.0, 39.0, 47.0, 42.0);
        let (countries, lines) = clipped_geojson(view).expect("the Caucasus has countries");
        let names: Vec<&str> = countries["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["name"].as_str().unwrap())
            .collect();
        assert!(
            names.contains(&"Armenia") && !names.contains(&"Kazakhstan"),
            "{names:?}"
        );
        for v in [&countries, &lines] {
            let text = v.to_string();
            let nums: Vec<f64> = text
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter_map(|t| t.parse().ok())
                .filter(|x: &f64| x.fract() != 0.0)
                .collect();
            assert!(!nums.is_empty());
            for x in nums {
                assert!((39.0..=47.0).contains(&x), "{x} outside the box");
            }
        }
        // The Isle of Man lies outside the region the basemap covers.
        assert!(clipped_geojson((-4.9, 54.0, -4.3, 54.45)).is_none());
    }

    #[test]
    fn the_embedded_basemap_parses_and_covers_the_region() {
        let b = parse(COUNTRIES, LINES).expect("embedded basemap parses");
        let names: Vec<&str> = b.countries.iter().map(|c| c.name.as_str()).collect();
        for n in [
            "Armenia",
            "Azerbaijan",
            "Georgia",
            "Iran",
            "Russia",
            "Türkiye",
            "Kazakhstan",
            "Turkmenistan",
        ] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        let kinds: Vec<LineKind> = b.lines.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, vec![LineKind::Border, LineKind::Coast]);
        // Every point inside the clipping box.
        for c in &b.countries {
            for r in c.polygons.iter().flatten() {
                for p in r {
                    assert!((26.0..=62.0).contains(&p.lon) && (34.0..=58.0).contains(&p.lat));
                }
            }
        }
        // The Caspian is water: Baku's sea front lies in Azerbaijan, a point out at sea in none.
        let sea = LonLat {
            lon: 51.0,
            lat: 41.0,
        };
        let baku = LonLat {
            lon: 49.85,
            lat: 40.40,
        };
        let inside = |p: LonLat| {
            b.countries
                .iter()
                .filter(|c| {
                    c.polygons.iter().any(|poly| {
                        contains(&poly[0], p) && !poly[1..].iter().any(|h| contains(h, p))
                    })
                })
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(inside(sea), Vec::<String>::new());
        assert_eq!(inside(baku), vec!["Azerbaijan".to_string()]);
    }

    #[test]
    fn labels_fall_inside_their_country() {
        let b = basemap();
        let armenia = b.countries.iter().find(|c| c.name == "Armenia").unwrap();
        let p = label_point(armenia, (38.0, 36.0, 52.0, 44.0), 0.75).unwrap();
        assert!(
            (43.4..46.7).contains(&p.lon) && (38.8..41.4).contains(&p.lat),
            "{p:?}"
        );
    }

    #[test]
    fn clipping_a_square_to_a_box_keeps_the_overlap() {
        let sq: Vec<LonLat> = [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
            .iter()
            .map(|&(lon, lat)| LonLat { lon, lat })
            .collect();
        let c = clip_ring(&sq, (1.0, 1.0, 3.0, 3.0));
        let mut xs: Vec<(f64, f64)> = c.iter().map(|p| (p.lon, p.lat)).collect();
        xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(xs, vec![(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]);
    }
}
