//! `corridor synth`: a synthetic grid written as a data folder loads and checks clean (no error,
//! no warning), byte-identical for the same seed; synthetic projects over it (and over an
//! imported folder) check clean, and `restore` finds exactly the restorations they were built
//! with (each route's note names them).

use std::path::Path;

use serde_json::Value;

use crate::common::corridor;

/// Runs `corridor ARGS`, asserting success; returns standard output and standard error.
fn ok(args: &[&str]) -> (String, String) {
    let out = corridor().args(args).output().expect("run corridor");
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "corridor {args:?} failed:\n{o}\n{e}");
    (o, e)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

/// `check` exits 0 and warns of nothing.
fn checks_clean(dir: &Path) {
    let (o, e) = ok(&["--data", s(dir), "check"]);
    assert!(!e.contains("warning"), "{}: {e}", dir.display());
    assert!(o.contains("warnings: 0"), "{o}");
}

/// Each route's `note` ("synthetic: restored by A + B") against what `restore` found: exactly
/// one minimal restoring set, those projects; a pair of them is a synergy.
fn restore_finds_what_was_built(dir: &Path, out: &Path) -> usize {
    let (json, _) = ok(&[
        "--data",
        s(dir),
        "--out",
        s(out),
        "--format",
        "json",
        "restore",
    ]);
    let found: Value = serde_json::from_str(&json).expect("restore JSON");
    let routes: toml::Table =
        toml::from_str(&std::fs::read_to_string(dir.join("routes.toml")).expect("routes.toml"))
            .expect("routes.toml parses");
    let routes = routes["route"].as_array().expect("routes");
    let results = found["routes"].as_array().expect("restore routes");
    assert_eq!(routes.len(), results.len());
    for (r, f) in routes.iter().zip(results) {
        assert_eq!(r["id"].as_str(), f["route"].as_str());
        let note = r["note"].as_str().expect("note");
        let needs: Vec<&str> = note
            .strip_prefix("synthetic: restored by ")
            .expect("a synthetic note")
            .split(" + ")
            .collect();
        assert!(
            f["base_cost"].is_null(),
            "{}: reachable in the base",
            r["id"]
        );
        let sets: Vec<Vec<&str>> = f["restoring_sets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|set| {
                set["projects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert_eq!(sets, vec![needs.clone()], "{}", r["id"]);
        let synergies = f["synergies"].as_array().unwrap();
        assert_eq!(
            synergies.len(),
            usize::from(needs.len() == 2),
            "{}",
            r["id"]
        );
    }
    routes.len()
}

#[test]
fn a_synthetic_grid_checks_clean_and_restore_finds_its_projects() {
    let tmp = tempfile::tempdir().unwrap();
    let (grid, again) = (tmp.path().join("grid"), tmp.path().join("again"));
    for dir in [&grid, &again] {
        ok(&[
            "--out",
            s(dir),
            "synth",
            "grid",
            "--nodes",
            "900",
            "--seed",
            "3",
            "--routes",
            "12",
        ]);
    }
    for f in [
        "nodes.geojson",
        "links.geojson",
        "scenarios.toml",
        "routes.toml",
        "README.md",
    ] {
        assert_eq!(
            std::fs::read(grid.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f} differs between two runs"
        );
    }
    checks_clean(&grid);
    // The pairs are for critical: it runs over them.
    ok(&[
        "--data",
        s(&grid),
        "--out",
        s(&tmp.path().join("crit")),
        "critical",
    ]);

    let projects = tmp.path().join("projects");
    ok(&[
        "--data",
        s(&grid),
        "--out",
        s(&projects),
        "synth",
        "projects",
        "--projects",
        "4",
        "--routes",
        "16",
        "--piece-nodes",
        "25",
        "--seed",
        "7",
    ]);
    let scenarios = std::fs::read_to_string(projects.join("scenarios.toml")).unwrap();
    assert!(scenarios.contains("synthetic: corridor synth projects"));
    assert_eq!(scenarios.matches("project = true").count(), 4);
    checks_clean(&projects);
    assert_eq!(
        restore_finds_what_was_built(&projects, &tmp.path().join("restore")),
        16
    );
    // The data folder it read is left as it was.
    assert!(std::fs::read_to_string(grid.join("scenarios.toml"))
        .unwrap()
        .contains("id = \"open\""));
}

#[test]
fn synth_refuses_bad_counts_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let grid = tmp.path().join("grid");
    for (args, needle) in [
        (vec!["synth", "grid", "--nodes", "2"], "4 to"),
        (
            vec!["synth", "grid", "--nodes", "9", "--country", "XX"],
            "XX",
        ),
    ] {
        let mut all = vec!["--out", s(&grid)];
        all.extend(args);
        let out = corridor().args(&all).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{all:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(needle));
    }
    ok(&[
        "--out",
        s(&grid),
        "synth",
        "grid",
        "--nodes",
        "100",
        "--routes",
        "2",
    ]);
    let out = corridor()
        .args([
            "--data",
            s(&grid),
            "--out",
            s(&tmp.path().join("p")),
            "synth",
            "projects",
            "--projects",
            "65",
            "--routes",
            "1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("64"));
}

#[test]
fn synthetic_projects_on_the_isle_of_man_import_restore_as_built() {
    let tmp = tempfile::tempdir().unwrap();
    let (imported, projects) = (tmp.path().join("im"), tmp.path().join("projects"));
    let pbf = crate::common::shared_osm().join("isle_of_man_2020-03-14.osm.pbf");
    ok(&[
        "import",
        "osm",
        s(&pbf),
        "--country",
        "IM",
        "--road",
        "--out",
        s(&imported),
    ]);
    ok(&[
        "--data",
        s(&imported),
        "--out",
        s(&projects),
        "synth",
        "projects",
        "--projects",
        "3",
        "--routes",
        "8",
        "--piece-nodes",
        "10",
        "--seed",
        "2",
    ]);
    // The import's own files come along unchanged.
    for f in ["nodes.geojson", "links.geojson", "network.bin", "README.md"] {
        assert_eq!(
            std::fs::read(imported.join(f)).unwrap(),
            std::fs::read(projects.join(f)).unwrap(),
            "{f}"
        );
    }
    ok(&["--data", s(&projects), "check"]);
    assert_eq!(
        restore_finds_what_was_built(&projects, &tmp.path().join("restore")),
        8
    );
}

#[test]
fn a_folder_with_only_network_bin_loads_the_same_network_and_answers() {
    use corridor::network::cache;
    use corridor::network::load::data_files;
    use corridor::scenario::Dataset;
    let tmp = tempfile::tempdir().unwrap();
    let (geo, bin) = (tmp.path().join("geo"), tmp.path().join("bin"));
    ok(&[
        "--out",
        s(&geo),
        "synth",
        "grid",
        "--nodes",
        "900",
        "--routes",
        "6",
    ]);
    std::fs::create_dir_all(&bin).unwrap();
    let from_geo = Dataset::load(&geo).unwrap();
    std::fs::write(bin.join("network.bin"), cache::encode(&from_geo.network)).unwrap();
    for f in ["scenarios.toml", "routes.toml"] {
        std::fs::copy(geo.join(f), bin.join(f)).unwrap();
    }
    let from_bin = Dataset::load(&bin).unwrap();
    assert_eq!(from_geo.network.nodes, from_bin.network.nodes);
    assert_eq!(from_geo.network.links, from_bin.network.links);
    // The cache is what the folder's inputs are hashed from (sharded runs compare them).
    assert_eq!(data_files(&bin)[0], bin.join("network.bin"));
    assert!(!data_files(&geo).contains(&geo.join("network.bin")));
    checks_clean(&bin);
    let answers = |dir: &Path| {
        let out = dir.join("out");
        ok(&["--data", s(dir), "--out", s(&out), "critical"]);
        std::fs::read(out.join("critical.csv")).unwrap()
    };
    assert_eq!(answers(&geo), answers(&bin));
}
