//! The quick-look map: the network on one PNG (and SVG), good enough to paste into a briefing.
//!
//! Under the network lies the region's basemap ([`super::basemap`]: Natural Earth countries,
//! land borders, coastline and the Caspian), the countries holding a tenth of the places or more
//! lighter than their neighbours. Links are coloured by mode (rail blue, road orange, ferry
//! green); closed and destroyed links are grey and dashed, planned ones dashed in their mode's
//! colour. A scenario, when given, decides which links are open. Routes are drawn underneath as
//! wide opaque bands from a pale palette of their own ([`ROUTE_PALETTE`]), the first widest, so
//! that the legend shows exactly the drawn colour. Labels are placed before anything is drawn,
//! deterministically: place labels (hubs, then the most populous) at the first of eight
//! positions around the marker that overlaps no marker and no label, then country names at their
//! polygon's centroid (or a line above or below it); what finds no room is left out, as is a
//! label repeating a nearby one ("Poti" beside "Poti sea port"). A scale bar in km sits at the
//! bottom left.
//!
//! # Projection
//! Equirectangular, x = longitude x cos(middle latitude), y = latitude: distances are true along
//! the middle parallel, which is close enough over a region a few hundred kilometres across.

use std::collections::BTreeMap;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::network::{LinkStatus, LonLat, Mode, Network, NodeKind};
use crate::scenario::ResolvedScenario;

use super::basemap::{basemap, clip_line, clip_ring, label_point, LineKind};
use super::chart::{draw_legend, Chart, DrawError, LegendEntry, Mark, Rgb, FONT_FAMILY, OKABE_ITO};
use super::qgis::mode_colour;

const CLOSED: Rgb = Rgb(0x99, 0x99, 0x99);
const LEGEND_W: u32 = 270;
const MARGIN: u32 = 14;
const X_LABELS: u32 = 50;
const Y_LABELS: u32 = 70;
const TITLE_H: u32 = 48;

/// A route to highlight on the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRoute {
    /// Legend text ("baku-nakhchivan-rail, meghri-rail").
    pub label: String,
    pub path: Vec<LonLat>,
}

/// A quick-look map of a network, optionally under a scenario, with routes highlighted.
#[derive(Debug, Clone)]
pub struct QuickLookMap<'a> {
    pub title: String,
    pub network: &'a Network,
    /// Decides which links and crossings are open; `None`: the data's own statuses.
    pub scenario: Option<&'a ResolvedScenario>,
    pub routes: Vec<MapRoute>,
    /// Image width in pixels; the height follows from the network's shape.
    pub width: u32,
    /// Draw only this extent (min lon, min lat, max lon, max lat); `None`: everything.
    pub focus: Option<(f64, f64, f64, f64)>,
}

/// How a link is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Closed,
    Planned,
    Open,
}

impl<'a> QuickLookMap<'a> {
    pub fn new(title: impl Into<String>, network: &'a Network) -> QuickLookMap<'a> {
        QuickLookMap {
            title: title.into(),
            network,
            scenario: None,
            routes: Vec::new(),
            width: 1600,
            focus: None,
        }
    }

    /// Draws only the given extent (min lon, min lat, max lon, max lat); what lies outside is cut.
    pub fn with_focus(mut self, bounds: (f64, f64, f64, f64)) -> QuickLookMap<'a> {
        self.focus = Some(bounds);
        self
    }

    /// Draws the core of the network: the box holding the middle 80 % of the places in each
    /// direction (10th to 90th percentile of longitude and latitude), widened by a third, so
    /// that a few far-away ends (Moscow, Istanbul) do not shrink the region of interest.
    pub fn focus_on_core(self) -> QuickLookMap<'a> {
        match core_extent(self.network) {
            Some(core) => self.with_focus(core),
            None => self,
        }
    }

    /// The pieces of a polyline inside the focus ([`clip_line`]); the whole line when there is
    /// no focus.
    fn clip(&self, line: &[LonLat]) -> Vec<Vec<LonLat>> {
        match self.focus {
            Some(view) => clip_line(line, view),
            None => vec![line.to_vec()],
        }
    }

    fn in_focus(&self, p: LonLat) -> bool {
        self.focus
            .is_none_or(|(a, b, c, d)| p.lon >= a && p.lon <= c && p.lat >= b && p.lat <= d)
    }

    /// Shows the network as a scenario leaves it.
    pub fn with_scenario(mut self, scenario: &'a ResolvedScenario) -> QuickLookMap<'a> {
        self.scenario = Some(scenario);
        self
    }

    /// Highlights routes (drawn under the network, in legend order).
    pub fn with_routes(mut self, routes: Vec<MapRoute>) -> QuickLookMap<'a> {
        self.routes = routes;
        self
    }

    fn state(&self, i: usize) -> State {
        let l = &self.network.links[i];
        match self.scenario {
            Some(s) if s.link_open.get(i).copied().unwrap_or(false) => State::Open,
            Some(_) => match l.status {
                LinkStatus::Planned | LinkStatus::UnderConstruction => State::Planned,
                _ => State::Closed,
            },
            None => match l.status {
                LinkStatus::Open => State::Open,
                LinkStatus::Closed | LinkStatus::Destroyed => State::Closed,
                LinkStatus::Planned | LinkStatus::UnderConstruction => State::Planned,
            },
        }
    }

    /// Whether any mode of a border crossing is open.
    fn crossing_open(&self, node: usize) -> bool {
        match self.scenario {
            Some(s) => s.crossing_open.get(node).is_some_and(|m| m[0] || m[1]),
            None => self.network.nodes[node]
                .border
                .as_ref()
                .is_some_and(|b| b.rail.is_some_and(|m| m.open) || b.road.is_some_and(|m| m.open)),
        }
    }

    /// Bounding box of everything drawn, with a margin: (min lon, min lat, max lon, max lat).
    fn bounds(&self) -> (f64, f64, f64, f64) {
        if let Some(f) = self.focus {
            return f;
        }
        let pts = self
            .network
            .nodes
            .iter()
            .map(|n| n.position)
            .chain(
                self.network
                    .links
                    .iter()
                    .flat_map(|l| l.geometry.iter().copied()),
            )
            .chain(self.routes.iter().flat_map(|r| r.path.iter().copied()))
            .filter(|p| p.lon.is_finite() && p.lat.is_finite());
        let (mut a, mut b, mut c, mut d) = (180f64, 90f64, -180f64, -90f64);
        let mut any = false;
        for p in pts {
            any = true;
            a = a.min(p.lon);
            b = b.min(p.lat);
            c = c.max(p.lon);
            d = d.max(p.lat);
        }
        if !any {
            return (-1.0, -1.0, 1.0, 1.0);
        }
        let (dx, dy) = (((c - a) * 0.06).max(0.05), ((d - b) * 0.06).max(0.05));
        (a - dx, b - dy, c + dx, d + dy)
    }

    /// cos(middle latitude), the east-west scale of the projection.
    fn kx(&self) -> f64 {
        let (_, b, _, d) = self.bounds();
        ((b + d) / 2.0).to_radians().cos().max(0.05)
    }

    fn plot_width(&self) -> u32 {
        self.width
            .saturating_sub(LEGEND_W + 2 * MARGIN + Y_LABELS)
            .max(100)
    }

    /// Projected ranges matching the plot's pixel aspect: the shorter side grows around its
    /// centre, so that one degree of latitude keeps its length whatever the network's shape.
    fn ranges(&self, plot_w: u32, plot_h: u32) -> ((f64, f64), (f64, f64)) {
        let (a, b, c, d) = self.bounds();
        let k = self.kx();
        let (mut x0, mut x1, mut y0, mut y1) = (a * k, c * k, b, d);
        let want = plot_h as f64 / plot_w as f64;
        let have = (y1 - y0) / (x1 - x0);
        if have > want {
            let w = (y1 - y0) / want;
            let mid = (x0 + x1) / 2.0;
            (x0, x1) = (mid - w / 2.0, mid + w / 2.0);
        } else {
            let h = (x1 - x0) * want;
            let mid = (y0 + y1) / 2.0;
            (y0, y1) = (mid - h / 2.0, mid + h / 2.0);
        }
        ((x0, x1), (y0, y1))
    }

    fn legend(&self) -> Vec<LegendEntry> {
        let mut out = Vec::new();
        let states: Vec<(Mode, State)> = (0..self.network.links.len())
            .map(|i| (self.network.links[i].mode, self.state(i)))
            .collect();
        for mode in Mode::ALL {
            if states.contains(&(mode, State::Open)) {
                out.push(LegendEntry::new(
                    format!("{mode}, open"),
                    Mark::Line {
                        colour: mode_colour(mode),
                        width: mode_px(mode),
                        dashed: false,
                    },
                ));
            }
        }
        for mode in Mode::ALL {
            if states.contains(&(mode, State::Planned)) {
                out.push(LegendEntry::new(
                    format!("{mode}, planned"),
                    Mark::Line {
                        colour: mode_colour(mode),
                        width: 2,
                        dashed: true,
                    },
                ));
            }
        }
        if states.iter().any(|s| s.1 == State::Closed) {
            out.push(LegendEntry::new(
                "closed or destroyed",
                Mark::Line {
                    colour: CLOSED,
                    width: 2,
                    dashed: true,
                },
            ));
        }
        let kinds = |k: NodeKind| self.network.nodes.iter().any(|n| n.kind == k);
        if kinds(NodeKind::City) {
            out.push(LegendEntry::new(
                "city",
                Mark::Dot {
                    fill: Rgb(255, 255, 255),
                    outline: Rgb(0, 0, 0),
                    radius: 5,
                },
            ));
        }
        if kinds(NodeKind::Port) {
            out.push(LegendEntry::new(
                "port",
                Mark::Dot {
                    fill: OKABE_ITO[2],
                    outline: Rgb(0, 0, 0),
                    radius: 5,
                },
            ));
        }
        let borders: Vec<bool> = (0..self.network.nodes.len())
            .filter(|&i| self.network.nodes[i].kind == NodeKind::Border)
            .map(|i| self.crossing_open(i))
            .collect();
        if borders.contains(&true) {
            out.push(LegendEntry::new(
                "border crossing, open",
                Mark::Diamond(Rgb(0, 0, 0)),
            ));
        }
        if borders.contains(&false) {
            out.push(LegendEntry::new(
                "border crossing, closed",
                Mark::Diamond(CLOSED),
            ));
        }
        for (i, r) in self.routes.iter().enumerate() {
            out.push(LegendEntry::new(
                r.label.clone(),
                Mark::Line {
                    colour: route_colour(i),
                    width: route_px(i).min(14),
                    dashed: false,
                },
            ));
        }
        if self.has_basemap() {
            out.push(LegendEntry::new(
                "country border",
                Mark::Line {
                    colour: BORDER,
                    width: 1,
                    dashed: false,
                },
            ));
            out.push(LegendEntry::new(
                "coastline",
                Mark::Line {
                    colour: COAST,
                    width: 1,
                    dashed: false,
                },
            ));
            out.push(LegendEntry::new("sea, Caspian", Mark::Fill(SEA)));
        }
        out
    }

    /// Whether the bundled basemap reaches the places in focus (half a degree around them): a
    /// network elsewhere in the world is drawn on a blank ground, not on "sea", and its legend
    /// names no basemap.
    fn has_basemap(&self) -> bool {
        basemap_reaches(
            self.network
                .nodes
                .iter()
                .map(|n| n.position)
                .filter(|&p| self.in_focus(p)),
        )
    }
}

/// Whether a country of the bundled basemap reaches within half a degree of `places`: a network
/// elsewhere in the world is drawn on a blank ground, not on "sea".
pub fn basemap_reaches(places: impl Iterator<Item = LonLat>) -> bool {
    let mut ext = (
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    );
    for p in places {
        ext = (
            ext.0.min(p.lon - 0.5),
            ext.1.min(p.lat - 0.5),
            ext.2.max(p.lon + 0.5),
            ext.3.max(p.lat + 0.5),
        );
    }
    ext.0 <= ext.2
        && basemap().countries.iter().any(|c| {
            c.polygons
                .iter()
                .any(|poly| poly.first().is_some_and(|o| clip_ring(o, ext).len() >= 3))
        })
}

fn mode_px(mode: Mode) -> u32 {
    match mode {
        Mode::Rail => 3,
        Mode::Road | Mode::Ferry => 2,
    }
}

/// The core of a network: the box holding the middle 80 % of the places in each direction
/// (10th to 90th percentile of longitude and latitude), widened by a third (at least 0.5°) but
/// never beyond the bounding box of the nodes and links with its 5 % margin
/// ([`super::qgis::Extent::of_network`]), so that a small network (an island) fills the frame,
/// as (min lon, min lat, max lon, max lat); `None` under ten places.
pub fn core_extent(network: &Network) -> Option<(f64, f64, f64, f64)> {
    let mut lons: Vec<f64> = network.nodes.iter().map(|n| n.position.lon).collect();
    let mut lats: Vec<f64> = network.nodes.iter().map(|n| n.position.lat).collect();
    if lons.len() < 10 {
        return None;
    }
    lons.sort_by(f64::total_cmp);
    lats.sort_by(f64::total_cmp);
    let pct = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let (a, c) = (pct(&lons, 0.1), pct(&lons, 0.9));
    let (b, d) = (pct(&lats, 0.1), pct(&lats, 0.9));
    let (dx, dy) = (((c - a) / 3.0).max(0.5), ((d - b) / 3.0).max(0.5));
    let all = super::qgis::Extent::of_network(network);
    Some((
        (a - dx).max(all.min_lon),
        (b - dy).max(all.min_lat),
        (c + dx).min(all.max_lon),
        (d + dy).min(all.max_lat),
    ))
}

/// Pale route bands, none near the mode colours (blue, orange, green) nor the closed grey, so
/// that a route never reads as a mode; drawn opaque, so that the legend shows the very colour.
pub const ROUTE_PALETTE: [Rgb; 8] = [
    Rgb(0xF4, 0xA6, 0xC8), // pink
    Rgb(0xC6, 0xB3, 0xE8), // lavender
    Rgb(0xEE, 0xDC, 0x82), // straw
    Rgb(0xE0, 0xB8, 0xA8), // rose brown
    Rgb(0xB8, 0xDC, 0xE8), // ice
    Rgb(0xD8, 0xD0, 0xA0), // khaki
    Rgb(0xF2, 0xB5, 0xB5), // coral
    Rgb(0xC9, 0xD9, 0x9A), // olive
];

/// The trade routes in the order that gives them their colours on every map (the quick-look
/// map, the QGIS styles, `report.html`): the routes with a claim first, then the others, each in
/// file order, so that the claims' routes, drawn together, never share a colour.
pub fn route_order(routes: &[crate::scenario::TradeRoute]) -> Vec<&str> {
    let claimed = routes.iter().filter(|r| r.claim.is_some());
    let others = routes.iter().filter(|r| r.claim.is_none());
    claimed.chain(others).map(|r| r.id.as_str()).collect()
}

/// The colour of the `i`-th highlighted route.
pub fn route_colour(i: usize) -> Rgb {
    ROUTE_PALETTE[i % ROUTE_PALETTE.len()]
}

/// The width of the `i`-th route's band: the first widest, so that routes sharing a line show
/// as nested bands.
fn route_px(i: usize) -> u32 {
    16u32.saturating_sub(3 * i as u32).max(6)
}

/// Sea (and the Caspian) behind the land.
pub const SEA: Rgb = Rgb(0xD5, 0xE6, 0xF2);
/// Countries the network has places in.
pub const LAND_HOME: Rgb = Rgb(0xFA, 0xF7, 0xF0);
/// Other countries.
pub const LAND_OTHER: Rgb = Rgb(0xE8, 0xE5, 0xDE);
/// Land borders.
pub const BORDER: Rgb = Rgb(0x8A, 0x84, 0x7C);
/// Coastline.
pub const COAST: Rgb = Rgb(0x6F, 0x9C, 0xBF);

/// A pixel rectangle (left, top, right, bottom).
type Rect = (i32, i32, i32, i32);

fn overlaps(a: &Rect, b: &Rect) -> bool {
    !(a.2 < b.0 || a.0 > b.2 || a.3 < b.1 || a.1 > b.3)
}

/// A round length (1, 2 or 5 times a power of ten) for a scale bar of about `km`.
fn scale_km(km: f64) -> f64 {
    nice_step(km)
}

impl Chart for QuickLookMap<'_> {
    fn size(&self) -> (u32, u32) {
        let (a, b, c, d) = self.bounds();
        let aspect = (d - b) / ((c - a) * self.kx());
        let plot_h = (self.plot_width() as f64 * aspect).round() as u32;
        let h = plot_h + TITLE_H + 2 * MARGIN + X_LABELS;
        (self.width, h.clamp(500, 2000))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        let (w, h) = root.dim_in_pixel();
        let (head, body) = root.split_vertically(TITLE_H);
        head.draw(&Text::new(
            self.title.clone(),
            (w as i32 / 2, TITLE_H as i32 / 2),
            (FONT_FAMILY, 26)
                .into_font()
                .color(&RGBColor(0x22, 0x22, 0x22))
                .pos(Pos::new(HPos::Center, VPos::Center)),
        ))?;
        let (plot, side) = body.split_horizontally(w.saturating_sub(LEGEND_W));
        draw_legend(&side, Some("legend"), &self.legend())?;
        let plot_w = self.plot_width();
        let plot_h = h.saturating_sub(TITLE_H + 2 * MARGIN + X_LABELS).max(100);
        let ((x0, x1), (y0, y1)) = self.ranges(plot_w, plot_h);
        let k = self.kx();
        let mut chart = ChartBuilder::on(&plot)
            .margin(MARGIN)
            .x_label_area_size(X_LABELS)
            .y_label_area_size(Y_LABELS)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        let grey = RGBColor(0x44, 0x44, 0x44);
        chart
            .configure_mesh()
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc("longitude (°)")
            .y_desc("latitude (°)")
            .axis_desc_style((FONT_FAMILY, 15).into_font().color(&grey))
            .draw()?;
        let project = |p: LonLat| (p.lon * k, p.lat);
        let net = self.network;
        let view = (x0 / k, y0, x1 / k, y1);

        // The basemap: sea, countries (those with places lighter), borders, coastline.
        let base = basemap();
        // Countries holding a tenth of the places in view or more are lighter: the region the
        // network serves stands out from its neighbours.
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut in_view = 0usize;
        for n in net.nodes.iter().filter(|n| self.in_focus(n.position)) {
            *counts.entry(n.country.name()).or_default() += 1;
            in_view += 1;
        }
        let home: Vec<&str> = counts
            .iter()
            .filter(|(_, &c)| c * 10 >= in_view)
            .map(|(&n, _)| n)
            .collect();
        if self.has_basemap() {
            chart.plotting_area().fill(&SEA.c())?;
        }
        for c in &base.countries {
            let fill = if home.contains(&c.name.as_str()) {
                LAND_HOME
            } else {
                LAND_OTHER
            };
            for poly in &c.polygons {
                let Some(outer) = poly.first() else { continue };
                let ring = clip_ring(outer, view);
                if ring.len() >= 3 {
                    chart.draw_series(std::iter::once(Polygon::new(
                        ring.iter().map(|&p| project(p)).collect::<Vec<_>>(),
                        fill.c().filled(),
                    )))?;
                }
            }
        }
        let clip_view = QuickLookMap {
            focus: Some(view),
            ..self.clone()
        };
        for (kind, lines) in &base.lines {
            let style = match kind {
                LineKind::Border => BORDER.c().stroke_width(1),
                LineKind::Coast => COAST.c().stroke_width(1),
            };
            for line in lines {
                for piece in clip_view.clip(line) {
                    chart.draw_series(std::iter::once(PathElement::new(
                        piece.iter().map(|&p| project(p)).collect::<Vec<_>>(),
                        style,
                    )))?;
                }
            }
        }

        // A graticule at round degrees (plotters would put ticks at round projected values).
        let label_font = (FONT_FAMILY, 13).into_font().color(&grey);
        let line = RGBColor(0x50, 0x60, 0x70).mix(0.12).stroke_width(1);
        let (lon0, lon1) = (x0 / k, x1 / k);
        let step = nice_step((lon1 - lon0).min(y1 - y0) / 6.0);
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        let mut lon = (lon0 / step).ceil() * step;
        while lon <= lon1 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(lon * k, y0), (lon * k, y1)],
                line,
            )))?;
            let p = chart.backend_coord(&(lon * k, y0));
            root.draw(&Text::new(
                degrees(lon, 'E', 'W', decimals),
                (p.0, p.1 + 6),
                label_font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
            lon += step;
        }
        let mut lat = (y0 / step).ceil() * step;
        while lat <= y1 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x0, lat), (x1, lat)],
                line,
            )))?;
            let p = chart.backend_coord(&(x0, lat));
            root.draw(&Text::new(
                degrees(lat, 'N', 'S', decimals),
                (p.0 - 6, p.1),
                label_font.clone().pos(Pos::new(HPos::Right, VPos::Center)),
            ))?;
            lat += step;
        }

        // Labels are placed before anything is drawn, so that country names keep clear of the
        // places' labels and markers: markers first, then place labels (hubs, then the most
        // populous), then country names, each dropped when no candidate position is free.
        let (pa, pb) = (
            chart.backend_coord(&(x0, y1)),
            chart.backend_coord(&(x1, y0)),
        );
        let mut taken: Vec<Rect> = Vec::new();
        let marked: Vec<usize> = (0..net.nodes.len())
            .filter(|&i| {
                let n = &net.nodes[i];
                self.in_focus(n.position)
                    && (matches!(n.kind, NodeKind::Border | NodeKind::City | NodeKind::Port)
                        || n.transfers.transship)
            })
            .collect();
        for &i in &marked {
            let at = chart.backend_coord(&project(net.nodes[i].position));
            taken.push((at.0 - 6, at.1 - 6, at.0 + 6, at.1 + 6));
        }
        let mut labelled: Vec<usize> = marked
            .iter()
            .copied()
            .filter(|&i| {
                let n = &net.nodes[i];
                matches!(n.kind, NodeKind::City | NodeKind::Port) || n.transfers.transship
            })
            .collect();
        labelled.sort_by_key(|&i| {
            let n = &net.nodes[i];
            (
                !n.transfers.transship,
                std::cmp::Reverse(n.population.unwrap_or(0)),
                i,
            )
        });
        let place_font = (FONT_FAMILY, 16)
            .into_font()
            .color(&RGBColor(0x11, 0x11, 0x11));
        let inside_plot = |r: &Rect| r.0 >= pa.0 && r.2 <= pb.0 && r.1 >= pa.1 && r.3 <= pb.1;
        // The network's lines in pixels: a label goes where it covers the fewest of them (a
        // ferry or a line hidden under a label's halo is lost to the reader).
        let to_px = |p: LonLat| {
            let (x, y) = chart.backend_coord(&project(p));
            LonLat {
                lon: x as f64,
                lat: y as f64,
            }
        };
        let segments: Vec<(LonLat, LonLat)> = (0..net.links.len())
            .flat_map(|i| self.clip(&net.links[i].geometry))
            .flat_map(|piece| {
                piece
                    .windows(2)
                    .map(|w| (to_px(w[0]), to_px(w[1])))
                    .collect::<Vec<_>>()
            })
            .collect();
        // Segments by the 64 px cells their boxes touch, so that a label's few candidate places
        // test only the lines near them, not every line of a large network.
        const CELL: f64 = 64.0;
        let cell = |v: f64| (v / CELL).floor() as i64;
        let mut by_cell: std::collections::HashMap<(i64, i64), Vec<usize>> =
            std::collections::HashMap::new();
        for (k, (a, b)) in segments.iter().enumerate() {
            for cx in cell(a.lon.min(b.lon))..=cell(a.lon.max(b.lon)) {
                for cy in cell(a.lat.min(b.lat))..=cell(a.lat.max(b.lat)) {
                    by_cell.entry((cx, cy)).or_default().push(k);
                }
            }
        }
        let covered = |r: &Rect| {
            let area = (r.0 as f64, r.1 as f64, r.2 as f64, r.3 as f64);
            let mut near: Vec<usize> = Vec::new();
            for cx in cell(area.0)..=cell(area.2) {
                for cy in cell(area.1)..=cell(area.3) {
                    near.extend(by_cell.get(&(cx, cy)).into_iter().flatten());
                }
            }
            near.sort_unstable();
            near.dedup();
            near.iter()
                .filter(|&&k| {
                    let (a, b) = segments[k];
                    super::basemap::clip_segment(a, b, area).is_some()
                })
                .count()
        };
        let mut place_labels: Vec<(String, (i32, i32), Rect)> = Vec::new();
        let mut shown: Vec<(String, (i32, i32))> = Vec::new();
        for i in labelled {
            let n = &net.nodes[i];
            let name = short_name(&n.name);
            let at = chart.backend_coord(&project(n.position));
            // Two places of one name close together (a city and its port or station) get one
            // label: "Poti" and "Poti sea port".
            if shown.iter().any(|(s, p)| {
                let same = name.starts_with(s.as_str()) || s.starts_with(name.as_str());
                same && (p.0 - at.0).abs() < 60 && (p.1 - at.1).abs() < 60
            }) {
                continue;
            }
            let (tw, th) = root.estimate_text_size(&name, &place_font)?;
            let (tw, th) = (tw as i32, th as i32);
            let own = (at.0 - 6, at.1 - 6, at.0 + 6, at.1 + 6);
            let candidates = [
                (at.0 + 9, at.1 - th / 2),
                (at.0 - 9 - tw, at.1 - th / 2),
                (at.0 - tw / 2, at.1 - 9 - th),
                (at.0 - tw / 2, at.1 + 9),
                (at.0 + 7, at.1 - 7 - th),
                (at.0 + 7, at.1 + 7),
                (at.0 - 7 - tw, at.1 - 7 - th),
                (at.0 - 7 - tw, at.1 + 7),
            ];
            // Among the free places, the one covering the fewest lines; the first on a tie.
            let found = candidates
                .iter()
                .enumerate()
                .filter_map(|(k, &(x, y))| {
                    let r = (x - 2, y - 1, x + tw + 2, y + th + 1);
                    let free =
                        inside_plot(&r) && taken.iter().all(|t| *t == own || !overlaps(&r, t));
                    free.then(|| (covered(&r), k, (x, y), r))
                })
                .min_by_key(|&(lines, k, _, _)| (lines, k))
                .map(|(_, _, xy, r)| (xy, r));
            if let Some((xy, r)) = found {
                taken.push(r);
                shown.push((name.clone(), at));
                place_labels.push((name, xy, r));
            }
        }
        let country_font = (FONT_FAMILY, 22)
            .into_font()
            .color(&RGBColor(0xA8, 0xA2, 0x98))
            .pos(Pos::new(HPos::Center, VPos::Center));
        let mut country_labels: Vec<(String, (i32, i32))> = Vec::new();
        let mut names: Vec<(String, LonLat)> = base
            .countries
            .iter()
            .filter_map(|c| label_point(c, view, k).map(|p| (c.name.to_uppercase(), p)))
            .collect();
        if names.is_empty() {
            names = self.country_centres();
        }
        for (name, at) in names {
            let c = chart.backend_coord(&project(at));
            let (tw, th) = root.estimate_text_size(&name, &country_font)?;
            let (tw, th) = (tw as i32, th as i32);
            // At the label point, else nudged up or down by one or two lines.
            let found = [0, -1, 1, -2, 2].iter().find_map(|&m| {
                let cy = c.1 + m * (th + 4);
                let r = (c.0 - tw / 2, cy - th / 2, c.0 + tw / 2, cy + th / 2);
                (inside_plot(&r) && taken.iter().all(|t| !overlaps(&r, t)))
                    .then_some(((c.0, cy), r))
            });
            if let Some((xy, r)) = found {
                taken.push(r);
                country_labels.push((name, xy));
            }
        }
        for (name, xy) in country_labels {
            root.draw(&Text::new(name, xy, country_font.clone()))?;
        }

        for (i, r) in self.routes.iter().enumerate() {
            let colour = route_colour(i);
            for piece in self.clip(&r.path) {
                chart.draw_series(std::iter::once(PathElement::new(
                    piece.iter().map(|&p| project(p)).collect::<Vec<_>>(),
                    colour.c().stroke_width(route_px(i)),
                )))?;
            }
        }

        let mut order: Vec<usize> = (0..net.links.len()).collect();
        order.sort_by_key(|&i| (self.state(i), net.links[i].mode != Mode::Road, i));
        for i in order {
            let l = &net.links[i];
            for piece in self.clip(&l.geometry) {
                let pts: Vec<(f64, f64)> = piece.iter().map(|&p| project(p)).collect();
                match self.state(i) {
                    State::Open => {
                        let c = mode_colour(l.mode);
                        chart.draw_series(std::iter::once(PathElement::new(
                            pts,
                            c.c().stroke_width(mode_px(l.mode)),
                        )))?;
                    }
                    State::Planned => {
                        let c = mode_colour(l.mode);
                        chart.draw_series(std::iter::once(DashedPathElement::new(
                            pts,
                            5,
                            5,
                            c.c().stroke_width(2),
                        )))?;
                    }
                    State::Closed => {
                        chart.draw_series(std::iter::once(DashedPathElement::new(
                            pts,
                            8,
                            5,
                            CLOSED.c().stroke_width(2),
                        )))?;
                    }
                }
            }
        }

        // Places: crossings as diamonds, cities and ports as dots.
        let black = RGBColor(0, 0, 0);
        for &i in &marked {
            let n = &net.nodes[i];
            let at = chart.backend_coord(&project(n.position));
            let kind = if n.transfers.transship && n.kind != NodeKind::Port {
                NodeKind::City // a hub is drawn and labelled like a city
            } else {
                n.kind
            };
            match kind {
                NodeKind::Border => {
                    let c = if self.crossing_open(i) {
                        Rgb(0, 0, 0)
                    } else {
                        CLOSED
                    };
                    root.draw(&Polygon::new(
                        vec![
                            (at.0, at.1 - 6),
                            (at.0 + 6, at.1),
                            (at.0, at.1 + 6),
                            (at.0 - 6, at.1),
                        ],
                        c.c().filled(),
                    ))?;
                }
                NodeKind::City | NodeKind::Port => {
                    let fill = if kind == NodeKind::City {
                        WHITE
                    } else {
                        OKABE_ITO[2].c()
                    };
                    root.draw(&Circle::new(at, 5, fill.filled()))?;
                    root.draw(&Circle::new(at, 5, black.stroke_width(1)))?;
                }
                NodeKind::Station | NodeKind::Junction => {}
            }
        }
        for (name, (x, y), r) in place_labels {
            root.draw(&Rectangle::new(
                [(r.0, r.1), (r.2, r.3)],
                WHITE.mix(0.75).filled(),
            ))?;
            root.draw(&Text::new(name, (x, y), place_font.clone()))?;
        }

        // Scale bar, bottom left: one x unit is a degree of longitude at the middle latitude
        // times cos(that latitude), 111.32 km on the projection's true parallel.
        let px_per_unit = (chart.backend_coord(&(x1, y0)).0 - chart.backend_coord(&(x0, y0)).0)
            as f64
            / (x1 - x0);
        let px_per_km = px_per_unit / 111.32;
        if px_per_km.is_finite() && px_per_km > 0.0 {
            let km = scale_km((pb.0 - pa.0) as f64 / 5.0 / px_per_km);
            let len = (km * px_per_km).round() as i32;
            let (bx, by) = (pa.0 + 16, pb.1 - 22);
            let text = if km >= 1.0 {
                format!("{km:.0} km")
            } else {
                format!("{km} km")
            };
            let small = (FONT_FAMILY, 14).into_font().color(&grey);
            let (tw, _) = root.estimate_text_size(&text, &small)?;
            root.draw(&Rectangle::new(
                [(bx - 8, by - 24), (bx + len + 16 + tw as i32, by + 12)],
                WHITE.mix(0.85).filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(bx, by - 3), (bx + len / 2, by + 3)],
                black.filled(),
            ))?;
            root.draw(&Rectangle::new(
                [(bx, by - 3), (bx + len, by + 3)],
                black.stroke_width(1),
            ))?;
            root.draw(&Text::new(
                "0",
                (bx, by - 6),
                small.clone().pos(Pos::new(HPos::Center, VPos::Bottom)),
            ))?;
            root.draw(&Text::new(
                text,
                (bx + len + 6, by),
                small.pos(Pos::new(HPos::Left, VPos::Center)),
            ))?;
        }
        Ok(())
    }
}

impl QuickLookMap<'_> {
    /// Country names at the mean position of their places (crossings left out: they sit on the
    /// frontier), countries with the most places first: the names when the basemap does not
    /// reach the network.
    fn country_centres(&self) -> Vec<(String, LonLat)> {
        let mut sums: BTreeMap<String, (f64, f64, u32)> = BTreeMap::new();
        for n in self
            .network
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Border && self.in_focus(n.position))
        {
            let e = sums.entry(n.country.to_string()).or_insert((0.0, 0.0, 0));
            e.0 += n.position.lon;
            e.1 += n.position.lat;
            e.2 += 1;
        }
        let mut countries: Vec<(&String, &(f64, f64, u32))> = sums.iter().collect();
        // The one country table (`Country::name`), upper-cased as a map labels countries.
        let country_name = |code: &str| {
            crate::network::Country::parse(code)
                .map_or_else(|| code.to_string(), |c| c.name().to_uppercase())
        };
        countries.sort_by_key(|(code, (_, _, n))| (std::cmp::Reverse(*n), *code));
        countries
            .into_iter()
            .map(|(code, (lon, lat, n))| {
                (
                    country_name(code),
                    LonLat {
                        lon: lon / *n as f64,
                        lat: lat / *n as f64,
                    },
                )
            })
            .collect()
    }
}

/// A place name without its parenthesis ("Baku (central station)" -> "Baku").
fn short_name(name: &str) -> String {
    name.split(" (").next().unwrap_or(name).trim().to_string()
}

/// A round step (1, 2 or 5 times a power of ten) near `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let m = raw / p;
    p * if m < 1.5 {
        1.0
    } else if m < 3.5 {
        2.0
    } else if m < 7.5 {
        5.0
    } else {
        10.0
    }
}

/// `44.5°E`, `3.0°W`.
fn degrees(v: f64, pos: char, neg: char, decimals: usize) -> String {
    if v < 0.0 {
        format!("{:.decimals$}°{neg}", -v)
    } else {
        format!("{v:.decimals$}°{pos}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graticule_steps_are_round() {
        assert_eq!(nice_step(0.9), 1.0);
        assert_eq!(nice_step(0.03), 0.02);
        assert_eq!(nice_step(4.0), 5.0);
    }

    #[test]
    fn degrees_name_the_hemisphere() {
        assert_eq!(degrees(44.52, 'E', 'W', 1), "44.5°E");
        assert_eq!(degrees(-3.0, 'E', 'W', 0), "3°W");
    }

    #[test]
    fn short_names_drop_the_parenthesis() {
        assert_eq!(short_name("Baku (central station)"), "Baku");
        assert_eq!(short_name("Gyumri"), "Gyumri");
    }

    #[test]
    fn lines_are_clipped_to_the_focus_in_pieces() {
        let net = crate::network::Network::new(Vec::new(), Vec::new());
        let map = QuickLookMap::new("t", &net).with_focus((0.0, 0.0, 1.0, 1.0));
        let p = |lon, lat| LonLat { lon, lat };
        // Crosses the box left to right: one piece from edge to edge.
        let pieces = map.clip(&[p(-1.0, 0.5), p(2.0, 0.5)]);
        assert_eq!(pieces, vec![vec![p(0.0, 0.5), p(1.0, 0.5)]]);
        // Leaves and comes back: two pieces; a segment wholly outside is dropped.
        let pieces = map.clip(&[p(0.5, 0.5), p(0.5, 2.0), p(0.8, 2.0), p(0.8, 0.5)]);
        assert_eq!(
            pieces,
            vec![
                vec![p(0.5, 0.5), p(0.5, 1.0)],
                vec![p(0.8, 1.0), p(0.8, 0.5)]
            ]
        );
        // Inside: unchanged.
        let inside = vec![p(0.1, 0.1), p(0.2, 0.3), p(0.9, 0.9)];
        assert_eq!(map.clip(&inside), vec![inside.clone()]);
    }

    #[test]
    fn a_network_outside_the_basemap_gets_no_sea_and_no_basemap_legend() {
        let data = crate::scenario::Dataset::load(std::path::Path::new("data/caucasus")).unwrap();
        let names = |net: &Network| -> Vec<String> {
            QuickLookMap::new("t", net)
                .legend()
                .into_iter()
                .map(|e| e.label)
                .collect()
        };
        assert!(names(&data.network).contains(&"sea, Caspian".to_string()));
        // The same network moved to the Irish Sea, beyond the bundled basemap.
        let mut away = data.network.clone();
        for n in &mut away.nodes {
            n.position.lon -= 50.0;
            n.position.lat += 14.0;
        }
        let legend = names(&away);
        assert!(!legend
            .iter()
            .any(|l| l.contains("sea") || l.contains("coastline")));
        assert!(legend.iter().any(|l| l == "road, open"), "{legend:?}");
    }
}
