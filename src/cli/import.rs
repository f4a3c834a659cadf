//! `corridor import osm FILE.osm.pbf --country CC [--rail] [--road] [--bbox W,S,E,N]
//! [--roads freight|motor|all] [--resolution simplified|ways|full] --out DIR`: import an OpenStreetMap extract into a data
//! folder, then print its counts.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::json;

use corridor::format::round_to;
use corridor::network::osm::{self, BBox, OsmOptions, Resolution, RoadClasses};
use corridor::network::{Country, Mode};

use super::{print_warnings, stage_out, stdout, write_key_values, Format, Global, Progress};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(Debug, clap::Subcommand)]
pub enum Source {
    /// Import rail and roads from an OpenStreetMap PBF extract into a data folder (--out).
    Osm(OsmArgs),
}

#[derive(Debug, clap::Args)]
pub struct OsmArgs {
    /// The `.osm.pbf` extract (only read).
    pub file: PathBuf,
    /// ISO 3166-1 alpha-2 code of places outside every complete country boundary in the
    /// extract (IM for the Isle of Man, FI for Helsinki, FR for the Monaco extract's
    /// surroundings).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Import railways (`railway=rail` and its disused/abandoned/construction forms). With
    /// neither --rail nor --road, both.
    #[arg(long)]
    pub rail: bool,
    /// Import roads (`highway=*` of the --roads classes).
    #[arg(long)]
    pub road: bool,
    /// Road classes: freight (motorway..tertiary and their links), motor (also unclassified,
    /// residential, living_street, service, road), all (every highway on the ground, footways
    /// and paths included: routing benchmarks).
    #[arg(long, value_enum, default_value_t = RoadsArg::Freight)]
    pub roads: RoadsArg,
    /// Same as --roads all.
    #[arg(long)]
    pub all_roads: bool,
    /// Leave out ways that are not open (disused, abandoned, under construction, proposed).
    #[arg(long)]
    pub only_open: bool,
    /// Keep only what lies inside W,S,E,N (degrees).
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// simplified: merge degree-2 chains (default); ways: split ways at shared nodes only;
    /// full: every OSM node a node (routing benchmarks).
    #[arg(long, value_enum, default_value_t = ResolutionArg::Simplified)]
    pub resolution: ResolutionArg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoadsArg {
    Freight,
    Motor,
    All,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResolutionArg {
    Simplified,
    Ways,
    Full,
}

/// The phases of [`osm::ImportStats::seconds`].
const PHASES: [&str; 5] = ["framing", "ways", "boundaries", "nodes", "graph"];

pub fn run(global: &Global, args: &Args) -> Result<ExitCode> {
    match &args.source {
        Source::Osm(a) => run_osm(global, a),
    }
}

/// The import options, checked before any reading.
fn options_of(args: &OsmArgs) -> Result<OsmOptions> {
    let Some(code) = args.country.as_deref() else {
        anyhow::bail!(
            "--country CC is required: the ISO 3166-1 alpha-2 code of places outside every \
             complete country boundary in the extract (e.g. --country IM for the Isle of Man, \
             FI for Helsinki)"
        );
    };
    let country = Country::parse(code)
        .with_context(|| format!("--country {code:?} is not a two-letter ISO 3166-1 code"))?;
    let mut options = OsmOptions::new(country);
    if args.rail || args.road {
        options.rail = args.rail;
        options.road = args.road;
    }
    options.road_classes = match (args.all_roads, args.roads) {
        (true, _) | (_, RoadsArg::All) => RoadClasses::All,
        (_, RoadsArg::Motor) => RoadClasses::Motor,
        (_, RoadsArg::Freight) => RoadClasses::Freight,
    };
    if options.road_classes != RoadClasses::Freight && !options.road {
        anyhow::bail!("--roads and --all-roads need roads: drop --rail or add --road");
    }
    options.only_open = args.only_open;
    options.bbox = match &args.bbox {
        Some(b) => Some(BBox::parse(b).map_err(anyhow::Error::msg)?),
        None => None,
    };
    options.resolution = match args.resolution {
        ResolutionArg::Simplified => Resolution::Simplified,
        ResolutionArg::Ways => Resolution::Ways,
        ResolutionArg::Full => Resolution::Full,
    };
    Ok(options)
}

fn run_osm(global: &Global, args: &OsmArgs) -> Result<ExitCode> {
    anyhow::ensure!(
        global.data.is_none(),
        "import reads an OpenStreetMap extract and writes a data folder (--out), it reads none: drop --data"
    );
    let mut options = options_of(args)?;
    let staged = stage_out(global, "import")?;

    let started = Instant::now();
    let progress = Progress::spinner(global, &format!("importing {}", args.file.display()));
    options.progress = progress.tick();
    let imported = osm::import(&args.file, &options);
    progress.finish();
    let imported = imported?;
    let import_s = started.elapsed().as_secs_f64();
    let mut written = osm::write_data_folder(&imported, staged.path())?;
    for (f, _) in &mut written.files {
        *f = staged.final_path(f);
    }
    let out_dir = staged.commit()?;
    let total_s = started.elapsed().as_secs_f64();
    print_warnings(&imported.warnings)?;

    let net = &imported.network;
    let s = &imported.stats;
    let km_rail = imported.km(Mode::Rail);
    let km_road = imported.km(Mode::Road);
    let links_of = |m: Mode| net.links.iter().filter(|l| l.mode == m).count();
    let v = json!({
        "file": args.file.display().to_string(),
        "out": out_dir.display().to_string(),
        "options": options.describe(),
        "nodes": net.nodes.len(),
        "links": net.links.len(),
        "km": round_to(km_rail + km_road, 1),
        "rail": {"links": links_of(Mode::Rail), "km": round_to(km_rail, 1)},
        "road": {"links": links_of(Mode::Road), "km": round_to(km_road, 1)},
        "border_crossings": s.border_crossings,
        "ways_read": s.ways_read,
        "rail_ways": s.rail_ways,
        "road_ways": s.road_ways,
        "warnings": imported.warnings.len(),
        "seconds": {
            "import": round_to(import_s, 3),
            "total": round_to(total_s, 3),
            "phases": PHASES.iter().zip(s.seconds).map(|(p, t)| (p.to_string(), json!(round_to(t, 3)))).collect::<serde_json::Map<_, _>>(),
        },
    });
    let mut out = stdout();
    match global.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?,
        Format::Csv => write_key_values(&mut out, &v)?,
        Format::Table => {
            writeln!(
                out,
                "imported {} -> {}",
                args.file.display(),
                out_dir.display()
            )?;
            writeln!(out, "{}", options.describe())?;
            writeln!(
                out,
                "{} nodes, {} links, {:.1} km (rail {} links {:.1} km; road {} links {:.1} km)",
                net.nodes.len(),
                net.links.len(),
                km_rail + km_road,
                links_of(Mode::Rail),
                km_rail,
                links_of(Mode::Road),
                km_road
            )?;
            writeln!(
                out,
                "ways read {}, kept {} rail + {} road; border crossings {}; warnings {}",
                s.ways_read,
                s.rail_ways,
                s.road_ways,
                s.border_crossings,
                imported.warnings.len()
            )?;
            for (path, bytes) in &written.files {
                writeln!(out, "  wrote {} ({} bytes)", path.display(), bytes)?;
            }
            let phases: Vec<String> = PHASES
                .iter()
                .zip(s.seconds)
                .map(|(p, t)| format!("{p} {t:.2}"))
                .collect();
            writeln!(
                out,
                "import {import_s:.2} s ({}), with writing {total_s:.2} s",
                phases.join(", ")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
