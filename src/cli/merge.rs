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

use super::{data_dir, note, stage_out, Global};

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
    let mut w = super::stdout();
    writeln!(
        w,
        "merged {} shards of `{}` into {}",
        parts.len(),
        first.command,
        out.display()
    )?;
    w.flush()?;
    Ok(ExitCode::SUCCESS)
}
