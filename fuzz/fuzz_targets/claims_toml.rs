//! Fuzz `claims.toml` against fixed route and scenario ids: every claim that parses names only
//! known routes and scenarios, and a `via` test names places.
#![no_main]

use std::path::Path;

use corridor::analysis::claims::{parse_claims, ClaimTest};
use libfuzzer_sys::fuzz_target;

const ROUTES: [&str; 2] = ["a-c-rail", "a-c-any"];
const SCENARIOS: [&str; 4] = ["base", "open-line", "open-road", "both"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(claims) = parse_claims(Path::new("claims.toml"), text, &ROUTES, &SCENARIOS) {
        for c in claims {
            assert!(!c.routes.is_empty() && !c.scenarios.is_empty());
            assert!(c.routes.iter().all(|r| ROUTES.contains(&r.as_str())));
            assert!(c.scenarios.iter().all(|s| SCENARIOS.contains(&s.as_str())));
            assert!(SCENARIOS.contains(&c.baseline.as_str()));
            assert!(c.test != ClaimTest::Via || !c.via.is_empty());
        }
    }
});
