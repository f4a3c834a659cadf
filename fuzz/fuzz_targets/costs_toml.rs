//! Fuzz `costs.toml`: a parse gives finite, non-negative figures and positive speeds, or an error.
#![no_main]

use std::path::Path;

use corridor::network::{CostModel, Mode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(costs) = CostModel::parse(Path::new("costs.toml"), text) {
        for mode in Mode::ALL {
            assert!(costs.speed_kmh.get(mode) > 0.0 && costs.speed_kmh.get(mode).is_finite());
            assert!(costs.tariff_usd_per_tkm.get(mode) >= 0.0);
        }
    }
});
