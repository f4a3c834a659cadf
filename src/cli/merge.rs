//! `corridor merge --out DIR PART...`: the outputs of an unsharded run from the partial folders of
//! its shards (`--shard I/N`), written by the command's own writers. Refuses (exit 1, nothing
//! written) parts of different commands, plans, inputs or corridor versions, a missing or
//! duplicate shard, another format version, a truncated or corrupt part.
//!
//! Also the shards' side: [`write_part`] writes a shard's partial folder into `--out`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::Value;

use corridor::output::manifest::hash_inputs;
use corridor::output::partial::{check_set, read_part, PartHeader, ShardId};
use corridor::scenario::{Dataset, TradeRoute};

use super::{data_dir, note, stage_out, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shards' partial folders (every shard of one run, once each, in any order).
    #[arg(value_name = "PART", required = true)]
    pub parts: Vec<PathBuf>,
}

/// `--shard I/N`, parsed.
pub fn parse_shard(s: &str) -> Result<ShardId, String> {
    ShardId::parse(s)
}

/// Each data file of `dir` relative to it, with its SHA-256: what parts compare.
pub fn inputs(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = hash_inputs(dir, None)?;
    for (f, _) in &mut out {
        if let Ok(rel) = Path::new(f.as_str()).strip_prefix(dir) {
            *f = rel.display().to_string();
        }
    }
    Ok(out)
}

/// Writes shard `shard`'s partial folder (`rows` and its manifest) into `--out` (staged, as
/// every command's folder).
pub fn write_part(
    global: &Global,
    command: &str,
    plan: &Value,
    shard: ShardId,
    rows: &[Value],
) -> Result<PathBuf> {
    let dir = data_dir(global);
    let inputs = inputs(&dir)?;
    let data = dir.canonicalize().unwrap_or(dir);
    let staged = stage_out(
        global,
        &format!("{command}-shard-{}-of-{}", shard.index, shard.count),
    )?;
    corridor::output::partial::write_part(
        staged.path(),
        &PartHeader {
            command,
            plan,
            data: &data,
            inputs: &inputs,
            shard,
        },
        rows,
    )?;
    let out = staged.commit()?;
    note(
        global,
        &format!(
            "shard {shard} of `{command}`: {} rows in {} (merge every shard with `corridor merge --out DIR PART...`)",
            rows.len(),
            out.display()
        ),
    )?;
    Ok(out)
}

/// Every unit of a question (a pair, a draw, a route, a cell) from the shards' rows: `index`
/// says which of the `len` units a row holds, `parse` reads it. Each unit must come exactly once.
pub fn units<T>(
    parts: &[(ShardId, &[Value])],
    len: usize,
    what: &str,
    index: impl Fn(&Value) -> Option<usize>,
    parse: impl Fn(&Value) -> Option<T>,
) -> Result<Vec<T>> {
    let mut out: Vec<Option<T>> = (0..len).map(|_| None).collect();
    for (shard, rows) in parts {
        for (n, row) in rows.iter().enumerate() {
            let at = || format!("shard {shard}, row {}", n + 1);
            let i = index(row)
                .filter(|&i| i < len)
                .with_context(|| format!("{}: no {what} of the plan", at()))?;
            let unit = parse(row).with_context(|| format!("{}: not a {what}", at()))?;
            anyhow::ensure!(out[i].replace(unit).is_none(), "{}: {what} {i} twice", at());
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(i, u)| u.with_context(|| format!("no part has {what} {i}")))
        .collect()
}

/// A row's field as an index.
pub fn index_of(row: &Value, key: &str) -> Option<usize> {
    row[key].as_u64().and_then(|i| usize::try_from(i).ok())
}

/// The text of a recorded plan's `key`.
pub fn plan_text(plan: &Value, key: &str) -> Result<String> {
    plan[key]
        .as_str()
        .map(str::to_string)
        .with_context(|| format!("the plan has no `{key}`"))
}

/// A list of names in a recorded plan.
pub fn plan_list(plan: &Value, key: &str) -> Result<Vec<String>> {
    serde_json::from_value(plan[key].clone()).with_context(|| format!("the plan's `{key}`"))
}

/// A recorded plan's `key` as a `clap` value (`--by`, `--pairs`, `--method`).
pub fn plan_value<T: clap::ValueEnum>(plan: &Value, key: &str) -> Result<T> {
    T::from_str(&plan_text(plan, key)?, false).map_err(anyhow::Error::msg)
}

/// The name `clap` gives a value (what [`plan_value`] reads back).
pub fn value_name<T: clap::ValueEnum>(v: &T) -> Option<String> {
    v.to_possible_value().map(|p| p.get_name().to_string())
}

/// The estimated cost of each route's searches, for balancing shards: 1 plus its crow-fly
/// length over the routes' mean.
pub fn route_costs(data: &Dataset, routes: &[&TradeRoute]) -> Vec<f64> {
    let net = &data.network;
    let km: Vec<f64> = routes
        .iter()
        .map(|r| {
            net.node(r.from)
                .position
                .geodesic_m(net.node(r.to).position)
                / 1000.0
        })
        .collect();
    let mean = km.iter().sum::<f64>() / km.len().max(1) as f64;
    km.iter()
        .map(|k| 1.0 + if mean > 0.0 { k / mean } else { 0.0 })
        .collect()
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    anyhow::ensure!(
        global.out.is_some(),
        "merge needs --out DIR: the folder the unsharded run would have written"
    );
    let mut parts = Vec::with_capacity(args.parts.len());
    for p in &args.parts {
        parts.push(read_part(p)?);
    }
    let parts = check_set(parts)?;
    let first = &parts[0];
    // The data the shards read: --data, else the folder they recorded; it must not have changed.
    let dir = global.data.clone().unwrap_or_else(|| first.data.clone());
    let now: Vec<Value> = inputs(&dir)?
        .iter()
        .map(|(f, h)| serde_json::json!({"file": f, "sha256": h}))
        .collect();
    anyhow::ensure!(
        Value::Array(now) == first.inputs,
        "part {}: its inputs (file hashes) differ from the data folder {} now; run the shards again or give the data they read with --data",
        first.dir.display(),
        dir.display()
    );
    let global = Global {
        data: Some(dir),
        out: global.out.clone(),
        threads: global.threads,
        format: global.format,
        quiet: global.quiet,
    };
    let data: Dataset = super::load_dataset(&global)?;
    let rows: Vec<(ShardId, &[Value])> =
        parts.iter().map(|p| (p.shard, p.rows.as_slice())).collect();
    let out = match first.command.as_str() {
        "critical" => super::critical::merge(&global, &data, &first.plan, &rows),
        "simulate" => super::simulate::merge(&global, &data, &first.plan, &rows),
        "compare" => super::compare::merge(&global, &data, &first.plan, &rows),
        "restore" => super::restore::merge(&global, &data, &first.plan, &rows),
        other => anyhow::bail!(
            "part {}: command `{other}` has no merge",
            first.dir.display()
        ),
    }
    .with_context(|| format!("merging the parts of `{}`", first.command))?;
    let summary = serde_json::json!({
        "command": first.command,
        "shards": parts.len(),
        "out": out.display().to_string(),
    });
    let mut w = super::stdout();
    match global.format {
        Format::Json => writeln!(w, "{}", serde_json::to_string_pretty(&summary)?)?,
        Format::Csv => super::write_key_values(&mut w, &summary)?,
        Format::Table => writeln!(
            w,
            "merged {} shards of `{}` into {}",
            parts.len(),
            first.command,
            out.display()
        )?,
    }
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
