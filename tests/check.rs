//! `corridor check`: summaries on good data, precise errors and exit 1 on bad data.

use crate::common::{corridor, fixture, tiny_with};

#[test]
fn check_accepts_the_tiny_fixture_and_prints_a_summary() {
    let dir = tiny_with(None);
    let out = corridor().arg("check").arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("4 places, 5 links"), "{stdout}");
    assert!(
        stdout.contains("rail 1 open / 0 closed; road 0 open / 1 closed"),
        "{stdout}"
    );
    assert!(
        stdout.contains("4 (2 projects); trade routes: 2"),
        "{stdout}"
    );
}

#[test]
fn check_json_summary_counts_links_by_mode_and_status() {
    let dir = tiny_with(None);
    let out = corridor()
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["nodes"], 4);
    assert_eq!(v["links"], 5);
    let rows = v["links_by_mode_status"].as_array().unwrap();
    let rail_closed = rows
        .iter()
        .find(|r| r["mode"] == "rail" && r["status"] == "closed")
        .unwrap();
    assert_eq!(rail_closed["links"], 1);
}

/// Each bad case: (folder under tests/fixtures/bad, fragments the error must contain).
const BAD_CASES: &[(&str, &[&str])] = &[
    ("malformed-json", &["nodes.geojson:3:", "malformed JSON"]),
    ("nan-coordinate", &["nodes.geojson:3:68", "malformed JSON"]),
    (
        "wrong-geometry-type",
        &[
            "nodes.geojson",
            "feature 1 (id `b`)",
            "`geometry`",
            "expected a Point, found a LineString",
        ],
    ),
    (
        "coordinate-out-of-range",
        &["nodes.geojson", "feature 3 (id `c`)", "`geometry`", "95"],
    ),
    (
        "missing-property",
        &[
            "links.geojson",
            "feature 2 (id `rail-bx-ab-c`)",
            "`mode`",
            "is required",
        ],
    ),
    (
        "mistyped-property",
        &[
            "links.geojson",
            "feature 0 (id `rail-a-b`)",
            "`speed_kmh`",
            "found string \"fast\"",
        ],
    ),
    (
        "duplicate-id",
        &["nodes.geojson", "duplicate id `a`", "features 0 and 1"],
    ),
    (
        "unknown-node",
        &[
            "links.geojson",
            "feature 1 (id `rail-b-bx-ab`)",
            "`to`",
            "unknown node id \"nowhere\"",
        ],
    ),
    (
        "geometry-off-node",
        &[
            "links.geojson",
            "feature 0 (id `rail-a-b`)",
            "`geometry`",
            "from node `b`",
            "tolerance 100 m",
        ],
    ),
    (
        "non-positive-length",
        &[
            "links.geojson",
            "(id `rail-a-b`)",
            "`length_km`",
            "0 must be > 0",
        ],
    ),
    (
        "negative-speed",
        &[
            "links.geojson",
            "(id `road-a-bx-ab`)",
            "`speed_kmh`",
            "-5 must be > 0",
        ],
    ),
    (
        "unknown-enum",
        &[
            "links.geojson",
            "(id `rail-b-bx-ab`)",
            "`status`",
            "unknown value \"opened\"",
        ],
    ),
    (
        "scenario-unknown-base",
        &[
            "scenarios.toml",
            "scenario `open-line`",
            "`base`",
            "unknown scenario \"bsae\"",
        ],
    ),
    (
        "scenario-circular-base",
        &["scenarios.toml", "circular reference: base -> both -> base"],
    ),
    (
        "scenario-unknown-link",
        &[
            "scenarios.toml",
            "scenario `open-line`",
            "`open`",
            "\"rail-bx-ab-d\"",
        ],
    ),
    (
        "route-unknown-place",
        &[
            "routes.toml",
            "route `a-c-rail`",
            "`to`",
            "unknown place `Charly`",
            "closest: c",
        ],
    ),
    (
        "demand-unknown-place",
        &[
            "demand.csv:2:",
            "`destination`",
            "unknown place `Charly`",
            "closest: c",
        ],
    ),
    (
        "demand-bad-tonnes",
        &["demand.csv:3:", "`tonnes_per_year`", "-5 must be >= 0"],
    ),
    (
        "disruption-bad-probability",
        &[
            "disruptions.csv:2:",
            "`closure_probability`",
            "1.5 must be between 0 and 1",
        ],
    ),
    (
        "disruption-unknown-target",
        &[
            "disruptions.csv:2:",
            "`target`",
            "unknown link or crossing \"bx-ac:road\"",
            "closest places: bx-ab",
        ],
    ),
    (
        "capacity-not-a-crossing",
        &[
            "capacity.toml",
            "crossing `b`",
            "`mode`",
            "is not a border crossing with a rail crossing",
        ],
    ),
];

#[test]
fn check_rejects_every_bad_input_with_file_feature_and_field() {
    let bad_root = fixture("bad");
    let mut listed: Vec<&str> = BAD_CASES.iter().map(|(c, _)| *c).collect();
    listed.sort_unstable();
    let mut present: Vec<String> = std::fs::read_dir(&bad_root)
        .expect("tests/fixtures/bad exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    present.sort();
    assert_eq!(
        listed, present,
        "every bad fixture has expectations, and every expectation a fixture"
    );
    for (case, fragments) in BAD_CASES {
        let dir = tiny_with(Some(&bad_root.join(case)));
        let out = corridor().arg("check").arg(dir.path()).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "case {case}: exit code; stderr:\n{stderr}"
        );
        assert!(stderr.starts_with("error: "), "case {case}: {stderr}");
        assert!(
            !stderr.contains("panicked"),
            "case {case} panicked: {stderr}"
        );
        for f in *fragments {
            assert!(
                stderr.contains(f),
                "case {case}: missing {f:?} in:\n{stderr}"
            );
        }
    }
}

#[test]
fn check_of_a_missing_folder_names_it() {
    let out = corridor()
        .args(["check", "no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no/such/folder") && stderr.contains("no such data folder"),
        "{stderr}"
    );
}

#[test]
fn unknown_arguments_are_usage_errors_with_exit_2() {
    let out = corridor().args(["check", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_accepts_the_bundled_data() {
    let out = corridor()
        .args(["check", "data/caucasus"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("data/caucasus  (ok)"), "{stdout}");
}

#[test]
fn the_data_readme_explains_every_length_warning() {
    let out = corridor()
        .args(["check", "data/caucasus"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let readme = std::fs::read_to_string(crate::common::root().join("data/caucasus/README.md"))
        .expect("data/caucasus/README.md");
    let mut missing = Vec::new();
    for line in stderr.lines().filter(|l| l.contains("% off the geometry")) {
        let id = line.split('`').nth(1).expect("warning names the link");
        if !readme.contains(&format!("`{id}`")) {
            missing.push(id.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "links warned about but not explained in the data README: {missing:?}"
    );
    let count = stderr
        .lines()
        .filter(|l| l.contains("% off the geometry"))
        .count();
    assert!(
        count <= MAX_LENGTH_WARNINGS,
        "{count} length warnings (at most {MAX_LENGTH_WARNINGS}):\n{stderr}"
    );
    assert!(!stderr.contains("straight piece"), "{stderr}");
}

/// The length warnings `corridor check data/caucasus` may report (55 before the shape points of
/// issue 15, 29 before the Armenian roads' shape points, 22 before the Davit Bek and Shurnukh
/// nodes were moved to their villages, 12 before the Tabriz lines were drawn along their
/// stations). Each is explained in the data README,
/// which says why the remaining ones need surveyed alignments or better node coordinates rather
/// than more towns.
const MAX_LENGTH_WARNINGS: usize = 10;

#[test]
fn scenarios_compose_as_diffs_over_their_base() {
    use corridor::network::Mode;
    use corridor::scenario::Dataset;
    let data = Dataset::load(&crate::common::fixture("tiny")).unwrap();
    let net = &data.network;
    let line = net.link_id("rail-bx-ab-c").unwrap();
    let bx = net.node_id("bx-ab").unwrap();
    let base = data.resolve("base").unwrap();
    assert!(!base.is_link_open(line));
    assert!(!base.is_crossing_open(bx, Mode::Road) && base.is_crossing_open(bx, Mode::Rail));
    assert_eq!(base.policy.len(), 1);
    let both = data.resolve("both").unwrap();
    assert!(both.is_link_open(line) && both.is_crossing_open(bx, Mode::Road));
    assert_eq!(both.changes.len(), 2);
    assert_eq!(both.changes[0].by, "open-line");
    assert_eq!(
        both.policy.len(),
        1,
        "includes bring their own rules, not their base's again"
    );
    let with = data
        .scenarios
        .resolve_with(net, "base", &["open-road"])
        .unwrap();
    assert_eq!(with.id, "base+open-road");
    assert!(with.is_crossing_open(bx, Mode::Road) && !with.is_link_open(line));
}
