//! `corridor layers [--scenario ID,..]`: write the network as GIS layers (nodes and links GeoJSON
//! with one status column per scenario), their QGIS styles, a `corridor.qgs` project and the
//! quick-look map, into `--out` (default `output/layers/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::format::count;
use corridor::output::write_network_layers;

use super::{args, load_dataset, stage_out, stdout, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios whose link statuses become columns, comma-separated [default: every scenario].
    #[arg(
        long = "scenario",
        alias = "scenarios",
        value_delimiter = ',',
        value_name = "ID,.."
    )]
    pub scenario: Vec<String>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let data = load_dataset(global)?;
    let ids = if data.scenarios.list.is_empty() && args.scenario.is_empty() {
        Vec::new()
    } else {
        args::scenarios(&data, &args.scenario)?
    };
    let resolved = ids
        .iter()
        .map(|id| data.resolve_id(id))
        .collect::<Result<Vec<_>, _>>()?;
    let staged = stage_out(global, "layers")?;
    let mut written = write_network_layers(staged.path(), &data, &resolved)
        .with_context(|| format!("writing layers into {}", staged.target().display()))?;
    for f in &mut written.files {
        *f = staged.final_path(f);
    }
    let out = staged.commit()?;
    let mut stdout = stdout();
    match global.format {
        Format::Json => {
            let files: Vec<String> = written
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            let ids: Vec<&str> = ids.iter().map(|s| s.as_str()).collect();
            let v = serde_json::json!({"out": out.display().to_string(), "scenarios": ids, "files": files});
            writeln!(stdout, "{}", serde_json::to_string_pretty(&v)?)?;
        }
        Format::Csv => {
            writeln!(stdout, "file")?;
            for f in &written.files {
                writeln!(stdout, "{}", f.display())?;
            }
        }
        Format::Table => {
            writeln!(
                stdout,
                "wrote {} into {} ({}); open {} in QGIS",
                count(written.files.len(), "file", "files"),
                out.display(),
                count(ids.len(), "scenario column", "scenario columns"),
                out.join("corridor.qgs").display()
            )?;
            for f in &written.files {
                writeln!(stdout, "  {}", f.display())?;
            }
        }
    }
    stdout.flush()?;
    Ok(ExitCode::SUCCESS)
}
