//! `report.md`: a run's answers in prose and tables for people: the claims' verdicts with their
//! figures, each route under each scenario, which projects restore which routes and their credit,
//! the charts, the layers and where the inputs came from.
//!
//! The report holds no clock time, so that two runs on the same inputs write the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use crate::analysis::claims::ClaimResult;
use crate::analysis::compare::{Cell, Change};
use crate::analysis::restore::RouteRestore;
use crate::analysis::study::RestoreReport;
use crate::scenario::{Dataset, Skipped, TradeRoute};

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
    /// The answer first: each trade route's state in the restore base, then every minimal set of
    /// projects that restores it (by name, each member's kind and what it opens), the route's
    /// cost with the set open and the change.
    fn answer_table(&self) -> String {
        let mut s = String::new();
        let r = self.restore;
        let (_, unit) = self.metric;
        let base_name = self
            .data
            .scenarios
            .get(&r.base)
            .map_or(r.base.as_str(), |x| x.name.as_str());
        let _ = writeln!(
            s,
            "## Which projects restore which trade routes
"
        );
        let _ = writeln!(
            s,
            "Against “{base_name}” (`{}`), with the {} candidate projects closed there. A \
             “restoring set” is a smallest set of projects whose opening makes the route reachable \
             (no member can be left out); below a set, the same set with one more project that makes \
             the route at least {:.0} % cheaper (every member still needed). A route reachable \
             already needs none, and the projects that alone make it cheaper are listed as \
             “shortens”. “link” projects are works (they \
             open the links and crossings named), “policy” projects are political decisions (they \
             lift access rules and open nothing). Costs are {} in {unit}. Full tables: \
             `restore_sets.csv`, `restore.json`.\n",
            r.base,
            r.projects.len(),
            r.options.threshold_pct,
            self.metric.0
        );
        let _ = writeln!(
            s,
            "| trade route | in {base_name}, {unit} | projects opened | kind: what each does | cost with them open, {unit} | change, {unit} |"
        );
        let _ = writeln!(s, "|---|---|---|---|---:|---|");
        let member = |i: usize| {
            let m = &r.members[i];
            format!("{}: {}", m.kind, m.does())
        };
        let names = |set: &[usize]| {
            set.iter()
                .map(|&i| r.members[i].name.clone())
                .collect::<Vec<_>>()
                .join(" + ")
        };
        let kinds = |set: &[usize]| {
            set.iter()
                .map(|&i| member(i))
                .collect::<Vec<_>>()
                .join("; ")
        };
        for (route, rr) in self.data.routes.iter().zip(&r.routes) {
            let mut rows: Vec<[String; 4]> = Vec::new();
            let state = if rr.base_cost.is_finite() {
                let mut shortening = rr.shortening.clone();
                shortening.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
                for &(i, c) in &shortening {
                    rows.push([
                        format!("{} (shortens)", r.members[i].name),
                        member(i),
                        num(c, 1),
                        format!(
                            "{:+.1} ({:+.0} %)",
                            c - rr.base_cost,
                            100.0 * (c / rr.base_cost - 1.0)
                        ),
                    ]);
                }
                if rows.is_empty() {
                    rows.push([
                        "none needed".into(),
                        "—".into(),
                        num(rr.base_cost, 1),
                        "no change".into(),
                    ]);
                }
                num(rr.base_cost, 1)
            } else {
                let mut order: Vec<usize> = (0..rr.restoring_sets.len()).collect();
                order.sort_by(|&a, &b| {
                    rr.restoring_costs[a]
                        .total_cmp(&rr.restoring_costs[b])
                        .then(a.cmp(&b))
                });
                for &k in &order {
                    let set = &rr.restoring_sets[k];
                    let alone = rr.restoring_costs[k];
                    rows.push([names(set), kinds(set), num(alone, 1), "restored".into()]);
                    for &(i, c) in &rr.improved_by[k] {
                        rows.push([
                            format!("{} + {}", names(set), r.members[i].name),
                            format!("adds {}", member(i)),
                            num(c, 1),
                            format!(
                                "restored; {:+.1} ({:+.0} %) by adding it",
                                c - alone,
                                100.0 * (c / alone - 1.0),
                            ),
                        ]);
                    }
                }
                match order.first() {
                    None => {
                        rows.push([
                            "none restores it".into(),
                            "—".into(),
                            "—".into(),
                            "still unreachable".into(),
                        ]);
                        "unreachable: no open path, and no candidate project opens one".into()
                    }
                    Some(&k) => {
                        let set = &rr.restoring_sets[k];
                        let blocked: Vec<String> = set
                            .iter()
                            .map(|&i| {
                                let m = &r.members[i];
                                if m.opens.is_empty() {
                                    format!("barred by access rules (lifted by “{}”)", m.name)
                                } else {
                                    format!("closed at {}", m.opens.join(", "))
                                }
                            })
                            .collect();
                        format!(
                            "unreachable: its cheapest way is {}",
                            blocked.join("; and ")
                        )
                    }
                }
            };
            for (k, row) in rows.iter().enumerate() {
                let (name, st) = if k == 0 {
                    (route.id.as_str(), state.as_str())
                } else {
                    ("", "")
                };
                let _ = writeln!(
                    s,
                    "| {name} | {st} | {} | {} | {} | {} |",
                    row[0], row[1], row[2], row[3]
                );
            }
        }
        let _ = writeln!(s);
        s
    }

    fn scenario_name<'s>(&'s self, id: &'s str) -> &'s str {
        self.data.scenarios.name_of(id)
    }

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

        match self.skip_reason("restore") {
            Some(why) => skipped_section(&mut s, "Which projects restore which trade routes", why),
            None => s.push_str(&self.answer_table()),
        }

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
                    c.claim
                        .scenarios
                        .iter()
                        .map(|x| self.scenario_name(x))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let _ = writeln!(
                s,
                "\n“new”: true only with the statement's projects; “already true”: true in the \
                 baseline, the projects add a connection or shorten it; “partly”: true in some of \
                 the scenarios tested; “not supported”: true in none.\n"
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

        // Credit and candidates.
        if self.skip_reason("restore").is_none() {
            self.credit_section(&mut s);
        }

        for (title, body) in self.sections {
            let _ = writeln!(s, "## {title}\n\n{body}\n");
        }

        match self.skip_reason("compare") {
            Some(why) => skipped_section(&mut s, "Every route under every scenario", why),
            None => self.compare_section(&mut s),
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

    /// Each project's share of each route's gain, and the candidates by kind.
    fn credit_section(&self, s: &mut String) {
        let (_, unit) = self.metric;
        let r = self.restore;
        let _ = writeln!(s, "## Each project's share of each route's gain\n");
        let _ = writeln!(
            s,
            "For a route {} cannot reach, a project's share is its Shapley value in the game \
             \"reachable or not\" (the shares sum to 100 %); for a route it reaches, its Shapley \
             share of the cost saved with every candidate open. A set “within {} %” brings the \
             route's cost to within that share of the best cost with every candidate open: it \
             does not restore anything by itself being listed here. Full table: `shapley.csv`.\n",
            self.scenario_name(&r.base),
            r.options.threshold_pct
        );
        let _ = writeln!(
            s,
            "| route | best with every candidate open, {unit} | within {} % of it | largest shares of the gain |",
            r.options.threshold_pct
        );
        let _ = writeln!(s, "|---|---:|---|---|");
        for (route, rr) in self.data.routes.iter().zip(&r.routes) {
            let within: Vec<String> = rr
                .threshold_sets
                .iter()
                .map(|(x, _)| {
                    if x.is_empty() {
                        "nothing needed".to_string()
                    } else {
                        x.iter()
                            .map(|&i| r.members[i].name.clone())
                            .collect::<Vec<_>>()
                            .join(" + ")
                    }
                })
                .collect();
            let mut shares: Vec<(usize, f64)> = gain_shares(rr).into_iter().enumerate().collect();
            shares.retain(|&(_, v)| v > 0.005);
            shares.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let top: Vec<String> = shares
                .iter()
                .take(3)
                .map(|&(i, v)| format!("{} {:.0} %", r.members[i].name, 100.0 * v))
                .collect();
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                route.id,
                num(rr.all_cost, 1),
                if within.is_empty() {
                    "—".to_string()
                } else {
                    within.join(" · ")
                },
                if top.is_empty() {
                    "no gain".to_string()
                } else {
                    top.join(", ")
                }
            );
        }
        let synergies: Vec<String> = self
            .data
            .routes
            .iter()
            .zip(&r.routes)
            .flat_map(|(route, rr)| {
                rr.synergies.iter().map(move |&(a, b)| {
                    format!(
                        "{} + {} for {}",
                        r.members[a].name, r.members[b].name, route.id
                    )
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
        let _ = writeln!(s, "\nThe candidate projects:\n");
        let _ = writeln!(s, "| project | kind | id | opens |");
        let _ = writeln!(s, "|---|---|---|---|");
        for m in &r.members {
            let _ = writeln!(
                s,
                "| {} | {} | `{}` | {} |",
                m.name,
                m.kind,
                m.id,
                if m.opens.is_empty() {
                    "— (access rules)".to_string()
                } else {
                    m.opens.join(", ")
                }
            );
        }
        let _ = writeln!(s);
    }

    /// Every route under every scenario, the changes against each base.
    fn compare_section(&self, s: &mut String) {
        let _ = writeln!(s, "## Every route under every scenario\n");
        let _ = writeln!(
            s,
            "Each scenario is compared with its base (“no change”: the same path and cost); `—` is \
             unreachable. Full table: `compare.csv`.\n"
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
                "| scenario | km | h (running + dwell) | USD/t | borders (count) | change against the base |"
            );
            let _ = writeln!(s, "|---|---:|---:|---:|---:|---|");
            for c in cells {
                let o = &c.outcome;
                let quiet = matches!(c.change, Change::Unchanged | Change::StillUnreachable);
                let _ = writeln!(
                    s,
                    "| {} | {} | {} | {} | {} | {} |",
                    self.scenario_name(&c.scenario),
                    num(o.km, 0),
                    num(o.hours, 1),
                    num(o.usd_per_t, 1),
                    if o.reachable {
                        o.borders.len().to_string()
                    } else {
                        "—".into()
                    },
                    match (&c.base, quiet) {
                        (None, _) => "(reference)".to_string(),
                        (Some(_), true) => "no change".to_string(),
                        (Some(_), false) => c.explanation.clone(),
                    }
                );
            }
            let _ = writeln!(s);
        }
    }
}

/// A section whose stage did not apply to the data folder: its title and why.
fn skipped_section(s: &mut String, title: &str, why: &str) {
    let _ = writeln!(s, "## {title}\n\nSkipped: {why}.\n");
}

/// Each project's share of a route's gain, summing to 1 when there is a gain: for a route the
/// base cannot reach, its value in the reachability game (when the candidates restore it); for a
/// reachable route, its Shapley share of the cost saved with every candidate open. No gain gives
/// zeros. Unlike the capped cost game, no cost is invented for "unreachable".
pub fn gain_shares(rr: &RouteRestore) -> Vec<f64> {
    if rr.base_cost.is_infinite() {
        if rr.all_cost.is_finite() {
            rr.reach_share.clone()
        } else {
            vec![0.0; rr.reach_share.len()]
        }
    } else {
        let gain = rr.base_cost - rr.all_cost;
        if gain > 1e-9 {
            rr.shapley.iter().map(|v| v / gain).collect()
        } else {
            vec![0.0; rr.shapley.len()]
        }
    }
}

fn modes(route: &TradeRoute) -> String {
    route
        .modes
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}
