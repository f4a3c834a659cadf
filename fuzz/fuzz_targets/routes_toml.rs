//! Fuzz `routes.toml` against the tiny fixture network: every route that parses names existing
//! places and at least one mode.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use corridor::network::{parse_network, CostModel, Network};
use corridor::scenario::parse_routes;
use libfuzzer_sys::fuzz_target;

fn network() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| {
        parse_network(
            Path::new("nodes.geojson"),
            include_str!("../../tests/fixtures/tiny/nodes.geojson"),
            Path::new("links.geojson"),
            include_str!("../../tests/fixtures/tiny/links.geojson"),
            &CostModel::default(),
        )
        .expect("the tiny fixture loads")
        .0
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let net = network();
    if let Ok(routes) = parse_routes(Path::new("routes.toml"), text, net) {
        for r in routes {
            assert!(r.from.index() < net.nodes.len() && r.to.index() < net.nodes.len());
            assert!(!r.modes.is_empty());
        }
    }
});
