//! `--shard I/N` and `corridor merge`: for `critical`, `simulate`, `restore` and `compare` on the
//! bundled data (and `critical` on the Isle of Man road graph), N = 1, 2, 3 and 7 shards merged
//! are byte-identical to the unsharded run; `merge` refuses, with exit 1, a message naming the
//! part and nothing written to `--out`, every bad set of parts; the Snakemake workflow
//! (`workflow/Snakefile`) runs `critical` in 3 shards and its result equals the unsharded run.

use std::path::{Path, PathBuf};

use crate::common::{corridor, root, shared_osm};

/// Runs `corridor ARGS --out OUT` (quiet) and asserts it succeeds.
fn ok(args: &[&str], out: &Path) {
    let o = corridor()
        .args(args)
        .args(["--quiet", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?} --out {}\n{}",
        out.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Every file under `dir` (recursively), by relative path, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.push((p.strip_prefix(dir).unwrap().to_path_buf(), bytes));
            }
        }
    }
    out.sort();
    out
}

fn assert_same_tree(whole: &Path, merged: &Path, what: &str) {
    let (a, b) = (tree(whole), tree(merged));
    let names = |t: &[(PathBuf, Vec<u8>)]| t.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{what}: other files");
    assert!(!a.is_empty(), "{what}: no outputs");
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(
            x == y,
            "{what}: {} differs from the unsharded run",
            name.display()
        );
    }
}

/// The parts of `args` at N shards, in `dir`.
fn shards(args: &[&str], n: usize, dir: &Path) -> Vec<PathBuf> {
    (1..=n)
        .map(|i| {
            let part = dir.join(format!("part-{i}-of-{n}"));
            let shard = format!("{i}/{n}");
            let mut a = args.to_vec();
            a.extend(["--shard", &shard]);
            ok(&a, &part);
            part
        })
        .collect()
}

fn merge(parts: &[PathBuf], out: &Path) -> std::process::Output {
    corridor()
        .args(["merge", "--quiet", "--out"])
        .arg(out)
        .args(parts)
        .output()
        .unwrap()
}

/// `args` unsharded, then at N = 1, 2, 3 and 7 shards merged (parts given in reverse order):
/// every file identical.
fn sharded_equals_whole(args: &[&str]) {
    sharded_equals_whole_at(args, &[1, 2, 3, 7]);
}

/// [`sharded_equals_whole`] at the shard counts `counts`.
fn sharded_equals_whole_at(args: &[&str], counts: &[usize]) {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    ok(args, &whole);
    for &n in counts {
        let mut parts = shards(args, n, tmp.path());
        parts.reverse();
        let merged = tmp.path().join(format!("merged-{n}"));
        let o = merge(&parts, &merged);
        assert!(
            o.status.success(),
            "{args:?}: merge of {n} failed\n{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_same_tree(&whole, &merged, &format!("{args:?} at {n} shards"));
    }
}

#[test]
fn critical_shards_merge_to_the_unsharded_run() {
    sharded_equals_whole(&["critical"]);
    sharded_equals_whole(&[
        "critical", "--pairs", "cities", "--multi", "3", "--top", "6",
    ]);
}

#[test]
fn simulate_shards_merge_to_the_unsharded_run() {
    sharded_equals_whole(&["simulate", "--draws", "250", "--scenario", "status-2025"]);
}

#[test]
fn restore_shards_merge_to_the_unsharded_run() {
    sharded_equals_whole(&["restore"]);
}

#[test]
fn compare_shards_merge_to_the_unsharded_run() {
    sharded_equals_whole(&["compare"]);
}

/// The Isle of Man road graph (simplified import) with `n` seeded pairs and one scenario.
fn isle_of_man(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let o = corridor()
        .args(["import", "osm"])
        .arg(shared_osm().join("isle_of_man_2020-03-14.osm.pbf"))
        .args(["--country", "IM", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = std::process::Command::new("python3")
        .arg(root().join("workflow/scripts/od_pairs.py"))
        .arg(dir.path())
        .arg(n.to_string())
        .output()
        .expect("python3 runs workflow/scripts/od_pairs.py");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    dir
}

#[test]
fn critical_on_the_isle_of_man_shards_merge_to_the_unsharded_run() {
    let im = isle_of_man(150);
    let data = im.path().to_str().unwrap();
    sharded_equals_whole(&["critical", "--data", data]);
}

/// Above 5,000 places betweenness is estimated from a seeded sample of sources, which shards
/// split: the sums of each share, added at the merge, are those of the unsharded run.
#[test]
fn critical_with_sampled_betweenness_shards_merge_to_the_unsharded_run() {
    let grid = tempfile::tempdir().unwrap();
    let o = corridor()
        .args(["--quiet", "synth", "grid", "--nodes", "6000", "--seed", "3"])
        .args(["--routes", "12", "--out"])
        .arg(grid.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = grid.path().to_str().unwrap();
    sharded_equals_whole_at(&["critical", "--data", data], &[3, 7]);
}

/// `merge` on `parts` exits 1, names `culprit` and writes nothing to `--out`.
fn refused(parts: &[PathBuf], culprit: &Path, says: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("merged");
    let o = merge(parts, &out);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{says}: {err}");
    assert!(
        err.contains(&culprit.display().to_string()),
        "{says}: the message does not name {}: {err}",
        culprit.display()
    );
    assert!(err.contains(says), "{says}: {err}");
    assert!(!out.exists(), "{says}: --out was written");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "{says}: staging left behind");
}

#[test]
fn merge_refuses_every_bad_set_of_parts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = |s: &str| {
        let d = tmp.path().join(s);
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let three = shards(&["critical"], 3, &dir("three"));
    let other_plan = shards(&["critical", "--top", "5"], 3, &dir("top5"));
    let two = shards(&["critical"], 2, &dir("two"));
    let compare = shards(&["compare"], 3, &dir("compare"));

    // Another command.
    refused(
        &[three[0].clone(), three[1].clone(), compare[2].clone()],
        &compare[2],
        "command",
    );
    // Another plan.
    refused(
        &[three[0].clone(), other_plan[1].clone(), three[2].clone()],
        &other_plan[1],
        "another plan",
    );
    // Another shard count.
    refused(&[three[0].clone(), two[1].clone()], &two[1], "shard");
    // A missing shard.
    refused(
        &[three[0].clone(), three[2].clone()],
        &three[0],
        "2/3 is missing",
    );
    // A duplicate shard.
    refused(
        &[
            three[0].clone(),
            three[1].clone(),
            three[1].clone(),
            three[2].clone(),
        ],
        &three[1],
        "given twice",
    );

    // Other inputs: the same plan on a copy of the data with one file changed.
    let data = dir("data");
    crate::common::copy_dir(&root().join("data/caucasus"), &data);
    let costs = data.join("costs.toml");
    let mut text = std::fs::read_to_string(&costs).unwrap();
    text.push_str("\n# changed\n");
    std::fs::write(&costs, text).unwrap();
    let changed = shards(
        &["critical", "--data", data.to_str().unwrap()],
        3,
        &dir("changed"),
    );
    refused(
        &[three[0].clone(), changed[1].clone(), three[2].clone()],
        &changed[1],
        "other inputs",
    );

    // A part from another format version.
    let old = dir("old").join("part");
    crate::common::copy_dir(&three[1], &old);
    let manifest = old.join("shard.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("\"format_version\": 3", "\"format_version\": 2"),
    )
    .unwrap();
    refused(
        &[three[0].clone(), old.clone(), three[2].clone()],
        &old,
        "format version 2",
    );

    // A truncated part.
    let cut = dir("cut").join("part");
    crate::common::copy_dir(&three[1], &cut);
    let rows = std::fs::read(cut.join("part.jsonl")).unwrap();
    std::fs::write(cut.join("part.jsonl"), &rows[..rows.len() / 2]).unwrap();
    refused(
        &[three[0].clone(), cut.clone(), three[2].clone()],
        &cut,
        "truncated",
    );

    // A corrupt part: same length, one byte changed.
    let bad = dir("bad").join("part");
    crate::common::copy_dir(&three[1], &bad);
    let mut rows = std::fs::read(bad.join("part.jsonl")).unwrap();
    let i = rows.iter().position(|b| b.is_ascii_digit()).unwrap();
    rows[i] = if rows[i] == b'1' { b'2' } else { b'1' };
    std::fs::write(bad.join("part.jsonl"), &rows).unwrap();
    refused(
        &[three[0].clone(), bad.clone(), three[2].clone()],
        &bad,
        "SHA-256",
    );

    // A truncated manifest.
    let torn = dir("torn").join("part");
    crate::common::copy_dir(&three[1], &torn);
    let text = std::fs::read(torn.join("shard.json")).unwrap();
    std::fs::write(torn.join("shard.json"), &text[..text.len() / 2]).unwrap();
    refused(
        &[three[0].clone(), torn.clone(), three[2].clone()],
        &torn,
        "truncated or corrupt",
    );

    // The good set still merges.
    let o = merge(&three, &tmp.path().join("fine"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `--shard` itself: bad ids exit 1 (clap's usage error is 2; a bad value is a usage error).
#[test]
fn a_bad_shard_id_is_refused() {
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let o = corridor()
            .args(["critical", "--shard", bad, "--out"])
            .arg(tempfile::tempdir().unwrap().path().join("x"))
            .output()
            .unwrap();
        assert!(!o.status.success(), "--shard {bad} accepted");
        assert!(
            String::from_utf8_lossy(&o.stderr).contains(bad),
            "--shard {bad}: the message does not name it"
        );
    }
}

/// The Snakemake of `tools/test` (`CORRIDOR_SNAKEMAKE`), else `target/venv-snakemake`'s. Fails,
/// never skips, when neither runs.
fn snakemake() -> PathBuf {
    let path = std::env::var_os("CORRIDOR_SNAKEMAKE")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/venv-snakemake/bin/snakemake"));
    let runs = std::process::Command::new(&path)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        runs,
        "Snakemake is missing at {}: tools/test installs it (python3 -m venv target/venv-snakemake \
         && target/venv-snakemake/bin/pip install snakemake), or set CORRIDOR_SNAKEMAKE",
        path.display()
    );
    path
}

#[test]
fn the_snakemake_workflow_runs_critical_in_three_shards_and_merges_to_the_unsharded_run() {
    let snakemake = snakemake();
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    ok(&["critical", "--pairs", "cities"], &whole);
    let out = tmp.path().join("run");
    let o = std::process::Command::new(&snakemake)
        .arg("--snakefile")
        .arg(root().join("workflow/Snakefile"))
        .args(["--cores", "2", "--quiet", "--directory"])
        .arg(tmp.path())
        .arg("--config")
        .arg(format!("corridor={}", env!("CARGO_BIN_EXE_corridor")))
        .arg(format!("data={}", root().join("data/caucasus").display()))
        .args(["command=critical", "shards=3", "args=--pairs cities"])
        .arg(format!("out={}", out.display()))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "snakemake failed\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    for i in 1..=3 {
        assert!(out.join(format!("parts/{i}-of-3/shard.json")).is_file());
    }
    assert_same_tree(
        &whole,
        &out.join("merged"),
        "snakemake critical at 3 shards",
    );
}
