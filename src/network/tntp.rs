//! Import of networks in the TNTP text format of the "Transportation Networks for Research"
//! collection (bstabler/TransportationNetworks): links (`*_net.tntp`), origin-destination demand
//! (`*_trips.tntp`), node coordinates (`*_node.tntp`) and best-known equilibrium link flows
//! (`*_flow.tntp`).
//!
//! This module only reads and checks files; it keeps the files' own 1-based node ids and file
//! order. [`crate::sim::assign`](mod@crate::sim::assign) compiles them into an assignment problem.
//!
//! # The format
//! A `_net` or `_trips` file opens with metadata lines `<KEY> value` closed by `<END OF METADATA>`;
//! lines starting with `~` are comments. Each link is one line of ten fields ended by `;`:
//!
//! ```text
//! ~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
//!      1         2      25900.2    6        6        0.15   4    0     0     1     ;
//! ```
//!
//! Demand comes in blocks `Origin 1` followed by `dest : flow;` pairs. Node ids below
//! `<FIRST THRU NODE>` are zones: a path may start or end at one, never pass through it.
//!
//! # Units
//! The format fixes none: each network states its own (SiouxFalls free-flow times are in 0.01 h,
//! Anaheim's in minutes and lengths in feet, Chicago Sketch's in minutes and miles). Everything is
//! passed through unchanged.
//!
//! # Errors
//! Every error names the file and, for a bad line, its 1-based line number and the field.
//! Declared sizes are checked against [`MAX_NODES`], [`MAX_LINKS`] and [`MAX_ZONES`] before
//! anything is allocated from them.

use super::error::clip;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Largest `<NUMBER OF NODES>` accepted (about 67 million: more than any road network of a country).
pub const MAX_NODES: u64 = 1 << 26;
/// Largest `<NUMBER OF LINKS>` accepted.
pub const MAX_LINKS: u64 = 1 << 28;
/// Largest `<NUMBER OF ZONES>` accepted: demand is held per origin-destination pair.
pub const MAX_ZONES: u64 = 1 << 20;

/// A problem that makes a TNTP file unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TntpError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },

    /// The path given names no TNTP network (no `*_net.tntp`, or several).
    #[error("{}: {message}", path.display())]
    NotFound { path: PathBuf, message: String },

    /// A missing, malformed or inconsistent `<KEY> value` entry, or counts that disagree with it.
    #[error("{}: metadata `{}`: {}", path.display(), clip(key), clip(problem))]
    Metadata {
        path: PathBuf,
        key: String,
        problem: String,
    },

    /// A bad data line: `line` counts from 1, `field` names the column.
    #[error("{}:{line}: `{field}`: {}", path.display(), clip(problem))]
    Line {
        path: PathBuf,
        line: usize,
        field: String,
        problem: String,
    },
}

/// One link of a `_net.tntp` file, as written (node ids 1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct TntpArc {
    pub init: u32,
    pub term: u32,
    /// Capacity in the network's flow unit (vehicles per hour in most networks); > 0.
    pub capacity: f64,
    pub length: f64,
    /// Travel time at zero flow; >= 0.
    pub free_flow_time: f64,
    /// BPR `b` (often written alpha = 0.15); >= 0.
    pub b: f64,
    /// BPR power (often 4); >= 0.
    pub power: f64,
    pub speed: f64,
    pub toll: f64,
    pub link_type: i64,
}

/// A `_net.tntp` file.
#[derive(Debug, Clone, PartialEq)]
pub struct TntpNet {
    pub zones: u32,
    pub nodes: u32,
    /// Node ids below this are zones, never passed through (1 means every node may be).
    pub first_thru_node: u32,
    /// Links in file order.
    pub arcs: Vec<TntpArc>,
    /// `<DISTANCE FACTOR>`, when the file declares it: weight of `length` in the link cost.
    pub distance_factor: Option<f64>,
    /// `<TOLL FACTOR>`, when the file declares it: weight of `toll` in the link cost.
    pub toll_factor: Option<f64>,
}

impl TntpNet {
    /// Whether a path may pass through the 0-based node `v` (zones below the first thru node
    /// may only start or end one).
    pub fn passable(&self, v: u32) -> bool {
        v + 1 >= self.first_thru_node
    }

    /// The 0-based `(tail, head)` pairs in file order, for [`crate::routing::Csr::from_arcs`].
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        self.arcs.iter().map(|a| (a.init - 1, a.term - 1)).collect()
    }
}

/// One origin-destination demand of a `_trips.tntp` file (zone ids 1-based).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OdFlow {
    pub origin: u32,
    pub dest: u32,
    pub flow: f64,
}

/// A `_trips.tntp` file.
#[derive(Debug, Clone, PartialEq)]
pub struct TntpTrips {
    pub zones: u32,
    /// `<TOTAL OD FLOW>`, when declared (compare with [`TntpTrips::total`]).
    pub declared_total: Option<f64>,
    /// Demands in file order, zeros and intrazonal entries included.
    pub od: Vec<OdFlow>,
}

impl TntpTrips {
    /// Sum of all demands, as read.
    pub fn total(&self) -> f64 {
        self.od.iter().map(|d| d.flow).sum()
    }
}

/// One node of a `_node.tntp` file: id and coordinates in the network's own projection.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TntpNode {
    pub id: u32,
    pub x: f64,
    pub y: f64,
}

/// One link of a `_flow.tntp` file: the best known equilibrium flow and its cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TntpFlow {
    pub from: u32,
    pub to: u32,
    pub volume: f64,
    pub cost: f64,
}

/// The files of one network.
#[derive(Debug, Clone, PartialEq)]
pub struct TntpFiles {
    /// The network's name: the common prefix of its file names (`SiouxFalls`).
    pub name: String,
    pub net: PathBuf,
    pub trips: PathBuf,
    pub node: Option<PathBuf>,
    pub flow: Option<PathBuf>,
}

/// Finds a network's files from a folder holding one `*_net.tntp`, or from the common prefix of
/// its files (`data/SiouxFalls` for `data/SiouxFalls_net.tntp`, ...); a path to the `_net.tntp`
/// file itself works too.
///
/// # Errors
/// [`TntpError::NotFound`] when there is no `_net.tntp` or `_trips.tntp`, or a folder holds several
/// networks.
pub fn locate(path: &Path) -> Result<TntpFiles, TntpError> {
    let net = locate_net(path)?;
    let with = |suffix: &str| PathBuf::from(format!("{}{suffix}", net.prefix.display()));
    let trips = with("_trips.tntp");
    if !trips.is_file() {
        return Err(TntpError::NotFound {
            path: path.to_path_buf(),
            message: format!(
                "the network has no demand: `{}` does not exist",
                trips.display()
            ),
        });
    }
    let optional = |p: PathBuf| p.is_file().then_some(p);
    Ok(TntpFiles {
        node: optional(with("_node.tntp")),
        flow: optional(with("_flow.tntp")),
        name: net.name,
        net: net.net,
        trips,
    })
}

/// A network's `_net.tntp` file, found as [`locate`] finds it but without asking for demand: a
/// routing benchmark needs only the links.
#[derive(Debug, Clone, PartialEq)]
pub struct TntpNetFile {
    /// The network's name (`SiouxFalls`).
    pub name: String,
    /// The common prefix of its files (`data/SiouxFalls`).
    pub prefix: PathBuf,
    pub net: PathBuf,
}

/// Finds a network's `_net.tntp` from a folder, a file prefix or the file itself (see
/// [`locate`]); the `_trips.tntp` file may be missing.
///
/// # Errors
/// [`TntpError::NotFound`] when there is no `_net.tntp`, or a folder holds several networks.
pub fn locate_net(path: &Path) -> Result<TntpNetFile, TntpError> {
    let not_found = |message: String| TntpError::NotFound {
        path: path.to_path_buf(),
        message,
    };
    let prefix: PathBuf = if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| TntpError::Io {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let mut nets: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.ends_with("_net.tntp"))
            })
            .collect();
        nets.sort();
        match nets.as_slice() {
            [one] => strip_suffix(one, "_net.tntp"),
            [] => return Err(not_found("the folder holds no `*_net.tntp` file".into())),
            many => {
                let names: Vec<String> = many.iter().map(|p| p.display().to_string()).collect();
                return Err(not_found(format!(
                    "the folder holds several networks ({}); give the prefix of one, e.g. `{}`",
                    names.join(", "),
                    strip_suffix(&many[0], "_net.tntp").display()
                )));
            }
        }
    } else if path.to_string_lossy().ends_with("_net.tntp") {
        strip_suffix(path, "_net.tntp")
    } else {
        path.to_path_buf()
    };
    let net = PathBuf::from(format!("{}_net.tntp", prefix.display()));
    if !net.is_file() {
        return Err(not_found(format!(
            "not a folder, and `{}` does not exist",
            net.display()
        )));
    }
    Ok(TntpNetFile {
        name: prefix
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        prefix,
        net,
    })
}

fn strip_suffix(path: &Path, suffix: &str) -> PathBuf {
    let s = path.to_string_lossy();
    PathBuf::from(s.strip_suffix(suffix).unwrap_or(&s).to_string())
}

/// TNTP files larger than this are refused before reading (the largest published networks'
/// trip tables are well under it).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

fn read_text(path: &Path) -> Result<String, TntpError> {
    let io = |message: String| TntpError::Io {
        path: path.to_path_buf(),
        message,
    };
    let len = std::fs::metadata(path)
        .map_err(|e| io(e.to_string()))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(io(format!(
            "{len} bytes is over the {MAX_FILE_BYTES} byte limit for a TNTP file"
        )));
    }
    std::fs::read_to_string(path).map_err(|e| io(e.to_string()))
}

/// Reads a `_net.tntp` file: node count, first thru node and the links.
///
/// # Errors
/// Unreadable file, missing or inconsistent metadata (more zones than nodes, a link count that
/// differs from `<NUMBER OF LINKS>`), or a bad link line (wrong field count, a node id out of
/// `1..=nodes`, capacity not > 0, a negative or non-finite free-flow time, `b` or power).
///
/// # Complexity
/// O(file size).
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), corridor::network::tntp::TntpError> {
/// let net = corridor::network::tntp::read_net("data/SiouxFalls_net.tntp".as_ref())?;
/// println!("{} nodes, {} links", net.nodes, net.arcs.len());
/// # Ok(())
/// # }
/// ```
pub fn read_net(path: &Path) -> Result<TntpNet, TntpError> {
    parse_net(&read_text(path)?, path)
}

/// Parses the text of a `_net.tntp` file; `path` is only used in errors. See [`read_net`].
pub fn parse_net(text: &str, path: &Path) -> Result<TntpNet, TntpError> {
    let (meta, body) = split_metadata(text, path)?;
    let nodes = meta.count("NUMBER OF NODES", MAX_NODES, true)?.unwrap_or(0);
    let links = meta.count("NUMBER OF LINKS", MAX_LINKS, true)?.unwrap_or(0);
    let zones = meta.count("NUMBER OF ZONES", MAX_ZONES, true)?.unwrap_or(0);
    let first_thru_node = meta
        .count("FIRST THRU NODE", MAX_NODES + 1, false)?
        .unwrap_or(1);
    if zones > nodes {
        return Err(meta.error(
            "NUMBER OF ZONES",
            format!("{zones} zones but only {nodes} nodes"),
        ));
    }
    if first_thru_node == 0 || first_thru_node > nodes + 1 {
        return Err(meta.error(
            "FIRST THRU NODE",
            format!("{first_thru_node} is outside 1..={}", nodes + 1),
        ));
    }
    let distance_factor = meta.factor("DISTANCE FACTOR")?;
    let toll_factor = meta.factor("TOLL FACTOR")?;

    const FIELDS: [&str; 10] = [
        "init_node",
        "term_node",
        "capacity",
        "length",
        "free_flow_time",
        "b",
        "power",
        "speed",
        "toll",
        "link_type",
    ];
    // Never trust the declared count for allocation beyond what the text can hold.
    let mut arcs = Vec::with_capacity((links as usize).min(body.len() / 2 + 1));
    for (line_no, line) in body {
        let data = line.split(';').next().unwrap_or("").trim();
        if data.is_empty() {
            continue;
        }
        let fields: Vec<&str> = data.split_whitespace().collect();
        let bad = |field: usize, problem: String| TntpError::Line {
            path: path.to_path_buf(),
            line: line_no,
            field: FIELDS.get(field).copied().unwrap_or("line").to_string(),
            problem,
        };
        if fields.len() != FIELDS.len() {
            return Err(bad(
                FIELDS.len(),
                format!(
                    "expected {} fields (init_node term_node capacity length free_flow_time b \
                     power speed toll link_type), found {}",
                    FIELDS.len(),
                    fields.len()
                ),
            ));
        }
        let node = |i: usize| -> Result<u32, TntpError> {
            let v: u64 = fields[i]
                .parse()
                .map_err(|_| bad(i, format!("`{}` is not a node id", fields[i])))?;
            if v == 0 || v > nodes {
                return Err(bad(i, format!("node {v} is outside 1..={nodes}")));
            }
            Ok(v as u32)
        };
        let num = |i: usize, min: f64, strict: bool| -> Result<f64, TntpError> {
            let v: f64 = fields[i]
                .parse()
                .map_err(|_| bad(i, format!("`{}` is not a number", fields[i])))?;
            if !v.is_finite() {
                return Err(bad(i, format!("{v} is not finite")));
            }
            if v < min || (strict && v <= min) {
                let rel = if strict { ">" } else { ">=" };
                return Err(bad(i, format!("{v} must be {rel} {min}")));
            }
            Ok(v)
        };
        let any = f64::NEG_INFINITY;
        let link_type = fields[9]
            .parse::<i64>()
            .map_err(|_| bad(9, format!("`{}` is not an integer", fields[9])))?;
        arcs.push(TntpArc {
            init: node(0)?,
            term: node(1)?,
            capacity: num(2, 0.0, true)?,
            length: num(3, 0.0, false)?,
            free_flow_time: num(4, 0.0, false)?,
            b: num(5, 0.0, false)?,
            power: num(6, 0.0, false)?,
            speed: num(7, any, false)?,
            toll: num(8, any, false)?,
            link_type,
        });
        if arcs.len() as u64 > links {
            return Err(meta.error(
                "NUMBER OF LINKS",
                format!("declares {links} links, but line {line_no} holds one more"),
            ));
        }
    }
    if arcs.len() as u64 != links {
        return Err(meta.error(
            "NUMBER OF LINKS",
            format!("declares {links} links, but the file holds {}", arcs.len()),
        ));
    }
    Ok(TntpNet {
        zones: zones as u32,
        nodes: nodes as u32,
        first_thru_node: first_thru_node as u32,
        arcs,
        distance_factor,
        toll_factor,
    })
}

/// Reads a `_trips.tntp` file.
///
/// # Errors
/// Unreadable file, missing `<NUMBER OF ZONES>`, a pair before any `Origin` line, a malformed
/// `dest : flow` pair, a zone id outside `1..=zones`, a negative or non-finite flow, or the same
/// origin-destination pair twice.
///
/// # Complexity
/// O(file size).
pub fn read_trips(path: &Path) -> Result<TntpTrips, TntpError> {
    parse_trips(&read_text(path)?, path)
}

/// Parses the text of a `_trips.tntp` file; `path` is only used in errors. See [`read_trips`].
pub fn parse_trips(text: &str, path: &Path) -> Result<TntpTrips, TntpError> {
    let (meta, body) = split_metadata(text, path)?;
    let zones = meta.count("NUMBER OF ZONES", MAX_ZONES, true)?.unwrap_or(0);
    let declared_total = meta.factor("TOTAL OD FLOW")?;
    let mut od = Vec::new();
    let mut seen: HashMap<(u32, u32), usize> = HashMap::new();
    let mut origin: Option<u32> = None;
    for (line_no, line) in body {
        let bad = |field: &str, problem: String| TntpError::Line {
            path: path.to_path_buf(),
            line: line_no,
            field: field.to_string(),
            problem,
        };
        let zone = |field: &str, s: &str| -> Result<u32, TntpError> {
            let v: u64 = s
                .trim()
                .parse()
                .map_err(|_| bad(field, format!("`{}` is not a zone id", s.trim())))?;
            if v == 0 || v > zones {
                return Err(bad(field, format!("zone {v} is outside 1..={zones}")));
            }
            Ok(v as u32)
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix("Origin") {
            origin = Some(zone("origin", rest)?);
            continue;
        }
        for pair in trimmed.split(';') {
            let pair = pair.trim();
            if pair.is_empty() {
                continue;
            }
            let Some(o) = origin else {
                return Err(bad(
                    "origin",
                    "a `dest : flow` pair before any `Origin N` line".into(),
                ));
            };
            let Some((d, f)) = pair.split_once(':') else {
                return Err(bad(
                    "dest : flow",
                    format!("`{pair}` is not a `dest : flow` pair"),
                ));
            };
            let dest = zone("dest", d)?;
            let flow: f64 = f
                .trim()
                .parse()
                .map_err(|_| bad("flow", format!("`{}` is not a number", f.trim())))?;
            if !flow.is_finite() || flow < 0.0 {
                return Err(bad(
                    "flow",
                    format!("{flow} must be finite and >= 0 (origin {o}, dest {dest})"),
                ));
            }
            if let Some(first) = seen.insert((o, dest), line_no) {
                return Err(bad(
                    "dest",
                    format!("origin {o}, dest {dest} is given twice (first on line {first})"),
                ));
            }
            od.push(OdFlow {
                origin: o,
                dest,
                flow,
            });
        }
    }
    Ok(TntpTrips {
        zones: zones as u32,
        declared_total,
        od,
    })
}

/// Reads a `_node.tntp` file (`id x y ;` after a header line).
///
/// # Errors
/// Unreadable file, a line without three fields, an id that is not a positive integer or appears
/// twice, a non-finite coordinate.
pub fn read_nodes(path: &Path) -> Result<Vec<TntpNode>, TntpError> {
    parse_nodes(&read_text(path)?, path)
}

/// Parses the text of a `_node.tntp` file; `path` is only used in errors. See [`read_nodes`].
pub fn parse_nodes(text: &str, path: &Path) -> Result<Vec<TntpNode>, TntpError> {
    let mut out = Vec::new();
    let mut seen: HashMap<u32, usize> = HashMap::new();
    for (line_no, fields) in table_lines(text, ["id", "x", "y"], path)? {
        let bad = |field: &str, problem: String| TntpError::Line {
            path: path.to_path_buf(),
            line: line_no,
            field: field.to_string(),
            problem,
        };
        let id = parse_id(fields[0]).ok_or_else(|| bad("id", format!("`{}`", fields[0])))?;
        let x = parse_finite(fields[1]).ok_or_else(|| bad("x", format!("`{}`", fields[1])))?;
        let y = parse_finite(fields[2]).ok_or_else(|| bad("y", format!("`{}`", fields[2])))?;
        if let Some(first) = seen.insert(id, line_no) {
            return Err(bad(
                "id",
                format!("node {id} is given twice (first on line {first})"),
            ));
        }
        out.push(TntpNode { id, x, y });
    }
    Ok(out)
}

/// Reads a `_flow.tntp` file (`from to volume cost` after a header line).
///
/// # Errors
/// Unreadable file, a line without four fields, a node id that is not a positive integer, a
/// negative or non-finite volume, a non-finite cost.
pub fn read_flows(path: &Path) -> Result<Vec<TntpFlow>, TntpError> {
    parse_flows(&read_text(path)?, path)
}

/// Parses the text of a `_flow.tntp` file; `path` is only used in errors. See [`read_flows`].
pub fn parse_flows(text: &str, path: &Path) -> Result<Vec<TntpFlow>, TntpError> {
    let mut out = Vec::new();
    for (line_no, f) in table_lines(text, ["from", "to", "volume", "cost"], path)? {
        let bad = |field: &str, v: &str| TntpError::Line {
            path: path.to_path_buf(),
            line: line_no,
            field: field.to_string(),
            problem: format!("`{v}` is not valid here"),
        };
        let volume = parse_finite(f[2])
            .filter(|v| *v >= 0.0)
            .ok_or_else(|| bad("volume", f[2]))?;
        out.push(TntpFlow {
            from: parse_id(f[0]).ok_or_else(|| bad("from", f[0]))?,
            to: parse_id(f[1]).ok_or_else(|| bad("to", f[1]))?,
            volume,
            cost: parse_finite(f[3]).ok_or_else(|| bad("cost", f[3]))?,
        });
    }
    Ok(out)
}

fn parse_id(s: &str) -> Option<u32> {
    s.parse::<u32>().ok().filter(|&v| v > 0)
}

fn parse_finite(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The data lines of a simple table file (`_node`, `_flow`): comments, blank lines and a first
/// line that does not start with a number (the header) are skipped; a trailing `;` is dropped.
/// Each line must hold exactly `N` fields.
fn table_lines<'a, const N: usize>(
    text: &'a str,
    names: [&str; N],
    path: &Path,
) -> Result<Vec<(usize, [&'a str; N])>, TntpError> {
    let mut out = Vec::new();
    let mut first = true;
    for (i, line) in text.lines().enumerate() {
        let data = line.split(';').next().unwrap_or("").trim();
        if data.is_empty() || data.starts_with('~') {
            continue;
        }
        let fields: Vec<&str> = data.split_whitespace().collect();
        if std::mem::take(&mut first) && fields[0].parse::<f64>().is_err() {
            continue; // the header
        }
        let arr: [&str; N] = fields.as_slice().try_into().map_err(|_| TntpError::Line {
            path: path.to_path_buf(),
            line: i + 1,
            field: "line".into(),
            problem: format!(
                "expected {N} fields ({}), found {}",
                names.join(" "),
                fields.len()
            ),
        })?;
        out.push((i + 1, arr));
    }
    Ok(out)
}

/// The `<KEY> value` entries of a file's metadata block.
struct Metadata<'a> {
    path: &'a Path,
    entries: Vec<(String, &'a str, usize)>,
}

impl Metadata<'_> {
    fn error(&self, key: &str, problem: String) -> TntpError {
        TntpError::Metadata {
            path: self.path.to_path_buf(),
            key: key.to_string(),
            problem,
        }
    }

    fn get(&self, key: &str) -> Option<(&str, usize)> {
        self.entries
            .iter()
            .find(|(k, _, _)| k == key)
            .map(|(_, v, l)| (*v, *l))
    }

    /// A non-negative integer entry, at most `max`.
    fn count(&self, key: &str, max: u64, required: bool) -> Result<Option<u64>, TntpError> {
        let Some((v, line)) = self.get(key) else {
            return if required {
                Err(self.error(key, "missing".into()))
            } else {
                Ok(None)
            };
        };
        let n: u64 = v.parse().map_err(|_| {
            self.error(
                key,
                format!("line {line}: `{v}` is not a non-negative integer"),
            )
        })?;
        if n > max {
            return Err(self.error(key, format!("line {line}: {n} is above the limit of {max}")));
        }
        Ok(Some(n))
    }

    /// An optional finite number entry.
    fn factor(&self, key: &str) -> Result<Option<f64>, TntpError> {
        match self.get(key) {
            None => Ok(None),
            Some((v, line)) => parse_finite(v)
                .map(Some)
                .ok_or_else(|| self.error(key, format!("line {line}: `{v}` is not a number"))),
        }
    }
}

/// The numbered lines of a file after its metadata.
type Body<'a> = Vec<(usize, &'a str)>;

/// Splits a file into its metadata and the numbered lines after `<END OF METADATA>`, comments
/// (`~`) dropped.
fn split_metadata<'a>(
    text: &'a str,
    path: &'a Path,
) -> Result<(Metadata<'a>, Body<'a>), TntpError> {
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate();
    let mut ended = false;
    for (i, line) in lines.by_ref() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('~') {
            continue;
        }
        let parsed = t
            .strip_prefix('<')
            .and_then(|rest| rest.split_once('>'))
            .map(|(k, v)| (k.trim().to_ascii_uppercase(), v.trim()));
        match parsed {
            Some((key, _)) if key == "END OF METADATA" => {
                ended = true;
                break;
            }
            Some((key, value)) => entries.push((key, value, i + 1)),
            None => {
                return Err(TntpError::Line {
                    path: path.to_path_buf(),
                    line: i + 1,
                    field: "metadata".into(),
                    problem: format!(
                        "expected `<KEY> value` or `<END OF METADATA>`, found `{}`",
                        truncate(t, 60)
                    ),
                })
            }
        }
    }
    if !ended {
        return Err(TntpError::Metadata {
            path: path.to_path_buf(),
            key: "END OF METADATA".into(),
            problem: "missing: the metadata block is never closed".into(),
        });
    }
    let body = lines
        .filter(|(_, l)| !l.trim_start().starts_with('~'))
        .map(|(i, l)| (i + 1, l))
        .collect();
    Ok((Metadata { path, entries }, body))
}

fn truncate(s: &str, n: usize) -> String {
    match s.char_indices().nth(n) {
        Some((i, _)) => format!("{}...", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NET: &str = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 3\n\
                       <NUMBER OF LINKS> 2\n<END OF METADATA>\n\n\
                       ~ init term cap len fft b power speed toll type ;\n\
                       \t1\t3\t100\t1\t2\t0.15\t4\t0\t0\t1\t;\n\
                       \t3\t2\t100\t1\t2\t0.15\t4\t0\t0\t1\t;\n";

    fn p() -> &'static Path {
        Path::new("t_net.tntp")
    }

    #[test]
    fn reads_a_small_net() {
        let net = parse_net(NET, p()).unwrap();
        assert_eq!((net.zones, net.nodes, net.first_thru_node), (2, 3, 3));
        assert_eq!(net.arcs.len(), 2);
        assert_eq!((net.arcs[1].init, net.arcs[1].term), (3, 2));
        assert_eq!(net.arcs[0].power, 4.0);
    }

    fn net_error(text: &str) -> String {
        parse_net(text, p()).unwrap_err().to_string()
    }

    #[test]
    fn net_errors_name_line_and_field() {
        let e = net_error(&NET.replace("\t3\t2\t100", "\t3\t9\t100"));
        assert_eq!(e, "t_net.tntp:9: `term_node`: node 9 is outside 1..=3");
        let e = net_error(&NET.replace("\t3\t2\t100", "\t3\t2\t0"));
        assert_eq!(e, "t_net.tntp:9: `capacity`: 0 must be > 0");
        let e = net_error(&NET.replace("\t3\t2\t100\t1\t2", "\t3\t2\t100\t1\tx"));
        assert!(
            e.contains(":9: `free_flow_time`: `x` is not a number"),
            "{e}"
        );
        let e = net_error(&NET.replace("\t0\t1\t;\n\t3", "\t1\t;\n\t3"));
        assert!(e.contains(":8: `line`: expected 10 fields"), "{e}");
        let e = net_error(&NET.replace("LINKS> 2", "LINKS> 3"));
        assert!(e.contains("declares 3 links, but the file holds 2"), "{e}");
        let e = net_error(&NET.replace("NODES> 3", "NODES> 99999999999"));
        assert!(e.contains("`NUMBER OF NODES`: line 2: 99999999999 is above the limit"));
        let e = net_error(&NET.replace("<END OF METADATA>", ""));
        assert!(e.contains("expected `<KEY> value`"), "{e}");
        let e = net_error(&NET.replace("<NUMBER OF NODES> 3\n", ""));
        assert!(e.contains("`NUMBER OF NODES`: missing"), "{e}");
        let e = net_error(&NET.replace("ZONES> 2", "ZONES> 4"));
        assert!(e.contains("4 zones but only 3 nodes"), "{e}");
    }

    const TRIPS: &str = "<NUMBER OF ZONES> 2\n<TOTAL OD FLOW> 30\n<END OF METADATA>\n\n\
                         Origin 1\n    1 :  0.0;   2 :  10.0;\n\nOrigin \t2\n 1 : 20;\n";

    #[test]
    fn reads_trips() {
        let t = parse_trips(TRIPS, Path::new("t_trips.tntp")).unwrap();
        assert_eq!(t.od.len(), 3);
        assert_eq!(t.total(), 30.0);
        assert_eq!(t.declared_total, Some(30.0));
        assert_eq!(
            t.od[2],
            OdFlow {
                origin: 2,
                dest: 1,
                flow: 20.0
            }
        );
    }

    #[test]
    fn trips_errors() {
        let e = |s: &str| {
            parse_trips(s, Path::new("t_trips.tntp"))
                .unwrap_err()
                .to_string()
        };
        assert!(e(&TRIPS.replace("Origin 1\n", "")).contains(":5: `origin`: a `dest : flow`"));
        assert!(e(&TRIPS.replace("2 :  10.0", "3 : 10.0")).contains("zone 3 is outside 1..=2"));
        assert!(e(&TRIPS.replace("10.0", "-1")).contains("`flow`: -1 must be finite and >= 0"));
        assert!(e(&TRIPS.replace("2 :  10.0", "1 : 10.0")).contains("given twice"));
        assert!(e(&TRIPS.replace("2 :  10.0", "2  10.0")).contains("is not a `dest : flow`"));
    }

    #[test]
    fn reads_nodes_and_flows() {
        let n = parse_nodes("Node X Y ;\n1 -96.7 43.6 ;\n2 1 2 ;\n", p()).unwrap();
        assert_eq!(
            n[1],
            TntpNode {
                id: 2,
                x: 1.0,
                y: 2.0
            }
        );
        let e = parse_nodes("Node X Y ;\n1 -96.7 43.6 ;\n1 1 2 ;\n", p()).unwrap_err();
        assert!(e.to_string().contains(":3: `id`: node 1 is given twice"));
        let f = parse_flows("From To Volume Cost\n1 2 4494.6 6.0008 \n", p()).unwrap();
        assert_eq!(f[0].volume, 4494.6);
        let e = parse_flows("From To Volume Cost\n1 2 -4 6\n", p()).unwrap_err();
        assert!(e.to_string().contains(":2: `volume`"));
        let e = parse_flows("From To Volume Cost\n1 2 6\n", p()).unwrap_err();
        assert!(e.to_string().contains("expected 4 fields"));
    }
}
