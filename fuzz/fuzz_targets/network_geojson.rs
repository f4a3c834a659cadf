//! Fuzz `nodes.geojson` + `links.geojson`: the input is the two files' texts separated by a NUL
//! byte (without one, the input is the nodes file and the tiny fixture's links are used). A parse
//! either succeeds with a consistent network or returns errors; it never panics.
#![no_main]

use std::path::Path;

use corridor::network::{parse_network, CostModel};
use libfuzzer_sys::fuzz_target;

const LINKS: &str = include_str!("../../tests/fixtures/tiny/links.geojson");

fuzz_target!(|data: &[u8]| {
    let (nodes, links) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, LINKS.as_bytes()),
    };
    let (Ok(nodes), Ok(links)) = (std::str::from_utf8(nodes), std::str::from_utf8(links)) else {
        return;
    };
    let costs = CostModel::default();
    if let Ok((network, _warnings)) = parse_network(
        Path::new("nodes.geojson"),
        nodes,
        Path::new("links.geojson"),
        links,
        &costs,
    ) {
        // A network that loads is consistent: every link's ends exist, lengths are positive.
        for link in &network.links {
            assert!(link.from.index() < network.nodes.len());
            assert!(link.to.index() < network.nodes.len());
            assert!(link.length_km > 0.0 && link.length_km.is_finite());
            assert!(link.geometry.len() >= 2);
        }
        for id in network.node_ids() {
            assert_eq!(network.node_id(&network.node(id).id), Some(id));
        }
    }
});
