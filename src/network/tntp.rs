//! A reader for TNTP network files (`*_net.tntp`, the format of the Transportation Networks for
//! Research repository): a metadata header, then one row per link. It yields a plain arc list;
//! trips and flows are read elsewhere.
//!
//! ```text
//! <NUMBER OF ZONES> 24
//! <NUMBER OF NODES> 24
//! <FIRST THRU NODE> 1
//! <NUMBER OF LINKS> 76
//! <END OF METADATA>
//! ~ init_node term_node capacity length free_flow_time b power speed toll link_type ;
//!   1 2 25900.2 6 6 0.15 4 0 0 1 ;
//! ```
//!
//! Node numbers in the file start at 1; [`TntpArc`] holds them 0-based. Zones are the nodes
//! `1..=zones`; a path may start or end at a zone but passes through one only when its number is
//! at least `<FIRST THRU NODE>`.

use std::path::{Path, PathBuf};

/// A problem reading a TNTP file: the file, the line (from 1) and the field.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TntpError {
    #[error("{}: cannot read: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{}:{line}: `{field}`: {problem}", path.display())]
    Field {
        path: PathBuf,
        line: usize,
        field: String,
        problem: String,
    },
    #[error("{}: {problem}", path.display())]
    File { path: PathBuf, problem: String },
}

/// One link of a TNTP network.
///
/// # Units
/// As the file gives them: `length` often in miles, `free_flow_time` in minutes (SiouxFalls:
/// 0.01 h), `capacity` in vehicles per hour, `toll` in cents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TntpArc {
    /// Tail node, 0-based.
    pub from: u32,
    /// Head node, 0-based.
    pub to: u32,
    pub capacity: f64,
    pub length: f64,
    pub free_flow_time: f64,
    /// BPR `b` (often written `alpha`).
    pub b: f64,
    /// BPR power (`beta`).
    pub power: f64,
    pub speed: f64,
    pub toll: f64,
    pub link_type: i64,
}

/// A TNTP network: its metadata and its arcs, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct TntpNet {
    pub zones: u32,
    pub nodes: u32,
    /// 1-based, as in the file: nodes numbered below it may not be passed through.
    pub first_thru_node: u32,
    pub arcs: Vec<TntpArc>,
}

impl TntpNet {
    /// Whether a path may pass through 0-based node `v` (zones below the first through node may
    /// only start or end one).
    pub fn passable(&self, v: u32) -> bool {
        v + 1 >= self.first_thru_node
    }

    /// The `(tail, head)` pairs, for [`crate::routing::Csr::from_arcs`].
    pub fn pairs(&self) -> Vec<(u32, u32)> {
        self.arcs.iter().map(|a| (a.from, a.to)).collect()
    }
}

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

/// Reads a `*_net.tntp` file.
///
/// # Errors
/// [`TntpError`] naming the file, line and field: unreadable file, missing `<NUMBER OF NODES>` or
/// `<END OF METADATA>`, a row with fewer than five fields, a number that does not parse or is
/// negative or not finite, a node number outside `1..=nodes`, or a link count different from
/// `<NUMBER OF LINKS>`.
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let net = corridor::network::tntp::read_net("../shared/data/tntp/SiouxFalls_net.tntp".as_ref())?;
/// assert_eq!((net.nodes, net.arcs.len()), (24, 76));
/// # Ok(()) }
/// ```
pub fn read_net(path: &Path) -> Result<TntpNet, TntpError> {
    let text = std::fs::read_to_string(path).map_err(|e| TntpError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    parse_net(path, &text)
}

/// Parses the text of a `*_net.tntp` file; `path` only names it in errors.
///
/// # Errors
/// As [`read_net`].
pub fn parse_net(path: &Path, text: &str) -> Result<TntpNet, TntpError> {
    let field_err = |line: usize, field: &str, problem: String| TntpError::Field {
        path: path.to_path_buf(),
        line,
        field: field.to_string(),
        problem,
    };
    let mut zones = None;
    let mut nodes = None;
    let mut first_thru = None;
    let mut declared_links = None;
    let mut in_body = false;
    let mut arcs = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if !in_body {
            if let Some(rest) = line.strip_prefix('<') {
                let Some((key, value)) = rest.split_once('>') else {
                    return Err(field_err(line_no, line, "metadata tag without `>`".into()));
                };
                let key = key.trim().to_ascii_uppercase();
                let value = value.trim();
                let int = |v: &str| -> Result<u32, TntpError> {
                    v.parse::<u32>().map_err(|_| {
                        field_err(line_no, &key, format!("{v:?} is not a whole number"))
                    })
                };
                match key.as_str() {
                    "NUMBER OF ZONES" => zones = Some(int(value)?),
                    "NUMBER OF NODES" => nodes = Some(int(value)?),
                    "FIRST THRU NODE" => first_thru = Some(int(value)?),
                    "NUMBER OF LINKS" => declared_links = Some(int(value)?),
                    "END OF METADATA" => in_body = true,
                    _ => {}
                }
            }
            continue;
        }
        let line = line.split('~').next().unwrap_or("").trim();
        let line = line.trim_end_matches(';').trim();
        if line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 5 {
            return Err(field_err(
                line_no,
                FIELDS.get(cols.len()).copied().unwrap_or("row"),
                format!("a link row needs at least 5 fields, found {}", cols.len()),
            ));
        }
        let num = |k: usize| -> Result<f64, TntpError> {
            match cols.get(k) {
                None => Ok(0.0),
                Some(s) => match s.parse::<f64>() {
                    Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
                    Ok(x) => Err(field_err(
                        line_no,
                        FIELDS[k],
                        format!("{x} must be a number >= 0"),
                    )),
                    Err(_) => Err(field_err(
                        line_no,
                        FIELDS[k],
                        format!("{s:?} is not a number"),
                    )),
                },
            }
        };
        let Some(n) = nodes else {
            return Err(TntpError::File {
                path: path.to_path_buf(),
                problem: "no <NUMBER OF NODES> before the links".into(),
            });
        };
        let node = |k: usize| -> Result<u32, TntpError> {
            let s = cols[k];
            match s.parse::<u32>() {
                Ok(v) if (1..=n).contains(&v) => Ok(v - 1),
                Ok(v) => Err(field_err(
                    line_no,
                    FIELDS[k],
                    format!("node {v} is outside 1..={n}"),
                )),
                Err(_) => Err(field_err(
                    line_no,
                    FIELDS[k],
                    format!("{s:?} is not a node number"),
                )),
            }
        };
        let link_type = match cols.get(9) {
            None => 0,
            Some(s) => s
                .parse::<i64>()
                .map_err(|_| field_err(line_no, "link_type", format!("{s:?} is not an integer")))?,
        };
        arcs.push(TntpArc {
            from: node(0)?,
            to: node(1)?,
            capacity: num(2)?,
            length: num(3)?,
            free_flow_time: num(4)?,
            b: num(5)?,
            power: num(6)?,
            speed: num(7)?,
            toll: num(8)?,
            link_type,
        });
    }
    let file_err = |problem: &str| TntpError::File {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    };
    if !in_body {
        return Err(file_err("no <END OF METADATA> line"));
    }
    let nodes = nodes.ok_or_else(|| file_err("no <NUMBER OF NODES> in the metadata"))?;
    if let Some(m) = declared_links {
        if m as usize != arcs.len() {
            return Err(file_err(&format!(
                "<NUMBER OF LINKS> says {m} but the file has {} link rows",
                arcs.len()
            )));
        }
    }
    Ok(TntpNet {
        zones: zones.unwrap_or(0),
        nodes,
        first_thru_node: first_thru.unwrap_or(1),
        arcs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 3\n<FIRST THRU NODE> 3\n\
        <NUMBER OF LINKS> 2\n<END OF METADATA>\n\n~ init term ... ;\n\
        \t1\t3\t100\t2.5\t3\t0.15\t4\t0\t0\t1\t;\n\t3\t2\t100\t1\t1\t0.15\t4\t0\t0\t1\t;\n";

    #[test]
    fn reads_metadata_and_rows() {
        let net = parse_net(Path::new("x_net.tntp"), SMALL).unwrap();
        assert_eq!((net.zones, net.nodes, net.first_thru_node), (2, 3, 3));
        assert_eq!(net.arcs.len(), 2);
        assert_eq!((net.arcs[0].from, net.arcs[0].to), (0, 2));
        assert_eq!(net.arcs[0].length, 2.5);
        assert!(!net.passable(0) && !net.passable(1) && net.passable(2));
    }

    #[test]
    fn errors_name_line_and_field() {
        let bad = SMALL.replace("\t2.5\t", "\tx\t");
        let e = parse_net(Path::new("x_net.tntp"), &bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x_net.tntp:8: `length`: \"x\" is not a number"
        );
        let bad = SMALL.replace("\t1\t3\t100", "\t1\t9\t100");
        let e = parse_net(Path::new("x_net.tntp"), &bad).unwrap_err();
        assert!(
            e.to_string()
                .contains(":8: `term_node`: node 9 is outside 1..=3"),
            "{e}"
        );
        let e = parse_net(Path::new("x"), "<NUMBER OF NODES> 3\n").unwrap_err();
        assert!(e.to_string().contains("END OF METADATA"));
        let bad = SMALL.replace("<NUMBER OF LINKS> 2", "<NUMBER OF LINKS> 5");
        assert!(parse_net(Path::new("x"), &bad).is_err());
    }
}
