//! `report.md`: a run's answers in prose and tables for people: the claims' verdicts with their
//! figures, each route under each scenario, which projects restore which routes and their credit,
//! the charts, the layers and where the inputs came from.
//!
//! The report holds no clock time, so that two runs on the same inputs write the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::claims::ClaimResult;
use crate::analysis::compare::{Cell, Change};
use crate::analysis::study::RestoreReport;
use crate::scenario::{Dataset, Skipped, TradeRoute};

use super::tables::set_name;
use super::{write_atomic, OutputError};

/// Everything a report shows.
pub struct Report<'a> {
    pub data: &'a Dataset,
    /// Metric name and unit of costs ("time", "h").
    pub metric: (&'a str, &'a str),
    pub cells: &'a [Cell],
    pub restore: &'a RestoreReport,
    pub claims: &'a [ClaimResult],
    /// `(title, file name)` of each chart, PNG.
    pub charts: &'a [(String, String)],
    /// File names of the GIS layers.
    pub layers: &'a [String],
    /// Extra sections written by later analyses (criticality, simulation), in order.
    pub sections: &'a [(String, String)],
    /// `(file, sha256)` of each input.
    pub inputs: &'a [(String, String)],
    /// Stages of the run that did not apply to the data folder ([`Dataset::run_skips`]): their
    /// sections say so instead of showing empty tables.
    pub skipped: &'a [Skipped],
}

fn num(x: f64, digits: usize) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        "—".into()
    }
}

impl Report<'_> {
    /// Writes `report.md` into `dir`.
    ///
    /// # Errors
    /// [`OutputError`] naming the file when it cannot be written.
    pub fn write(&self, dir: &Path) -> Result<(), OutputError> {
        let text = self.render();
        write_atomic(&dir.join("report.md"), text.as_bytes())
    }

    /// The report's Markdown text.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let net = &self.data.network;
        let (metric, unit) = self.metric;
        let total_km: f64 = net.links.iter().map(|l| l.length_km).sum();
        let _ = writeln!(s, "# corridor run: {}\n", self.data.dir.display());
        let _ = writeln!(
            s,
            "The network has {} places and {} links ({:.0} km of rail, road and ferry), {} scenarios \
             ({} unblocking projects) and {} trade routes. Every route is searched for its own cargo \
             origin and modes, minimising **{metric}** ({unit}); costs below are in that unit unless \
             a column says otherwise. Hours (h) are running time plus modelled dwell at border \
             crossings, gauge changes, transshipments and ferry waits, not door-to-door times: \
             published averages are longer (about 7 days Yerevan–Russia by truck, caucasus-facts \
             §12.7).\n",
            net.nodes.len(),
            net.links.len(),
            total_km,
            self.data.scenarios.list.len(),
            self.data.scenarios.projects().count(),
            self.data.routes.len()
        );

        // Claims.
        if !self.claims.is_empty() {
            let _ = writeln!(s, "## The claims of the seed article\n");
            let _ = writeln!(s, "| claim | verdict | why | tested in |");
            let _ = writeln!(s, "|---|---|---|---|");
            for c in self.claims {
                let _ = writeln!(
                    s,
                    "| {} — “{}” | **{}** | {} | {} |",
                    c.claim.id,
                    c.claim.quote,
                    c.verdict.as_str(),
                    c.why,
                    c.claim.scenarios.join(", ")
                );
            }
            let _ = writeln!(
                s,
                "\n*new*: true only with the statement's projects; *already true*: true in the \
                 baseline, the projects add a connection or shorten it; *partly*: true in some of \
                 the scenarios tested; *not supported*: true in none.\n"
            );
            for c in self.claims {
                let _ = writeln!(
                    s,
                    "**{}** ({}): {}\n",
                    c.claim.id,
                    c.verdict.as_str(),
                    c.why
                );
                for f in &c.figures {
                    let _ = writeln!(s, "- {f}");
                }
                if let Some(note) = &c.claim.note {
                    let _ = writeln!(s, "\n  _Note: {note}_");
                }
                let _ = writeln!(s);
            }
        }

        match self.skip_reason("compare") {
            Some(why) => skipped_section(&mut s, "Every route under every scenario", why),
            None => self.compare_section(&mut s),
        }
        match self.skip_reason("restore") {
            Some(why) => skipped_section(&mut s, "Which projects restore which routes", why),
            None => self.restore_section(&mut s, unit),
        }

        for (title, body) in self.sections {
            let _ = writeln!(s, "## {title}\n\n{body}\n");
        }

        if !self.charts.is_empty() {
            let _ = writeln!(s, "## Charts\n");
            for (title, file) in self.charts {
                let _ = writeln!(s, "### {title}\n\n![{title}]({file})\n");
            }
        }
        if !self.layers.is_empty() {
            let _ = writeln!(s, "## Maps for GIS\n");
            let _ = writeln!(
                s,
                "Open `corridor.qgs` in QGIS (double-click it, or *Project > Open*): it loads {} \
                 styled. Each `.geojson` also opens on its own and picks up the `.qml` style beside \
                 it. Layers and properties are described in `output/README.md` of the project.\n",
                self.layers.join(", ")
            );
        }
        let _ = writeln!(s, "## Inputs\n");
        let _ = writeln!(s, "| file | SHA-256 |");
        let _ = writeln!(s, "|---|---|");
        for (f, h) in self.inputs {
            let _ = writeln!(s, "| {f} | `{h}` |");
        }
        let _ = writeln!(
            s,
            "\nRun details (version, seed, threads, timings) are in `manifest.json`."
        );
        s
    }
}

impl Report<'_> {
    /// Why a stage was skipped, when it was.
    fn skip_reason(&self, stage: &str) -> Option<&str> {
        self.skipped
            .iter()
            .find(|k| k.stage == stage)
            .map(|k| k.reason.as_str())
    }

    /// Every route under every scenario, the changes against each base.
    fn compare_section(&self, s: &mut String) {
        let _ = writeln!(s, "## Every route under every scenario\n");
        let _ = writeln!(
        s,
        "Each scenario is compared with its base; `—` is unreachable. Full table: `compare.csv`.\n"
    );
        for route in &self.data.routes {
            let cells: Vec<&Cell> = self.cells.iter().filter(|c| c.route == route.id).collect();
            if cells.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "### {} ({}, cargo from {})\n",
                route.id,
                modes(route),
                route.cargo.name()
            );
            let _ = writeln!(
                s,
                "| scenario | km | h (running + dwell) | USD/t | borders | change against the base |"
            );
            let _ = writeln!(s, "|---|---:|---:|---:|---:|---|");
            for c in cells {
                // Only the scenarios that change something, and the reference ones.
                if c.base.is_some()
                    && matches!(c.change, Change::Unchanged | Change::StillUnreachable)
                {
                    continue;
                }
                let o = &c.outcome;
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    c.scenario,
                    num(o.km, 0),
                    num(o.hours, 1),
                    num(o.usd_per_t, 1),
                    if o.reachable {
                        o.borders.len().to_string()
                    } else {
                        "—".into()
                    },
                    if c.base.is_some() {
                        c.explanation.as_str()
                    } else {
                        "(reference)"
                    }
                );
            }
            let _ = writeln!(s);
        }
    }

    /// Which projects restore which routes, and their credit.
    fn restore_section(&self, s: &mut String, unit: &str) {
        let r = self.restore;
        let _ = writeln!(s, "## Which projects restore which routes\n");
        let _ = writeln!(
        s,
        "Candidates: {} projects closed in `{}`. A *restoring set* is a smallest set of projects \
         whose opening makes the route reachable; a set *within {} %* brings its cost to within \
         that share of the best cost with every candidate open. Shapley values share the cost \
         reduction ({unit}) fairly over all orders of opening; an unreachable route counts as \
         {}x the highest finite cost. Full tables: `restore_sets.csv`, `shapley.csv`.\n",
        r.projects.len(),
        r.base,
        r.options.threshold_pct,
        r.options.unreachable_factor
    );
        let _ = writeln!(
            s,
            "| route | in {} | restoring sets | best with all | within threshold | top credit |",
            r.base
        );
        let _ = writeln!(s, "|---|---:|---|---:|---|---|");
        for (route, rr) in self.data.routes.iter().zip(&r.routes) {
            let restoring = if rr.base_cost.is_finite() {
                let short: Vec<String> = rr
                    .shortening
                    .iter()
                    .map(|&(i, c)| {
                        format!(
                            "{} ({}) shortens it by {:.0} %",
                            r.projects[i],
                            r.members[i].kind,
                            rr.saving_pct(c)
                        )
                    })
                    .collect();
                if short.is_empty() {
                    "(reachable)".to_string()
                } else {
                    format!("(reachable; {})", short.join(", "))
                }
            } else if rr.restoring_sets.is_empty() {
                "none".to_string()
            } else {
                rr.restoring_sets
                    .iter()
                    .map(|x| format!("{} ({})", set_name(&r.projects, x), r.set_kinds(x)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            };
            let within: Vec<String> = rr
                .threshold_sets
                .iter()
                .map(|(x, _)| set_name(&r.projects, x))
                .collect();
            let credit = rr.top_credit(3);
            let top: Vec<String> = credit
                .iter()
                .map(|&(i, v)| format!("{} {v:.1}", r.projects[i]))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} |",
                route.id,
                num(rr.base_cost, 1),
                restoring,
                num(rr.all_cost, 1),
                within.join(" · "),
                top.join(", ")
            );
        }
        let synergies: Vec<String> = self
            .data
            .routes
            .iter()
            .zip(&r.routes)
            .flat_map(|(route, rr)| {
                rr.synergies.iter().map(move |&(a, b)| {
                    format!("{} + {} for {}", r.projects[a], r.projects[b], route.id)
                })
            })
            .collect();
        if !synergies.is_empty() {
            let _ = writeln!(
                s,
                "\nProjects that restore a route only together: {}.",
                synergies.join("; ")
            );
        }
        let _ = writeln!(
            s,
            "\nThe candidates: *link* projects are works (they open links and crossings), \
             *policy* projects are political decisions (they lift access rules and open nothing).\n"
        );
        let _ = writeln!(s, "| project | kind | name | opens |");
        let _ = writeln!(s, "|---|---|---|---|");
        for m in &r.members {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                m.id,
                m.kind,
                m.name,
                if m.opens.is_empty() {
                    "—".to_string()
                } else {
                    m.opens.join(", ")
                }
            );
        }
        let _ = writeln!(s);
    }
}

/// A section whose stage did not apply to the data folder: its title and why.
fn skipped_section(s: &mut String, title: &str, why: &str) {
    let _ = writeln!(s, "## {title}\n\nSkipped: {why}.\n");
}

fn modes(route: &TradeRoute) -> String {
    route
        .modes
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}
