//! Fuzz `scenarios.toml` against the tiny fixture network: a parse resolves every scenario
//! without panicking (bases and includes are acyclic), or returns errors.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use corridor::network::{parse_network, CostModel, Network};
use corridor::scenario::Scenarios;
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
    if let Ok(scenarios) = Scenarios::parse(Path::new("scenarios.toml"), text, net) {
        for id in scenarios.ids() {
            let resolved = scenarios.resolve(net, id).expect("a listed scenario resolves");
            assert_eq!(resolved.link_open.len(), net.links.len());
        }
    }
});
