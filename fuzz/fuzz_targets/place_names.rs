//! Fuzz what a user types for a place, against the tiny fixture network: a name in any script or
//! a `LAT,LON` position never panics; a match names a place of the network, a snapped position
//! lies within the radius; folding is idempotent and similarity stays in [0, 1].
#![no_main]

use corridor::names::{fold, romanize, similarity};
use corridor::network::{MatchKind, SNAP_RADIUS_KM};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let net = common::tiny_network();
    if let Ok(m) = net.resolve_place(text) {
        assert!(m.node.index() < net.nodes.len());
        if let MatchKind::Snapped { km } = m.how {
            assert!((0.0..=SNAP_RADIUS_KM).contains(&km), "{km}");
        }
    }
    let key = fold(text);
    assert_eq!(fold(&key), key, "folding twice changes {text:?}");
    let roman = romanize(&key);
    let s = similarity(&key, &roman);
    assert!((0.0..=1.0).contains(&s), "{s}");
});
