//! QGIS styles (`.qml`, applied by QGIS to the layer with the same base name) and the
//! `corridor.qgs` project that opens every layer of a run, styled, in order.
//!
//! The styles are small hand-written templates: QGIS fills every attribute left out with its
//! default. Each layer's style is one [`Style`], written both as the `.qml` beside the layer and
//! inside the project, so that the project and the files agree.
//!
//! | layer | renderer |
//! |---|---|
//! | `links` | rules by `mode` (rail blue, road orange, ferry green) and `status`: open solid, closed or destroyed dashed vermillion, planned or under construction dotted |
//! | `links` per scenario (project only) | the same rules on `status_<scenario>` |
//! | `nodes` | categories by `kind`; labels for cities, ports and hubs (transshipment places) |
//! | `routes` | categories by `scenario`, Okabe-Ito colours |
//! | metric layers | graduated widths on a numeric field, five equal classes |
//!
//! Colours are the Okabe-Ito palette ([`super::chart::OKABE_ITO`]), safe for the common forms of
//! colour blindness.

use std::fmt::Write as _;
use std::path::Path;

use crate::network::{LinkStatus, Mode, Network};

use super::chart::{Rgb, OKABE_ITO};
use super::geojson::scenario_field;
use super::map::route_colour;
use super::{write_atomic, OutputError};

/// The QGIS release the templates follow (Debian 12's).
pub const QGIS_VERSION: &str = "3.22.16-Białowieża";

/// The colour of each mode on maps and charts.
pub fn mode_colour(mode: Mode) -> Rgb {
    match mode {
        Mode::Rail => OKABE_ITO[5],  // blue
        Mode::Road => OKABE_ITO[1],  // orange
        Mode::Ferry => OKABE_ITO[3], // bluish green
    }
}

/// The colour of closed and destroyed links.
pub const CLOSED_COLOUR: Rgb = OKABE_ITO[6]; // vermillion

/// A layer's geometry, as QGIS names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Geometry {
    Point,
    Line,
    MultiLine,
    MultiPolygon,
}

impl Geometry {
    fn as_str(self) -> &'static str {
        match self {
            Geometry::Point => "Point",
            Geometry::Line | Geometry::MultiLine => "Line",
            Geometry::MultiPolygon => "Polygon",
        }
    }

    fn wkb(self) -> &'static str {
        match self {
            Geometry::Point => "Point",
            Geometry::Line => "LineString",
            Geometry::MultiLine => "MultiLineString",
            Geometry::MultiPolygon => "MultiPolygon",
        }
    }
}

/// A layer style: the renderer and, optionally, the labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    renderer: String,
    labeling: Option<String>,
}

impl Style {
    /// The `.qml` document.
    pub fn to_qml(&self) -> String {
        let mut out = String::new();
        out.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
        let _ = writeln!(
            out,
            "<qgis version=\"{QGIS_VERSION}\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"{}\">",
            u8::from(self.labeling.is_some())
        );
        self.write_body(&mut out);
        out.push_str("</qgis>\n");
        out
    }

    /// Writes the `.qml` document atomically.
    ///
    /// # Errors
    /// [`OutputError`] naming `path`.
    pub fn write(&self, path: &Path) -> Result<(), OutputError> {
        write_atomic(path, self.to_qml().as_bytes())
    }

    fn write_body(&self, out: &mut String) {
        out.push_str(&self.renderer);
        if let Some(l) = &self.labeling {
            out.push_str(l);
        }
        out.push_str("  <blendMode>0</blendMode>\n  <featureBlendMode>0</featureBlendMode>\n  <layerOpacity>1</layerOpacity>\n");
    }
}

/// One rule of a rule-based renderer.
struct Rule {
    label: String,
    filter: String,
    symbol: String,
}

/// The line style of a link status.
fn status_line(status: LinkStatus) -> (&'static str, bool) {
    match status {
        LinkStatus::Open => ("solid", false),
        LinkStatus::Closed | LinkStatus::Destroyed => ("dash", true),
        LinkStatus::Planned | LinkStatus::UnderConstruction => ("dot", false),
    }
}

fn mode_width(mode: Mode) -> f64 {
    match mode {
        Mode::Rail => 0.9,
        Mode::Road => 0.6,
        Mode::Ferry => 0.6,
    }
}

/// The `links` style: rules by mode and by the status column `field` (`status` for the data's
/// own statuses, `status_<scenario>` for a scenario's open/closed).
pub fn links_style(field: &str) -> Style {
    let f = quote_field(field);
    let mut rules = Vec::new();
    for mode in Mode::ALL {
        let m = format!("\"mode\" = '{}'", mode.as_str());
        let groups: &[(&str, &[LinkStatus])] = if field == "status" {
            &[
                ("open", &[LinkStatus::Open]),
                (
                    "closed or destroyed",
                    &[LinkStatus::Closed, LinkStatus::Destroyed],
                ),
                (
                    "planned or under construction",
                    &[LinkStatus::Planned, LinkStatus::UnderConstruction],
                ),
            ]
        } else {
            &[
                ("open", &[LinkStatus::Open]),
                ("closed", &[LinkStatus::Closed]),
            ]
        };
        for (label, statuses) in groups {
            let (style, closed) = status_line(statuses[0]);
            let colour = if closed {
                CLOSED_COLOUR
            } else {
                mode_colour(mode)
            };
            let list: Vec<String> = statuses
                .iter()
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            rules.push(Rule {
                label: format!("{}: {label}", mode.as_str()),
                filter: format!("{m} AND {f} IN ({})", list.join(", ")),
                symbol: line_symbol(colour, mode_width(mode), style, 1.0),
            });
        }
    }
    Style {
        renderer: rule_renderer(&rules),
        labeling: Some(line_labeling("\"name\"")),
    }
}

/// The `nodes` style: a marker per kind, labels (the `name`) for cities, ports and hubs (places
/// with a transshipment terminal: capitals and corridor junctions, often stations).
pub fn nodes_style() -> Style {
    let black = Rgb(0, 0, 0);
    let white = Rgb(255, 255, 255);
    let grey = Rgb(110, 110, 110);
    let categories = [
        ("city", "city", marker_symbol("circle", white, black, 2.6)),
        (
            "port",
            "port",
            marker_symbol("square", OKABE_ITO[2], black, 2.4),
        ),
        (
            "border",
            "border crossing",
            marker_symbol("diamond", black, white, 3.2),
        ),
        (
            "station",
            "station",
            marker_symbol("circle", grey, grey, 1.4),
        ),
        (
            "junction",
            "junction",
            marker_symbol("circle", grey, grey, 1.0),
        ),
    ];
    let cats: Vec<(String, String, String)> = categories
        .into_iter()
        .map(|(v, l, s)| (v.to_string(), l.to_string(), s))
        .collect();
    Style {
        renderer: categorized_renderer("kind", &cats, |_| true),
        labeling: Some(labeling(
            "CASE WHEN \"kind\" IN ('city', 'port') OR \"transfers\" LIKE '%transship%' THEN \"name\" END",
        )),
    }
}

/// The `routes` style: one colour per trade route (`routes`: id and legend label, in order;
/// the quick-look map's route palette, pale and apart from the mode colours), wide bands meant
/// to lie under the links. Every category is drawn: which scenario a layer shows is the layer's
/// filter, not its style.
pub fn routes_style(routes: &[(&str, &str)]) -> Style {
    let cats: Vec<(String, String, String)> = routes
        .iter()
        .enumerate()
        .map(|(i, (id, label))| {
            (
                id.to_string(),
                label.to_string(),
                line_symbol(route_colour(i), 2.4, "solid", 0.9),
            )
        })
        .collect();
    Style {
        renderer: categorized_renderer("route", &cats, |_| true),
        labeling: None,
    }
}

/// The `projects` style: one colour per project (by `project` id, labelled with its name), a
/// wide band under the links it opens, and the project's name along them.
pub fn projects_style(projects: &[(&str, &str)]) -> Style {
    let cats: Vec<(String, String, String)> = projects
        .iter()
        .enumerate()
        .map(|(i, (id, name))| {
            (
                id.to_string(),
                name.to_string(),
                line_symbol(scenario_colour(i), 3.2, "solid", 0.55),
            )
        })
        .collect();
    Style {
        renderer: categorized_renderer("project", &cats, |_| true),
        labeling: None,
    }
}

/// The basemap's countries: land fills, those of `home` (Natural Earth names) lighter, no
/// outline (the borders layer draws them).
pub fn countries_style(home: &[&str]) -> Style {
    use super::map::{LAND_HOME, LAND_OTHER};
    let filter = if home.is_empty() {
        "FALSE".to_string()
    } else {
        let list: Vec<String> = home
            .iter()
            .map(|n| format!("'{}'", n.replace('\'', "''")))
            .collect();
        format!("\"name\" IN ({})", list.join(", "))
    };
    let rules = [
        Rule {
            label: "countries of the network".into(),
            filter: filter.clone(),
            symbol: fill_symbol(LAND_HOME),
        },
        Rule {
            label: "neighbours".into(),
            filter: format!("NOT ({filter})"),
            symbol: fill_symbol(LAND_OTHER),
        },
    ];
    Style {
        renderer: rule_renderer(&rules),
        labeling: None,
    }
}

/// The basemap's lines: land borders grey, coastline blue, as on the quick-look map.
pub fn basemap_lines_style() -> Style {
    use super::map::{BORDER, COAST};
    let cats = vec![
        (
            "border".to_string(),
            "country border".to_string(),
            line_symbol(BORDER, 0.3, "solid", 1.0),
        ),
        (
            "coast".to_string(),
            "coastline, Caspian shore".to_string(),
            line_symbol(COAST, 0.3, "solid", 1.0),
        ),
    ];
    Style {
        renderer: categorized_renderer("kind", &cats, |_| true),
        labeling: None,
    }
}

/// The colour of the `i`-th scenario's routes: Okabe-Ito, the colours of the modes (blue,
/// orange, green) last, so that a route stands out from the links under it.
pub fn scenario_colour(i: usize) -> Rgb {
    const ORDER: [usize; 8] = [6, 7, 2, 4, 0, 5, 1, 3];
    OKABE_ITO[ORDER[i % ORDER.len()]]
}

/// A graduated-width style on a numeric `field`: five equal classes between the smallest and
/// largest of `values` (one class when they are all equal, none when there are none), widths from
/// 0.4 to 3.2 mm, in `colour`.
pub fn graduated_style(field: &str, values: &[f64], colour: Rgb) -> Style {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let mut ranges = Vec::new();
    if let (Some(lo), Some(hi)) = (
        finite.iter().copied().reduce(f64::min),
        finite.iter().copied().reduce(f64::max),
    ) {
        let classes = if hi > lo { 5 } else { 1 };
        let step = (hi - lo) / classes as f64;
        for i in 0..classes {
            let a = lo + step * i as f64;
            let b = if i + 1 == classes {
                hi
            } else {
                lo + step * (i + 1) as f64
            };
            let width = if classes == 1 {
                1.2
            } else {
                0.4 + 0.7 * i as f64
            };
            ranges.push((a, b, line_symbol(colour, width, "solid", 1.0)));
        }
    }
    let mut r = String::new();
    let _ = writeln!(
        r,
        "  <renderer-v2 type=\"graduatedSymbol\" attr=\"{}\" graduatedMethod=\"GraduatedSize\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">",
        xml(field)
    );
    r.push_str("    <ranges>\n");
    for (i, (a, b, _)) in ranges.iter().enumerate() {
        let _ = writeln!(
            r,
            "      <range render=\"true\" symbol=\"{i}\" lower=\"{a}\" upper=\"{b}\" label=\"{} – {}\"/>",
            number_label(*a),
            number_label(*b)
        );
    }
    r.push_str("    </ranges>\n    <symbols>\n");
    for (i, (_, _, s)) in ranges.iter().enumerate() {
        r.push_str(&s.replace("name=\"@\"", &format!("name=\"{i}\"")));
    }
    r.push_str("    </symbols>\n  </renderer-v2>\n");
    Style {
        renderer: r,
        labeling: None,
    }
}

/// A number for a legend: whole numbers above 100, else three significant digits.
fn number_label(x: f64) -> String {
    if x.abs() >= 100.0 || x == 0.0 {
        format!("{x:.0}")
    } else {
        let digits = (2 - x.abs().log10().floor() as i32).clamp(0, 6) as usize;
        format!("{x:.digits$}")
    }
}

fn rule_renderer(rules: &[Rule]) -> String {
    let mut r = String::new();
    r.push_str("  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n");
    r.push_str("    <rules key=\"root\">\n");
    for (i, rule) in rules.iter().enumerate() {
        let _ = writeln!(
            r,
            "      <rule key=\"rule-{i}\" symbol=\"{i}\" label=\"{}\" filter=\"{}\"/>",
            xml(&rule.label),
            xml(&rule.filter)
        );
    }
    r.push_str("    </rules>\n    <symbols>\n");
    for (i, rule) in rules.iter().enumerate() {
        r.push_str(&rule.symbol.replace("name=\"@\"", &format!("name=\"{i}\"")));
    }
    r.push_str("    </symbols>\n  </renderer-v2>\n");
    r
}

/// A categorized renderer: (value, legend label, symbol) per category; categories for which
/// `drawn` is false start unticked in the layers panel (one click draws them).
fn categorized_renderer(
    field: &str,
    categories: &[(String, String, String)],
    drawn: impl Fn(&str) -> bool,
) -> String {
    let mut r = String::new();
    let _ = writeln!(
        r,
        "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">",
        xml(field)
    );
    r.push_str("    <categories>\n");
    for (i, (value, label, _)) in categories.iter().enumerate() {
        let _ = writeln!(
            r,
            "      <category render=\"{}\" symbol=\"{i}\" value=\"{}\" label=\"{}\"/>",
            drawn(value),
            xml(value),
            xml(label)
        );
    }
    r.push_str("    </categories>\n    <symbols>\n");
    for (i, (_, _, s)) in categories.iter().enumerate() {
        r.push_str(&s.replace("name=\"@\"", &format!("name=\"{i}\"")));
    }
    r.push_str("    </symbols>\n  </renderer-v2>\n");
    r
}

/// A simple line symbol; `name="@"` is replaced by the symbol's index.
///
/// # Units
/// `width_mm` in millimetres on the map.
fn line_symbol(colour: Rgb, width_mm: f64, style: &str, alpha: f64) -> String {
    let props = [
        ("line_color", colour.qgis()),
        ("line_width", format!("{width_mm}")),
        ("line_width_unit", "MM".into()),
        ("line_style", style.into()),
        ("capstyle", "round".into()),
        ("joinstyle", "round".into()),
    ];
    symbol("line", "SimpleLine", alpha, &props)
}

/// A simple marker symbol.
///
/// # Units
/// `size_mm` in millimetres on the map.
fn marker_symbol(shape: &str, fill: Rgb, outline: Rgb, size_mm: f64) -> String {
    let props = [
        ("name", shape.to_string()),
        ("color", fill.qgis()),
        ("outline_color", outline.qgis()),
        ("outline_width", "0.3".into()),
        ("outline_width_unit", "MM".into()),
        ("size", format!("{size_mm}")),
        ("size_unit", "MM".into()),
    ];
    symbol("marker", "SimpleMarker", 1.0, &props)
}

/// A plain fill without outline.
fn fill_symbol(colour: Rgb) -> String {
    let props = [
        ("color", colour.qgis()),
        ("style", "solid".to_string()),
        ("outline_style", "no".to_string()),
    ];
    symbol("fill", "SimpleFill", 1.0, &props)
}

fn symbol(kind: &str, class: &str, alpha: f64, props: &[(&str, String)]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "      <symbol type=\"{kind}\" name=\"@\" alpha=\"{alpha}\" clip_to_extent=\"1\" force_rhr=\"0\">"
    );
    let _ = writeln!(
        s,
        "        <layer class=\"{class}\" enabled=\"1\" locked=\"0\" pass=\"0\">"
    );
    s.push_str("          <Option type=\"Map\">\n");
    for (k, v) in props {
        let _ = writeln!(
            s,
            "            <Option name=\"{k}\" type=\"QString\" value=\"{}\"/>",
            xml(v)
        );
    }
    s.push_str("          </Option>\n        </layer>\n      </symbol>\n");
    s
}

/// Simple labels from an expression, with a white halo.
fn labeling(expression: &str) -> String {
    format!(
        r#"  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="{}" isExpression="1" fontFamily="DejaVu Sans" fontSize="8" fontSizeUnit="Point" textColor="20,20,20,255" textOpacity="1" fontWeight="50" namedStyle="Book">
        <text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <placement placement="6" dist="0.8" distUnits="MM" predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR" priority="5"/>
      <rendering obstacle="1" obstacleType="1" drawLabels="1" displayAll="0" scaleVisibility="0" limitNumLabels="0" upsidedownLabels="0"/>
    </settings>
  </labeling>
"#,
        xml(expression)
    )
}

/// Labels along lines from an expression, small and grey with a white halo; the parts of one
/// line with the same label are merged, so that a railway of ten links is named once or twice.
fn line_labeling(expression: &str) -> String {
    format!(
        r#"  <labeling type="simple">
    <settings calloutType="simple">
      <text-style fieldName="{}" isExpression="1" fontFamily="DejaVu Sans" fontSize="6.5" fontSizeUnit="Point" textColor="60,60,60,255" textOpacity="1" fontWeight="50" fontItalic="1" namedStyle="Oblique">
        <text-buffer bufferDraw="1" bufferSize="0.6" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.85" bufferNoFill="1" bufferJoinStyle="128"/>
      </text-style>
      <placement placement="2" placementFlags="10" dist="0.6" distUnits="MM" repeatDistance="0" priority="3" overrunDistance="0"/>
      <rendering obstacle="1" obstacleType="0" drawLabels="1" displayAll="0" mergeLines="1" minFeatureSize="12" labelPerPart="0" scaleVisibility="0" limitNumLabels="0" upsidedownLabels="0"/>
    </settings>
  </labeling>
"#,
        xml(expression)
    )
}

/// Quotes a field name for a QGIS expression.
fn quote_field(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

/// Escapes text for an XML attribute or element.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// A map extent in WGS84 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub min_lon: f64,
    pub min_lat: f64,
    pub max_lon: f64,
    pub max_lat: f64,
}

impl Extent {
    /// The bounding box of every node and link vertex, with a 5 % margin (at least 0.01°).
    /// An empty network gives the whole world.
    pub fn of_network(network: &Network) -> Extent {
        let points = network.nodes.iter().map(|n| n.position).chain(
            network
                .links
                .iter()
                .flat_map(|l| l.geometry.iter().copied()),
        );
        let mut e: Option<Extent> = None;
        for p in points {
            let b = e.get_or_insert(Extent {
                min_lon: p.lon,
                min_lat: p.lat,
                max_lon: p.lon,
                max_lat: p.lat,
            });
            b.min_lon = b.min_lon.min(p.lon);
            b.min_lat = b.min_lat.min(p.lat);
            b.max_lon = b.max_lon.max(p.lon);
            b.max_lat = b.max_lat.max(p.lat);
        }
        match e {
            Some(b) => {
                let dx = ((b.max_lon - b.min_lon) * 0.05).max(0.01);
                let dy = ((b.max_lat - b.min_lat) * 0.05).max(0.01);
                Extent {
                    min_lon: (b.min_lon - dx).max(-180.0),
                    min_lat: (b.min_lat - dy).max(-85.0),
                    max_lon: (b.max_lon + dx).min(180.0),
                    max_lat: (b.max_lat + dy).min(85.0),
                }
            }
            None => Extent {
                min_lon: -180.0,
                min_lat: -85.0,
                max_lon: 180.0,
                max_lat: 85.0,
            },
        }
    }

    /// The extent in Web Mercator metres (EPSG:3857), the project's CRS.
    fn mercator(&self) -> [f64; 4] {
        const R: f64 = 6_378_137.0;
        let x = |lon: f64| R * lon.to_radians();
        let y = |lat: f64| {
            R * (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
                .tan()
                .ln()
        };
        [
            x(self.min_lon),
            y(self.min_lat),
            x(self.max_lon),
            y(self.max_lat),
        ]
    }
}

/// The GeoPackage every project layer reads (beside the project).
pub const GPKG: &str = "corridor.gpkg";

/// A layer of the project: a table of `corridor.gpkg` (optionally filtered), its name and style.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectLayer {
    /// Name in the layers panel.
    pub name: String,
    /// Table of the GeoPackage.
    pub table: String,
    /// The GeoJSON file of the same layer beside the project (`links.geojson`), whose `.qml`
    /// carries the same style; `None` for layers only in the GeoPackage (the basemap).
    pub file: Option<String>,
    /// A QGIS filter expression on the table (`"scenario" = 'meghri-rail'`).
    pub subset: Option<String>,
    pub geometry: Geometry,
    pub style: Style,
    /// Ticked (drawn) when the project opens.
    pub visible: bool,
    /// Group in the layers panel (`None`: top level).
    pub group: Option<String>,
}

impl ProjectLayer {
    fn table(name: &str, geometry: Geometry, style: Style, visible: bool) -> ProjectLayer {
        ProjectLayer {
            name: name.into(),
            table: name.into(),
            file: Some(format!("{name}.geojson")),
            subset: None,
            geometry,
            style,
            visible,
            group: None,
        }
    }

    pub fn nodes() -> ProjectLayer {
        ProjectLayer::table("nodes", Geometry::Point, nodes_style(), true)
    }

    pub fn links() -> ProjectLayer {
        ProjectLayer::table("links", Geometry::Line, links_style("status"), true)
    }

    /// The links layer styled by a scenario's `status_<scenario>` column, unticked, in the
    /// group "links by scenario".
    pub fn links_in_scenario(scenario: &str, title: &str) -> ProjectLayer {
        ProjectLayer {
            name: format!("links: {title}"),
            group: Some("links by scenario".into()),
            ..ProjectLayer::table(
                "links",
                Geometry::Line,
                links_style(&scenario_field("status", scenario)),
                false,
            )
        }
    }

    /// The whole routes table, coloured by route: the style of `routes.geojson` and of the
    /// `routes` table; not in the project (its per-scenario views are, see
    /// [`ProjectLayer::routes_in_scenario`]).
    pub fn routes(routes: &[(&str, &str)]) -> ProjectLayer {
        ProjectLayer::table("routes", Geometry::Line, routes_style(routes), false)
    }

    /// The routes of one scenario (a filter on the `routes` table), named `routes: <title>`;
    /// `only` limits it to some trade routes (the claims'). Top level and ticked when
    /// `visible`, else unticked in the group "routes by scenario".
    pub fn routes_in_scenario(
        routes: &[(&str, &str)],
        scenario: &str,
        title: &str,
        only: Option<&[&str]>,
        visible: bool,
    ) -> ProjectLayer {
        let mut subset = format!("\"scenario\" = '{}'", scenario.replace('\'', "''"));
        if let Some(ids) = only {
            let list: Vec<String> = ids
                .iter()
                .map(|r| format!("'{}'", r.replace('\'', "''")))
                .collect();
            subset.push_str(&format!(" AND \"route\" IN ({})", list.join(", ")));
        }
        ProjectLayer {
            name: match only {
                Some(_) => format!("the claims' routes: {title}"),
                None => format!("routes: {title}"),
            },
            subset: Some(subset),
            group: (!visible).then(|| "routes by scenario".to_string()),
            ..ProjectLayer::table("routes", Geometry::Line, routes_style(routes), visible)
        }
    }

    /// The unblocking projects' links, coloured by project (legend by name); unticked (with
    /// the claims' routes drawn, it would crowd the map), one click away.
    pub fn projects(projects: &[(&str, &str)]) -> ProjectLayer {
        ProjectLayer::table("projects", Geometry::Line, projects_style(projects), false)
    }

    /// A link metric layer (`criticality`, `flows`) with graduated widths on `field`; unticked
    /// when the project opens (drawn over the links and routes, it would hide them), one click
    /// away in the layers panel.
    pub fn metric(name: &str, field: &str, values: &[f64], colour: Rgb) -> ProjectLayer {
        ProjectLayer::table(
            name,
            Geometry::Line,
            graduated_style(field, values, colour),
            false,
        )
    }

    /// The basemap's country polygons (GeoPackage only), in the group "basemap".
    pub fn basemap_countries(home: &[&str]) -> ProjectLayer {
        ProjectLayer {
            file: None,
            group: Some("basemap".into()),
            ..ProjectLayer::table(
                "basemap_countries",
                Geometry::MultiPolygon,
                countries_style(home),
                true,
            )
        }
    }

    /// The basemap's borders and coastline (GeoPackage only), in the group "basemap".
    pub fn basemap_lines() -> ProjectLayer {
        ProjectLayer {
            file: None,
            group: Some("basemap".into()),
            ..ProjectLayer::table(
                "basemap_lines",
                Geometry::MultiLine,
                basemap_lines_style(),
                true,
            )
        }
    }

    /// The layer's data source, relative to the project.
    fn source(&self) -> String {
        let mut s = format!("./{GPKG}|layername={}", self.table);
        if let Some(f) = &self.subset {
            s.push_str("|subset=");
            s.push_str(f);
        }
        s
    }
}

/// The print layout of a project: an A4 landscape page with a title, the map, its legend
/// (only what the map shows), a scale bar in km, a north arrow and a sources note.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub title: String,
    pub sources: String,
    /// What the map frame shows; the project's extent when `None`.
    pub extent: Option<Extent>,
}

/// A QGIS project: layers drawn in the order added reversed (the first added is on top, as in
/// the layers panel), opening on an extent.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub title: String,
    pub extent: Extent,
    pub layers: Vec<ProjectLayer>,
    pub layout: Option<Layout>,
}

impl Project {
    pub fn new(title: impl Into<String>, extent: Extent) -> Project {
        Project {
            title: title.into(),
            extent,
            layers: Vec::new(),
            layout: None,
        }
    }

    /// Adds a layer below those already added.
    pub fn add(&mut self, layer: ProjectLayer) {
        self.layers.push(layer);
    }

    /// Layer ids: `corridor_`, the name's letters and digits and the layer's index, stable
    /// across runs. (QGIS replaces an id of 10 characters or fewer with a random one, which
    /// would orphan the layer's entry in the layers panel.)
    fn layer_id(&self, i: usize) -> String {
        let base: String = self.layers[i]
            .name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("corridor_{base}_{i:02}")
    }

    /// The `.qgs` document. Paths are relative (`./corridor.gpkg`): the folder can move.
    pub fn to_xml(&self) -> String {
        let mut out = String::new();
        out.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
        let _ = writeln!(
            out,
            "<qgis version=\"{QGIS_VERSION}\" projectname=\"{}\">",
            xml(&self.title)
        );
        let _ = writeln!(out, "  <title>{}</title>", xml(&self.title));
        let _ = writeln!(
            out,
            "  <projectCrs>\n{}  </projectCrs>",
            crs_xml(MERCATOR, 4)
        );
        // The layers panel: top-level layers and groups in the order added.
        out.push_str("  <layer-tree-group>\n    <customproperties/>\n");
        let mut groups_done: Vec<&str> = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            match &l.group {
                None => self.tree_layer(&mut out, i, 4),
                Some(g) if groups_done.contains(&g.as_str()) => {}
                Some(g) => {
                    groups_done.push(g);
                    let checked = self
                        .layers
                        .iter()
                        .any(|x| x.group.as_ref() == Some(g) && x.visible);
                    let _ = writeln!(
                        out,
                        "    <layer-tree-group name=\"{}\" checked=\"{}\" expanded=\"0\">\n      <customproperties/>",
                        xml(g),
                        checked_str(checked)
                    );
                    for (j, x) in self.layers.iter().enumerate() {
                        if x.group.as_ref() == Some(g) {
                            self.tree_layer(&mut out, j, 6);
                        }
                    }
                    out.push_str("    </layer-tree-group>\n");
                }
            }
        }
        out.push_str("  </layer-tree-group>\n");
        let [x0, y0, x1, y1] = self.extent.mercator();
        let _ = writeln!(
            out,
            "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n    <units>meters</units>\n    <extent>\n      <xmin>{x0:.1}</xmin>\n      <ymin>{y0:.1}</ymin>\n      <xmax>{x1:.1}</xmax>\n      <ymax>{y1:.1}</ymax>\n    </extent>\n    <rotation>0</rotation>\n    <destinationsrs>\n{}    </destinationsrs>\n  </mapcanvas>",
            crs_xml(MERCATOR, 6)
        );
        out.push_str("  <projectlayers>\n");
        for (i, l) in self.layers.iter().enumerate() {
            let _ = writeln!(
                out,
                "    <maplayer type=\"vector\" geometry=\"{}\" wkbType=\"{}\" labelsEnabled=\"{}\" styleCategories=\"AllStyleCategories\">",
                l.geometry.as_str(),
                l.geometry.wkb(),
                u8::from(l.style.labeling.is_some())
            );
            let _ = writeln!(out, "      <id>{}</id>", self.layer_id(i));
            let _ = writeln!(out, "      <datasource>{}</datasource>", xml(&l.source()));
            let _ = writeln!(out, "      <layername>{}</layername>", xml(&l.name));
            let _ = writeln!(out, "      <srs>\n{}      </srs>", crs_xml(WGS84, 8));
            out.push_str("      <provider encoding=\"UTF-8\">ogr</provider>\n");
            let mut body = String::new();
            l.style.write_body(&mut body);
            for line in body.lines() {
                let _ = writeln!(out, "    {line}");
            }
            out.push_str("    </maplayer>\n");
        }
        out.push_str("  </projectlayers>\n  <layerorder>\n");
        for i in 0..self.layers.len() {
            let _ = writeln!(out, "    <layer id=\"{}\"/>", self.layer_id(i));
        }
        out.push_str("  </layerorder>\n");
        let [x0, y0, x1, y1] = self.extent.mercator();
        let _ = writeln!(
            out,
            "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n    <Scales/>\n    <DefaultViewExtent xmin=\"{:.1}\" ymin=\"{:.1}\" xmax=\"{:.1}\" ymax=\"{:.1}\">\n{}    </DefaultViewExtent>\n  </ProjectViewSettings>",
            x0,
            y0,
            x1,
            y1,
            crs_xml(MERCATOR, 6)
        );
        if let Some(layout) = &self.layout {
            self.layout_xml(&mut out, layout);
        }
        // QGIS reads `projectCrs` only when `ProjectionsEnabled` is set.
        out.push_str(concat!(
            "  <properties>\n",
            "    <Paths>\n      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n",
            "    <SpatialRefSys>\n      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n    </SpatialRefSys>\n",
            "    <Measure>\n      <Ellipsoid type=\"QString\">EPSG:7030</Ellipsoid>\n    </Measure>\n",
            "  </properties>\n"
        ));
        out.push_str("</qgis>\n");
        out
    }

    /// The print layout: A4 landscape (297 x 210 mm); the map on the left keeps the extent's
    /// shape, grown to fill its frame.
    fn layout_xml(&self, out: &mut String, layout: &Layout) {
        const MAP: &str = "{7e1a0c52-0000-4000-8000-000000000001}";
        let item = |uuid: &str, kind: u32, pos: (f64, f64), size: (f64, f64), z: u32| {
            format!(
                "uuid=\"{uuid}\" templateUuid=\"{uuid}\" type=\"{kind}\" position=\"{},{},mm\" positionOnPage=\"{},{},mm\" size=\"{},{},mm\" zValue=\"{z}\" visibility=\"1\" frame=\"false\" positionLock=\"false\" referencePoint=\"0\" itemRotation=\"0\" opacity=\"1\" blendMode=\"0\" excludeFromExports=\"0\" groupUuid=\"\" id=\"\"",
                pos.0, pos.1, pos.0, pos.1, size.0, size.1
            )
        };
        let text_style = |size: f64, bold: bool| {
            format!(
                "<text-style fontFamily=\"DejaVu Sans\" fontSize=\"{size}\" fontSizeUnit=\"Point\" fontWeight=\"{}\" textColor=\"30,30,30,255\" textOpacity=\"1\" namedStyle=\"{}\" fontKerning=\"1\" multilineHeight=\"1\" allowHtml=\"0\"><text-buffer bufferDraw=\"0\"/></text-style>",
                if bold { 75 } else { 50 },
                if bold { "Bold" } else { "Book" }
            )
        };
        // The map frame, and the extent grown to its shape.
        let (mx, my, mw, mh) = (8.0, 20.0, 190.0, 182.0);
        let [x0, y0, x1, y1] = layout.extent.unwrap_or(self.extent).mercator();
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let (mut w, mut h) = (x1 - x0, y1 - y0);
        if w / h < mw / mh {
            w = h * mw / mh;
        } else {
            h = w * mh / mw;
        }
        out.push_str("  <Layouts>\n");
        let _ = writeln!(
            out,
            "    <Layout name=\"{}\" units=\"mm\" printResolution=\"200\" worldFileMap=\"\">",
            xml(&layout.title)
        );
        let _ = writeln!(
            out,
            "      <PageCollection>\n        <LayoutItem {} background=\"true\"><BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/></LayoutItem>\n        <GuideCollection visible=\"1\"/>\n      </PageCollection>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000000}",
                65638,
                (0.0, 0.0),
                (297.0, 210.0),
                0
            )
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} background=\"true\" keepLayerSet=\"false\" followPreset=\"false\" followPresetName=\"\" drawCanvasItems=\"true\" mapRotation=\"0\" mapFlags=\"0\" labelMargin=\"0,mm\" isTemporal=\"0\">\n        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n        <Extent xmin=\"{:.1}\" ymin=\"{:.1}\" xmax=\"{:.1}\" ymax=\"{:.1}\"/>\n        <LayerSet/>\n      </LayoutItem>",
            item(MAP, 65639, (mx, my), (mw, mh), 1).replace("frame=\"false\"", "frame=\"true\""),
            cx - w / 2.0,
            cy - h / 2.0,
            cx + w / 2.0,
            cy + h / 2.0
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} labelText=\"{}\" halign=\"1\" valign=\"128\" marginX=\"0\" marginY=\"0\" htmlState=\"0\" background=\"false\">\n        <LabelFont description=\"DejaVu Sans,16,-1,5,75,0,0,0,0,0\" style=\"Bold\"/>\n        <FontColor red=\"30\" green=\"30\" blue=\"30\" alpha=\"255\"/>\n        {}\n      </LayoutItem>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000002}",
                65641,
                (8.0, 5.0),
                (281.0, 12.0),
                2
            ),
            xml(&layout.title),
            text_style(16.0, true)
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} map_uuid=\"{MAP}\" title=\"Legend\" legendFilterByMap=\"1\" resizeToContents=\"0\" columnCount=\"1\" splitLayer=\"0\" symbolWidth=\"6\" symbolHeight=\"2.5\" boxSpace=\"1.5\" wrapChar=\"\" background=\"true\">\n        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"255\"/>\n        <styles>\n{}        </styles>\n      </LayoutItem>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000003}",
                65642,
                (202.0, 20.0),
                (90.0, 150.0),
                3
            ),
            [
                ("title", 10, 75, 1.5),
                ("group", 7, 75, 1.5),
                ("subgroup", 6, 75, 1.2),
                ("symbolLabel", 6, 50, 0.6)
            ]
            .iter()
            .map(|(name, size, weight, margin)| format!(
                "          <style name=\"{name}\" marginBottom=\"{margin}\" marginTop=\"{margin}\" marginLeft=\"1\" alignment=\"1\"><styleFont description=\"DejaVu Sans,{size},-1,5,{weight},0,0,0,0,0\" style=\"\"/></style>\n"
            ))
            .collect::<String>()
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} mapUuid=\"{MAP}\" style=\"Single Box\" unitType=\"km\" unitLabel=\"km\" numSegments=\"2\" numSegmentsLeft=\"0\" numSubdivisions=\"1\" numUnitsPerSegment=\"100\" numMapUnitsPerScaleBarUnit=\"1\" segmentSizeMode=\"1\" minBarWidth=\"15\" maxBarWidth=\"35\" height=\"2\" labelBarSpace=\"2\" boxContentSpace=\"1\" alignment=\"0\" outlineWidth=\"0.3\" background=\"true\">\n        <BackgroundColor red=\"255\" green=\"255\" blue=\"255\" alpha=\"220\"/>\n        {}\n      </LayoutItem>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000004}",
                65646,
                (12.0, 190.0),
                (60.0, 9.0),
                4
            ),
            text_style(8.0, false)
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} file=\":/images/north_arrows/layout_default_north_arrow.svg\" mapUuid=\"{MAP}\" northMode=\"0\" northOffset=\"0\" pictureRotation=\"0\" resizeMode=\"0\" anchorPoint=\"0\" svgFillColor=\"30,30,30,255\" svgBorderColor=\"255,255,255,255\" svgBorderWidth=\"0.2\" mode=\"1\" background=\"false\"/>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000005}",
                65640,
                (183.0, 23.0),
                (12.0, 14.0),
                5
            )
        );
        let _ = writeln!(
            out,
            "      <LayoutItem {} labelText=\"{}\" halign=\"1\" valign=\"32\" marginX=\"1\" marginY=\"1\" htmlState=\"0\" background=\"false\">\n        {}\n      </LayoutItem>",
            item(
                "{7e1a0c52-0000-4000-8000-000000000006}",
                65641,
                (202.0, 173.0),
                (90.0, 29.0),
                6
            ),
            xml(&layout.sources),
            text_style(6.5, false)
        );
        out.push_str("    </Layout>\n  </Layouts>\n");
    }

    fn tree_layer(&self, out: &mut String, i: usize, indent: usize) {
        let l = &self.layers[i];
        let pad = " ".repeat(indent);
        let _ = writeln!(
            out,
            "{pad}<layer-tree-layer id=\"{}\" name=\"{}\" source=\"{}\" providerKey=\"ogr\" checked=\"{}\" expanded=\"{}\">\n{pad}  <customproperties/>\n{pad}</layer-tree-layer>",
            self.layer_id(i),
            xml(&l.name),
            xml(&l.source()),
            checked_str(l.visible),
            u8::from(l.visible)
        );
    }

    /// Writes the project atomically.
    ///
    /// # Errors
    /// [`OutputError`] naming `path`.
    pub fn write(&self, path: &Path) -> Result<(), OutputError> {
        write_atomic(path, self.to_xml().as_bytes())
    }
}

fn checked_str(on: bool) -> &'static str {
    if on {
        "Qt::Checked"
    } else {
        "Qt::Unchecked"
    }
}

/// A CRS QGIS resolves from its id (`srsid` below the user range plus `authid`).
struct Crs {
    srsid: u32,
    srid: u32,
    authid: &'static str,
    description: &'static str,
    proj: &'static str,
    acronym: &'static str,
    geographic: bool,
}

const WGS84: Crs = Crs {
    srsid: 3452,
    srid: 4326,
    authid: "EPSG:4326",
    description: "WGS 84",
    proj: "+proj=longlat +datum=WGS84 +no_defs",
    acronym: "longlat",
    geographic: true,
};

/// Web Mercator: the project draws in it, so that shapes at 40° N are not stretched east-west.
const MERCATOR: Crs = Crs {
    srsid: 3857,
    srid: 3857,
    authid: "EPSG:3857",
    description: "WGS 84 / Pseudo-Mercator",
    proj: "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs",
    acronym: "merc",
    geographic: false,
};

fn crs_xml(c: Crs, indent: usize) -> String {
    let pad = " ".repeat(indent);
    format!(
        "{pad}<spatialrefsys>\n{pad}  <proj4>{}</proj4>\n{pad}  <srsid>{}</srsid>\n{pad}  <srid>{}</srid>\n{pad}  <authid>{}</authid>\n{pad}  <description>{}</description>\n{pad}  <projectionacronym>{}</projectionacronym>\n{pad}  <ellipsoidacronym>EPSG:7030</ellipsoidacronym>\n{pad}  <geographicflag>{}</geographicflag>\n{pad}</spatialrefsys>\n",
        c.proj, c.srsid, c.srid, c.authid, c.description, c.acronym, c.geographic
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_style_has_a_rule_per_mode_and_status_group() {
        let qml = links_style("status").to_qml();
        assert_eq!(qml.matches("<rule ").count(), 9);
        assert!(qml.contains("&quot;mode&quot; = &apos;rail&apos; AND &quot;status&quot; IN (&apos;closed&apos;, &apos;destroyed&apos;)"));
        let scen = links_style("status_meghri_rail").to_qml();
        assert_eq!(scen.matches("<rule ").count(), 6);
        assert!(scen.contains("&quot;status_meghri_rail&quot;"));
    }

    #[test]
    fn graduated_style_splits_the_range_into_five_classes() {
        let qml = graduated_style("flow", &[0.0, 10.0, 50.0], Rgb(0, 0, 0)).to_qml();
        assert_eq!(qml.matches("<range ").count(), 5);
        assert!(qml.contains("lower=\"40\" upper=\"50\""), "{qml}");
        let one = graduated_style("flow", &[3.0, 3.0], Rgb(0, 0, 0)).to_qml();
        assert_eq!(one.matches("<range ").count(), 1);
        let none = graduated_style("flow", &[], Rgb(0, 0, 0)).to_qml();
        assert_eq!(none.matches("<range ").count(), 0);
    }

    #[test]
    fn xml_escapes_quotes_and_markup() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
