//! The quick-look map: the network on one PNG (and SVG), good enough to paste into a briefing.
//!
//! Links are coloured by mode (rail blue, road orange, ferry green); closed and destroyed links
//! are grey and dashed, planned ones dashed in their mode's colour. A scenario, when given,
//! decides which links are open. Routes are drawn underneath as wide translucent bands, one
//! colour each. Hubs, cities and ports are labelled (hubs first, skipping labels that would
//! overlap), countries are named at the centre of their places, and a legend explains it all.
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

use super::chart::{draw_legend, Chart, DrawError, LegendEntry, Mark, Rgb, FONT_FAMILY, OKABE_ITO};
use super::qgis::{mode_colour, scenario_colour};

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
        let mut lons: Vec<f64> = self.network.nodes.iter().map(|n| n.position.lon).collect();
        let mut lats: Vec<f64> = self.network.nodes.iter().map(|n| n.position.lat).collect();
        if lons.len() < 10 {
            return self;
        }
        lons.sort_by(f64::total_cmp);
        lats.sort_by(f64::total_cmp);
        let pct = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        let (a, c) = (pct(&lons, 0.1), pct(&lons, 0.9));
        let (b, d) = (pct(&lats, 0.1), pct(&lats, 0.9));
        let (dx, dy) = (((c - a) / 3.0).max(0.5), ((d - b) / 3.0).max(0.5));
        self.with_focus((a - dx, b - dy, c + dx, d + dy))
    }

    /// The pieces of a polyline inside the focus (Liang-Barsky clipping of each segment); the
    /// whole line when there is no focus.
    fn clip(&self, line: &[LonLat]) -> Vec<Vec<LonLat>> {
        let Some((x0, y0, x1, y1)) = self.focus else {
            return vec![line.to_vec()];
        };
        let mut pieces: Vec<Vec<LonLat>> = Vec::new();
        let mut current: Vec<LonLat> = Vec::new();
        for w in line.windows(2) {
            let (a, b) = (w[0], w[1]);
            let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
            let (mut t0, mut t1) = (0.0f64, 1.0f64);
            let mut inside = true;
            for (p, q) in [
                (-dx, a.lon - x0),
                (dx, x1 - a.lon),
                (-dy, a.lat - y0),
                (dy, y1 - a.lat),
            ] {
                if p == 0.0 {
                    if q < 0.0 {
                        inside = false;
                    }
                } else {
                    let r = q / p;
                    if p < 0.0 {
                        t0 = t0.max(r);
                    } else {
                        t1 = t1.min(r);
                    }
                }
            }
            if !inside || t0 > t1 {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current.clear();
                continue;
            }
            // The segment's own ends where it is not cut, so that shared vertices stay equal.
            let at = |t: f64| match t {
                0.0 => a,
                1.0 => b,
                _ => LonLat {
                    lon: a.lon + t * dx,
                    lat: a.lat + t * dy,
                },
            };
            let (p0, p1) = (at(t0), at(t1));
            if current.last() != Some(&p0) {
                if current.len() >= 2 {
                    pieces.push(std::mem::take(&mut current));
                }
                current = vec![p0];
            }
            current.push(p1);
            if t1 < 1.0 {
                pieces.push(std::mem::take(&mut current));
            }
        }
        if current.len() >= 2 {
            pieces.push(current);
        }
        pieces
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
                    colour: scenario_colour(i),
                    width: 10,
                    dashed: false,
                },
            ));
        }
        out
    }
}

fn mode_px(mode: Mode) -> u32 {
    match mode {
        Mode::Rail => 3,
        Mode::Road | Mode::Ferry => 2,
    }
}

/// English names of the countries a regional map is likely to show; other codes print as is.
fn country_name(code: &str) -> &str {
    match code {
        "AM" => "ARMENIA",
        "AZ" => "AZERBAIJAN",
        "GE" => "GEORGIA",
        "IR" => "IRAN",
        "RU" => "RUSSIA",
        "TR" => "TÜRKIYE",
        "KZ" => "KAZAKHSTAN",
        "TM" => "TURKMENISTAN",
        "UA" => "UKRAINE",
        _ => code,
    }
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
        // A graticule at round degrees (plotters would put ticks at round projected values).
        let label_font = (FONT_FAMILY, 13).into_font().color(&grey);
        let line = RGBColor(0xE4, 0xE4, 0xE4).stroke_width(1);
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
        let project = |p: LonLat| (p.lon * k, p.lat);
        let net = self.network;

        // Countries, at the mean position of their places (crossings left out: they sit on the
        // frontier).
        let mut sums: BTreeMap<String, (f64, f64, u32)> = BTreeMap::new();
        for n in net
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Border && self.in_focus(n.position))
        {
            let e = sums.entry(n.country.to_string()).or_insert((0.0, 0.0, 0));
            e.0 += n.position.lon;
            e.1 += n.position.lat;
            e.2 += 1;
        }
        let country_font = (FONT_FAMILY, 24)
            .into_font()
            .color(&RGBColor(0xC4, 0xC4, 0xC4))
            .pos(Pos::new(HPos::Center, VPos::Center));
        // Countries with the most places first; a name that would overlap one already drawn is
        // left out (neighbours' centres can lie close together).
        let mut countries: Vec<(&String, &(f64, f64, u32))> = sums.iter().collect();
        countries.sort_by_key(|(code, (_, _, n))| (std::cmp::Reverse(*n), *code));
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        for (code, (lon, lat, n)) in countries {
            let name = country_name(code).to_string();
            let at = project(LonLat {
                lon: lon / *n as f64,
                lat: lat / *n as f64,
            });
            let c = chart.backend_coord(&at);
            let (tw, th) = root.estimate_text_size(&name, &country_font)?;
            let r = (
                c.0 - tw as i32 / 2,
                c.1 - th as i32 / 2,
                c.0 + tw as i32 / 2,
                c.1 + th as i32 / 2,
            );
            if placed
                .iter()
                .any(|t| !(r.2 < t.0 || r.0 > t.2 || r.3 < t.1 || r.1 > t.3))
            {
                continue;
            }
            placed.push(r);
            chart.draw_series(std::iter::once(Text::new(name, at, country_font.clone())))?;
        }

        for (i, r) in self.routes.iter().enumerate() {
            let colour = scenario_colour(i);
            for piece in self.clip(&r.path) {
                chart.draw_series(std::iter::once(PathElement::new(
                    piece.iter().map(|&p| project(p)).collect::<Vec<_>>(),
                    RGBColor(colour.0, colour.1, colour.2)
                        .mix(0.5)
                        .stroke_width(14),
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
                            RGBColor(c.0, c.1, c.2).stroke_width(mode_px(l.mode)),
                        )))?;
                    }
                    State::Planned => {
                        let c = mode_colour(l.mode);
                        chart.draw_series(std::iter::once(DashedPathElement::new(
                            pts,
                            5,
                            5,
                            RGBColor(c.0, c.1, c.2).stroke_width(2),
                        )))?;
                    }
                    State::Closed => {
                        chart.draw_series(std::iter::once(DashedPathElement::new(
                            pts,
                            8,
                            5,
                            RGBColor(CLOSED.0, CLOSED.1, CLOSED.2).stroke_width(2),
                        )))?;
                    }
                }
            }
        }

        // Places: crossings as diamonds, cities and ports as dots; labels largest first.
        let black = RGBColor(0, 0, 0);
        for (i, n) in net.nodes.iter().enumerate() {
            if !self.in_focus(n.position) {
                continue;
            }
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
                        RGBColor(c.0, c.1, c.2).filled(),
                    ))?;
                }
                NodeKind::City | NodeKind::Port => {
                    let fill = if kind == NodeKind::City {
                        WHITE
                    } else {
                        RGBColor(OKABE_ITO[2].0, OKABE_ITO[2].1, OKABE_ITO[2].2)
                    };
                    root.draw(&Circle::new(at, 5, fill.filled()))?;
                    root.draw(&Circle::new(at, 5, black.stroke_width(1)))?;
                }
                NodeKind::Station | NodeKind::Junction => {}
            }
        }
        // Hubs (transshipment places: capitals, ports, junctions of the corridors) first, then
        // the most populous, so that the places a reader looks for keep their labels.
        let mut labelled: Vec<usize> = (0..net.nodes.len())
            .filter(|&i| {
                let n = &net.nodes[i];
                (matches!(n.kind, NodeKind::City | NodeKind::Port) || n.transfers.transship)
                    && self.in_focus(n.position)
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
        let mut taken: Vec<(i32, i32, i32, i32)> = Vec::new();
        let (pa, pb) = (
            chart.backend_coord(&(x0, y1)),
            chart.backend_coord(&(x1, y0)),
        );
        for i in labelled {
            let n = &net.nodes[i];
            let name = short_name(&n.name);
            let at = chart.backend_coord(&project(n.position));
            let (tw, th) = root.estimate_text_size(&name, &place_font)?;
            let (tw, th) = (tw as i32, th as i32);
            let candidates = [
                (at.0 + 8, at.1 - th / 2),
                (at.0 - 8 - tw, at.1 - th / 2),
                (at.0 - tw / 2, at.1 - 8 - th),
                (at.0 - tw / 2, at.1 + 8),
            ];
            let fits = |&(x, y): &(i32, i32)| {
                let r = (x - 2, y - 1, x + tw + 2, y + th + 1);
                r.0 >= pa.0
                    && r.2 <= pb.0
                    && r.1 >= pa.1
                    && r.3 <= pb.1
                    && taken
                        .iter()
                        .all(|t| r.2 < t.0 || r.0 > t.2 || r.3 < t.1 || r.1 > t.3)
            };
            if let Some(&(x, y)) = candidates.iter().find(|c| fits(c)) {
                taken.push((x - 2, y - 1, x + tw + 2, y + th + 1));
                root.draw(&Rectangle::new(
                    [(x - 2, y - 1), (x + tw + 2, y + th + 1)],
                    WHITE.mix(0.75).filled(),
                ))?;
                root.draw(&Text::new(name, (x, y), place_font.clone()))?;
            }
        }
        Ok(())
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
}
