//! `output/README.md` is the schema of what corridor writes: every CSV column and every GeoJSON
//! property of a full `corridor run`, `corridor critical` and `corridor simulate`, and the
//! top-level keys of their JSON files, must be documented there (as a backticked name, or a
//! backticked template such as `status_<scenario>` or `extra_cost_<unit>`); and no property of
//! the layers' tables is documented that a run does not write.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::corridor;

/// Backticked names of the README.
fn documented() -> BTreeSet<String> {
    let text = std::fs::read_to_string(crate::common::root().join("output/README.md"))
        .expect("output/README.md");
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

/// Whether `field` is a documented name or matches a documented template (`<...>` stands for
/// one or more characters).
fn is_documented(field: &str, names: &BTreeSet<String>) -> bool {
    names.iter().any(|n| {
        if let (Some(a), Some(b)) = (n.find('<'), n.find('>')) {
            let (prefix, suffix) = (&n[..a], &n[b + 1..]);
            !suffix.contains('<')
                && field.len() > prefix.len() + suffix.len()
                && field.starts_with(prefix)
                && field.ends_with(suffix)
        } else {
            n == field
        }
    })
}

/// Every field a folder's files carry: `(file, field)`.
fn fields(dir: &Path) -> Vec<(String, String)> {
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
                    out.push((name.clone(), h.to_string()));
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
                out.extend(keys.into_iter().map(|k| (name.clone(), k)));
            }
            Some("json") => {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
                if let Some(o) = v.as_object() {
                    out.extend(o.keys().map(|k| (name.clone(), k.clone())));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_written_field_is_documented_in_output_readme() {
    let names = documented();
    let dir = tempfile::tempdir().unwrap();
    let mut missing = Vec::new();
    for (sub, args) in [
        ("run", vec!["run", "--draws", "20"]),
        ("critical", vec!["critical"]),
        ("simulate", vec!["simulate", "--draws", "20"]),
    ] {
        let out = dir.path().join(sub);
        let st = corridor()
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(
            st.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
        for (file, field) in fields(&out) {
            if !is_documented(&field, &names) {
                missing.push(format!("{sub}/{file}: {field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields written but not documented in output/README.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn counts_are_integers_in_the_layers() {
    let dir = tempfile::tempdir().unwrap();
    let st = corridor()
        .args(["run", "--draws", "5", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(st.status.success());
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("criticality.geojson")).unwrap())
            .unwrap();
    for f in v["features"].as_array().unwrap() {
        for k in ["pairs_cut", "section_rank"] {
            let x = &f["properties"][k];
            assert!(x.is_null() || x.is_i64() || x.is_u64(), "{k} = {x}");
        }
    }
}

/// The property tables of the layers (`### nodes.geojson` and the like, one `| \`prop\` |` row
/// per property) name no property a full run does not write: nothing documented is stale.
#[test]
fn no_documented_layer_property_is_stale() {
    let text = std::fs::read_to_string(crate::common::root().join("output/README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let st = corridor()
        .args(["run", "--draws", "5", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(st.status.success());
    let mut files: Vec<String> = Vec::new();
    let mut stale = Vec::new();
    for line in text.lines() {
        if let Some(head) = line.strip_prefix("### ") {
            files = head
                .split([',', ' '])
                .filter(|w| w.ends_with(".geojson"))
                .map(str::to_string)
                .collect();
            continue;
        }
        if line.starts_with("## ") {
            files.clear();
        }
        let Some(first) = line.strip_prefix("| ").and_then(|l| l.split(" |").next()) else {
            continue;
        };
        let props: Vec<&str> = first
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|p| !p.is_empty())
            .collect();
        for file in &files {
            let written: BTreeSet<String> = fields(dir.path())
                .into_iter()
                .filter(|(f, _)| f == file)
                .map(|(_, k)| k)
                .collect();
            for p in &props {
                let one: BTreeSet<String> = std::iter::once(p.to_string()).collect();
                if !written.iter().any(|w| is_documented(w, &one)) {
                    stale.push(format!("{file}: {p}"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "documented in output/README.md but not written:\n{}",
        stale.join("\n")
    );
}
