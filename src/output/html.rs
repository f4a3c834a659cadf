//! `report.html`: the run's report in one self-contained, offline page: `report.md` rendered
//! to HTML (a small converter for the Markdown the report uses), its charts inlined as SVG, and
//! an interactive map drawn here as SVG with a short script of its own: pan (drag) and zoom
//! (wheel, buttons), a scenario switcher (also `#scenario=<id>` in the address), the best path
//! of every trade route under the chosen scenario, route highlighting from the report's tables
//! (click a route id; also `&route=<id>` in the address), and a popup for each link (name, status under the scenario, length,
//! source) and place.
//!
//! The page loads nothing: no script, style, font or image outside the file, so that it opens
//! from a mail attachment or a USB stick and leaks no request. The script writes its state into
//! the page (`#map-state`, `body[data-scenario]`), which the browser test reads.
//!
//! # Projection
//! Equirectangular around the network's middle latitude, as the quick-look map: x = longitude x
//! cos(middle latitude), y = -latitude, 100 units a degree of latitude (about 1.1 km a unit).

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{json, Value};

use crate::network::{LinkStatus, LonLat, Network, NodeKind};
use crate::scenario::Dataset;

use super::basemap::{basemap, LineKind};
use super::map::{
    basemap_reaches, core_extent, route_colour, route_order, BORDER, COAST, LAND_HOME, LAND_OTHER,
    SEA,
};
use super::qgis::{mode_colour, xml};
use super::{write_atomic, OutputError};

/// Units per degree of latitude.
const SCALE: f64 = 100.0;

/// Writes `report.html` into `dir` from the files a run left there: `report.md`, the charts'
/// `.svg` beside their `.png`, and `routes.geojson` (when present) for the map.
///
/// # Arguments
/// - `dir`: the run's folder.
/// - `data`: the data folder of the run (network, scenarios, routes).
/// - `scenario`: the scenario the map opens on.
///
/// # Errors
/// [`OutputError`] naming `report.md` or `routes.geojson` when they cannot be read, or
/// `report.html` when it cannot be written.
pub fn write_report_html(dir: &Path, data: &Dataset, scenario: &str) -> Result<(), OutputError> {
    let md_path = dir.join("report.md");
    let md = std::fs::read_to_string(&md_path).map_err(|e| OutputError::io(&md_path, e))?;
    let routes_path = dir.join("routes.geojson");
    let routes: Option<Value> = match std::fs::read_to_string(&routes_path) {
        Ok(text) => Some(
            serde_json::from_str(&text)
                .map_err(|e| OutputError::invalid(&routes_path, e.to_string()))?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(OutputError::io(&routes_path, e)),
    };
    let embed = |file: &str| -> Option<String> {
        let stem = file.strip_suffix(".png")?;
        if stem.contains('/') || stem.contains('\\') || stem.starts_with('.') {
            return None;
        }
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).ok()?;
        let at = svg.find("<svg")?;
        Some(svg[at..].replacen("<svg ", "<svg class=\"chart\" ", 1))
    };
    let body = markdown_to_html(&md, &embed);
    let map = map_section(data, routes.as_ref(), scenario);
    let title = md
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("corridor report");
    // The map follows the first table (the report's answer), else opens the page.
    let page_body = match body.find("</table>") {
        Some(i) => {
            let at = i + "</table>".len();
            format!("{}\n{map}\n{}", &body[..at], &body[at..])
        }
        None => format!("{map}\n{body}"),
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n{page_body}\n</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title)
    );
    write_atomic(&dir.join("report.html"), html.as_bytes())
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    xml(s)
}

/// An anchor id from heading text: lower case letters and digits, runs of anything else as one
/// hyphen.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Inline Markdown: `**bold**`, `_italic_`, `` `code` ``, `[text](target)`; everything else is
/// escaped text.
fn inline(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let find = |from: usize, pat: &[char]| -> Option<usize> {
        (from..chars.len().saturating_sub(pat.len() - 1)).find(|&j| chars[j..].starts_with(pat))
    };
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            if let Some(j) = find(i + 1, &['`']) {
                let _ = write!(out, "<code>{}</code>", escape(&text(i + 1, j)));
                i = j + 1;
                continue;
            }
        }
        if c == '*' && chars.get(i + 1) == Some(&'*') {
            if let Some(j) = find(i + 2, &['*', '*']) {
                let _ = write!(out, "<strong>{}</strong>", inline(&text(i + 2, j)));
                i = j + 2;
                continue;
            }
        }
        let word_start = i == 0 || !chars[i - 1].is_alphanumeric();
        if c == '_' && word_start && chars.get(i + 1).is_some_and(|n| !n.is_whitespace()) {
            let close = (i + 1..chars.len()).find(|&j| {
                chars[j] == '_'
                    && !chars[j - 1].is_whitespace()
                    && chars.get(j + 1).is_none_or(|n| !n.is_alphanumeric())
            });
            if let Some(j) = close {
                let _ = write!(out, "<em>{}</em>", inline(&text(i + 1, j)));
                i = j + 1;
                continue;
            }
        }
        if c == '[' {
            if let Some(j) = find(i + 1, &[']', '(']) {
                if let Some(k) = find(j + 2, &[')']) {
                    let target = text(j + 2, k);
                    let label = inline(&text(i + 1, j));
                    // Only links inside the page or beside it: nothing is fetched by opening it.
                    if target.starts_with('#') || !target.contains(':') {
                        let _ = write!(out, "<a href=\"{}\">{label}</a>", escape(&target));
                    } else {
                        let _ = write!(out, "{label} ({})", escape(&target));
                    }
                    i = k + 1;
                    continue;
                }
            }
        }
        out.push_str(&escape(&c.to_string()));
        i += 1;
    }
    out
}

/// The cells of a Markdown table row; `\|` stays a literal bar.
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut out = vec![String::new()];
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                chars.next();
                if let Some(s) = out.last_mut() {
                    s.push('|');
                }
            }
            '|' => out.push(String::new()),
            _ => {
                if let Some(s) = out.last_mut() {
                    s.push(c);
                }
            }
        }
    }
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// Renders the Markdown subset the report uses: ATX headings, paragraphs, `-` lists, pipe
/// tables, images on a line of their own (`embed` turns the file into inline markup; else a
/// note), and the inline marks of [`inline`].
pub fn markdown_to_html(md: &str, embed: &dyn Fn(&str) -> Option<String>) -> String {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            let text = t[hashes..].trim();
            let _ = writeln!(
                out,
                "<h{hashes} id=\"{}\">{}</h{hashes}>",
                slug(text),
                inline(text)
            );
            i += 1;
            continue;
        }
        if let Some(rest) = t.strip_prefix("![") {
            if let Some((alt, file)) = rest.split_once("](") {
                let file = file.trim_end_matches(')');
                match embed(file) {
                    Some(markup) => {
                        let _ = writeln!(
                            out,
                            "<figure>{markup}<figcaption>{}</figcaption></figure>",
                            inline(alt)
                        );
                    }
                    None => {
                        let _ = writeln!(
                            out,
                            "<p class=\"missing\">[{}: {}]</p>",
                            inline(alt),
                            escape(file)
                        );
                    }
                }
                i += 1;
                continue;
            }
        }
        if t.starts_with('|') {
            let mut rows: Vec<Vec<String>> = Vec::new();
            let mut aligns_seen = false;
            while i < lines.len() && lines[i].trim().starts_with('|') {
                let c = cells(lines[i]);
                let separator = c
                    .iter()
                    .all(|x| !x.is_empty() && x.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
                if separator && !aligns_seen && rows.len() == 1 {
                    aligns_seen = true;
                } else {
                    rows.push(c);
                }
                i += 1;
            }
            out.push_str("<div class=\"table\"><table>\n");
            for (r, row) in rows.iter().enumerate() {
                let tag = if r == 0 && aligns_seen { "th" } else { "td" };
                if r == 0 && aligns_seen {
                    out.push_str("<thead>");
                }
                out.push_str("<tr>");
                for c in row {
                    let _ = write!(out, "<{tag}>{}</{tag}>", inline(c));
                }
                out.push_str("</tr>");
                if r == 0 && aligns_seen {
                    out.push_str("</thead>\n<tbody>");
                }
                out.push('\n');
            }
            out.push_str("</tbody></table></div>\n");
            continue;
        }
        if t.starts_with("- ") || t.starts_with("* ") {
            out.push_str("<ul>\n");
            while i < lines.len() {
                let l = lines[i].trim();
                if let Some(item) = l.strip_prefix("- ").or_else(|| l.strip_prefix("* ")) {
                    let _ = writeln!(out, "<li>{}</li>", inline(item));
                } else if !l.is_empty() && lines[i].starts_with("  ") {
                    // A continuation of the previous item.
                    let _ = writeln!(out, "<li class=\"more\">{}</li>", inline(l));
                } else {
                    break;
                }
                i += 1;
            }
            out.push_str("</ul>\n");
            continue;
        }
        // A paragraph: consecutive lines that start no other block.
        let mut para = Vec::new();
        while i < lines.len() {
            let l = lines[i].trim();
            if l.is_empty()
                || l.starts_with('#')
                || l.starts_with('|')
                || l.starts_with("- ")
                || l.starts_with("![")
            {
                break;
            }
            para.push(l);
            i += 1;
        }
        let _ = writeln!(out, "<p>{}</p>", inline(&para.join(" ")));
    }
    out
}

/// The projection of the page's map.
struct Projection {
    lon0: f64,
    lat1: f64,
    kx: f64,
}

impl Projection {
    fn xy(&self, p: LonLat) -> (f64, f64) {
        (
            ((p.lon - self.lon0) * self.kx * SCALE * 10.0).round() / 10.0,
            ((self.lat1 - p.lat) * SCALE * 10.0).round() / 10.0,
        )
    }

    fn path(&self, pts: &[LonLat], close: bool) -> String {
        let mut d = String::new();
        for (i, &p) in pts.iter().enumerate() {
            let (x, y) = self.xy(p);
            let _ = write!(d, "{}{x} {y}", if i == 0 { "M" } else { "L" });
        }
        if close {
            d.push('Z');
        }
        d
    }
}

/// The map's section: the switcher, the SVG and the data the script needs.
fn map_section(data: &Dataset, routes: Option<&Value>, scenario: &str) -> String {
    let net: &Network = &data.network;
    // Full extent: every place and link vertex.
    let pts: Vec<LonLat> = net
        .nodes
        .iter()
        .map(|n| n.position)
        .chain(net.links.iter().flat_map(|l| l.geometry.iter().copied()))
        .filter(|p| p.lon.is_finite() && p.lat.is_finite())
        .collect();
    let (mut a, mut b, mut c, mut d) = (180f64, 90f64, -180f64, -90f64);
    for p in &pts {
        a = a.min(p.lon);
        b = b.min(p.lat);
        c = c.max(p.lon);
        d = d.max(p.lat);
    }
    if pts.is_empty() {
        (a, b, c, d) = (0.0, 0.0, 1.0, 1.0);
    }
    let (a, b, c, d) = (a - 1.0, b - 1.0, c + 1.0, d + 1.0);
    let core = core_extent(net).unwrap_or((a, b, c, d));
    let proj = Projection {
        lon0: a,
        lat1: d,
        kx: ((core.1 + core.3) / 2.0).to_radians().cos().max(0.05),
    };
    let (w, h) = proj.xy(LonLat { lon: c, lat: b });
    let (vx0, vy0) = proj.xy(LonLat {
        lon: core.0,
        lat: core.3,
    });
    let (vx1, vy1) = proj.xy(LonLat {
        lon: core.2,
        lat: core.1,
    });

    let mut svg = String::new();
    let _ = writeln!(
        svg,
        "<svg id=\"map\" viewBox=\"{vx0} {vy0} {} {}\" data-full=\"0 0 {w} {h}\" data-home=\"{vx0} {vy0} {} {}\" xmlns=\"http://www.w3.org/2000/svg\">",
        vx1 - vx0,
        vy1 - vy0,
        vx1 - vx0,
        vy1 - vy0
    );
    let _ = writeln!(
        svg,
        "<rect x=\"-2000\" y=\"-2000\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
        w + 4000.0,
        h + 4000.0,
        // Sea behind the basemap's land; a blank ground where the basemap does not reach.
        if basemap_reaches(net.nodes.iter().map(|n| n.position)) {
            SEA.hex()
        } else {
            "#FFFFFF".to_string()
        }
    );
    // Basemap.
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for n in &net.nodes {
        *counts.entry(n.country.name()).or_default() += 1;
    }
    svg.push_str("<g id=\"basemap\">\n");
    for country in &basemap().countries {
        let home = counts
            .get(country.name.as_str())
            .is_some_and(|&k| k * 10 >= net.nodes.len());
        let mut dd = String::new();
        for poly in &country.polygons {
            for ring in poly {
                dd.push_str(&proj.path(ring, true));
            }
        }
        let _ = writeln!(
            svg,
            "<path class=\"country\" d=\"{dd}\" fill=\"{}\" fill-rule=\"evenodd\"><title>{}</title></path>",
            if home { LAND_HOME } else { LAND_OTHER }.hex(),
            escape(&country.name)
        );
    }
    for (kind, lines) in &basemap().lines {
        let dd: String = lines.iter().map(|l| proj.path(l, false)).collect();
        let colour = match kind {
            LineKind::Border => BORDER,
            LineKind::Coast => COAST,
        };
        let _ = writeln!(
            svg,
            "<path class=\"{}\" d=\"{dd}\" fill=\"none\" stroke=\"{}\" stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>",
            kind.as_str(),
            colour.hex()
        );
    }
    svg.push_str("</g>\n");

    // Routes: one group per scenario, best paths only.
    let route_ids: Vec<&str> = route_order(&data.routes);
    svg.push_str("<g id=\"routes\">\n");
    let empty = Vec::new();
    let features = routes
        .and_then(|v| v["features"].as_array())
        .unwrap_or(&empty);
    for s in &data.scenarios.list {
        let _ = writeln!(svg, "<g class=\"scn\" data-scenario=\"{}\">", escape(&s.id));
        for f in features {
            let p = &f["properties"];
            if p["scenario"].as_str() != Some(s.id.as_str()) || p["alternative"].as_i64() != Some(0)
            {
                continue;
            }
            let route = p["route"].as_str().unwrap_or_default();
            let idx = route_ids.iter().position(|r| *r == route).unwrap_or(0);
            let line: Vec<LonLat> = f["geometry"]["coordinates"]
                .as_array()
                .map(|cs| {
                    cs.iter()
                        .filter_map(|c| {
                            Some(LonLat {
                                lon: c.get(0)?.as_f64()?,
                                lat: c.get(1)?.as_f64()?,
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            let _ = writeln!(
                svg,
                "<path class=\"route\" data-route=\"{}\" d=\"{}\" stroke=\"{}\"><title>{}: {}</title></path>",
                escape(route),
                proj.path(&line, false),
                route_colour(idx).hex(),
                escape(route),
                escape(p["summary"].as_str().unwrap_or_default())
            );
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n");

    // Links.
    svg.push_str("<g id=\"links\">\n");
    for (i, l) in net.links.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<path class=\"link {}\" data-i=\"{i}\" d=\"{}\" stroke=\"{}\"/>",
            l.mode.as_str(),
            proj.path(&l.geometry, false),
            mode_colour(l.mode).hex()
        );
    }
    svg.push_str("</g>\n");

    // Places and labels (hubs first, then the most populous; a label that would overlap one
    // already placed is left out).
    svg.push_str("<g id=\"nodes\">\n");
    let mut order: Vec<usize> = (0..net.nodes.len())
        .filter(|&i| {
            let n = &net.nodes[i];
            matches!(n.kind, NodeKind::City | NodeKind::Port | NodeKind::Border)
                || n.transfers.transship
        })
        .collect();
    for &i in &order {
        let n = &net.nodes[i];
        let (x, y) = proj.xy(n.position);
        let kind = if n.kind == NodeKind::Border {
            "border"
        } else if n.kind == NodeKind::Port {
            "port"
        } else {
            "city"
        };
        let _ = writeln!(
            svg,
            "<circle class=\"node {kind}\" data-n=\"{i}\" cx=\"{x}\" cy=\"{y}\" r=\"4\"/>"
        );
    }
    order.retain(|&i| net.nodes[i].kind != NodeKind::Border);
    order.sort_by_key(|&i| {
        let n = &net.nodes[i];
        (
            !n.transfers.transship,
            std::cmp::Reverse(n.population.unwrap_or(0)),
            i,
        )
    });
    // Label boxes in map units at the opening zoom: 13 px text on a map about 1000 px wide.
    let px = (vx1 - vx0) / 1000.0;
    let mut taken: Vec<(f64, f64, f64, f64)> = Vec::new();
    for i in order {
        let n = &net.nodes[i];
        let name = n.name.split(" (").next().unwrap_or(&n.name).trim();
        let (x, y) = proj.xy(n.position);
        let (tw, th) = (name.chars().count() as f64 * 7.2 * px, 13.0 * px);
        let r = (x + 6.0 * px, y - th / 2.0, x + 6.0 * px + tw, y + th / 2.0);
        if taken
            .iter()
            .any(|t| !(r.2 < t.0 || r.0 > t.2 || r.3 < t.1 || r.1 > t.3))
        {
            continue;
        }
        taken.push(r);
        let _ = writeln!(
            svg,
            "<text class=\"label\" x=\"{}\" y=\"{}\" data-x=\"{x}\" data-y=\"{y}\">{}</text>",
            (r.0 * 10.0).round() / 10.0,
            y,
            escape(name)
        );
    }
    svg.push_str("</g>\n</svg>\n");

    // The data the script needs: scenarios, each scenario's closed links, links and places.
    let scenarios: Vec<Value> = data
        .scenarios
        .list
        .iter()
        .map(|s| {
            let closed: Vec<usize> = data
                .resolve(&s.id)
                .map(|r| {
                    r.link_open
                        .iter()
                        .enumerate()
                        .filter(|(_, &o)| !o)
                        .map(|(i, _)| i)
                        .collect()
                })
                .unwrap_or_default();
            json!({"id": s.id, "name": s.name, "closed": closed})
        })
        .collect();
    let links: Vec<Value> = net
        .links
        .iter()
        .map(|l| {
            json!({
                "id": l.id,
                "name": l.name,
                "mode": l.mode.as_str(),
                "status": l.status.as_str(),
                "planned": matches!(l.status, LinkStatus::Planned | LinkStatus::UnderConstruction),
                "km": (l.length_km * 10.0).round() / 10.0,
                "source": l.source,
            })
        })
        .collect();
    let nodes: Vec<Value> = net
        .nodes
        .iter()
        .map(|n| json!({"name": n.name, "kind": n.kind.as_str(), "country": n.country.name(), "source": n.source}))
        .collect();
    let initial = if data.scenarios.get(scenario).is_some() {
        scenario.to_string()
    } else {
        data.scenarios
            .list
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default()
    };
    let model = json!({
        "initial": initial,
        "scenarios": scenarios,
        "links": links,
        "nodes": nodes,
        "routes": route_ids,
    });
    // `</` never appears inside the script element's JSON.
    let model = model.to_string().replace("</", "<\\/");

    let mut options = String::new();
    for s in &data.scenarios.list {
        let _ = write!(
            options,
            "<option value=\"{}\"{}>{}</option>",
            escape(&s.id),
            if s.id == initial { " selected" } else { "" },
            escape(&s.name)
        );
    }
    let mut legend = String::new();
    for (i, r) in route_ids.iter().enumerate() {
        let _ = write!(
            legend,
            "<li><button type=\"button\" class=\"rt\" data-route=\"{}\"><span class=\"sw\" style=\"background:{}\"></span>{}</button></li>",
            escape(r),
            route_colour(i).hex(),
            escape(r)
        );
    }
    format!(
        "<section id=\"map-section\">\n<h2 id=\"interactive-map\">Interactive map</h2>\n<p class=\"hint\">Drag to pan, wheel or buttons to zoom; pick a scenario; click a route id here or in the tables to highlight its best path; click a link or place for its details.</p>\n<div class=\"controls\"><label>Scenario <select id=\"scenario\">{options}</select></label> <button type=\"button\" id=\"zoom-in\">+</button><button type=\"button\" id=\"zoom-out\">−</button><button type=\"button\" id=\"zoom-home\">reset</button> <output id=\"map-state\"></output></div>\n<div class=\"mapwrap\">\n{svg}<div id=\"popup\" hidden></div>\n<ul class=\"routes-legend\">{legend}</ul>\n<ul class=\"modes-legend\"><li><span class=\"ln\" style=\"background:{}\"></span>rail</li><li><span class=\"ln\" style=\"background:{}\"></span>road</li><li><span class=\"ln\" style=\"background:{}\"></span>ferry</li><li><span class=\"ln dash\"></span>closed under the scenario</li></ul>\n</div>\n<script type=\"application/json\" id=\"map-data\">{model}</script>\n</section>\n",
        mode_colour(crate::network::Mode::Rail).hex(),
        mode_colour(crate::network::Mode::Road).hex(),
        mode_colour(crate::network::Mode::Ferry).hex(),
    )
}

const CSS: &str = r#"body { font-family: "DejaVu Sans", Verdana, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1200px; margin: 0 auto; padding: 1em 2em 4em; background: #fff; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.5em; }
.table { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; vertical-align: top; }
th { background: #f0f0f0; text-align: left; }
tbody tr:nth-child(even) { background: #fafafa; }
code { background: #f3f3f3; padding: 0 0.2em; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
svg.chart { width: 100%; height: auto; }
li.more { list-style: none; color: #555; }
.rt { cursor: pointer; color: #0b5cad; text-decoration: underline dotted; }
button.rt { background: none; border: none; padding: 0.1em 0; font: inherit; text-align: left; }
.hl-row { background: #fff3c4 !important; }
#map-section .controls { margin: 0.5em 0; }
.mapwrap { position: relative; display: grid; grid-template-columns: 1fr 15em; gap: 0.5em; }
#map { width: 100%; height: 640px; border: 1px solid #bbb; background: #d5e6f2; cursor: grab; grid-row: span 2; }
#map.dragging { cursor: grabbing; }
#map .route { fill: none; stroke-width: 9; stroke-linecap: round; stroke-linejoin: round; opacity: 0.9; vector-effect: non-scaling-stroke; }
#map .scn { display: none; } #map .scn.on { display: inline; }
#map.has-hl .route { opacity: 0.25; } #map.has-hl .route.hl { opacity: 1; stroke-width: 13; }
#map .link { fill: none; stroke-width: 2.2; stroke-linecap: round; vector-effect: non-scaling-stroke; cursor: pointer; }
#map .link.rail { stroke-width: 2.8; }
#map .link.closed { stroke: #999 !important; stroke-dasharray: 7 5; }
#map .link.planned { stroke-dasharray: 4 4; }
#map .link:hover { stroke-width: 5; }
#map .node { fill: #fff; stroke: #000; stroke-width: 1; vector-effect: non-scaling-stroke; cursor: pointer; }
#map .node.port { fill: #56B4E9; } #map .node.border { fill: #000; }
#map .node.border.shut { fill: #999; stroke: #999; }
#map .label { font-size: 13px; fill: #111; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-opacity: 0.8; pointer-events: none; dominant-baseline: middle; }
#popup { position: absolute; max-width: 22em; background: #fff; border: 1px solid #888; box-shadow: 0 2px 6px rgba(0,0,0,0.2); padding: 0.5em 0.7em; font-size: 0.85em; z-index: 2; }
#popup dt { font-weight: bold; } #popup dd { margin: 0 0 0.3em 0; }
.routes-legend, .modes-legend { list-style: none; padding: 0; margin: 0; font-size: 0.85em; }
.sw { display: inline-block; width: 1.6em; height: 0.7em; margin-right: 0.4em; vertical-align: middle; border-radius: 0.3em; }
.ln { display: inline-block; width: 1.6em; height: 3px; margin-right: 0.4em; vertical-align: middle; }
.ln.dash { background: repeating-linear-gradient(90deg, #999 0 6px, transparent 6px 10px); }
.hint { color: #555; font-size: 0.9em; }
#map-state { color: #777; font-size: 0.8em; }
.routes-legend .rt.on { font-weight: bold; }
"#;

const SCRIPT: &str = r##""use strict";
(function () {
  const model = JSON.parse(document.getElementById("map-data").textContent);
  const svg = document.getElementById("map");
  const select = document.getElementById("scenario");
  const state = document.getElementById("map-state");
  const popup = document.getElementById("popup");
  const links = Array.from(svg.querySelectorAll(".link"));
  const labels = Array.from(svg.querySelectorAll(".label"));
  const nodes = Array.from(svg.querySelectorAll(".node"));
  const known = new Set(model.scenarios.map(s => s.id));
  let scenario = model.initial;
  const routes = new Set(model.routes);
  let highlighted = null;

  // View box: pan and zoom.
  let vb = svg.getAttribute("viewBox").split(" ").map(Number);
  const home = svg.dataset.home.split(" ").map(Number);
  function setView(v) {
    vb = v;
    svg.setAttribute("viewBox", v.join(" "));
    // Keep markers and labels the same size on screen.
    const k = v[2] / svg.clientWidth || 1;
    nodes.forEach(n => n.setAttribute("r", (4 * k).toFixed(3)));
    labels.forEach(t => {
      t.setAttribute("font-size", (13 * k).toFixed(3));
      t.setAttribute("x", (Number(t.dataset.x) + 6 * k).toFixed(2));
    });
  }
  function zoom(f, cx, cy) {
    const w = vb[2] * f, h = vb[3] * f;
    if (cx === undefined) { cx = vb[0] + vb[2] / 2; cy = vb[1] + vb[3] / 2; }
    setView([cx - (cx - vb[0]) * f, cy - (cy - vb[1]) * f, w, h]);
  }
  function toMap(ev) {
    const r = svg.getBoundingClientRect();
    // preserveAspectRatio xMidYMid meet: one scale, centred.
    const s = Math.max(vb[2] / r.width, vb[3] / r.height);
    const ox = vb[0] - (r.width * s - vb[2]) / 2, oy = vb[1] - (r.height * s - vb[3]) / 2;
    return [ox + (ev.clientX - r.left) * s, oy + (ev.clientY - r.top) * s, s];
  }
  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const [x, y] = toMap(ev);
    zoom(ev.deltaY < 0 ? 0.8 : 1.25, x, y);
  }, { passive: false });
  let drag = null;
  svg.addEventListener("mousedown", ev => { drag = { x: ev.clientX, y: ev.clientY, vb: vb.slice(), moved: false }; svg.classList.add("dragging"); });
  window.addEventListener("mousemove", ev => {
    if (!drag) return;
    const s = toMap(ev)[2];
    const dx = (ev.clientX - drag.x) * s, dy = (ev.clientY - drag.y) * s;
    if (Math.abs(dx) + Math.abs(dy) > 2 * s) drag.moved = true;
    setView([drag.vb[0] - dx, drag.vb[1] - dy, drag.vb[2], drag.vb[3]]);
  });
  window.addEventListener("mouseup", () => { svg.classList.remove("dragging"); setTimeout(() => { drag = null; }, 0); });
  document.getElementById("zoom-in").addEventListener("click", () => zoom(0.7));
  document.getElementById("zoom-out").addEventListener("click", () => zoom(1 / 0.7));
  document.getElementById("zoom-home").addEventListener("click", () => setView(home.slice()));

  // Scenario: which links are closed, which routes are drawn.
  function report() {
    const drawn = svg.querySelectorAll(".scn.on .route").length;
    const closed = svg.querySelectorAll(".link.closed").length;
    state.textContent = "scenario=" + scenario + "; routes=" + drawn + "; closed_links=" + closed +
      "; highlighted=" + (highlighted || "none");
    document.body.dataset.scenario = scenario;
    document.body.dataset.routes = String(drawn);
  }
  function apply(id) {
    if (!known.has(id)) return;
    scenario = id;
    select.value = id;
    const s = model.scenarios.find(x => x.id === id);
    const closed = new Set(s.closed);
    links.forEach(el => {
      const i = Number(el.dataset.i);
      const shut = closed.has(i);
      el.classList.toggle("closed", shut && !model.links[i].planned);
      el.classList.toggle("planned", shut && model.links[i].planned);
    });
    svg.querySelectorAll(".scn").forEach(g => g.classList.toggle("on", g.dataset.scenario === id));
    highlight(highlighted);
    popup.hidden = true;
  }
  function fromHash() {
    const m = /(?:^#|&)scenario=([^&]+)/.exec(location.hash);
    if (m) apply(decodeURIComponent(m[1]));
    const r = /(?:^#|&)route=([^&]+)/.exec(location.hash);
    if (r && routes.has(decodeURIComponent(r[1]))) highlight(decodeURIComponent(r[1]));
    report();
  }
  select.addEventListener("change", () => { location.hash = "scenario=" + encodeURIComponent(select.value); });
  window.addEventListener("hashchange", fromHash);

  // Route highlighting, from the legend and from any table cell or heading naming a route.
  function highlight(route) {
    highlighted = route;
    svg.classList.toggle("has-hl", !!route);
    svg.querySelectorAll(".route").forEach(p => p.classList.toggle("hl", p.dataset.route === route));
    document.querySelectorAll(".routes-legend .rt").forEach(b => b.classList.toggle("on", b.dataset.route === route));
    document.querySelectorAll(".hl-row").forEach(r => r.classList.remove("hl-row"));
    report();
  }
  document.querySelectorAll("main td, main th, main h3, main code").forEach(el => {
    if (el.closest("#map-section")) return;
    const text = el.textContent.trim();
    const id = text.split(/[\s(]/)[0];
    if (routes.has(text) || (el.tagName === "H3" && routes.has(id)) || (el.tagName === "TD" && routes.has(id))) {
      el.classList.add("rt");
      el.dataset.route = routes.has(text) ? text : id;
    }
  });
  document.addEventListener("click", ev => {
    const t = ev.target.closest(".rt");
    if (!t) return;
    const r = t.dataset.route;
    highlight(highlighted === r ? null : r);
    const row = t.closest("tr");
    if (row && highlighted) row.classList.add("hl-row");
    if (!t.closest("#map-section")) document.getElementById("map-section").scrollIntoView({ behavior: "smooth" });
  });

  // Popups.
  function show(ev, rows) {
    popup.textContent = "";
    const dl = document.createElement("dl");
    rows.forEach(([k, v]) => {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      dl.append(dt, dd);
    });
    popup.append(dl);
    const r = svg.parentElement.getBoundingClientRect();
    popup.style.left = Math.min(ev.clientX - r.left + 12, r.width - 260) + "px";
    popup.style.top = (ev.clientY - r.top + 12) + "px";
    popup.hidden = false;
  }
  svg.addEventListener("click", ev => {
    if (drag && drag.moved) return;
    const l = ev.target.closest(".link");
    const n = ev.target.closest(".node");
    if (l) {
      const i = Number(l.dataset.i), d = model.links[i];
      const shut = l.classList.contains("closed") || l.classList.contains("planned");
      show(ev, [["link", d.name + " (" + d.id + ")"], ["mode", d.mode],
        ["status under " + scenario, shut ? "closed" : "open"], ["status in the data", d.status],
        ["length", d.km.toFixed(1) + " km"], ["source", d.source || "—"]]);
    } else if (n) {
      const d = model.nodes[Number(n.dataset.n)];
      show(ev, [["place", d.name], ["kind", d.kind], ["country", d.country], ["source", d.source || "—"]]);
    } else {
      popup.hidden = true;
    }
  });

  setView(vb);
  apply(model.initial);
  fromHash();
})();
"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn no_embed(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn headings_paragraphs_lists_and_inline_marks() {
        let html = markdown_to_html(
            "# Title\n\nSome **bold** and _italic_ text with `code`,\nover two lines.\n\n- one\n- two_words stay\n  _a note_\n",
            &no_embed,
        );
        assert!(html.contains("<h1 id=\"title\">Title</h1>"), "{html}");
        assert!(html.contains("<p>Some <strong>bold</strong> and <em>italic</em> text with <code>code</code>, over two lines.</p>"), "{html}");
        assert!(html.contains("<li>two_words stay</li>"), "{html}");
        assert!(
            html.contains("<li class=\"more\"><em>a note</em></li>"),
            "{html}"
        );
    }

    #[test]
    fn tables_have_a_head_and_keep_escaped_bars() {
        let html = markdown_to_html(
            "| a | b |\n|---|---:|\n| x \\| y | <z> |\n| 1 | 2 |\n",
            &no_embed,
        );
        assert!(
            html.contains("<thead><tr><th>a</th><th>b</th></tr></thead>"),
            "{html}"
        );
        assert!(html.contains("<td>x | y</td><td>&lt;z&gt;</td>"), "{html}");
        assert_eq!(html.matches("<tr>").count(), 3);
    }

    #[test]
    fn images_are_embedded_or_named() {
        let embed = |f: &str| (f == "a.png").then(|| "<svg/>".to_string());
        let html = markdown_to_html("![A chart](a.png)\n\n![B](b.png)\n", &embed);
        assert!(html.contains("<figure><svg/><figcaption>A chart</figcaption></figure>"));
        assert!(html.contains("<p class=\"missing\">[B: b.png]</p>"));
    }

    #[test]
    fn external_links_are_not_links() {
        let html = inline("[site](https://example.org) and [here](#x)");
        assert_eq!(
            html,
            "site (https://example.org) and <a href=\"#x\">here</a>"
        );
    }
}
