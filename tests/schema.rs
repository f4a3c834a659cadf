//! `output/README.md` is the schema of what corridor writes, checked both ways on a full
//! `corridor run`, `corridor critical`, `corridor simulate`, a `run` on the tiny fixture (which
//! skips stages, so that the manifest's `skipped` list has entries), `corridor route --out` and
//! `corridor check --out`:
//!
//! - written, so documented: every CSV column and GeoJSON property is a backticked name of the
//!   README (or matches a backticked template such as `status_<scenario>`); every key of every
//!   JSON file, at any depth, is a path of that file in the section *JSON keys at every depth*
//!   (`cells[].route`, `run.timings_s.<stage>`), or on the way to one;
//! - documented, so written: every property of a layer's table, every column of a CSV file's row
//!   in the tables of `run/`, `critical/`, `simulate/` and `--out DIR` (the backticked names
//!   outside parentheses), every JSON path of that section, and every such file, is written by
//!   one of the runs (policy penalties excepted: the bundled data has none).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::{corridor, fixture, root};

fn readme() -> String {
    std::fs::read_to_string(root().join("output/README.md")).expect("output/README.md")
}

/// Backticked names of the README (no spaces).
fn documented() -> BTreeSet<String> {
    readme()
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

/// Whether `field` matches the name or template `name` (`<...>` stands for one or more
/// characters).
fn matches(field: &str, name: &str) -> bool {
    if let (Some(a), Some(b)) = (name.find('<'), name.find('>')) {
        let (prefix, suffix) = (&name[..a], &name[b + 1..]);
        !suffix.contains('<')
            && field.len() > prefix.len() + suffix.len()
            && field.starts_with(prefix)
            && field.ends_with(suffix)
    } else {
        field == name
    }
}

/// Whether `field` is a documented name or matches a documented template with some literal
/// part (a bare `<unit>` names a placeholder, not a field).
fn is_documented(field: &str, names: &BTreeSet<String>) -> bool {
    names
        .iter()
        .filter(|n| !(n.starts_with('<') && n.ends_with('>') && n.matches('<').count() == 1))
        .any(|n| matches(field, n))
}

/// Whether the JSON path `path` matches the documented path `doc`, segment by segment (segments
/// split at `.`; each may be a template).
fn path_matches(path: &str, doc: &str) -> bool {
    let (p, d): (Vec<&str>, Vec<&str>) = (path.split('.').collect(), doc.split('.').collect());
    p.len() == d.len() && p.iter().zip(&d).all(|(a, b)| matches(a, b))
}

/// A documented path and every path on the way to it (`a[].b` gives `a`, `a[]`, `a[].b`).
fn with_ancestors(doc: &str) -> Vec<&str> {
    let mut out: Vec<&str> = doc
        .char_indices()
        .filter(|&(i, c)| i > 0 && (c == '.' || c == '['))
        .map(|(i, _)| &doc[..i])
        .collect();
    out.push(doc);
    out
}

/// Every path of a JSON value (objects' keys as `a.b`, arrays' elements as `a[]`), the root
/// excluded.
fn json_paths(v: &serde_json::Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                let p = if at.is_empty() {
                    k.clone()
                } else {
                    format!("{at}.{k}")
                };
                out.insert(p.clone());
                json_paths(x, &p, out);
            }
        }
        serde_json::Value::Array(a) => {
            let p = format!("{at}[]");
            for x in a {
                out.insert(p.clone());
                json_paths(x, &p, out);
            }
        }
        _ => {}
    }
}

/// The section *JSON keys at every depth*: file -> documented paths.
fn documented_json() -> BTreeMap<String, Vec<String>> {
    let text = readme();
    let start = text
        .find("## JSON keys at every depth")
        .expect("output/README.md has the section `## JSON keys at every depth`");
    let body = &text[start..];
    let body = &body[..body[3..].find("\n## ").map_or(body.len(), |i| i + 3)];
    // Each file's item, its continuation lines joined.
    let mut items: Vec<(String, String)> = Vec::new();
    let mut open = false;
    for line in body.lines() {
        if let Some((name, rest)) = line.strip_prefix("- `").and_then(|i| i.split_once("`:")) {
            items.push((name.to_string(), rest.to_string()));
            open = true;
        } else if open && line.starts_with("  ") {
            if let Some((_, text)) = items.last_mut() {
                text.push(' ');
                text.push_str(line.trim());
            }
        } else {
            open = false;
        }
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, text) in items {
        // Backticked paths outside parentheses (inside: examples, such as stage names).
        out.entry(file)
            .or_default()
            .extend(outside_parentheses(&text));
    }
    assert!(
        out.len() >= 7,
        "the JSON keys section lists too few files: {:?}",
        out.keys()
    );
    out
}

/// Backticked names (no spaces) outside parentheses of a line of Markdown.
fn outside_parentheses(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut code, mut token) = (0i32, false, String::new());
    for c in text.chars() {
        match c {
            '`' if code => {
                code = false;
                if depth == 0 && !token.is_empty() && !token.contains(' ') {
                    out.push(std::mem::take(&mut token));
                }
                token.clear();
            }
            '`' => code = true,
            _ if code => token.push(c),
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
    }
    out
}

/// The output folders of the runs the schema is checked on: `(name, folder)`. Written once per
/// test binary, under cargo's scratch folder for integration tests.
fn outputs() -> &'static [(String, PathBuf)] {
    static DIRS: OnceLock<Vec<(String, PathBuf)>> = OnceLock::new();
    DIRS.get_or_init(|| {
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schema-outputs");
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).expect("creates the scratch folder");
        let tiny = fixture("tiny");
        let tiny = tiny.to_str().expect("a UTF-8 path");
        let mut out = Vec::new();
        for (sub, args) in [
            ("run", vec!["run", "--draws", "20"]),
            ("critical", vec!["critical"]),
            ("simulate", vec!["simulate", "--draws", "20"]),
            ("tiny-run", vec!["--data", tiny, "run", "--draws", "5"]),
            (
                "route",
                vec!["route", "yerevan", "tbilisi", "--alternatives", "2"],
            ),
            ("check", vec!["check"]),
        ] {
            let dir = base.join(sub);
            let st = corridor()
                .args(&args)
                .arg("--out")
                .arg(&dir)
                .output()
                .expect("runs corridor");
            assert!(
                st.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&st.stderr)
            );
            out.push((sub.to_string(), dir));
        }
        out
    })
}

/// What a file carries: CSV columns, GeoJSON properties, or JSON paths (at every depth).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Column,
    Property,
    JsonPath,
}

/// Every field a folder's files carry: `(file, kind, field)`.
fn fields(dir: &Path) -> Vec<(String, Kind, String)> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let ext = path.extension().map(|e| e.to_string_lossy().to_string());
        match ext.as_deref() {
            Some("csv") => {
                let mut r = csv::Reader::from_path(&path).unwrap();
                for h in r.headers().unwrap() {
                    out.push((name.clone(), Kind::Column, h.to_string()));
                }
            }
            Some("geojson") => {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                let mut keys = BTreeSet::new();
                for f in v["features"].as_array().unwrap() {
                    if let Some(p) = f["properties"].as_object() {
                        keys.extend(p.keys().cloned());
                    }
                }
                out.extend(keys.into_iter().map(|k| (name.clone(), Kind::Property, k)));
            }
            Some("json") => {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                let mut paths = BTreeSet::new();
                json_paths(&v, "", &mut paths);
                out.extend(paths.into_iter().map(|p| (name.clone(), Kind::JsonPath, p)));
            }
            _ => {}
        }
    }
    out
}

/// Every field of every run: `(run, file, kind, field)`.
fn all_fields() -> Vec<(String, String, Kind, String)> {
    outputs()
        .iter()
        .flat_map(|(sub, dir)| {
            fields(dir)
                .into_iter()
                .map(move |(f, k, x)| (sub.clone(), f, k, x))
        })
        .collect()
}

/// What is undocumented among `fields`, as `run/file: field` lines.
fn undocumented(
    fields: &[(String, String, Kind, String)],
    names: &BTreeSet<String>,
    json: &BTreeMap<String, Vec<String>>,
) -> Vec<String> {
    let mut missing = Vec::new();
    for (sub, file, kind, field) in fields {
        let ok = match kind {
            Kind::Column | Kind::Property => is_documented(field, names),
            Kind::JsonPath => json.get(file).is_some_and(|docs| {
                docs.iter()
                    .flat_map(|d| with_ancestors(d))
                    .any(|d| path_matches(field, d))
            }),
        };
        if !ok {
            missing.push(format!("{sub}/{file}: {field}"));
        }
    }
    missing
}

#[test]
fn every_written_field_is_documented_in_output_readme() {
    let missing = undocumented(&all_fields(), &documented(), &documented_json());
    assert!(
        missing.is_empty(),
        "fields written but not documented in output/README.md:\n{}",
        missing.join("\n")
    );
}

/// The check can fail: a JSON key nested deep, a CSV column and a GeoJSON property that the
/// README does not name are reported, and so is a JSON path documented for another file.
#[test]
fn an_undocumented_field_at_any_depth_is_reported() {
    let (names, json) = (documented(), documented_json());
    let made_up = |file: &str, kind, field: &str| {
        ("run".to_string(), file.to_string(), kind, field.to_string())
    };
    let fields = vec![
        made_up(
            "simulate.json",
            Kind::JsonPath,
            "runs[].freight.elements[].secret",
        ),
        made_up("manifest.json", Kind::JsonPath, "corridor_build.compiler"),
        made_up("compare.json", Kind::JsonPath, "cells[].route.extra"),
        made_up("critical.json", Kind::JsonPath, "cells[].route"),
        made_up("compare.csv", Kind::Column, "furlongs"),
        made_up("links.geojson", Kind::Property, "colour_of_rails"),
        // Documented ones pass.
        made_up("compare.json", Kind::JsonPath, "cells[].route"),
        made_up("compare.json", Kind::JsonPath, "cells[]"),
        made_up(
            "critical.json",
            Kind::JsonPath,
            "top_sections[].extra_cost_usd_per_t",
        ),
        made_up("manifest.json", Kind::JsonPath, "run.timings_s.load"),
    ];
    let missing = undocumented(&fields, &names, &json);
    assert_eq!(
        missing,
        vec![
            "run/simulate.json: runs[].freight.elements[].secret",
            "run/manifest.json: corridor_build.compiler",
            "run/compare.json: cells[].route.extra",
            "run/critical.json: cells[].route",
            "run/compare.csv: furlongs",
            "run/links.geojson: colour_of_rails",
        ]
    );
}

#[test]
fn counts_are_integers_in_the_layers() {
    let dir = &outputs()[0].1;
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("criticality.geojson")).unwrap()).unwrap();
    for f in v["features"].as_array().unwrap() {
        for k in ["pairs_cut", "section_rank"] {
            let x = &f["properties"][k];
            assert!(x.is_null() || x.is_i64() || x.is_u64(), "{k} = {x}");
        }
    }
}

/// What the README documents, per file: `(file, kind, name)`: the property tables of the layers
/// (`### nodes.geojson` and the like, one `| \`prop\` |` row per property), the columns of each
/// CSV file's row in the tables of `run/`, `critical/`, `simulate/` and `--out DIR`, and the
/// JSON paths.
fn documented_per_file() -> Vec<(String, Kind, String)> {
    let text = readme();
    let mut out = Vec::new();
    let mut layers: Vec<String> = Vec::new();
    let mut section = String::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("## ") {
            section = head.to_string();
            layers.clear();
            continue;
        }
        if let Some(head) = line.strip_prefix("### ") {
            layers = head
                .split([',', ' '])
                .filter(|w| w.ends_with(".geojson"))
                .map(str::to_string)
                .collect();
            continue;
        }
        let Some(row) = line.strip_prefix("| ") else {
            continue;
        };
        let cells: Vec<&str> = row.splitn(2, " | ").collect();
        if !layers.is_empty() {
            for p in outside_parentheses(cells[0]) {
                for file in &layers {
                    out.push((file.clone(), Kind::Property, p.clone()));
                }
            }
            continue;
        }
        let checked = ["`run/`", "`critical/`", "`simulate/`", "`--out DIR`"]
            .iter()
            .any(|s| section.starts_with(s));
        if !checked || cells.len() < 2 {
            continue;
        }
        let files: Vec<String> = outside_parentheses(cells[0])
            .into_iter()
            .filter(|f| f.ends_with(".csv"))
            .collect();
        if files.len() != 1 {
            continue;
        }
        for c in outside_parentheses(cells[1]) {
            out.push((files[0].clone(), Kind::Column, c));
        }
    }
    for (file, paths) in documented_json() {
        for p in paths {
            out.push((file.clone(), Kind::JsonPath, p));
        }
    }
    out
}

/// Documented JSON paths (a file and a path prefix) that the bundled data leaves out: no path
/// of it pays a policy penalty.
const MAY_BE_ABSENT: [(&str, &str); 2] = [
    ("route.json", "penalties[]."),
    ("route.json", "alternatives[].penalties[]."),
];

/// What is documented but written by no run, as `file: field` lines (`file: (not written)` for
/// a whole file).
fn stale(
    documented: &[(String, Kind, String)],
    fields: &[(String, String, Kind, String)],
) -> Vec<String> {
    let mut stale = Vec::new();
    let mut absent = BTreeSet::new();
    for (file, kind, doc) in documented {
        if MAY_BE_ABSENT
            .iter()
            .any(|(f, p)| f == file && doc.starts_with(p))
        {
            continue;
        }
        let written: Vec<&str> = fields
            .iter()
            .filter(|(_, f, k, _)| f == file && k == kind)
            .map(|(_, _, _, x)| x.as_str())
            .collect();
        if written.is_empty() {
            absent.insert(format!("{file}: (not written)"));
            continue;
        }
        let found = written.iter().any(|w| match kind {
            Kind::JsonPath => path_matches(w, doc),
            _ => matches(w, doc),
        });
        if !found {
            stale.push(format!("{file}: {doc}"));
        }
    }
    stale.extend(absent);
    stale
}

#[test]
fn no_documented_field_is_stale() {
    let documented = documented_per_file();
    // The parsing found each kind of documentation.
    for kind in [Kind::Column, Kind::Property, Kind::JsonPath] {
        assert!(
            documented.iter().filter(|(_, k, _)| *k == kind).count() > 20,
            "too few documented {kind:?}s found in output/README.md"
        );
    }
    let stale = stale(&documented, &all_fields());
    assert!(
        stale.is_empty(),
        "documented in output/README.md but not written:\n{}",
        stale.join("\n")
    );
}

/// The check can fail: a documented JSON path, column or property no run writes is reported.
#[test]
fn a_stale_documented_field_is_reported() {
    let fields = all_fields();
    let doc = |file: &str, kind, name: &str| (file.to_string(), kind, name.to_string());
    let documented = vec![
        doc("compare.json", Kind::JsonPath, "cells[].route"),
        doc("compare.json", Kind::JsonPath, "cells[].gone"),
        doc("manifest.json", Kind::JsonPath, "run.timings_s.<stage>"),
        doc("manifest.json", Kind::JsonPath, "run.memory.<stage>"),
        doc("compare.csv", Kind::Column, "route"),
        doc("compare.csv", Kind::Column, "old_column"),
        doc("links.geojson", Kind::Property, "status_<scenario>"),
        doc("links.geojson", Kind::Property, "old_<scenario>"),
        doc("nowhere.csv", Kind::Column, "route"),
    ];
    assert_eq!(
        stale(&documented, &fields),
        vec![
            "compare.json: cells[].gone",
            "manifest.json: run.memory.<stage>",
            "compare.csv: old_column",
            "links.geojson: old_<scenario>",
            "nowhere.csv: (not written)",
        ]
    );
}

#[test]
fn paths_and_their_ancestors() {
    assert_eq!(
        with_ancestors("routes[].synergies[][]"),
        vec![
            "routes",
            "routes[]",
            "routes[].synergies",
            "routes[].synergies[]",
            "routes[].synergies[][]"
        ]
    );
    assert!(path_matches("run.timings_s.load", "run.timings_s.<stage>"));
    assert!(!path_matches("run.timings_s", "run.timings_s.<stage>"));
    assert_eq!(
        outside_parentheses("`a`, `b` (`x`, `y (z)`), `c d`, `e`"),
        vec!["a", "b", "e"]
    );
}
