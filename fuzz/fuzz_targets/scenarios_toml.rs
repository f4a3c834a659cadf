//! Fuzz `scenarios.toml` against the tiny fixture network: a parse resolves every scenario
//! without panicking (bases and includes are acyclic), or returns errors.
#![no_main]

use std::path::Path;

use corridor::scenario::Scenarios;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let net = common::tiny_network();
    if let Ok(scenarios) = Scenarios::parse(Path::new("scenarios.toml"), text, net) {
        for id in scenarios.ids() {
            let resolved = scenarios.resolve(net, id).expect("a listed scenario resolves");
            assert_eq!(resolved.link_open.len(), net.links.len());
        }
    }
});
