//! `corridor check [DIR]`: load and validate a data folder, print a summary (counts by kind, mode,
//! status and country, km by mode, scenarios, routes) and the warnings; exit 1 on any error.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use corridor::format::{round_to, thousands};
use corridor::network::{LinkStatus, Mode};
use corridor::scenario::Dataset;

use super::{data_dir, print_warnings, stage_out, stdout, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Data folder to check [default: --data, else data/caucasus].
    pub dir: Option<PathBuf>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let dir = args.dir.clone().unwrap_or_else(|| data_dir(global));
    let data = Dataset::load(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    print_warnings(&data.warnings)?;
    let summary = Summary::of(&data);
    let json = serde_json::to_string_pretty(&summary.json())? + "\n";
    // With --out, the summary is also kept as `check.json`; without, check writes nothing.
    if global.out.is_some() {
        let staged = stage_out(global, "check")?;
        corridor::output::write_atomic(&staged.path().join("check.json"), json.as_bytes())?;
        staged.commit()?;
    }
    let mut out = stdout();
    match global.format {
        Format::Json => out.write_all(json.as_bytes())?,
        Format::Csv => summary.write_csv(&mut out)?,
        Format::Table => summary.write_table(&mut out)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Counts over a data folder, in a stable order.
struct Summary {
    dir: String,
    nodes_by_kind: BTreeMap<&'static str, usize>,
    nodes_by_country: BTreeMap<String, usize>,
    links_by_mode_status: BTreeMap<(&'static str, &'static str), (usize, f64)>,
    km_by_country: BTreeMap<String, f64>,
    crossings: [(usize, usize); 2],
    scenarios: usize,
    /// The folder has no scenarios.toml: its one scenario is the implicit `as-is`.
    implicit: bool,
    projects: usize,
    routes: usize,
    warnings: usize,
    nodes: usize,
    links: usize,
    total_km: f64,
}

impl Summary {
    fn of(data: &Dataset) -> Summary {
        let net = &data.network;
        let mut nodes_by_kind = BTreeMap::new();
        let mut nodes_by_country = BTreeMap::new();
        let mut crossings = [(0, 0); 2];
        for n in &net.nodes {
            *nodes_by_kind.entry(n.kind.as_str()).or_insert(0) += 1;
            *nodes_by_country.entry(n.country.to_string()).or_insert(0) += 1;
            if let Some(b) = &n.border {
                for (i, m) in [b.rail, b.road].iter().enumerate() {
                    if let Some(m) = m {
                        if m.open {
                            crossings[i].0 += 1;
                        } else {
                            crossings[i].1 += 1;
                        }
                    }
                }
            }
        }
        let mut links_by_mode_status = BTreeMap::new();
        let mut km_by_country = BTreeMap::new();
        for l in &net.links {
            let e = links_by_mode_status
                .entry((l.mode.as_str(), l.status.as_str()))
                .or_insert((0, 0.0));
            e.0 += 1;
            e.1 += l.length_km;
            let c = l.country.map_or("sea".to_string(), |c| c.to_string());
            *km_by_country.entry(c).or_insert(0.0) += l.length_km;
        }
        Summary {
            dir: data.dir.display().to_string(),
            nodes_by_kind,
            nodes_by_country,
            links_by_mode_status,
            km_by_country,
            crossings,
            scenarios: data.scenarios.list.len(),
            implicit: data.scenarios.is_implicit(),
            projects: data.scenarios.projects().count(),
            routes: data.routes.len(),
            warnings: data.warnings.len(),
            nodes: net.nodes.len(),
            links: net.links.len(),
            total_km: net.links.iter().map(|l| l.length_km).sum(),
        }
    }

    fn json(&self) -> serde_json::Value {
        json!({
            "data": self.dir,
            "ok": true,
            "nodes": self.nodes,
            "links": self.links,
            "total_km": round_to(self.total_km, 1),
            "nodes_by_kind": self.nodes_by_kind,
            "nodes_by_country": self.nodes_by_country,
            "links_by_mode_status": self.links_by_mode_status.iter().map(|((m, s), (n, km))| json!({
                "mode": m, "status": s, "links": n, "km": round_to(*km, 1)
            })).collect::<Vec<_>>(),
            "km_by_country": self.km_by_country.iter().map(|(c, km)| (c.clone(), json!(round_to(*km, 1)))).collect::<serde_json::Map<_, _>>(),
            "crossings": {
                "rail": {"open": self.crossings[0].0, "closed": self.crossings[0].1},
                "road": {"open": self.crossings[1].0, "closed": self.crossings[1].1},
            },
            "scenarios": self.scenarios,
            "projects": self.projects,
            "routes": self.routes,
            "warnings": self.warnings,
        })
    }

    fn write_csv(&self, out: &mut impl Write) -> Result<()> {
        writeln!(out, "mode,status,links,km")?;
        for ((m, s), (n, km)) in &self.links_by_mode_status {
            writeln!(out, "{m},{s},{n},{km:.1}")?;
        }
        Ok(())
    }

    fn write_table(&self, out: &mut impl Write) -> Result<()> {
        writeln!(out, "data: {}  (ok)", self.dir)?;
        writeln!(
            out,
            "{} places, {} links, {} km in all",
            self.nodes,
            self.links,
            thousands(self.total_km)
        )?;
        writeln!(out)?;
        let kinds: Vec<String> = self
            .nodes_by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        writeln!(out, "places by kind:    {}", kinds.join(", "))?;
        let countries: Vec<String> = self
            .nodes_by_country
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        writeln!(out, "places by country: {}", countries.join(", "))?;
        writeln!(out)?;
        writeln!(
            out,
            "{:<6} {:<19} {:>6} {:>10}",
            "mode", "status", "links", "km"
        )?;
        for mode in Mode::ALL {
            for status in LinkStatus::ALL {
                if let Some((n, km)) = self
                    .links_by_mode_status
                    .get(&(mode.as_str(), status.as_str()))
                {
                    writeln!(
                        out,
                        "{:<6} {:<19} {:>6} {:>10}",
                        mode.as_str(),
                        status.as_str(),
                        n,
                        thousands(*km)
                    )?;
                }
            }
        }
        writeln!(out)?;
        let by_country: Vec<String> = self
            .km_by_country
            .iter()
            .map(|(c, km)| format!("{c} {}", thousands(*km)))
            .collect();
        writeln!(out, "km by country:     {}", by_country.join(", "))?;
        writeln!(
            out,
            "border crossings:  rail {} open / {} closed; road {} open / {} closed",
            self.crossings[0].0, self.crossings[0].1, self.crossings[1].0, self.crossings[1].1
        )?;
        let scenarios = if self.implicit {
            "1 (the implicit `as-is`: no scenarios.toml)".to_string()
        } else {
            format!("{} ({} projects)", self.scenarios, self.projects)
        };
        writeln!(
            out,
            "scenarios:         {scenarios}; trade routes: {}; warnings: {}",
            self.routes, self.warnings
        )?;
        Ok(())
    }
}
