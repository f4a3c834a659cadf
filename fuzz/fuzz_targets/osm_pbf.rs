//! Fuzz the OSM PBF import on bytes in memory (`osm::import_bytes`, the same code as a file
//! import): an import gives a consistent network or an error, never a panic of corridor's own.
//!
//! The third-party decoder (`osmpbf` and its `protobuf`) may panic on some corrupt blocks; the
//! importer catches that and reports the block as corrupt. libFuzzer's panic hook would abort
//! first, so the hook installed here lets panics raised inside those crates unwind to that catch
//! (one that escaped it would still abort in libFuzzer's own catch) and aborts on any other.
#![no_main]

use std::path::Path;

use corridor::network::osm::{import_bytes, OsmOptions, Resolution};
use corridor::network::Country;
use libfuzzer_sys::fuzz_target;

fn init() {
    let abort_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_decoder = info
            .location()
            .is_some_and(|l| l.file().contains("/osmpbf-") || l.file().contains("/protobuf-"));
        if !in_decoder {
            abort_hook(info);
        }
    }));
}

fuzz_target!(init: init(), |data: &[u8]| {
    let Some(country) = Country::parse("IM") else { return };
    let mut options = OsmOptions::new(country);
    // The last byte picks the resolution, so that all three graph builders are exercised.
    options.resolution = match data.last().map_or(0, |b| b % 3) {
        0 => Resolution::Simplified,
        1 => Resolution::Ways,
        _ => Resolution::Full,
    };
    if let Ok(imported) = import_bytes(Path::new("fuzz.osm.pbf"), data, &options) {
        let net = &imported.network;
        for link in &net.links {
            assert!(link.from.index() < net.nodes.len());
            assert!(link.to.index() < net.nodes.len());
            assert!(link.geometry.len() >= 2);
            assert!(
                link.length_km.is_finite() && link.length_km >= 0.0,
                "{} km: {:?}",
                link.length_km,
                link.geometry
            );
        }
        // What the import writes, the cache reads back.
        let bytes = corridor::network::cache::encode(net);
        let back = corridor::network::cache::decode(&bytes).expect("a fresh cache decodes");
        assert_eq!(back.nodes.len(), net.nodes.len());
        assert_eq!(back.links.len(), net.links.len());
    }
});
