//! A road graph as plain text for peer routing tools (`corridor bench --export DIR`), so that
//! they answer the same queries on the same graph.

use std::fmt::Write as _;
use std::path::Path;

use crate::routing::road::RoadGraph;

use super::{write_atomic, OutputError};

/// Writes `DIR/graph.txt` (`n m`, then one `tail head weight` line per arc, ids from 0),
/// `DIR/queries.txt` (`source target` per line) and, when the graph has coordinates,
/// `DIR/coords.txt` (`x y` per node), creating `dir`; each file atomically.
///
/// # Errors
/// [`OutputError::Io`] naming the folder or file that cannot be written.
pub fn write_peer_graph(
    graph: &RoadGraph,
    dir: &Path,
    queries: &[(u32, u32)],
) -> Result<(), OutputError> {
    std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut text = String::with_capacity(graph.num_arcs() * 20);
    let _ = writeln!(text, "{} {}", graph.num_nodes(), graph.num_arcs());
    for (&(t, h), &w) in graph.arcs().iter().zip(graph.weights()) {
        let _ = writeln!(text, "{t} {h} {w}");
    }
    write_atomic(&dir.join("graph.txt"), text.as_bytes())?;
    let mut text = String::with_capacity(queries.len() * 16);
    for &(s, t) in queries {
        let _ = writeln!(text, "{s} {t}");
    }
    write_atomic(&dir.join("queries.txt"), text.as_bytes())?;
    if let Some(coords) = graph.coords() {
        let mut text = String::with_capacity(coords.len() * 24);
        for p in coords {
            let _ = writeln!(text, "{} {}", p[0], p[1]);
        }
        write_atomic(&dir.join("coords.txt"), text.as_bytes())?;
    }
    Ok(())
}
