//! `corridor layers [--scenarios A,B]`: write the network as GIS layers (nodes and links GeoJSON
//! with one status column per scenario), their QGIS styles, a `corridor.qgs` project and the
//! quick-look map, into `--out` (default `output/layers/`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use corridor::output::write_network_layers;

use super::{data_dir, load_dataset, note_warnings, stage_out, stdout, Format, Global};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenarios whose status becomes a column, comma-separated [default: all, in file order].
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    pub scenarios: Vec<String>,
}

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    let dir = data_dir(global, None);
    let data = load_dataset(&dir)?;
    note_warnings(&data)?;
    let ids: Vec<String> = if args.scenarios.is_empty() {
        data.scenarios.ids().map(String::from).collect()
    } else {
        args.scenarios.clone()
    };
    let mut resolved = Vec::with_capacity(ids.len());
    for id in &ids {
        let s = data.resolve_named(id)?;
        resolved.push(s);
    }
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
                "wrote {} files into {} ({} scenario columns); open {} in QGIS",
                written.files.len(),
                out.display(),
                ids.len(),
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
