//! DIMACS-style arc lists (`a FROM TO WEIGHT` per line, as the Bremen graphs of
//! `../shared/data/graphs/`): a directed graph with integer weights, for routing benchmarks.
//!
//! Lines starting with `c` are comments; a `p sp NODES ARCS` header, when present, fixes the node
//! count and declares ids 1-based (the DIMACS shortest-path challenge format); without it ids
//! count from 0, as in the Bremen files. Errors name the file, the line and the field.

use std::path::{Path, PathBuf};

/// Arcs above this count are refused before allocating (a header or a file claiming more is
/// damaged or not meant for this machine).
pub const MAX_ARCS: usize = 200_000_000;

/// A DIMACS arc list.
#[derive(Debug, Clone, PartialEq)]
pub struct DimacsGraph {
    pub nodes: u32,
    /// `(from, to, weight)`, 0-based.
    pub arcs: Vec<(u32, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DimacsError {
    /// `message` names the file already (it is the reader's error).
    #[error("{message}")]
    Io { path: PathBuf, message: String },
    #[error("{}:{line}: `{field}`: {problem}", path.display())]
    Line {
        path: PathBuf,
        line: usize,
        field: &'static str,
        problem: String,
    },
}

/// Reads a DIMACS arc list.
///
/// # Errors
/// [`DimacsError`] naming the file, line and field of the first problem.
pub fn read(path: &Path) -> Result<DimacsGraph, DimacsError> {
    let text = crate::network::input::read_input(path).map_err(|e| DimacsError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    parse(path, &text)
}

/// Parses the text of a DIMACS arc list; `path` only names it in errors.
///
/// # Errors
/// As [`read`].
pub fn parse(path: &Path, text: &str) -> Result<DimacsGraph, DimacsError> {
    let err = |line: usize, field: &'static str, problem: String| DimacsError::Line {
        path: path.to_path_buf(),
        line,
        field,
        problem,
    };
    let mut declared: Option<u32> = None;
    let mut arcs = Vec::new();
    let mut max_id = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let mut parts = raw.split_whitespace();
        match parts.next() {
            None | Some("c") => continue,
            Some("p") => {
                // Found by fuzzing (`a_p_header_after_arcs_is_refused`): a header after arcs
                // re-based the ids midway and left the earlier arcs beyond its node count.
                if declared.is_some() || !arcs.is_empty() {
                    return Err(err(
                        line,
                        "p",
                        "the `p sp` header must come once, before every arc".into(),
                    ));
                }
                let kind = parts.next().unwrap_or("");
                if kind != "sp" {
                    return Err(err(
                        line,
                        "p",
                        format!("expected `p sp NODES ARCS`, found kind {kind:?}"),
                    ));
                }
                let nodes: u32 = parts
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| err(line, "nodes", "not a whole number".into()))?;
                let count: usize = parts
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or_else(|| err(line, "arcs", "not a whole number".into()))?;
                if count > MAX_ARCS {
                    return Err(err(
                        line,
                        "arcs",
                        format!("{count} is over the limit of {MAX_ARCS}"),
                    ));
                }
                // The declared count reserves at most what the text can hold (an arc line is
                // at least 8 bytes): a 20-byte file claiming 200 million arcs must not reserve
                // 2.4 GB (found by fuzzing: `a_huge_declared_arc_count_reserves_nothing_absurd`).
                arcs.reserve(count.min(text.len() / 8 + 1));
                declared = Some(nodes);
            }
            Some("a") => {
                let mut field = |name: &'static str| -> Result<u64, DimacsError> {
                    parts
                        .next()
                        .ok_or_else(|| err(line, name, "missing".into()))?
                        .parse::<u64>()
                        .map_err(|e| err(line, name, e.to_string()))
                };
                let (from, to, w) = (field("from")?, field("to")?, field("weight")?);
                let shift = u64::from(declared.is_some());
                let id = |v: u64, name: &'static str| -> Result<u32, DimacsError> {
                    if declared.is_some() && v == 0 {
                        return Err(err(line, name, "ids are 1-based after a `p` header".into()));
                    }
                    u32::try_from(v - shift)
                        .ok()
                        .filter(|&v| v < u32::MAX)
                        .ok_or_else(|| err(line, name, format!("{v} does not fit a node id")))
                };
                let (from, to) = (id(from, "from")?, id(to, "to")?);
                let w = u32::try_from(w)
                    .map_err(|_| err(line, "weight", format!("{w} is over {}", u32::MAX)))?;
                if let Some(n) = declared {
                    if from >= n || to >= n {
                        return Err(err(line, "to", format!("node beyond the {n} declared")));
                    }
                }
                max_id = max_id.max(from).max(to);
                if arcs.len() >= MAX_ARCS {
                    return Err(err(line, "a", format!("more than {MAX_ARCS} arcs")));
                }
                arcs.push((from, to, w));
            }
            Some(other) => {
                return Err(err(
                    line,
                    "line",
                    format!("unknown line type {other:?} (expected a, c or p)"),
                ))
            }
        }
    }
    if arcs.is_empty() {
        return Err(DimacsError::Io {
            path: path.to_path_buf(),
            message: "no arcs (`a FROM TO WEIGHT` lines)".into(),
        });
    }
    Ok(DimacsGraph {
        nodes: declared.unwrap_or(max_id + 1),
        arcs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_id_conventions_and_names_bad_lines() {
        let p = Path::new("g.gr");
        let g = parse(p, "c bremen-like\na 0 1 5\na 1 2 7\n").unwrap();
        assert_eq!((g.nodes, g.arcs.len()), (3, 2));
        let g = parse(p, "p sp 3 1\na 1 3 4\n").unwrap();
        assert_eq!(g.arcs, vec![(0, 2, 4)]);
        let e = parse(p, "a 0 1\n").unwrap_err().to_string();
        assert_eq!(e, "g.gr:1: `weight`: missing");
        let e = parse(p, "a 0 1 5\nx\n").unwrap_err().to_string();
        assert!(
            e.contains("g.gr:2") && e.contains("unknown line type"),
            "{e}"
        );
        let e = parse(p, "p sp 2 1\na 1 3 4\n").unwrap_err().to_string();
        assert!(e.contains("beyond the 2 declared"), "{e}");
        assert!(parse(p, "p sp 2 999999999999\n").is_err());
    }

    #[test]
    fn a_p_header_after_arcs_is_refused() {
        // Fuzz finding (dimacs): arcs read 0-based, then a header of 3 nodes, gave a graph whose
        // arcs point beyond its node count.
        let e = parse(
            Path::new("g.gr"),
            "a 1 539 2
p sp 3 2
",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("g.gr:2") && e.contains("before every arc"),
            "{e}"
        );
        assert!(parse(
            Path::new("g.gr"),
            "p sp 3 1
p sp 3 1
a 1 2 3
"
        )
        .is_err());
    }

    #[test]
    fn a_huge_declared_arc_count_reserves_nothing_absurd() {
        let g = parse(
            Path::new("g.gr"),
            "p sp 2 199999999
a 1 2 3
",
        )
        .unwrap();
        assert!(g.arcs.capacity() < 1_000, "{}", g.arcs.capacity());
    }
}
