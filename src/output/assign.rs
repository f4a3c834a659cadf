//! The files of a traffic assignment on a TNTP network (`corridor assign`): `links.csv` (each
//! link's flow, cost and volume/capacity, with the best known flow when there is one),
//! `convergence.csv` and its chart (the relative gap on a log scale), and `summary.json`. No file
//! holds a timing, so that they are byte-identical for any thread count.

use std::path::Path;

use serde_json::{json, Value};

use crate::network::tntp::{TntpFiles, TntpNet};
use crate::output::chart::{write_chart, LineChart, XySeries};
use crate::output::tables::{write_csv, write_json};
use crate::output::OutputError;
use crate::sim::{AssignOptions, Assignment, Comparison, CostFactors, Problem};

/// An assignment and what it ran on, as the files report it.
pub struct AssignRun<'a> {
    pub files: &'a TntpFiles,
    pub net: &'a TntpNet,
    pub problem: &'a Problem,
    /// Nodes with coordinates, when the network has a node file.
    pub coordinates: Option<usize>,
    pub factors: CostFactors,
    pub options: &'a AssignOptions,
    pub result: &'a Assignment,
    /// The best known flow of every link, in link order.
    pub reference: Option<&'a [f64]>,
    pub comparison: Option<&'a Comparison>,
}

impl AssignRun<'_> {
    /// Writes `links.csv`, `convergence.csv`, `convergence.png`/`.svg` and `summary.json` into
    /// `dir`; returns the summary.
    ///
    /// # Errors
    /// [`OutputError`] naming the file that could not be written.
    pub fn write(&self, dir: &Path) -> Result<Value, OutputError> {
        self.write_links(dir)?;
        self.write_convergence(dir)?;
        let method = self.options.method.as_str().to_uppercase();
        let chart = LineChart {
            title: format!("{}: {method} convergence", self.files.name),
            x_axis: "iteration".into(),
            y_axis: "relative gap (TSTT - SPTT) / TSTT".into(),
            series: vec![XySeries {
                name: method.clone(),
                points: self
                    .result
                    .trace
                    .iter()
                    .map(|it| (it.iteration as f64, it.relative_gap))
                    .collect(),
            }],
            log_y: true,
        };
        write_chart(&chart, &dir.join("convergence"))?;
        let summary = self.summary();
        write_json(&dir.join("summary.json"), &summary)?;
        Ok(summary)
    }

    /// What `summary.json` holds: the network, the problem, the run and the comparison.
    pub fn summary(&self) -> Value {
        let (files, problem, options) = (self.files, self.problem, self.options);
        let last = self.result.last();
        json!({
            "network": files.name,
            "files": {
                "net": files.net.display().to_string(),
                "trips": files.trips.display().to_string(),
                "node": files.node.as_ref().map(|p| p.display().to_string()),
                "flow": files.flow.as_ref().map(|p| p.display().to_string()),
            },
            "nodes": problem.nodes(),
            "links": problem.links(),
            "zones": self.net.zones,
            "first_thru_node": self.net.first_thru_node,
            "node_coordinates": self.coordinates,
            "origins": problem.origins(),
            "od_pairs": problem.od_pairs(),
            "total_demand": problem.total_demand(),
            "intrazonal_demand_ignored": problem.intrazonal_demand(),
            "distance_factor": self.factors.distance,
            "toll_factor": self.factors.toll,
            "method": options.method.as_str(),
            "gap_target": options.gap,
            "max_iter": options.max_iter,
            "iterations": last.map(|l| l.iteration),
            "converged": self.result.converged,
            "relative_gap": last.map(|l| l.relative_gap),
            "tstt": last.map(|l| l.tstt),
            "beckmann": last.map(|l| l.beckmann),
            "best_known": self.comparison.map(comparison_json),
        })
    }

    fn write_links(&self, dir: &Path) -> Result<(), OutputError> {
        let mut header = vec![
            "link",
            "from",
            "to",
            "capacity",
            "free_flow_time",
            "flow",
            "cost",
            "volume_capacity",
        ];
        if self.reference.is_some() {
            header.extend(["best_known_flow", "deviation"]);
        }
        let rows: Vec<Vec<String>> = self
            .net
            .arcs
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let x = self.result.flows[i];
                let mut row = vec![
                    (i + 1).to_string(),
                    a.init.to_string(),
                    a.term.to_string(),
                    a.capacity.to_string(),
                    a.free_flow_time.to_string(),
                    x.to_string(),
                    self.result.costs[i].to_string(),
                    (x / a.capacity).to_string(),
                ];
                if let Some(r) = self.reference {
                    row.push(r[i].to_string());
                    row.push((x - r[i]).to_string());
                }
                row
            })
            .collect();
        write_csv(&dir.join("links.csv"), &header, &rows)
    }

    fn write_convergence(&self, dir: &Path) -> Result<(), OutputError> {
        let header = [
            "iteration",
            "relative_gap",
            "tstt",
            "sptt",
            "beckmann",
            "step",
            "direction",
        ];
        let rows: Vec<Vec<String>> = self
            .result
            .trace
            .iter()
            .map(|it| {
                vec![
                    it.iteration.to_string(),
                    it.relative_gap.to_string(),
                    it.tstt.to_string(),
                    it.sptt.to_string(),
                    it.beckmann.to_string(),
                    it.step.to_string(),
                    it.direction.as_str().to_string(),
                ]
            })
            .collect();
        write_csv(&dir.join("convergence.csv"), &header, &rows)
    }
}

fn comparison_json(c: &Comparison) -> Value {
    json!({
        "links": c.links,
        "mean_flow": c.mean_flow,
        "flow_weighted_mad": c.weighted_mad,
        "flow_weighted_mad_over_mean_flow": c.relative_weighted_mad(),
        "mad": c.mad,
        "max_abs_deviation": c.max_abs_dev,
        "max_deviation_link": c.max_dev_link + 1,
        "objective": c.objective,
        "best_known_objective": c.best_known_objective,
        "objective_relative_error": c.objective_rel_error(),
    })
}
