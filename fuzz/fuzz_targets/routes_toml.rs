//! Fuzz `routes.toml` against the tiny fixture network: every route that parses names existing
//! places and at least one mode.
#![no_main]

use std::path::Path;

use corridor::scenario::parse_routes;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let net = common::tiny_network();
    if let Ok(routes) = parse_routes(Path::new("routes.toml"), text, net) {
        for r in routes {
            assert!(r.from.index() < net.nodes.len() && r.to.index() < net.nodes.len());
            assert!(!r.modes.is_empty());
        }
    }
});
