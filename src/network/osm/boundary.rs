//! Country boundaries from the extract: `boundary=administrative` + `admin_level=2` relations
//! with an `ISO3166-1` code, assembled into closed rings and queried point by point.
//!
//! An extract usually cuts the boundaries of neighbouring countries: a relation whose member ways
//! do not all lie in the file, or do not join into closed rings, is left out (and counted), so
//! that only complete polygons decide a node's country.

use std::collections::HashMap;

use crate::network::{Country, LonLat};

/// One country's polygon: closed rings (outer and inner alike, by the even-odd rule) with an
/// index of their edges by latitude band.
#[derive(Debug, Clone)]
pub struct CountryPolygon {
    pub country: Country,
    pub relation: i64,
    min: LonLat,
    max: LonLat,
    /// Edges `(a, b)` of every ring.
    edges: Vec<(LonLat, LonLat)>,
    /// For each latitude band, the indices of the edges whose latitude span meets it.
    bands: Vec<Vec<u32>>,
}

/// Latitude bands of the edge index: a point tests only the edges of its band.
const BANDS: usize = 512;

impl CountryPolygon {
    /// Joins member ways (node lists with positions) into closed rings.
    ///
    /// # Returns
    /// `None` when some way cannot be joined into a closed ring (the boundary is cut by the
    /// extract).
    ///
    /// # Complexity
    /// O(w^2) in the number of member ways w (a few hundred at most), O(e) in edges.
    pub fn assemble(
        country: Country,
        relation: i64,
        ways: Vec<Vec<(i64, LonLat)>>,
    ) -> Option<CountryPolygon> {
        let mut rings: Vec<Vec<LonLat>> = Vec::new();
        let mut open: Vec<Vec<(i64, LonLat)>> = ways.into_iter().filter(|w| w.len() >= 2).collect();
        while let Some(mut ring) = open.pop() {
            loop {
                let (first, last) = (ring[0].0, ring[ring.len() - 1].0);
                if first == last && ring.len() >= 4 {
                    break;
                }
                let i = open
                    .iter()
                    .position(|w| w[0].0 == last || w[w.len() - 1].0 == last)?;
                let mut next = open.swap_remove(i);
                if next[0].0 != last {
                    next.reverse();
                }
                ring.extend_from_slice(&next[1..]);
            }
            rings.push(ring.into_iter().map(|(_, p)| p).collect());
        }
        if rings.is_empty() {
            return None;
        }
        let mut edges = Vec::new();
        let (mut min, mut max) = (
            LonLat {
                lon: f64::MAX,
                lat: f64::MAX,
            },
            LonLat {
                lon: f64::MIN,
                lat: f64::MIN,
            },
        );
        for ring in &rings {
            for w in ring.windows(2) {
                edges.push((w[0], w[1]));
            }
            for p in ring {
                min.lon = min.lon.min(p.lon);
                min.lat = min.lat.min(p.lat);
                max.lon = max.lon.max(p.lon);
                max.lat = max.lat.max(p.lat);
            }
        }
        let mut polygon = CountryPolygon {
            country,
            relation,
            min,
            max,
            edges,
            bands: vec![Vec::new(); BANDS],
        };
        for (i, (a, b)) in polygon.edges.iter().enumerate() {
            let lo = polygon.band(a.lat.min(b.lat));
            let hi = polygon.band(a.lat.max(b.lat));
            for band in &mut polygon.bands[lo..=hi] {
                band.push(i as u32);
            }
        }
        Some(polygon)
    }

    fn band(&self, lat: f64) -> usize {
        let span = (self.max.lat - self.min.lat).max(1e-12);
        let t = ((lat - self.min.lat) / span * BANDS as f64).floor();
        (t.max(0.0) as usize).min(BANDS - 1)
    }

    /// Whether `p` lies inside, by the even-odd rule over all rings (holes are rings too).
    ///
    /// # Complexity
    /// O(edges in the point's latitude band).
    pub fn contains(&self, p: LonLat) -> bool {
        if p.lon < self.min.lon
            || p.lon > self.max.lon
            || p.lat < self.min.lat
            || p.lat > self.max.lat
        {
            return false;
        }
        let mut inside = false;
        for &i in &self.bands[self.band(p.lat)] {
            let (a, b) = self.edges[i as usize];
            // Half-open in latitude, so that a vertex on the ray counts once.
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let lon = a.lon + (p.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                if p.lon < lon {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// Decides the country of each position: the first complete polygon (by country code) that
/// contains it, else the fallback given by the user.
#[derive(Debug, Clone)]
pub struct CountryLocator {
    pub polygons: Vec<CountryPolygon>,
    pub fallback: Country,
    cache: HashMap<i64, Country>,
}

impl CountryLocator {
    pub fn new(mut polygons: Vec<CountryPolygon>, fallback: Country) -> CountryLocator {
        polygons.sort_by_key(|a| (a.country, a.relation));
        CountryLocator {
            polygons,
            fallback,
            cache: HashMap::new(),
        }
    }

    /// The country of OSM node `id` at `p` (memoised by node id).
    pub fn country(&mut self, id: i64, p: LonLat) -> Country {
        if self.polygons.is_empty() {
            return self.fallback;
        }
        if let Some(c) = self.cache.get(&id) {
            return *c;
        }
        let c = self
            .polygons
            .iter()
            .find(|poly| poly.contains(p))
            .map_or(self.fallback, |poly| poly.country);
        self.cache.insert(id, c);
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(lon: f64, lat: f64) -> LonLat {
        LonLat { lon, lat }
    }

    /// ```text
    ///  (0,2)-----(2,2)      a square drawn as two ways that meet at ids 1 and 3,
    ///    |   hole  |        with a square hole from (0.5,0.5) to (1,1)
    ///  (0,0)-----(2,0)
    /// ```
    #[test]
    fn rings_join_and_holes_are_outside() {
        let c = Country::parse("MC").unwrap_or_else(|| unreachable!());
        let a = vec![(1, ll(0.0, 0.0)), (2, ll(2.0, 0.0)), (3, ll(2.0, 2.0))];
        let b = vec![(1, ll(0.0, 0.0)), (4, ll(0.0, 2.0)), (3, ll(2.0, 2.0))];
        let hole = vec![
            (10, ll(0.5, 0.5)),
            (11, ll(1.0, 0.5)),
            (12, ll(1.0, 1.0)),
            (13, ll(0.5, 1.0)),
            (10, ll(0.5, 0.5)),
        ];
        let poly =
            CountryPolygon::assemble(c, 1, vec![a.clone(), b, hole]).unwrap_or_else(|| panic!());
        assert!(poly.contains(ll(1.5, 1.5)));
        assert!(!poly.contains(ll(0.75, 0.75)));
        assert!(!poly.contains(ll(3.0, 1.0)));
        assert!(
            CountryPolygon::assemble(c, 1, vec![a]).is_none(),
            "open ring"
        );
    }
}
