//! `corridor import osm`: each shared extract imports into a folder that `corridor check` accepts,
//! with pinned counts; reloads (cache and GeoJSON) equal the import; output bytes are
//! deterministic; bad input fails with exit 1 and a message naming the file.

use std::path::Path;

use corridor::network::osm::{self, OsmOptions};
use corridor::network::{cache, load_network, CostModel, Country};

use crate::common::{corridor, fixture, shared_osm};

/// Imports `file` with `args` into a new temporary folder; returns the folder and the import's
/// JSON summary.
fn import(file: &str, args: &[&str]) -> (tempfile::TempDir, serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = corridor()
        .args(["import", "osm"])
        .arg(shared_osm().join(file))
        .args(args)
        .args(["--format", "json", "--out"])
        .arg(dir.path())
        .output()
        .expect("run corridor");
    assert!(
        out.status.success(),
        "import of {file} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = serde_json::from_slice(&out.stdout).expect("JSON summary");
    (dir, summary)
}

fn check_json(dir: &Path) -> serde_json::Value {
    let out = corridor()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run corridor check");
    assert!(
        out.status.success(),
        "corridor check rejects the import:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON summary")
}

/// Imports, checks, and compares the counts with the pinned ones: (nodes, links, km, border
/// crossings).
fn pinned(file: &str, args: &[&str], expect: (u64, u64, f64, u64)) {
    let (dir, summary) = import(file, args);
    let check = check_json(dir.path());
    let got = (
        summary["nodes"].as_u64().unwrap_or(0),
        summary["links"].as_u64().unwrap_or(0),
        summary["km"].as_f64().unwrap_or(0.0),
        summary["border_crossings"].as_u64().unwrap_or(0),
    );
    assert_eq!(got, expect, "{file} {args:?}: {summary:#}");
    assert_eq!(check["nodes"], summary["nodes"]);
    assert_eq!(check["links"], summary["links"]);
    assert_eq!(check["total_km"], summary["km"]);
    for f in ["nodes.geojson", "links.geojson", "README.md", "network.bin"] {
        assert!(dir.path().join(f).is_file(), "{f} missing");
    }
}

#[test]
fn isle_of_man_imports_and_checks() {
    pinned(
        "isle_of_man_2020-03-14.osm.pbf",
        &["--country", "IM"],
        (845, 1133, 573.4, 0),
    );
}

/// The extract's Monaco land outline is whole; France's boundary is cut. Places outside Monaco
/// are French (`--country FR`), and every road and rail crossing of the frontier gets a node.
#[test]
fn monaco_imports_with_its_border_crossings() {
    pinned(
        "monaco.osm.pbf",
        &["--country", "FR"],
        (549, 732, 192.2, 45),
    );
}

#[test]
fn helsinki_imports_and_checks() {
    pinned(
        "Helsinki.osm.pbf",
        &["--country", "FI"],
        (206, 269, 26.7, 0),
    );
}

/// The full-resolution road graph of routing benchmarks: every node of every highway.
#[test]
fn isle_of_man_full_resolution_road_graph() {
    pinned(
        "isle_of_man_2020-03-14.osm.pbf",
        &[
            "--country",
            "IM",
            "--road",
            "--all-roads",
            "--resolution",
            "full",
        ],
        (72805, 75877, 2169.0, 0),
    );
}

#[test]
fn rail_only_import_keeps_only_rail() {
    let (_dir, s) = import("Helsinki.osm.pbf", &["--country", "FI", "--rail"]);
    assert_eq!(s["road"]["links"], 0);
    assert!(s["rail"]["links"].as_u64().unwrap_or(0) > 0, "{s:#}");
}

#[test]
fn reloads_from_cache_and_geojson_equal_the_import() {
    let path = shared_osm().join("monaco.osm.pbf");
    let country = Country::parse("FR").expect("country");
    let imported = osm::import(&path, &OsmOptions::new(country)).expect("import");
    let dir = tempfile::tempdir().expect("temp dir");
    osm::write_data_folder(&imported, dir.path()).expect("write");
    let cached = cache::read(&dir.path().join("network.bin")).expect("cache reload");
    assert_eq!(cached.nodes, imported.network.nodes);
    assert_eq!(cached.links, imported.network.links);
    // The folder loads from the cache, which stands for its GeoJSON ...
    let (_, provenance) = cache::read_with(&dir.path().join("network.bin")).expect("cache");
    assert!(provenance.source.is_some());
    let (via_cache, warnings) =
        load_network(dir.path(), &CostModel::default()).expect("reload via the cache");
    assert!(warnings.is_empty(), "{warnings:?}");
    // ... and gives what parsing the GeoJSON alone gives.
    std::fs::remove_file(dir.path().join("network.bin")).expect("remove the cache");
    let (loaded, warnings) =
        load_network(dir.path(), &CostModel::default()).expect("GeoJSON reload");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(loaded.nodes, imported.network.nodes);
    assert_eq!(loaded.links, imported.network.links);
    assert_eq!(via_cache.nodes, loaded.nodes);
    assert_eq!(via_cache.links, loaded.links);
}

#[test]
fn reimport_gives_identical_bytes_and_leaves_the_input_alone() {
    let input_dir = tempfile::tempdir().expect("temp dir");
    let input = input_dir.path().join("Helsinki.osm.pbf");
    std::fs::copy(shared_osm().join("Helsinki.osm.pbf"), &input).expect("copy");
    let before = std::fs::read(&input).expect("read");
    let outs: Vec<tempfile::TempDir> = (0..2)
        .map(|_| {
            let out = tempfile::tempdir().expect("temp dir");
            corridor()
                .args(["import", "osm", "--country", "FI", "--out"])
                .arg(out.path())
                .arg(&input)
                .assert()
                .success();
            out
        })
        .collect();
    for f in ["nodes.geojson", "links.geojson", "README.md", "network.bin"] {
        let a = std::fs::read(outs[0].path().join(f)).expect("read");
        let b = std::fs::read(outs[1].path().join(f)).expect("read");
        assert!(a == b, "{f} differs between two imports");
    }
    assert_eq!(std::fs::read(&input).expect("read"), before);
    let left: Vec<_> = std::fs::read_dir(input_dir.path()).expect("list").collect();
    assert_eq!(left.len(), 1, "the import wrote beside its input");
    let leftovers: Vec<_> = std::fs::read_dir(outs[0].path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

/// Runs an import expected to fail; returns its standard error.
fn failing(file: &Path, extra: &[&str]) -> String {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = corridor()
        .args(["import", "osm"])
        .arg(file)
        .args(extra)
        .arg("--out")
        .arg(out_dir.path())
        .output()
        .expect("run corridor");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_input_fails_with_exit_1_naming_the_file() {
    let osm_fixtures = fixture("osm");
    let cases: Vec<(std::path::PathBuf, &[&str])> = vec![
        (
            osm_fixtures.join("garbage.osm.pbf"),
            &[
                "garbage.osm.pbf",
                "not an OSM PBF file",
                "blob header length",
            ],
        ),
        (
            osm_fixtures.join("truncated.osm.pbf"),
            &[
                "truncated.osm.pbf",
                "corrupt PBF: block 1",
                "truncated",
                "the file ends after",
            ],
        ),
        (
            osm_fixtures.join("missing.osm.pbf"),
            &["missing.osm.pbf", "cannot read"],
        ),
        (osm_fixtures.clone(), &["is a folder"]),
    ];
    for (file, fragments) in cases {
        let stderr = failing(&file, &["--country", "FI"]);
        for f in fragments {
            assert!(
                stderr.contains(f),
                "{}: {f:?} not in\n{stderr}",
                file.display()
            );
        }
    }
}

#[test]
fn corrupt_block_fails_naming_the_block() {
    let mut bytes = std::fs::read(shared_osm().join("monaco.osm.pbf")).expect("read");
    for b in &mut bytes[300_000..300_200] {
        *b ^= 0x5a;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("flipped.osm.pbf");
    std::fs::write(&file, bytes).expect("write");
    let stderr = failing(&file, &["--country", "FR"]);
    assert!(
        stderr.contains("flipped.osm.pbf: corrupt PBF: block"),
        "{stderr}"
    );
}

#[test]
fn options_are_checked_before_reading() {
    let file = shared_osm().join("Helsinki.osm.pbf");
    let stderr = failing(&file, &[]);
    assert!(stderr.contains("--country CC is required"), "{stderr}");
    let stderr = failing(&file, &["--country", "FIN"]);
    assert!(stderr.contains("not a two-letter"), "{stderr}");
    let stderr = failing(&file, &["--country", "FI", "--bbox", "25,60,24,61"]);
    assert!(stderr.contains("west must be less than east"), "{stderr}");
    let stderr = failing(&file, &["--country", "FI", "--bbox", "0,0,1,1"]);
    assert!(stderr.contains("none has two nodes"), "{stderr}");
}

/// Runs `corridor` with `args` and `--data dir`; standard output and error.
fn on_folder(dir: &Path, args: &[&str]) -> (String, String) {
    let out = corridor()
        .arg("--data")
        .arg(dir)
        .args(args)
        .output()
        .expect("run corridor");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "corridor {args:?} on {} failed:\n{stderr}",
        dir.display()
    );
    (stdout, stderr)
}

#[test]
fn critical_and_run_work_on_an_imported_folder() {
    // An import has no scenarios.toml, routes.toml or demand: the implicit `as-is` scenario,
    // pairs of the largest places, and a run that writes what applies and says what it skipped.
    let (dir, _) = import("isle_of_man_2020-03-14.osm.pbf", &["--country", "IM"]);
    let (check, _) = on_folder(dir.path(), &["check"]);
    assert!(check.contains("the implicit `as-is`"), "{check}");
    let out = tempfile::tempdir().expect("temp dir");
    let crit = out.path().join("critical");
    let (json, _) = on_folder(
        dir.path(),
        &[
            "critical",
            "--format",
            "json",
            "--out",
            crit.to_str().unwrap_or_default(),
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).expect("critical JSON");
    assert_eq!(v["scenario"], "as-is", "{v:#}");
    assert_eq!(v["pairs"], 20 * 19, "pairs of the 20 best connected places");
    assert!(crit.join("critical.csv").is_file());
    assert_styled_classes_cover_the_layer(&crit.join("criticality"));

    let run = out.path().join("run");
    let (text, _) = on_folder(
        dir.path(),
        &["run", "--out", run.to_str().unwrap_or_default()],
    );
    for stage in ["compare", "restore", "simulate", "claims"] {
        assert!(
            text.contains(&format!("skipped {stage}: ")),
            "{stage} not said skipped:\n{text}"
        );
    }
    for f in [
        "report.md",
        "manifest.json",
        "links.geojson",
        "criticality.geojson",
        "corridor.qgs",
        "map.png",
    ] {
        assert!(run.join(f).is_file(), "{f} missing from the run");
    }
    for f in [
        "compare.csv",
        "restore_sets.csv",
        "claims.json",
        "cost_by_scenario.png",
        "routes.geojson",
    ] {
        assert!(
            !run.join(f).exists(),
            "{f} written although its stage was skipped"
        );
    }
    let report = std::fs::read_to_string(run.join("report.md")).expect("report");
    assert!(report.contains("Skipped: no trade routes"), "{report}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    assert_eq!(manifest["scenarios"][0], "as-is");
    assert_eq!(manifest["skipped"].as_array().map(Vec::len), Some(4));
}

#[test]
fn bench_takes_a_tntp_network_without_trips() {
    let dir = tempfile::tempdir().expect("temp dir");
    let net = crate::common::shared_data("tntp").join("SiouxFalls_net.tntp");
    std::fs::copy(&net, dir.path().join("SiouxFalls_net.tntp")).expect("copy");
    let out = corridor()
        .args(["bench", "--queries", "20", "--tntp"])
        .arg(dir.path())
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .expect("run corridor");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `assign` still needs the demand, and says which file is missing.
    let out = corridor()
        .args(["assign", "--tntp"])
        .arg(dir.path())
        .output()
        .expect("run corridor");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SiouxFalls_trips.tntp"));
}

/// Every value of the styled column of a metric layer (`<base>.geojson`) falls in one of the
/// graduated classes of its style (`<base>.qml`): QGIS draws a value outside them with no symbol.
fn assert_styled_classes_cover_the_layer(base: &Path) {
    let qml = std::fs::read_to_string(base.with_extension("qml")).expect("style");
    let attr = |text: &str, key: &str| -> Vec<String> {
        text.split(&format!("{key}=\""))
            .skip(1)
            .filter_map(|t| t.split('"').next().map(String::from))
            .collect()
    };
    let field = attr(&qml, "attr")
        .into_iter()
        .next()
        .expect("a graduated field");
    let bound = |key| -> Vec<f64> {
        attr(&qml, key)
            .iter()
            .map(|v| v.parse().expect("a number"))
            .collect()
    };
    let (lower, upper) = (bound("lower"), bound("upper"));
    let layer: serde_json::Value =
        serde_json::from_slice(&std::fs::read(base.with_extension("geojson")).expect("layer"))
            .expect("GeoJSON");
    let features = layer["features"].as_array().expect("features");
    for f in features {
        if let Some(v) = f["properties"][&field].as_f64() {
            assert!(
                lower.iter().zip(&upper).any(|(a, b)| *a <= v && v <= *b),
                "{field} {v} of {} is in no class of {}",
                f["properties"]["id"],
                base.display()
            );
        }
    }
}
