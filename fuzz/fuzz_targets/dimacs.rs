//! Fuzz the DIMACS arc-list reader: a parse gives arcs whose ends are below the node count, or an
//! error naming the line.
#![no_main]

use std::path::Path;

use corridor::network::dimacs;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(g) = dimacs::parse(Path::new("graph.gr"), text) {
        for &(from, to, _) in &g.arcs {
            assert!(from < g.nodes && to < g.nodes, "arc {from} -> {to} of {} nodes", g.nodes);
        }
    }
});
