//! A reader for road graphs as DIMACS-like arc lists (the 9th DIMACS challenge's `.gr` files, and
//! the Bremen maps of fast_paths): `a FROM TO WEIGHT` per arc, with optional `c` comment lines and
//! a `p sp NODES ARCS` header. Node ids start at 1 when a `p` line is present (DIMACS) and at 0
//! when it is absent (fast_paths' files); the node count is then the largest id plus one.
//!
//! ```text
//! c a comment
//! p sp 3 2
//! a 1 2 10
//! a 2 3 7
//! ```

use std::path::Path;

use super::road::{RoadGraph, RoadGraphError};

/// Reads a DIMACS-like arc list into a [`RoadGraph`] whose weights are the file's (unit "file").
///
/// # Errors
/// [`RoadGraphError::Io`] when unreadable; [`RoadGraphError::Parse`] naming the line for an
/// unknown line kind, a missing or non-integer field, a node id below 1 in a file with a `p`
/// line, an id outside the declared count, or a weight that does not fit `u32`; and the checks
/// of [`RoadGraph::new`] (a weight of `u32::MAX / 2` or more).
///
/// # Examples
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let g = corridor::routing::dimacs::read("../shared/data/graphs/bremen_time.gr".as_ref())?;
/// assert!(g.num_nodes() > 40_000);
/// # Ok(()) }
/// ```
pub fn read(path: &Path) -> Result<RoadGraph, RoadGraphError> {
    let text = std::fs::read_to_string(path).map_err(|e| RoadGraphError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    parse(path, &name, &text)
}

/// Parses the text of an arc list; `path` only names it in errors.
///
/// # Errors
/// As [`read`].
pub fn parse(path: &Path, name: &str, text: &str) -> Result<RoadGraph, RoadGraphError> {
    let err = |line: usize, problem: String| RoadGraphError::Parse {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let mut declared: Option<usize> = None;
    let mut arcs = Vec::new();
    let mut weights = Vec::new();
    let mut max_id = 0u64;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let mut fields = line.split_whitespace();
        let Some(kind) = fields.next() else { continue };
        let number = |fields: &mut std::str::SplitWhitespace<'_>,
                      what: &str|
         -> Result<u64, RoadGraphError> {
            let f = fields
                .next()
                .ok_or_else(|| err(line_no, format!("missing {what}")))?;
            f.parse::<u64>().map_err(|_| {
                err(
                    line_no,
                    format!("{what} `{f}` is not a non-negative integer"),
                )
            })
        };
        match kind {
            "c" => {}
            "p" => {
                if !arcs.is_empty() {
                    return Err(err(
                        line_no,
                        "the `p` line must come before the arcs".into(),
                    ));
                }
                let _ = fields.next(); // the problem kind, "sp"
                let n = number(&mut fields, "node count")?;
                declared = Some(n as usize);
            }
            "a" => {
                let from = number(&mut fields, "tail")?;
                let to = number(&mut fields, "head")?;
                let w = number(&mut fields, "weight")?;
                let w = u32::try_from(w)
                    .map_err(|_| err(line_no, format!("weight {w} does not fit u32")))?;
                let base = u64::from(declared.is_some());
                for id in [from, to] {
                    if id < base {
                        return Err(err(
                            line_no,
                            format!("node {id}: ids start at 1 after a `p` line"),
                        ));
                    }
                    if let Some(n) = declared {
                        if id > n as u64 {
                            return Err(err(
                                line_no,
                                format!("node {id} is above the declared count {n}"),
                            ));
                        }
                    }
                    if id - base >= u32::MAX as u64 - 1 {
                        return Err(err(line_no, format!("node {id} does not fit u32 ids")));
                    }
                }
                max_id = max_id.max(from - base).max(to - base);
                arcs.push(((from - base) as u32, (to - base) as u32));
                weights.push(w);
            }
            other => {
                return Err(err(
                    line_no,
                    format!("unknown line kind `{other}` (expected a, p or c)"),
                ))
            }
        }
    }
    let n = declared.unwrap_or(if arcs.is_empty() {
        0
    } else {
        max_id as usize + 1
    });
    RoadGraph::new(name, n, arcs, weights, None, "file")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_id_bases_and_names_bad_lines() {
        let p = Path::new("x.gr");
        let g = parse(p, "x", "c hi\np sp 3 2\na 1 2 10\na 2 3 7\n").unwrap();
        assert_eq!((g.num_nodes(), g.arcs()), (3, &[(0, 1), (1, 2)][..]));
        let g = parse(p, "x", "a 0 2 10\n\na 2 1 7\n").unwrap();
        assert_eq!((g.num_nodes(), g.weights()), (3, &[10, 7][..]));
        let e = parse(p, "x", "a 0 1 5\na 1 x 3\n").unwrap_err().to_string();
        assert!(e.contains("x.gr:2") && e.contains("head `x`"), "{e}");
        let e = parse(p, "x", "p sp 2 1\na 1 3 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("above the declared count"), "{e}");
        let e = parse(p, "x", "e 1 2\n").unwrap_err().to_string();
        assert!(e.contains("unknown line kind"), "{e}");
    }
}
