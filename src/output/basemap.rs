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

/// The embedded GeoJSON documents: (countries, lines).
pub fn geojson() -> (&'static str, &'static str) {
    (COUNTRIES, LINES)
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
