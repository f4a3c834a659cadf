//! Finding a place as people give it: its id, name or an alias in any case, with or without
//! diacritics, in another script (Cyrillic, Georgian, Armenian are also romanized), or a position
//! `LAT,LON` snapped to the nearest place within [`SNAP_RADIUS_KM`].
//!
//! A name is tried in stages, each stricter than the next, and the first stage that matches wins;
//! within a stage, the first place in file order (see [`Network::place_match`]). How names are
//! folded is documented once, in [`crate::names`].

use std::fmt;

use crate::names::{fold, romanize, suggest};

use super::{LonLat, Network, NodeId};

/// A position given as `LAT,LON` snaps to the nearest place no further than this; beyond, it is
/// refused rather than silently routed from somewhere else.
///
/// # Units
/// Kilometres (geodesic, WGS84).
pub const SNAP_RADIUS_KM: f64 = 25.0;

/// How many suggestions an unknown place gets.
const SUGGESTIONS: usize = 5;

/// A place found for a query, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlaceMatch {
    pub node: NodeId,
    pub how: MatchKind,
}

/// Which stage of [`Network::place_match`] or [`Network::resolve_place`] matched.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MatchKind {
    /// The id as written.
    Id,
    /// The id, name or an alias in any case, or folded (case, diacritics, separators ignored).
    Folded,
    /// The name's part before a parenthesis or slash (`Baku` for `Baku (central station)`).
    NameHead,
    /// The query and a name or alias meet once both are romanized (`Ереван`, alias `Erevan`).
    Romanized,
    /// A `LAT,LON` position, snapped to the nearest place `km` away.
    Snapped { km: f64 },
}

/// No place matched a name; carries the closest ids.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct PlaceNotFound {
    pub query: String,
    /// Place ids ranked by how alike their id, name or an alias is to the query, best first.
    pub suggestions: Vec<String>,
}

impl fmt::Display for PlaceNotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown place `{}`", self.query)?;
        if self.suggestions.is_empty() {
            write!(
                f,
                "; no place has a similar id, name or alias (give an id, a name, or LAT,LON)"
            )
        } else {
            write!(f, "; closest: {}", self.suggestions.join(", "))
        }
    }
}

/// Why a place given on the command line was not found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlaceError {
    #[error(transparent)]
    NotFound(#[from] PlaceNotFound),
    /// A `LAT,LON` position further than [`SNAP_RADIUS_KM`] from every place.
    #[error(
        "no place within {radius_km:.0} km of {query}: the nearest, {name} ({id}), is {km:.1} km away"
    )]
    TooFar {
        query: String,
        id: String,
        name: String,
        km: f64,
        radius_km: f64,
    },
    /// A `LAT,LON` shaped query outside the range of degrees.
    #[error("position {query}: latitude must be within -90..90 and longitude within -180..180 (LAT,LON in degrees)")]
    OutOfRange { query: String },
    /// A `LAT,LON` position on a network without places.
    #[error("position {query}: the network has no places to snap to")]
    NoPlaces { query: String },
}

/// Reads `LAT,LON` in decimal degrees (`40.18,44.51`, spaces allowed around the comma).
///
/// # Returns
/// `None` when the text is not two numbers separated by one comma; `Some(Err(..))`-like range
/// problems are left to the caller: the position is returned as read.
pub fn parse_lat_lon(s: &str) -> Option<LonLat> {
    let (lat, lon) = s.trim().split_once(',')?;
    let num = |t: &str| -> Option<f64> {
        let t = t.trim();
        // Plain decimals only: `inf`, `NaN` and `1e3` are not positions people type.
        let ok = !t.is_empty()
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+');
        ok.then(|| t.parse::<f64>().ok()).flatten()
    };
    Some(LonLat {
        lat: num(lat)?,
        lon: num(lon)?,
    })
}

impl Network {
    /// Finds a place by id, name or alias (see [`Network::place_match`]).
    ///
    /// # Errors
    /// [`PlaceNotFound`] with up to five closest ids when nothing matches.
    pub fn find_place(&self, query: &str) -> Result<NodeId, PlaceNotFound> {
        self.place_match(query).map(|m| m.node)
    }

    /// Finds a place by name, in stages; the first stage with a match wins, and within a stage
    /// the first place in file order:
    /// 1. the id as written;
    /// 2. the id, name or an alias in any case (Unicode lower case), then [`fold`]ed (`NAXÇIVAN`,
    ///    `naxcivan`, `Bakı`, `BAKI`);
    /// 3. the name's part before a parenthesis or slash, folded;
    /// 4. the query and the id, name or an alias, folded and romanized (`Тбилиси` -> `tbilisi`).
    ///
    /// # Errors
    /// [`PlaceNotFound`] with up to five place ids whose id, name or an alias is most alike
    /// (ranked by [`crate::names::similarity`], in both spellings), when nothing matches.
    ///
    /// # Complexity
    /// O(total length of the names) per query.
    pub fn place_match(&self, query: &str) -> Result<PlaceMatch, PlaceNotFound> {
        let q = query.trim();
        let found = |node: usize, how| {
            Ok(PlaceMatch {
                node: NodeId(node as u32),
                how,
            })
        };
        if let Some(id) = self.node_id(q) {
            return found(id.index(), MatchKind::Id);
        }
        // Lower case before folding, so that where two places differ only in their diacritics
        // (`Gəncə`, `Gence`) the one written as typed wins over the first in file order.
        let lower = q.to_lowercase();
        let same_case = |s: &str| s.to_lowercase() == lower;
        if let Some(i) = self.nodes.iter().position(|n| {
            same_case(&n.id) || same_case(&n.name) || n.aliases.iter().any(|a| same_case(a))
        }) {
            return found(i, MatchKind::Folded);
        }
        let key = fold(q);
        if !key.is_empty() {
            if let Some(i) = self.nodes.iter().position(|n| {
                fold(&n.id) == key
                    || fold(&n.name) == key
                    || n.aliases.iter().any(|a| fold(a) == key)
            }) {
                return found(i, MatchKind::Folded);
            }
            if let Some(i) = self.nodes.iter().position(|n| {
                n.name
                    .split(['(', '/'])
                    .next()
                    .is_some_and(|head| fold(head) == key)
            }) {
                return found(i, MatchKind::NameHead);
            }
            let roman = romanize(&key);
            if let Some(i) = self.nodes.iter().position(|n| {
                std::iter::once(&n.name)
                    .chain(&n.aliases)
                    .any(|s| romanize(&fold(s)) == roman)
            }) {
                return found(i, MatchKind::Romanized);
            }
        }
        let candidates = self.nodes.iter().flat_map(|n| {
            std::iter::once(n.id.as_str())
                .chain(std::iter::once(n.name.as_str()))
                .chain(n.aliases.iter().map(String::as_str))
                .map(move |text| (n.id.as_str(), text))
        });
        Err(PlaceNotFound {
            query: query.to_string(),
            suggestions: suggest(q, candidates, SUGGESTIONS),
        })
    }

    /// Finds a place as given on the command line: a `LAT,LON` position snapped to the nearest
    /// place within [`SNAP_RADIUS_KM`], else a name (see [`Network::place_match`]).
    ///
    /// # Errors
    /// [`PlaceError::TooFar`] beyond the radius, [`PlaceError::OutOfRange`] for impossible
    /// degrees, [`PlaceError::NotFound`] for an unknown name.
    ///
    /// # Examples
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let data = corridor::scenario::Dataset::load(std::path::Path::new("data/caucasus"))?;
    /// let m = data.network.resolve_place("40.18,44.51")?;
    /// assert_eq!(data.network.node(m.node).id, "yerevan");
    /// # Ok(())
    /// # }
    /// ```
    pub fn resolve_place(&self, query: &str) -> Result<PlaceMatch, PlaceError> {
        let Some(pos) = parse_lat_lon(query) else {
            return Ok(self.place_match(query)?);
        };
        let query = query.trim().to_string();
        if !(-90.0..=90.0).contains(&pos.lat) || !(-180.0..=180.0).contains(&pos.lon) {
            return Err(PlaceError::OutOfRange { query });
        }
        let (node, km) = self
            .nearest_place(pos)
            .ok_or_else(|| PlaceError::NoPlaces {
                query: query.clone(),
            })?;
        if km > SNAP_RADIUS_KM {
            let n = self.node(node);
            return Err(PlaceError::TooFar {
                query,
                id: n.id.clone(),
                name: n.name.clone(),
                km,
                radius_km: SNAP_RADIUS_KM,
            });
        }
        Ok(PlaceMatch {
            node,
            how: MatchKind::Snapped { km },
        })
    }

    /// The place nearest to a position (ties: the first in file order) and its distance.
    ///
    /// # Units
    /// Kilometres, geodesic on WGS84.
    ///
    /// # Complexity
    /// O(places): one distance per place.
    pub fn nearest_place(&self, pos: LonLat) -> Option<(NodeId, f64)> {
        let mut best: Option<(NodeId, f64)> = None;
        for (i, n) in self.nodes.iter().enumerate() {
            let km = pos.geodesic_m(n.position) / 1000.0;
            if best.is_none_or(|(_, b)| km < b) {
                best = Some((NodeId(i as u32), km));
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_two_plain_numbers() {
        let p = parse_lat_lon(" 40.18 , 44.51 ").expect("a position");
        assert_eq!((p.lat, p.lon), (40.18, 44.51));
        assert!(parse_lat_lon("-12,+7").is_some());
        for not in [
            "baku",
            "40.18",
            "40.18,44.51,3",
            "nan,1",
            "1e3,2",
            ",",
            "a,b",
        ] {
            assert_eq!(parse_lat_lon(not), None, "{not}");
        }
    }
}
