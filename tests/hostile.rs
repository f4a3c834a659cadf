//! Hostile inputs, each answered by a clear error and exit 1 (or, where stated, accepted intact);
//! exit codes and messages; a closed standard output; inputs never written. Each test here is a
//! row of `docs/ROBUSTNESS.md`.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{corridor, fixture, root, tiny_with};
use crate::determinism::{args_of, snapshot, COMMANDS};

/// Runs corridor, expects exit 1, returns standard error.
fn fails(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .output()
        .expect("run corridor");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1\nstdout: {}\nstderr: {err}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!err.contains("panicked"), "{err}");
    // A note on the data's warnings may come first; the error is the rest.
    let at = err
        .find("error: ")
        .unwrap_or_else(|| panic!("no `error: ` line: {err}"));
    assert!(at == 0 || err[..at].ends_with('\n'), "{err}");
    err[at..].to_string()
}

fn check(dir: &Path) -> assert_cmd::Command {
    let mut cmd = corridor();
    cmd.arg("check").arg(dir);
    cmd
}

/// Replaces `from` by `to` in a file of a data folder (which must contain it).
fn patch(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn ids_that_are_paths_or_hold_control_characters_are_refused() {
    let cases = [
        (
            "scenarios.toml",
            r#"id = "open-line""#,
            r#"id = "../x""#,
            "`../x`",
        ),
        (
            "scenarios.toml",
            r#"id = "open-line""#,
            r#"id = "/etc/x""#,
            "`/etc/x`",
        ),
        (
            "routes.toml",
            r#"id = "a-c-rail""#,
            r#"id = "a\u0000b""#,
            "`a\0b`",
        ),
        (
            "routes.toml",
            r#"id = "a-c-rail""#,
            r#"id = "a\u0007b""#,
            "`a\u{7}b`",
        ),
        ("routes.toml", r#"id = "a-c-rail""#, r#"id = "..""#, "`..`"),
    ];
    for (file, from, to, shown) in cases {
        let dir = tiny_with(None);
        patch(dir.path(), file, from, to);
        let out = dir.path().join("out");
        let err = fails(
            corridor()
                .arg("--data")
                .arg(dir.path())
                .arg("run")
                .arg("--out")
                .arg(&out),
        );
        assert!(err.contains("is not a valid id"), "{to}: {err}");
        assert!(err.contains(shown), "{to}: {err}");
        assert!(!out.exists() && !dir.path().join("x").exists());
    }
}

#[test]
fn a_layer_name_that_is_a_path_never_becomes_a_file_outside_out() {
    use corridor::output::{chart::OKABE_ITO, geojson::LinkMetricLayer, LayerSet};
    let data = corridor::scenario::Dataset::load(&fixture("tiny")).expect("tiny loads");
    let scratch = tempfile::tempdir().expect("temp");
    let out = scratch.path().join("out");
    let mut layers = LayerSet::new(&out, &data, &[]).expect("layers");
    for name in ["../escaped", "/tmp/escaped", "a\0b", "a\nb", ".hidden", ""] {
        let layer = LinkMetricLayer {
            name: name.into(),
            scenario: "base".into(),
            columns: vec![("flow".into(), vec![Some(1.0); data.network.links.len()])],
        };
        let err = layers
            .add_metric(&layer, "flow", OKABE_ITO[0])
            .expect_err(name)
            .to_string();
        assert!(err.contains("cannot be an output file name"), "{err}");
    }
    assert!(!scratch.path().join("escaped.geojson").exists());
}

#[test]
fn an_output_folder_that_is_a_file_or_read_only_or_under_a_file_is_refused() {
    let scratch = tempfile::tempdir().expect("temp");
    let file = scratch.path().join("file");
    std::fs::write(&file, "x").expect("write");
    let err = fails(corridor().args(["compare", "--out"]).arg(&file));
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(err.contains("caused by:"), "{err}");
    let err = fails(corridor().args(["compare", "--out"]).arg(file.join("sub")));
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "x");

    // Read-only by its mode bits, which also stop a run as root.
    use std::os::unix::fs::PermissionsExt;
    let ro = scratch.path().join("ro");
    std::fs::create_dir(&ro).expect("mkdir");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let err = fails(corridor().args(["compare", "--out"]).arg(&ro));
    assert!(err.contains("read-only"), "{err}");
    let err = fails(corridor().args(["compare", "--out"]).arg(ro.join("out")));
    assert!(err.contains("read-only"), "{err}");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).expect("chmod");

    // `.` names no folder of its own to swap in.
    let err = fails(corridor().args(["compare", "--out", "."]));
    assert!(err.contains("must be named"), "{err}");
}

#[test]
fn a_missing_parent_of_the_output_folder_is_refused() {
    let scratch = tempfile::tempdir().expect("temp");
    let out = scratch.path().join("a/b/c");
    let err = fails(corridor().args(["compare", "--out"]).arg(&out));
    assert!(
        err.contains("preparing the output folder") && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        err.contains(&scratch.path().join("a/b").display().to_string()),
        "{err}"
    );
    assert!(!scratch.path().join("a").exists(), "nothing is created");
}

#[test]
fn the_default_output_root_is_created_when_missing() {
    let scratch = tempfile::tempdir().expect("temp");
    corridor()
        .current_dir(scratch.path())
        .arg("--data")
        .arg(root().join("data/caucasus"))
        .arg("compare")
        .assert()
        .success();
    assert!(scratch.path().join("output/compare/compare.csv").is_file());
}

#[test]
fn the_data_folder_as_the_output_folder_is_refused() {
    let dir = tiny_with(None);
    let before = snapshot(dir.path());
    let err = fails(
        corridor()
            .arg("--data")
            .arg(dir.path())
            .arg("layers")
            .arg("--out")
            .arg(dir.path()),
    );
    assert!(err.contains("is the data folder"), "{err}");
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn a_symlink_as_the_output_folder_or_at_an_output_file_is_refused() {
    let scratch = tempfile::tempdir().expect("temp");
    let real = scratch.path().join("real");
    std::fs::create_dir(&real).expect("mkdir");
    let link = scratch.path().join("link");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let err = fails(corridor().args(["compare", "--out"]).arg(&link));
    assert!(err.contains("symbolic link"), "{err}");

    let out = scratch.path().join("out");
    corridor()
        .args(["compare", "--out"])
        .arg(&out)
        .assert()
        .success();
    let victim = scratch.path().join("victim.csv");
    std::fs::write(&victim, "keep me").expect("write");
    std::fs::remove_file(out.join("compare.csv")).expect("rm");
    std::os::unix::fs::symlink(&victim, out.join("compare.csv")).expect("symlink");
    let err = fails(corridor().args(["compare", "--out"]).arg(&out));
    assert!(
        err.contains("compare.csv") && err.contains("symbolic link"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");

    let geo = scratch.path().join("route.geojson");
    std::os::unix::fs::symlink(&victim, &geo).expect("symlink");
    let err = fails(
        corridor()
            .args(["route", "baku", "tbilisi", "--geojson"])
            .arg(&geo),
    );
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), "keep me");
}

#[test]
fn json_numbers_1e308_minus_zero_1e400_and_nan() {
    let cases = [
        (
            r#""speed_kmh": 50"#,
            r#""speed_kmh": 1e308"#,
            "1e308 is over 1000",
        ),
        (
            r#""length_km": 15.0"#,
            r#""length_km": 1e308"#,
            "1e308 is over 40075",
        ),
        (
            r#""length_km": 15.0"#,
            r#""length_km": -0"#,
            "-0 must be > 0",
        ),
        (
            r#""speed_kmh": 50"#,
            r#""speed_kmh": -0.0"#,
            "-0 must be > 0",
        ),
        (
            r#""length_km": 15.0"#,
            r#""length_km": 1e400"#,
            "number out of range",
        ),
        (
            r#""speed_kmh": 50"#,
            r#""speed_kmh": NaN"#,
            "malformed JSON",
        ),
        (
            "[[45.0, 41.0], [45.05",
            "[[45.0, 41.0], [1e308",
            "position [1e308, 41.06] is outside longitude",
        ),
    ];
    for (from, to, expect) in cases {
        let dir = tiny_with(None);
        patch(dir.path(), "links.geojson", from, to);
        let err = fails(&mut check(dir.path()));
        assert!(err.contains(expect), "{to}: {err}");
        assert!(err.len() < 2_000, "{to}: message of {} bytes", err.len());
    }
    // A costs.toml tariff of 1e308 would overflow every money cost to infinity.
    let dir = tiny_with(None);
    let costs = std::fs::read_to_string(dir.path().join("costs.toml")).expect("read");
    let line = costs
        .lines()
        .find(|l| l.trim_start().starts_with("rail ="))
        .expect("a rail = line");
    patch(dir.path(), "costs.toml", line, "rail = 1e308");
    let err = fails(&mut check(dir.path()));
    assert!(err.contains("1e308") || err.contains("100000000"), "{err}");
}

/// Positions along a straight line from (45.0, 41.0) to (45.1, 41.1), `n` of them.
fn long_line(n: usize) -> String {
    let mut s = String::with_capacity(n * 26);
    s.push('[');
    for i in 0..n {
        let t = i as f64 / (n - 1) as f64;
        if i > 0 {
            s.push(',');
        }
        s.push_str(&format!("[{:.7},{:.7}]", 45.0 + 0.1 * t, 41.0 + 0.1 * t));
    }
    s.push(']');
    s
}

#[test]
fn a_linestring_of_a_million_coordinates_loads_and_routes() {
    let dir = tiny_with(None);
    patch(
        dir.path(),
        "links.geojson",
        "[[45.0, 41.0], [45.05, 41.06], [45.1, 41.1]]",
        &long_line(1_000_000),
    );
    let started = std::time::Instant::now();
    check(dir.path()).assert().success();
    corridor()
        .arg("--data")
        .arg(dir.path())
        .args(["route", "a", "b", "--mode", "rail", "--format", "json"])
        .assert()
        .success();
    eprintln!("1e6 positions: check + route in {:?}", started.elapsed());
}

#[test]
fn deeply_nested_json_and_toml_are_refused_with_short_messages() {
    let dir = tiny_with(None);
    let deep = format!(
        r#"{{"type":"FeatureCollection","features":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("nodes.geojson"), deep).expect("write");
    let err = fails(&mut check(dir.path()));
    assert!(err.contains("recursion limit"), "{err}");

    let dir = tiny_with(None);
    let deep = format!(
        "[[scenario]]\nid = \"x\"\nname = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(dir.path().join("scenarios.toml"), deep).expect("write");
    let err = fails(&mut check(dir.path()));
    assert!(err.contains("scenarios.toml"), "{err}");
    assert!(
        err.len() < 4_000,
        "the error echoes the 200 000-character line: {} bytes",
        err.len()
    );
}

#[test]
fn a_200_mb_input_is_refused_by_the_size_limit() {
    for file in ["links.geojson", "scenarios.toml"] {
        let dir = tiny_with(None);
        // Sparse: the limit is checked on the size before any byte is read.
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join(file))
            .expect("open");
        f.set_len(200_000_000).expect("grow");
        drop(f);
        let err = fails(&mut check(dir.path()));
        assert!(
            err.contains(file) && err.contains("200000000 bytes is over the 134217728 byte limit"),
            "{err}"
        );
    }
}

#[test]
fn names_with_combining_marks_are_kept_intact_in_outputs() {
    // "Gyumri" with u + combining acute, "Nakhchivan" with a + combining ring: NFD forms.
    let name = "Gyu\u{301}mri Na\u{30a}kh";
    let dir = tiny_with(None);
    patch(
        dir.path(),
        "nodes.geojson",
        "\"Alpha\"",
        &format!("\"{name}\""),
    );
    let out = dir.path().join("layers");
    corridor()
        .arg("--data")
        .arg(dir.path())
        .arg("layers")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(out.join("nodes.geojson")).expect("read");
    assert!(text.contains(name), "the name changed in nodes.geojson");
    let route = corridor()
        .arg("--data")
        .arg(dir.path())
        .args(["route", "a", "b", "--format", "json"])
        .output()
        .expect("route");
    assert!(route.status.success());
    assert!(String::from_utf8_lossy(&route.stdout).contains(name));
}

#[test]
fn crlf_toml_reads_exactly_like_lf() {
    let answer = |dir: &Path| {
        let out = corridor()
            .arg("--data")
            .arg(dir)
            .args(["compare", "--format", "json", "--out"])
            .arg(dir.join("out"))
            .output()
            .expect("compare");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let lf = tiny_with(None);
    let crlf = tiny_with(None);
    for file in ["costs.toml", "scenarios.toml", "routes.toml"] {
        let text = std::fs::read_to_string(crlf.path().join(file)).expect("read");
        assert!(!text.contains('\r'));
        std::fs::write(crlf.path().join(file), text.replace('\n', "\r\n")).expect("write");
    }
    assert_eq!(answer(lf.path()), answer(crlf.path()));
}

#[test]
fn duplicate_keys_are_refused() {
    let dir = tiny_with(None);
    patch(
        dir.path(),
        "links.geojson",
        r#""status": "closed""#,
        r#""status": "closed", "status": "open""#,
    );
    let err = fails(&mut check(dir.path()));
    assert!(
        err.contains("links.geojson:4:") && err.contains("duplicate key `status`"),
        "{err}"
    );
    let dir = tiny_with(None);
    patch(
        dir.path(),
        "scenarios.toml",
        "name = \"Base\"",
        "name = \"Base\"\nname = \"Again\"",
    );
    let err = fails(&mut check(dir.path()));
    assert!(err.contains("duplicate key"), "{err}");
}

#[test]
fn a_million_bad_features_print_fifty_errors_and_a_count() {
    let dir = tiny_with(None);
    let feature = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[45,41]},"properties":{"id":"BAD"}}"#;
    let features = vec![feature; 2_000].join(",");
    std::fs::write(
        dir.path().join("nodes.geojson"),
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#),
    )
    .expect("write");
    let err = fails(&mut check(dir.path()));
    assert!(err.contains("more"), "{err}");
    assert!(err.lines().count() < 60, "{} lines", err.lines().count());
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    let out = corridor().arg("--no-such-flag").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = corridor().arg("frobnicate").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = corridor().arg("--help").output().expect("run");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn errors_print_the_cause_chain_and_a_backtrace_only_when_asked() {
    let scratch = tempfile::tempdir().expect("temp");
    let file = scratch.path().join("file");
    std::fs::write(&file, "x").expect("write");
    let err = fails(
        corridor()
            .env_remove("RUST_BACKTRACE")
            .env_remove("RUST_LIB_BACKTRACE")
            .args(["compare", "--out"])
            .arg(&file),
    );
    assert!(
        err.starts_with("error: preparing the output folder"),
        "{err}"
    );
    assert!(err.contains("\n  caused by: "), "{err}");
    // Each cause once, though the error's message already quotes its source.
    assert_eq!(err.matches("is a file, not a folder").count(), 1, "{err}");
    assert!(!err.contains("backtrace"), "{err}");
    let out = corridor()
        .env("RUST_BACKTRACE", "1")
        .args(["compare", "--out"])
        .arg(&file)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\nbacktrace:\n"), "{err}");
}

#[test]
fn a_closed_standard_output_ends_every_command_quietly_with_0() {
    let binary = assert_cmd::cargo::cargo_bin("corridor");
    for (line, _) in COMMANDS {
        let scratch = tempfile::tempdir().expect("temp");
        let mut child = Command::new(&binary)
            .current_dir(root())
            .args(args_of(line))
            .arg("--out")
            .arg(scratch.path().join("out"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take()); // the reader goes away before anything is printed
        let out = child.wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "corridor {line}: {err}");
        assert!(
            !err.contains("error") && !err.contains("panicked"),
            "corridor {line}: {err}"
        );
    }
}

#[test]
fn inputs_are_never_written() {
    use std::os::unix::fs::PermissionsExt;
    let data = tiny_with(None);
    for entry in std::fs::read_dir(data.path()).expect("read") {
        let p = entry.expect("entry").path();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    }
    let stamp = |dir: &Path| -> Vec<(String, std::time::SystemTime, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .expect("read")
            .map(|e| {
                let p = e.expect("entry").path();
                let m = std::fs::metadata(&p).expect("meta");
                (
                    p.display().to_string(),
                    m.modified().expect("mtime"),
                    std::fs::read(&p).expect("read"),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = stamp(data.path());
    let scratch = tempfile::tempdir().expect("temp");
    for command in ["check", "layers", "compare", "restore", "critical", "run"] {
        corridor()
            .arg("--data")
            .arg(data.path())
            .arg(command)
            .arg("--out")
            .arg(scratch.path().join(command))
            .assert()
            .success();
    }
    // An import whose --out holds its own input: the input is carried over, never rewritten.
    let osm = scratch.path().join("osm");
    std::fs::create_dir(&osm).expect("mkdir");
    let pbf = osm.join("tiny.osm.pbf");
    std::fs::copy(fixture("osm/tiny.osm.pbf"), &pbf).expect("copy");
    std::fs::set_permissions(&pbf, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let pbf_before = stamp(&osm);
    corridor()
        .args(["import", "osm"])
        .arg(&pbf)
        .args(["--country", "GB", "--out"])
        .arg(&osm)
        .assert()
        .success();
    assert_eq!(stamp(data.path()), before);
    let pbf_after: Vec<_> = stamp(&osm)
        .into_iter()
        .filter(|(p, _, _)| p.ends_with("tiny.osm.pbf"))
        .collect();
    assert_eq!(pbf_after, pbf_before);
}

#[test]
fn osm_import_from_bytes_equals_the_import_from_the_file() {
    use corridor::network::osm::{import, import_bytes, OsmOptions};
    let path = fixture("osm/tiny.osm.pbf");
    let bytes = std::fs::read(&path).expect("read");
    let options = OsmOptions::new(corridor::network::Country::parse("GB").expect("GB"));
    let a = import(&path, &options).expect("file import");
    let b = import_bytes(&path, &bytes, &options).expect("bytes import");
    let enc = corridor::network::cache::encode;
    assert_eq!(enc(&a.network), enc(&b.network));
    assert_eq!(a.network.links.len(), 3);
    let err = import_bytes(&path, &bytes[..300], &options)
        .expect_err("truncated")
        .to_string();
    assert!(err.contains("truncated"), "{err}");
}

// Regressions found by the fuzzers (`fuzz/`): each input is kept in `tests/fixtures/fuzz/` and in
// the target's corpus.

/// Every link of an import has a finite, non-negative length and a geometry of two positions.
fn assert_sound(net: &corridor::network::Network) {
    for link in &net.links {
        assert!(
            link.length_km.is_finite() && link.length_km >= 0.0,
            "{link:?}"
        );
        assert!(link.geometry.len() >= 2, "{link:?}");
        for p in &link.geometry {
            assert!(p.lon.abs() <= 180.0 && p.lat.abs() <= 90.0, "{link:?}");
        }
    }
}

#[test]
fn osm_out_of_range_coordinates_are_left_out() {
    // osm_pbf: a mutated granularity put a node at a latitude beyond 90, giving a NaN length;
    // then one at i32::MIN micro-degrees, whose `abs` overflowed past the range check.
    use corridor::network::osm::{import_bytes, OsmOptions, Resolution};
    for (file, resolution) in [
        "osm-out-of-range-coordinates.osm.pbf",
        "osm-saturated-latitude.osm.pbf",
    ]
    .iter()
    .flat_map(|f| [Resolution::Simplified, Resolution::Ways, Resolution::Full].map(|r| (f, r)))
    {
        let bytes = std::fs::read(fixture("fuzz").join(file)).expect("read");
        let mut options = OsmOptions::new(corridor::network::Country::parse("IM").expect("IM"));
        options.resolution = resolution;
        match import_bytes(Path::new("fuzzed.osm.pbf"), &bytes, &options) {
            Ok(imported) => assert_sound(&imported.network),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn osm_a_way_twice_is_imported_once() {
    // osm_pbf: a way id twice in the file gave two links with one id; the cache written beside
    // the GeoJSON then did not read back ("duplicate link id").
    use corridor::network::osm::{import_bytes, OsmOptions};
    let bytes = std::fs::read(fixture("fuzz/osm-way-twice.osm.pbf")).expect("read");
    let options = OsmOptions::new(corridor::network::Country::parse("IM").expect("IM"));
    if let Ok(imported) = import_bytes(Path::new("fuzzed.osm.pbf"), &bytes, &options) {
        assert_sound(&imported.network);
        let cache = corridor::network::cache::encode(&imported.network);
        corridor::network::cache::decode(&cache).expect("the cache reads back");
        let mut ids: Vec<&str> = imported
            .network
            .links
            .iter()
            .map(|l| l.id.as_str())
            .collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate link ids");
    }
}

#[test]
fn osm_a_decoder_panic_is_a_corrupt_block_error() {
    // osm_pbf: an unknown enum value in a block panics inside the protobuf decoder; the importer
    // turns it into an error naming the block, and the command prints no panic message.
    use corridor::network::osm::{import_bytes, OsmOptions};
    let path = fixture("fuzz/osm-bad-enum-in-block.osm.pbf");
    let bytes = std::fs::read(&path).expect("read");
    let options = OsmOptions::new(corridor::network::Country::parse("IM").expect("IM"));
    if let Ok(imported) = import_bytes(Path::new("fuzzed.osm.pbf"), &bytes, &options) {
        assert_sound(&imported.network);
    }
    let scratch = tempfile::tempdir().expect("temp");
    let out = corridor()
        .args(["import", "osm"])
        .arg(&path)
        .args(["--country", "IM", "--out"])
        .arg(scratch.path().join("out"))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    if !out.status.success() {
        assert!(err.contains("corrupt PBF: block"), "{err}");
    }
}

#[test]
fn absurd_counts_are_refused_and_a_missing_graph_file_is_named_once() {
    let absurd: [(&[&str], &str); 4] = [
        (
            &["bench", "--synthetic", "99999999999"],
            "--synthetic 99999999999: at most 16000000 nodes",
        ),
        (
            &["bench", "--synthetic", "100", "--queries", "99999999999"],
            "--queries 99999999999: from 1 to 10000000",
        ),
        (
            &["simulate", "--draws", "99999999999"],
            "--draws 99999999999: at most 10000000",
        ),
        (
            &["route", "baku", "tbilisi", "--alternatives", "99999999999"],
            "--alternatives 99999999999: at most 100",
        ),
    ];
    for (args, expected) in absurd {
        let err = fails(corridor().args(args));
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let scratch = tempfile::tempdir().expect("temp");
    let missing = scratch.path().join("none.gr");
    let err = fails(corridor().args(["bench", "--dimacs"]).arg(&missing));
    let name = missing.display().to_string();
    assert_eq!(err.matches(&name).count(), 1, "{err}");
    assert!(err.contains("cannot read"), "{err}");
}
