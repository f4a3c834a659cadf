//! What the OSM tags of a way mean for the model: which ways are kept, as which mode and status,
//! with which gauge, speed, direction and name. Every default is a named constant or table here.

use crate::network::{Country, LinkStatus, Mode};

/// The tags of one element, in file order.
pub(crate) type Tags<'a> = [(&'a str, &'a str)];

pub(crate) fn tag<'a>(tags: &Tags<'a>, key: &str) -> Option<&'a str> {
    tags.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// Road classes (`highway=*`) kept by default: what a freight planner routes trucks on.
pub const FREIGHT_ROAD_CLASSES: &[&str] = &[
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
];

/// Road classes added at [`RoadClasses::Motor`]: every other road a motor vehicle may drive on.
pub const MINOR_ROAD_CLASSES: &[&str] = &[
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
];

/// `highway=*` values never kept, even at [`RoadClasses::All`]: not (or no longer) a way on the
/// ground.
pub const NOT_ON_THE_GROUND: &[&str] = &["proposed", "planned", "abandoned", "razed", "disused"];

/// Which `highway=*` ways are roads of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RoadClasses {
    /// [`FREIGHT_ROAD_CLASSES`]: motorway..tertiary and their links, what trucks use.
    #[default]
    Freight,
    /// Freight classes and [`MINOR_ROAD_CLASSES`].
    Motor,
    /// Every `highway=*` way on the ground, footways, paths and tracks included: the full
    /// graph of routing benchmarks (the Isle of Man's is about 73k nodes at full resolution).
    All,
}

impl RoadClasses {
    pub fn as_str(self) -> &'static str {
        match self {
            RoadClasses::Freight => "freight",
            RoadClasses::Motor => "motor",
            RoadClasses::All => "all",
        }
    }

    pub fn keeps(self, class: &str) -> bool {
        FREIGHT_ROAD_CLASSES.contains(&class)
            || (self != RoadClasses::Freight && MINOR_ROAD_CLASSES.contains(&class))
            || (self == RoadClasses::All && !NOT_ON_THE_GROUND.contains(&class))
    }
}

/// Speed of a road class when the way has no usable `maxspeed`.
///
/// # Units
/// km/h. Typical legal limits in Europe for a car, rounded down where they vary by country; a
/// freight planner's own truck speeds belong in `costs.toml`. Ways for walking and cycling
/// (kept only at [`RoadClasses::All`]) get a walking or cycling pace, other values 20 km/h.
pub fn road_class_speed_kmh(class: &str) -> f64 {
    match class {
        "motorway" => 110.0,
        "trunk" => 90.0,
        "primary" => 80.0,
        "secondary" => 70.0,
        "tertiary" => 60.0,
        "motorway_link" | "trunk_link" => 60.0,
        "primary_link" | "secondary_link" | "tertiary_link" => 50.0,
        "unclassified" | "road" => 50.0,
        "residential" => 30.0,
        "service" => 20.0,
        "living_street" => 10.0,
        "track" => 20.0,
        "cycleway" => 15.0,
        "footway" | "path" | "pedestrian" | "steps" | "bridleway" | "corridor" | "platform" => 5.0,
        _ => 20.0,
    }
}

/// Countries whose standard gauge is the Russian broad gauge (1520 mm; Finland's 1524 mm runs
/// through to it). An untagged `railway=rail` there is taken as 1520 mm, elsewhere as 1435 mm.
pub const BROAD_GAUGE_COUNTRIES: &[&str] = &[
    "AM", "AZ", "BY", "EE", "FI", "GE", "KG", "KZ", "LT", "LV", "MD", "MN", "RU", "TJ", "TM", "UA",
    "UZ",
];

/// The model's gauge for a tagged gauge in mm: 1432..=1438 is standard gauge (1435), 1520..=1524
/// the Russian and Finnish broad gauges (1520), which run through each other. Others (narrow,
/// Iberian, Irish, Indian gauges) have no place in the model: `None`.
pub fn model_gauge(mm: u32) -> Option<u16> {
    match mm {
        1432..=1438 => Some(1435),
        1520..=1524 => Some(1520),
        _ => None,
    }
}

/// What a `gauge` tag says: the model gauges found, or the first unsupported value.
#[derive(Debug, Clone, PartialEq)]
pub enum Gauge {
    /// One gauge, or two (dual gauge: both 1435 and 1520 laid).
    Supported { gauge_mm: u16, dual: bool },
    /// A gauge the model has no place for (the raw tag value).
    Unsupported(String),
}

/// Parses `gauge=1435`, `1435;1520` (dual), `1524`, `3'0"` (unsupported).
pub fn parse_gauge(value: &str) -> Gauge {
    let mut found: Vec<u16> = Vec::new();
    for part in value.split(';') {
        match part.trim().parse::<u32>().ok().and_then(model_gauge) {
            Some(g) => {
                if !found.contains(&g) {
                    found.push(g);
                }
            }
            None => return Gauge::Unsupported(value.to_string()),
        }
    }
    match found.as_slice() {
        [g] => Gauge::Supported {
            gauge_mm: *g,
            dual: false,
        },
        [g, _] => Gauge::Supported {
            gauge_mm: *g,
            dual: true,
        },
        _ => Gauge::Unsupported(value.to_string()),
    }
}

/// Implicit speed limits of `maxspeed=CC:zone` values: `(country or "*", zone, km/h)`, the first
/// match wins. Sources: the OSM wiki's "Default speed limits" page (2024), rounded to km/h.
const ZONE_SPEEDS_KMH: &[(&str, &str, f64)] = &[
    ("GB", "nsl_single", 96.56),
    ("GB", "nsl_dual", 112.65),
    ("GB", "motorway", 112.65),
    ("IM", "nsl_single", 96.56),
    ("IM", "nsl_dual", 112.65),
    ("RU", "urban", 60.0),
    ("RU", "rural", 90.0),
    ("RU", "motorway", 110.0),
    ("FI", "rural", 80.0),
    ("FR", "rural", 80.0),
    ("FR", "motorway", 130.0),
    ("DE", "rural", 100.0),
    ("DE", "motorway", 130.0),
    ("*", "urban", 50.0),
    ("*", "rural", 90.0),
    ("*", "trunk", 100.0),
    ("*", "motorway", 120.0),
    ("*", "living_street", 20.0),
    ("*", "walk", 5.0),
];

/// What a `maxspeed` value means.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MaxSpeed {
    /// A limit in km/h.
    Kmh(f64),
    /// `none`, `signals`, `variable`: no fixed figure; the class default applies.
    NoFigure,
    /// Not understood.
    Unparsed,
}

/// Parses a `maxspeed` value: `50`, `50 km/h`, `30 mph`, `10 knots`, `RU:urban`, `DE:zone30`,
/// `walk`, `none`, `60;40` (the first), `signals`.
///
/// # Units
/// Returns km/h.
pub fn parse_maxspeed(value: &str) -> MaxSpeed {
    let v = value.split(';').next().unwrap_or("").trim();
    match v {
        "none" | "signals" | "variable" | "unposted" => return MaxSpeed::NoFigure,
        "walk" => return MaxSpeed::Kmh(5.0),
        _ => {}
    }
    if let Some((country, zone)) = v.split_once(':') {
        let zone = zone.trim();
        // "zone30", "zone:30", "zone 30"
        let digits: String = zone.chars().filter(char::is_ascii_digit).collect();
        if zone.starts_with("zone") && !digits.is_empty() {
            return digits
                .parse::<f64>()
                .map_or(MaxSpeed::Unparsed, |x| checked(x, 1.0));
        }
        return ZONE_SPEEDS_KMH
            .iter()
            .find(|(c, z, _)| (*c == country || *c == "*") && *z == zone)
            .map_or(MaxSpeed::Unparsed, |(_, _, kmh)| MaxSpeed::Kmh(*kmh));
    }
    let (number, unit) = match v.find(|c: char| !(c.is_ascii_digit() || c == '.')) {
        Some(i) => (&v[..i], v[i..].trim()),
        None => (v, ""),
    };
    let factor = match unit {
        "" | "km/h" | "kmh" | "kph" => 1.0,
        "mph" => 1.609_344,
        "knots" | "kn" => 1.852,
        _ => return MaxSpeed::Unparsed,
    };
    number
        .parse::<f64>()
        .map_or(MaxSpeed::Unparsed, |x| checked(x, factor))
}

fn checked(x: f64, factor: f64) -> MaxSpeed {
    let kmh = (x * factor * 100.0).round() / 100.0;
    if kmh.is_finite() && kmh > 0.0 && kmh < 1000.0 {
        MaxSpeed::Kmh(kmh)
    } else {
        MaxSpeed::Unparsed
    }
}

/// The model's reading of one kept way.
#[derive(Debug, Clone, PartialEq)]
pub struct WayAttrs {
    pub mode: Mode,
    pub status: LinkStatus,
    pub name: String,
    pub gauge_mm: Option<u16>,
    pub dual_gauge: bool,
    pub tracks: Option<u8>,
    pub electrified: Option<bool>,
    /// km/h.
    pub speed_kmh: Option<f64>,
    /// Only from the first to the last node (after reversing `oneway=-1` ways).
    pub oneway: bool,
    /// `usage=` and `service=` of railways.
    pub note: Option<String>,
}

/// Why a way was left out, for the import's counts.
#[derive(Debug, Clone, PartialEq)]
pub enum Skip {
    /// Not a rail or road way the options keep.
    NotKept,
    /// A railway whose gauge the model cannot hold (raw tag value).
    Gauge(String),
}

/// Soft findings while reading a kept way, counted by the import.
#[derive(Debug, Default, Clone, Copy)]
pub struct Notes {
    pub gauge_assumed: bool,
    pub maxspeed_unparsed: bool,
}

/// Which ways the import keeps.
#[derive(Debug, Clone)]
pub struct Filter {
    pub rail: bool,
    pub road: bool,
    pub road_classes: RoadClasses,
    pub only_open: bool,
    pub country: Country,
}

impl Filter {
    /// Reads a way's tags.
    ///
    /// # Returns
    /// The attributes and whether the way's nodes must be reversed (`oneway=-1`), or why it is
    /// left out.
    pub fn classify(&self, tags: &Tags<'_>, notes: &mut Notes) -> Result<(WayAttrs, bool), Skip> {
        if tag(tags, "area") == Some("yes") {
            return Err(Skip::NotKept);
        }
        if self.rail {
            if let Some(status) = rail_status(tags) {
                if self.only_open && status != LinkStatus::Open {
                    return Err(Skip::NotKept);
                }
                return self.rail_attrs(tags, status, notes).map(|a| (a, false));
            }
        }
        if self.road {
            if let Some((class, status)) = road_class(tags) {
                if self.road_classes.keeps(class) && !(self.only_open && status != LinkStatus::Open)
                {
                    return Ok(road_attrs(tags, class, status, notes));
                }
            }
        }
        Err(Skip::NotKept)
    }

    fn rail_attrs(
        &self,
        tags: &Tags<'_>,
        status: LinkStatus,
        notes: &mut Notes,
    ) -> Result<WayAttrs, Skip> {
        let (gauge_mm, dual_gauge) = match tag(tags, "gauge") {
            Some(g) => match parse_gauge(g) {
                Gauge::Supported { gauge_mm, dual } => (gauge_mm, dual),
                Gauge::Unsupported(raw) => return Err(Skip::Gauge(raw)),
            },
            None => {
                notes.gauge_assumed = true;
                let broad = BROAD_GAUGE_COUNTRIES.contains(&self.country.as_str());
                (if broad { 1520 } else { 1435 }, false)
            }
        };
        let electrified = tag(tags, "electrified").map(|e| e != "no");
        let tracks = tag(tags, "tracks")
            .and_then(|t| t.trim().parse::<u8>().ok())
            .filter(|t| (1..=8).contains(t));
        let speed_kmh = speed(tags, notes);
        let note: Vec<String> = ["usage", "service"]
            .iter()
            .filter_map(|k| tag(tags, k).map(|v| format!("{k}={v}")))
            .collect();
        Ok(WayAttrs {
            mode: Mode::Rail,
            status,
            name: name(tags, "railway"),
            gauge_mm: Some(gauge_mm),
            dual_gauge,
            tracks,
            electrified,
            speed_kmh,
            oneway: false,
            note: (!note.is_empty()).then(|| note.join("; ")),
        })
    }
}

/// `railway=rail` and its life cycle: `disused` (closed), `abandoned` (destroyed: the track is
/// gone), `construction` and `proposed` (under construction, planned) of a future `rail`, also
/// as the `disused:railway=rail` prefix form.
fn rail_status(tags: &Tags<'_>) -> Option<LinkStatus> {
    match tag(tags, "railway") {
        Some("rail") => return Some(LinkStatus::Open),
        Some("disused") => return Some(LinkStatus::Closed),
        Some("abandoned") => return Some(LinkStatus::Destroyed),
        Some("construction") if tag(tags, "construction") == Some("rail") => {
            return Some(LinkStatus::UnderConstruction)
        }
        Some("proposed") if tag(tags, "proposed") == Some("rail") => {
            return Some(LinkStatus::Planned)
        }
        Some(_) => return None,
        None => {}
    }
    match (tag(tags, "disused:railway"), tag(tags, "abandoned:railway")) {
        (Some("rail"), _) => Some(LinkStatus::Closed),
        (_, Some("rail")) => Some(LinkStatus::Destroyed),
        _ => None,
    }
}

/// The highway class and status: `highway=construction` with `construction=<class>` is a road
/// under construction of that class.
fn road_class<'a>(tags: &Tags<'a>) -> Option<(&'a str, LinkStatus)> {
    match tag(tags, "highway")? {
        "construction" => tag(tags, "construction").map(|c| (c, LinkStatus::UnderConstruction)),
        class => Some((class, LinkStatus::Open)),
    }
}

fn road_attrs(
    tags: &Tags<'_>,
    class: &str,
    status: LinkStatus,
    notes: &mut Notes,
) -> (WayAttrs, bool) {
    let roundabout = matches!(tag(tags, "junction"), Some("roundabout" | "circular"));
    let (oneway, reverse) = match tag(tags, "oneway") {
        Some("yes" | "true" | "1") => (true, false),
        Some("-1" | "reverse") => (true, true),
        Some("no" | "false" | "0") => (false, false),
        _ => (class == "motorway" || roundabout, false),
    };
    let speed_kmh = speed(tags, notes).or(Some(road_class_speed_kmh(class)));
    let attrs = WayAttrs {
        mode: Mode::Road,
        status,
        name: name(tags, &format!("{} road", class.replace('_', " "))),
        gauge_mm: None,
        dual_gauge: false,
        tracks: None,
        electrified: None,
        speed_kmh,
        oneway,
        note: None,
    };
    (attrs, reverse)
}

/// `maxspeed`, else the larger of `maxspeed:forward` and `maxspeed:backward`.
fn speed(tags: &Tags<'_>, notes: &mut Notes) -> Option<f64> {
    let mut read = |key: &str| match tag(tags, key).map(parse_maxspeed) {
        Some(MaxSpeed::Kmh(x)) => Some(x),
        Some(MaxSpeed::Unparsed) => {
            notes.maxspeed_unparsed = true;
            None
        }
        Some(MaxSpeed::NoFigure) | None => None,
    };
    if tag(tags, "maxspeed").is_some() {
        return read("maxspeed");
    }
    match (read("maxspeed:forward"), read("maxspeed:backward")) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// `name`, else `ref`, else "unnamed <what>".
fn name(tags: &Tags<'_>, what: &str) -> String {
    tag(tags, "name")
        .or_else(|| tag(tags, "ref"))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| format!("unnamed {what}"), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxspeed_values_parse_to_kmh() {
        assert_eq!(parse_maxspeed("50"), MaxSpeed::Kmh(50.0));
        assert_eq!(parse_maxspeed("50 km/h"), MaxSpeed::Kmh(50.0));
        assert_eq!(parse_maxspeed("30 mph"), MaxSpeed::Kmh(48.28));
        assert_eq!(parse_maxspeed("RU:urban"), MaxSpeed::Kmh(60.0));
        assert_eq!(parse_maxspeed("FI:urban"), MaxSpeed::Kmh(50.0));
        assert_eq!(parse_maxspeed("GB:nsl_single"), MaxSpeed::Kmh(96.56));
        assert_eq!(parse_maxspeed("DE:zone30"), MaxSpeed::Kmh(30.0));
        assert_eq!(parse_maxspeed("DE:zone:20"), MaxSpeed::Kmh(20.0));
        assert_eq!(parse_maxspeed("60;40"), MaxSpeed::Kmh(60.0));
        assert_eq!(parse_maxspeed("walk"), MaxSpeed::Kmh(5.0));
        assert_eq!(parse_maxspeed("none"), MaxSpeed::NoFigure);
        assert_eq!(parse_maxspeed("fast"), MaxSpeed::Unparsed);
        assert_eq!(parse_maxspeed("0"), MaxSpeed::Unparsed);
        assert_eq!(parse_maxspeed("XX:moon"), MaxSpeed::Unparsed);
    }

    #[test]
    fn gauges_map_to_the_two_model_gauges() {
        let one = |g| Gauge::Supported {
            gauge_mm: g,
            dual: false,
        };
        assert_eq!(parse_gauge("1435"), one(1435));
        assert_eq!(parse_gauge("1524"), one(1520));
        assert_eq!(parse_gauge("1520"), one(1520));
        assert_eq!(
            parse_gauge("1435;1520"),
            Gauge::Supported {
                gauge_mm: 1435,
                dual: true
            }
        );
        assert_eq!(parse_gauge("914"), Gauge::Unsupported("914".into()));
        assert_eq!(parse_gauge("3'0\""), Gauge::Unsupported("3'0\"".into()));
        assert_eq!(
            parse_gauge("1435;1000"),
            Gauge::Unsupported("1435;1000".into())
        );
    }

    fn filter() -> Filter {
        Filter {
            rail: true,
            road: true,
            road_classes: RoadClasses::Freight,
            only_open: false,
            country: Country::parse("FI").unwrap_or_else(|| unreachable!()),
        }
    }

    #[test]
    fn roads_get_class_speeds_and_direction() {
        let f = filter();
        let mut n = Notes::default();
        let (a, rev) = f
            .classify(&[("highway", "motorway")], &mut n)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(a.oneway && !rev);
        assert_eq!(a.speed_kmh, Some(110.0));
        assert_eq!(a.name, "unnamed motorway road");
        let (a, rev) = f
            .classify(
                &[("highway", "primary"), ("oneway", "-1"), ("ref", "A1")],
                &mut n,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert!(a.oneway && rev);
        assert_eq!(a.name, "A1");
        assert_eq!(
            f.classify(&[("highway", "residential")], &mut n),
            Err(Skip::NotKept)
        );
        assert_eq!(
            f.classify(&[("highway", "footway")], &mut n),
            Err(Skip::NotKept)
        );
    }

    #[test]
    fn railways_get_gauge_status_and_usage() {
        let f = filter();
        let mut n = Notes::default();
        let (a, _) = f
            .classify(
                &[
                    ("railway", "rail"),
                    ("usage", "main"),
                    ("electrified", "contact_line"),
                ],
                &mut n,
            )
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.gauge_mm, Some(1520), "FI defaults to broad gauge");
        assert!(n.gauge_assumed);
        assert_eq!(a.electrified, Some(true));
        assert_eq!(a.note.as_deref(), Some("usage=main"));
        let (a, _) = f
            .classify(&[("disused:railway", "rail"), ("gauge", "1435")], &mut n)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.status, LinkStatus::Closed);
        assert_eq!(
            f.classify(&[("railway", "narrow_gauge"), ("gauge", "914")], &mut n),
            Err(Skip::NotKept)
        );
        assert_eq!(
            f.classify(&[("railway", "rail"), ("gauge", "914")], &mut n),
            Err(Skip::Gauge("914".into()))
        );
    }
}
