//! Writing an imported network as a data folder: `nodes.geojson`, `links.geojson` (schema:
//! `docs/DATA-SCHEMA.md`), `README.md` and the binary cache `network.bin`.
//!
//! Bytes are deterministic: features in id order (nodes by OSM id, links by way id and piece),
//! properties in schema order, coordinates at 6 decimals, one feature per line. Each file is
//! written to a temporary file in the same folder, then renamed over the target, so that a
//! reader never sees half a file.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{ImportedNetwork, OsmError};
use crate::network::load::{parse_network, provenance_of};
use crate::network::{cache, CostModel, LinkStatus, LonLat, Mode, Network};

/// The files written, with their sizes in bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenFolder {
    pub dir: PathBuf,
    pub files: Vec<(PathBuf, u64)>,
}

/// Writes the data folder `dir` (created if missing); existing files of the same names are
/// replaced, others left alone.
///
/// # Errors
/// [`OsmError::Write`] naming the file that could not be written.
pub fn write_data_folder(
    imported: &ImportedNetwork,
    dir: &Path,
) -> Result<WrittenFolder, OsmError> {
    fs::create_dir_all(dir).map_err(|e| OsmError::Write {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    let input_sha = sha256_file(&imported.path).map_err(|e| OsmError::Io {
        path: imported.path.clone(),
        message: e.to_string(),
    })?;
    let net = &imported.network;
    let nodes = nodes_geojson(net);
    let links = links_geojson(net);
    // The cache holds the network as the loader reads it back from this GeoJSON (coordinates
    // and lengths as written), with the digest of the texts and the warnings, so that loading
    // the folder from either gives the same network.
    let costs = CostModel::default();
    let cache_bytes = match parse_network(
        &dir.join("nodes.geojson"),
        &nodes,
        &dir.join("links.geojson"),
        &links,
        &costs,
    ) {
        Ok((parsed, warnings)) => {
            cache::encode_with(&parsed, &provenance_of(&nodes, &links, &costs, &warnings))
        }
        Err(_) => cache::encode(net),
    };
    let outputs: [(&str, Vec<u8>); 4] = [
        ("nodes.geojson", nodes.into_bytes()),
        ("links.geojson", links.into_bytes()),
        ("README.md", readme(imported, &input_sha).into_bytes()),
        ("network.bin", cache_bytes),
    ];
    let mut files = Vec::new();
    for (name, bytes) in outputs {
        let path = dir.join(name);
        write_atomic(&path, &bytes).map_err(|e| OsmError::Write {
            path: path.clone(),
            message: e.to_string(),
        })?;
        files.push((path, bytes.len() as u64));
    }
    Ok(WrittenFolder {
        dir: dir.to_path_buf(),
        files,
    })
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut f = fs::File::open(path)?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(h.finalize().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    }))
}

fn coord(out: &mut String, p: LonLat) {
    // Positions are micro-degrees already; rounding again only guards against foreign input.
    let r = |x: f64| (x * 1e6).round() / 1e6;
    let _ = write!(out, "[{},{}]", r(p.lon), r(p.lat));
}

fn feature(out: &mut String, props: Map<String, Value>, geometry: &str) {
    out.push_str("{\"type\":\"Feature\",\"properties\":");
    out.push_str(&Value::Object(props).to_string());
    out.push_str(",\"geometry\":");
    out.push_str(geometry);
    out.push('}');
}

fn collection(name: &str, features: Vec<String>) -> String {
    let mut out = format!("{{\"type\":\"FeatureCollection\",\"name\":\"{name}\",\"features\":[\n");
    out.push_str(&features.join(",\n"));
    out.push_str("\n]}\n");
    out
}

/// `nodes.geojson`: one Point per node.
pub fn nodes_geojson(net: &Network) -> String {
    let features = net
        .nodes
        .iter()
        .map(|n| {
            let mut p = Map::new();
            p.insert("id".into(), n.id.clone().into());
            p.insert("name".into(), n.name.clone().into());
            p.insert("country".into(), n.country.to_string().into());
            p.insert("kind".into(), n.kind.as_str().into());
            p.insert(
                "coord_confidence".into(),
                n.coord_confidence.as_str().into(),
            );
            if let Some(b) = &n.border {
                p.insert(
                    "countries".into(),
                    format!("{}|{}", b.countries[0], b.countries[1]).into(),
                );
                let status = |m: Option<crate::network::CrossingMode>| {
                    m.map(|m| if m.open { "open" } else { "closed" })
                };
                if let Some(s) = status(b.rail) {
                    p.insert("status_rail".into(), s.into());
                }
                if let Some(s) = status(b.road) {
                    p.insert("status_road".into(), s.into());
                }
            }
            p.insert("source".into(), n.source.clone().into());
            if let Some(note) = &n.note {
                p.insert("note".into(), note.clone().into());
            }
            let mut g = String::from("{\"type\":\"Point\",\"coordinates\":");
            coord(&mut g, n.position);
            g.push('}');
            let mut f = String::new();
            feature(&mut f, p, &g);
            f
        })
        .collect();
    collection("nodes", features)
}

/// `links.geojson`: one LineString per link.
pub fn links_geojson(net: &Network) -> String {
    let features = net
        .links
        .iter()
        .map(|l| {
            let mut p = Map::new();
            p.insert("id".into(), l.id.clone().into());
            p.insert("from".into(), net.node(l.from).id.clone().into());
            p.insert("to".into(), net.node(l.to).id.clone().into());
            p.insert("mode".into(), l.mode.as_str().into());
            p.insert("status".into(), l.status.as_str().into());
            p.insert("name".into(), l.name.clone().into());
            if let Some(g) = l.gauge_mm {
                p.insert("gauge_mm".into(), g.into());
            }
            if l.dual_gauge {
                p.insert("dual_gauge".into(), true.into());
            }
            if let Some(t) = l.tracks {
                p.insert("tracks".into(), t.into());
            }
            if let Some(e) = l.electrified {
                p.insert("electrified".into(), e.into());
            }
            if let Some(s) = l.speed_kmh {
                p.insert("speed_kmh".into(), s.into());
            }
            if l.oneway {
                p.insert("oneway".into(), true.into());
            }
            if let Some(c) = l.country {
                p.insert("country".into(), c.to_string().into());
            }
            p.insert("source".into(), l.source.clone().into());
            if let Some(note) = &l.note {
                p.insert("note".into(), note.clone().into());
            }
            let mut g = String::from("{\"type\":\"LineString\",\"coordinates\":[");
            for (i, pt) in l.geometry.iter().enumerate() {
                if i > 0 {
                    g.push(',');
                }
                coord(&mut g, *pt);
            }
            g.push_str("]}");
            let mut f = String::new();
            feature(&mut f, p, &g);
            f
        })
        .collect();
    collection("links", features)
}

/// The folder's README: source, options, counts, attribution. Deterministic (no dates, no
/// timings).
fn readme(imported: &ImportedNetwork, input_sha: &str) -> String {
    let net = &imported.network;
    let s = &imported.stats;
    let o = &imported.options;
    let file = imported.path.file_name().map_or_else(
        || imported.path.display().to_string(),
        |f| f.to_string_lossy().into_owned(),
    );
    let mut args = vec![
        format!("corridor import osm {file}"),
        format!("--country {}", o.country),
    ];
    match (o.rail, o.road) {
        (true, false) => args.push("--rail".into()),
        (false, true) => args.push("--road".into()),
        _ => {}
    }
    if o.road && o.road_classes != super::RoadClasses::Freight {
        args.push(format!("--roads {}", o.road_classes.as_str()));
    }
    if o.only_open {
        args.push("--only-open".into());
    }
    if let Some(b) = o.bbox {
        args.push(format!("--bbox {b}"));
    }
    if o.resolution != super::Resolution::Simplified {
        args.push(format!("--resolution {}", o.resolution.as_str()));
    }
    args.push("--out DIR".into());
    let mut r = String::new();
    let _ = writeln!(r, "# OpenStreetMap import of `{file}`\n");
    let _ = writeln!(
        r,
        "Map data (c) OpenStreetMap contributors, under the Open Database License (ODbL 1.0):\n\
         attribute \"(c) OpenStreetMap contributors\" wherever results derived from it are published.\n"
    );
    let _ = writeln!(
        r,
        "- source file: `{file}`, {} bytes, SHA-256 `{input_sha}`",
        s.file_bytes
    );
    let _ = writeln!(r, "- command: `{}`", args.join(" "));
    let _ = writeln!(r, "- options: {}", o.describe());
    let _ = writeln!(
        r,
        "- ways read: {}; kept: {} rail, {} road; nodes with coordinates used: {}",
        s.ways_read, s.rail_ways, s.road_ways, s.nodes_with_coordinates
    );
    let _ = writeln!(
        r,
        "- country boundaries used: {}",
        if s.boundaries.is_empty() {
            "none (every place is in the --country)".to_string()
        } else {
            s.boundaries
                .iter()
                .map(|(c, id)| format!("{c} (relation {id})"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    );
    let _ = writeln!(r, "\n## Counts\n");
    let _ = writeln!(r, "| | count | km |\n|---|---:|---:|");
    let total: f64 = net.links.iter().map(|l| l.length_km).sum();
    let _ = writeln!(r, "| nodes | {} | |", net.nodes.len());
    let _ = writeln!(r, "| links | {} | {:.1} |", net.links.len(), total);
    for mode in [Mode::Rail, Mode::Road] {
        for status in LinkStatus::ALL {
            let (n, km) = net
                .links
                .iter()
                .filter(|l| l.mode == mode && l.status == status)
                .fold((0, 0.0), |(n, km), l| (n + 1, km + l.length_km));
            if n > 0 {
                let _ = writeln!(
                    r,
                    "| {} {} | {n} | {km:.1} |",
                    mode.as_str(),
                    status.as_str()
                );
            }
        }
    }
    let _ = writeln!(r, "| border crossings | {} | |", s.border_crossings);
    if !imported.warnings.is_empty() {
        let _ = writeln!(r, "\n## Warnings\n");
        for w in &imported.warnings {
            let _ = writeln!(r, "- {}: {}", w.id, w.message);
        }
    }
    let _ = writeln!(
        r,
        "\n## Files\n\n\
         - `nodes.geojson`, `links.geojson`: the network (schema: corridor's `docs/DATA-SCHEMA.md`);\n  \
         node ids are `n<OSM node id>`, link ids `w<OSM way id>-<piece>`.\n\
         - `network.bin`: the same network in corridor's binary cache format (version {}), for fast reloads.",
        cache::VERSION
    );
    r
}
