//! `manifest.json`: what a run read (each input file with its SHA-256), with which parameters
//! and seeds, and (apart, under `run`) its thread count and timings.

use std::path::{Path, PathBuf};

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::network::load::data_files;
use crate::output::tables::write_json;
use crate::output::OutputError;
use crate::scenario::Skipped;
use crate::sim::simulation::Plan;

/// Everything `manifest.json` records.
pub struct Manifest<'a> {
    pub command: &'a str,
    /// The data folder as given.
    pub data: &'a Path,
    /// Each input file and its SHA-256 in hex ([`hash_inputs`]).
    pub inputs: &'a [(String, String)],
    /// The metric's name (`time`, `distance`, `money`, `generalized`).
    pub metric: &'a str,
    pub seed: u64,
    pub restore_threshold_pct: f64,
    pub scenarios: &'a [&'a str],
    pub routes: Vec<&'a str>,
    pub simulate: Option<&'a Plan>,
    pub threads: usize,
    /// `(stage, seconds)`, in the order run.
    pub timings: &'a [(String, f64)],
    /// The stages the data folder gave nothing to work on, and why
    /// ([`crate::scenario::Dataset::run_skips`]).
    pub skipped: &'a [Skipped],
}

impl Manifest<'_> {
    /// Writes `manifest.json` into `out`.
    ///
    /// # Errors
    /// [`OutputError`] naming the file.
    pub fn write(&self, out: &Path) -> Result<(), OutputError> {
        let manifest = json!({
            "corridor_version": env!("CARGO_PKG_VERSION"),
            "corridor_build": crate::build_info::manifest_json(),
            "command": self.command,
            "data": self.data.display().to_string(),
            "inputs": self.inputs.iter().map(|(f, h)| json!({"file": f, "sha256": h})).collect::<Vec<_>>(),
            "metric": self.metric,
            "seed": self.seed,
            "restore_threshold_pct": self.restore_threshold_pct,
            "scenarios": self.scenarios,
            "routes": self.routes,
            "simulate": self.simulate.map(|p| json!({
                "scenarios": p.scenarios,
                "metric": p.metric.name(),
                "method": p.freight.method.as_str(),
                "gap": p.freight.gap,
                "draws": p.draws,
                "seed": p.seed,
            })),
            "skipped": self.skipped.iter().map(|k| json!({"stage": k.stage, "reason": k.reason})).collect::<Vec<_>>(),
            "run": {
                "threads": self.threads,
                "timings_s": self.timings.iter().map(|(s, t)| (s.clone(), json!((t * 1e4).round() / 1e4))).collect::<serde_json::Map<_, _>>(),
            },
        });
        write_json(&out.join("manifest.json"), &manifest)
    }
}

/// Each data file of `dir` (and the claims file, if any) with its SHA-256 in hex.
///
/// # Errors
/// [`OutputError::Io`] naming a file that cannot be read.
pub fn hash_inputs(
    dir: &Path,
    claims: Option<&Path>,
) -> Result<Vec<(String, String)>, OutputError> {
    let mut files: Vec<PathBuf> = data_files(dir);
    if let Some(c) = claims {
        files.push(c.to_path_buf());
    }
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).map_err(|source| OutputError::Io {
                path: f.clone(),
                source,
            })?;
            let hash = Sha256::digest(&bytes);
            let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
            Ok((f.display().to_string(), hex))
        })
        .collect()
}
