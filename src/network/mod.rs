//! The domain model: places ([`Node`]), the rail, road and ferry links between them ([`Link`]),
//! border crossings ([`BorderCrossing`]) and transfer facilities, gathered in a [`Network`].
//!
//! A network is loaded once from a data folder ([`load`]) and validated, imported from an
//! OpenStreetMap extract ([`osm`]), or reloaded from its binary cache ([`cache`]); everything downstream
//! (scenarios, routing, analyses) refers to its places and links through the typed ids
//! [`NodeId`] and [`LinkId`], which index [`Network::nodes`] and [`Network::links`].
//!
//! # Units
//! Lengths are kilometres (`_km`), durations hours (`_h`), speeds km/h (`_kmh`), money US dollars
//! per tonne (`_usd_per_t`). Coordinates are WGS84 longitude, latitude in degrees.
//!
//! [`tntp`] imports the TNTP networks of transportation research (links with BPR parameters,
//! zones and demand) in their own units, for traffic assignment.

pub mod cache;
pub mod costs;
pub mod dimacs;
pub mod error;
pub mod input;
pub mod load;
pub mod osm;
pub mod places;
pub mod tntp;

use std::collections::HashMap;
use std::fmt;

pub use costs::{CostModel, CostSource};
pub use error::{DataError, DataErrors, Warning};
pub use load::{load_network, parse_network, NETWORK_END_TOLERANCE_M};
pub use places::{MatchKind, PlaceError, PlaceMatch, PlaceNotFound, SNAP_RADIUS_KM};

/// Index of a node in [`Network::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Index of a link in [`Network::links`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl LinkId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case (`AZ`, `AM`, `GE`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Country([u8; 2]);

/// The officially assigned ISO 3166-1 alpha-2 codes (249), sorted, for telling a real country
/// code from a well-formed typo.
const ISO_3166_ALPHA2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

impl Country {
    /// Whether the code is an officially assigned ISO 3166-1 alpha-2 code (`UK` and `XX` are
    /// not).
    pub fn is_assigned(&self) -> bool {
        ISO_3166_ALPHA2.binary_search(&self.as_str()).is_ok()
    }

    /// Parses a two-letter code; lower case is accepted and upper-cased.
    pub fn parse(code: &str) -> Option<Country> {
        let bytes = code.as_bytes();
        if bytes.len() == 2 && bytes.iter().all(u8::is_ascii_alphabetic) {
            Some(Country([
                bytes[0].to_ascii_uppercase(),
                bytes[1].to_ascii_uppercase(),
            ]))
        } else {
            None
        }
    }

    /// The English short name for the countries of the region and its neighbours; other codes
    /// are returned as they are.
    pub fn name(&self) -> &str {
        match &self.0 {
            b"AM" => "Armenia",
            b"AZ" => "Azerbaijan",
            b"GE" => "Georgia",
            b"RU" => "Russia",
            b"TR" => "Türkiye",
            b"IR" => "Iran",
            b"KZ" => "Kazakhstan",
            b"TM" => "Turkmenistan",
            b"UZ" => "Uzbekistan",
            b"UA" => "Ukraine",
            b"BG" => "Bulgaria",
            b"RO" => "Romania",
            b"IQ" => "Iraq",
            b"SY" => "Syria",
            b"CN" => "China",
            b"FI" => "Finland",
            b"IM" => "Isle of Man",
            b"MC" => "Monaco",
            b"DE" => "Germany",
            _ => self.as_str(),
        }
    }

    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a link is travelled. Ferries carry rail wagons, trucks or both (see [`Link::carries`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Rail,
    Road,
    Ferry,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Rail, Mode::Road, Mode::Ferry];

    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "rail" => Some(Mode::Rail),
            "road" => Some(Mode::Road),
            "ferry" => Some(Mode::Ferry),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Rail => "rail",
            Mode::Road => "road",
            Mode::Ferry => "ferry",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A link's physical and legal state on the data's reference date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkStatus {
    Open,
    Closed,
    Destroyed,
    Planned,
    UnderConstruction,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 5] = [
        LinkStatus::Open,
        LinkStatus::Closed,
        LinkStatus::Destroyed,
        LinkStatus::Planned,
        LinkStatus::UnderConstruction,
    ];

    pub fn parse(s: &str) -> Option<LinkStatus> {
        LinkStatus::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Open => "open",
            LinkStatus::Closed => "closed",
            LinkStatus::Destroyed => "destroyed",
            LinkStatus::Planned => "planned",
            LinkStatus::UnderConstruction => "under_construction",
        }
    }
}

/// What a place is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    City,
    Station,
    Junction,
    Border,
    Port,
}

impl NodeKind {
    pub const ALL: [NodeKind; 5] = [
        NodeKind::City,
        NodeKind::Station,
        NodeKind::Junction,
        NodeKind::Border,
        NodeKind::Port,
    ];

    pub fn parse(s: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::City => "city",
            NodeKind::Station => "station",
            NodeKind::Junction => "junction",
            NodeKind::Border => "border",
            NodeKind::Port => "port",
        }
    }
}

/// The accuracy class of a coordinate (high: under 0.5 km; medium: 1-3 km; low: up to 5-10 km).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// A position in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

impl LonLat {
    /// Geodesic distance on the WGS84 ellipsoid (Karney's algorithm, as QGIS and GDAL measure).
    ///
    /// # Units
    /// Returns metres.
    pub fn geodesic_m(self, other: LonLat) -> f64 {
        use geo::{Distance, Geodesic, Point};
        Geodesic.distance(
            Point::new(self.lon, self.lat),
            Point::new(other.lon, other.lat),
        )
    }
}

/// Whether a crossing lets a mode through on the reference date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CrossingMode {
    pub open: bool,
    /// Average time a train or truck spends at the crossing.
    pub dwell_h: f64,
}

/// A border crossing: a node on a frontier where lines of each side meet.
#[derive(Debug, Clone, PartialEq)]
pub struct BorderCrossing {
    pub countries: [Country; 2],
    /// `None` where the crossing has no railway.
    pub rail: Option<CrossingMode>,
    /// `None` where the crossing has no road.
    pub road: Option<CrossingMode>,
    pub fee_usd_per_t: f64,
}

impl BorderCrossing {
    /// The crossing's state for a link mode; ferries never pass land crossings.
    pub fn mode(&self, mode: Mode) -> Option<&CrossingMode> {
        match mode {
            Mode::Rail => self.rail.as_ref(),
            Mode::Road => self.road.as_ref(),
            Mode::Ferry => None,
        }
    }
}

/// Transfer facilities of a place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfers {
    /// Break of gauge between 1520 mm and 1435 mm (bogie exchange or transloading).
    pub gauge: bool,
    /// Rail-road transshipment terminal.
    pub transship: bool,
}

/// A place: city, station, junction, port or border crossing.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub country: Country,
    pub region: Option<String>,
    pub kind: NodeKind,
    pub population: Option<u64>,
    pub position: LonLat,
    pub coord_confidence: Confidence,
    pub transfers: Transfers,
    pub border: Option<BorderCrossing>,
    pub source: String,
    pub note: Option<String>,
}

/// What a ferry takes on board.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Carries {
    pub rail: bool,
    pub road: bool,
}

/// A rail line section, road section or ferry between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub id: String,
    pub from: NodeId,
    pub to: NodeId,
    pub mode: Mode,
    pub status: LinkStatus,
    pub name: String,
    pub line: Option<String>,
    /// Track gauge of rail links and of ferries that carry wagons (1520 or 1435).
    pub gauge_mm: Option<u16>,
    /// Both gauges laid: usable by wagons of either.
    pub dual_gauge: bool,
    /// What the link carries: rail links carry rail, roads carry road, ferries say.
    pub carries: Carries,
    pub tracks: Option<u8>,
    pub electrified: Option<bool>,
    /// Commercial speed given in the data, if any (see [`CostModel::speed_kmh`] for the default).
    pub speed_kmh: Option<f64>,
    /// The length used for costs: the published figure, else the geodesic length.
    pub length_km: f64,
    /// The published length, when the data gives one.
    pub published_length_km: Option<f64>,
    /// Geodesic length of the geometry.
    pub geodesic_km: f64,
    pub length_note: Option<String>,
    /// Tonnes per day.
    pub capacity_t_per_day: Option<f64>,
    /// Hours between ferry departures.
    pub headway_h: Option<f64>,
    pub oneway: bool,
    /// The country the link lies in; `None` for a ferry between two countries.
    pub country: Option<Country>,
    pub geometry: Vec<LonLat>,
    pub source: String,
    pub note: Option<String>,
}

/// A validated network: places, links and the lookup tables built from them.
#[derive(Debug, Clone)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
    node_index: HashMap<String, NodeId>,
    link_index: HashMap<String, LinkId>,
    /// Links touching each node, in link order.
    incident: Vec<Vec<LinkId>>,
}

impl Network {
    /// Builds the lookup tables. Ids must be unique (the loader checks this first).
    pub fn new(nodes: Vec<Node>, links: Vec<Link>) -> Network {
        let node_index = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), NodeId(i as u32)))
            .collect();
        let link_index = links
            .iter()
            .enumerate()
            .map(|(i, l)| (l.id.clone(), LinkId(i as u32)))
            .collect();
        let mut incident = vec![Vec::new(); nodes.len()];
        for (i, link) in links.iter().enumerate() {
            incident[link.from.index()].push(LinkId(i as u32));
            if link.to != link.from {
                incident[link.to.index()].push(LinkId(i as u32));
            }
        }
        Network {
            nodes,
            links,
            node_index,
            link_index,
            incident,
        }
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn link(&self, id: LinkId) -> &Link {
        &self.links[id.index()]
    }

    pub fn node_id(&self, id: &str) -> Option<NodeId> {
        self.node_index.get(id).copied()
    }

    pub fn link_id(&self, id: &str) -> Option<LinkId> {
        self.link_index.get(id).copied()
    }

    /// Links that start or end at `node`.
    pub fn incident_links(&self, node: NodeId) -> &[LinkId] {
        &self.incident[node.index()]
    }

    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len() as u32).map(NodeId)
    }

    pub fn link_ids(&self) -> impl Iterator<Item = LinkId> {
        (0..self.links.len() as u32).map(LinkId)
    }

    /// The `n` largest places that are not border crossings, largest first: by population
    /// (places without one count as 0), then by the number of links they join, then in file
    /// order. Without populations (an OpenStreetMap import), the best connected places.
    ///
    /// # Complexity
    /// O(places log places).
    pub fn largest_places(&self, n: usize) -> Vec<NodeId> {
        let mut places: Vec<NodeId> = self
            .node_ids()
            .filter(|&v| self.node(v).kind != NodeKind::Border)
            .collect();
        places.sort_by_key(|&v| {
            (
                std::cmp::Reverse(self.node(v).population.unwrap_or(0)),
                std::cmp::Reverse(self.incident_links(v).len()),
                v,
            )
        });
        places.truncate(n);
        places
    }

    /// The total length of links per mode.
    ///
    /// # Units
    /// Kilometres.
    pub fn km_by_mode(&self) -> [(Mode, f64); 3] {
        Mode::ALL.map(|m| {
            (
                m,
                self.links
                    .iter()
                    .filter(|l| l.mode == m)
                    .map(|l| l.length_km)
                    .sum(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes_are_two_letters_upper_cased() {
        assert_eq!(
            Country::parse("am").map(|c| c.to_string()),
            Some("AM".into())
        );
        assert_eq!(Country::parse("AZE"), None);
        assert_eq!(Country::parse("A1"), None);
    }

    #[test]
    fn enums_round_trip_through_their_names() {
        for s in LinkStatus::ALL {
            assert_eq!(LinkStatus::parse(s.as_str()), Some(s));
        }
        for k in NodeKind::ALL {
            assert_eq!(NodeKind::parse(k.as_str()), Some(k));
        }
        for m in Mode::ALL {
            assert_eq!(Mode::parse(m.as_str()), Some(m));
        }
        assert_eq!(LinkStatus::parse("Open"), None);
    }

    #[test]
    fn geodesic_degree_of_latitude_is_about_111_km() {
        let a = LonLat {
            lon: 45.0,
            lat: 40.0,
        };
        let b = LonLat {
            lon: 45.0,
            lat: 41.0,
        };
        let km = a.geodesic_m(b) / 1000.0;
        assert!((km - 111.05).abs() < 0.1, "{km}");
    }
}
