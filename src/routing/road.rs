//! [`RoadGraph`]: a plain weighted directed graph for big-graph routing and benchmarks (the OSM
//! road graph, Bremen, a TNTP network, a synthetic grid), with integer arc weights and optional
//! coordinates; conversions from the project's networks; renumbering; a text export for peers.
//!
//! # Why integer weights
//! Weights are `u32` (as RoutingKit's and fast_paths'): the contraction hierarchy ([`super::cch`])
//! sums them in `u32` under [`INF`], and Dijkstra over the same values in `f64` sums integers below
//! 2^53 exactly, so that the two are compared with `==`, never with a tolerance. Each constructor
//! names its unit ([`RoadGraph::weight_unit`]).
//!
//! # Invariant
//! Every arc weight is below [`INF`] (`u32::MAX / 2`), so that the sum of two distances below
//! [`INF`] never overflows `u32`; [`RoadGraph::new`] checks it. A path of length [`INF`] or more
//! reads as unreachable in the CCH: exactness needs shortest distances below [`INF`], which holds
//! whenever the weight sum ([`RoadGraph::weight_sum`]) is below it (Bremen's travel times in
//! milliseconds sum to 9.9e9 but its distances stay below 1e7).

use std::path::PathBuf;

use crate::network::dimacs::DimacsGraph;
use crate::network::tntp::TntpNet;
use crate::network::{LinkStatus, Network};
use crate::routing::csr::{Csr, CsrError};

/// "Unreachable" distance; `INF + INF` still fits `u32`.
pub const INF: u32 = u32::MAX / 2;

/// Errors building or reading a [`RoadGraph`].
#[derive(Debug, thiserror::Error)]
pub enum RoadGraphError {
    #[error("arc {arc}: node {node} is out of range (the graph has {num_nodes} nodes)")]
    NodeOutOfRange {
        arc: usize,
        node: u32,
        num_nodes: usize,
    },
    #[error("{count} arcs but {weights} weights")]
    WeightCount { count: usize, weights: usize },
    #[error("{count} nodes but {coords} coordinates")]
    CoordCount { count: usize, coords: usize },
    #[error("arc {arc}: weight {weight} is not below the limit {INF} of the u32 routing core")]
    WeightTooLarge { arc: usize, weight: u32 },
    #[error(transparent)]
    Csr(#[from] CsrError),
    #[error("{}:{line}: {problem}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        problem: String,
    },
}

/// A weighted directed graph with `u32` node ids, arc weights and, when known, node coordinates.
///
/// ```text
///   0 --5--> 1 --2--> 2        arcs    [(0, 1), (1, 2), (2, 0)]
///   ^                 |        weights [5, 2, 7]
///   '--------7--------'
/// ```
#[derive(Debug, Clone)]
pub struct RoadGraph {
    /// What the graph is (for reports).
    pub name: String,
    num_nodes: usize,
    arcs: Vec<(u32, u32)>,
    weights: Vec<u32>,
    /// `[x, y]` per node: longitude and latitude for geographic graphs, plane units otherwise.
    coords: Option<Vec<[f64; 2]>>,
    /// The unit of a weight, e.g. "0.1 s" or "m".
    pub weight_unit: String,
}

impl RoadGraph {
    /// Builds a graph, checking ids, counts and the weight-sum invariant.
    ///
    /// # Errors
    /// [`RoadGraphError`] for an out-of-range node, mismatched counts or a weight of [`INF`] or
    /// more.
    ///
    /// # Examples
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use corridor::routing::road::RoadGraph;
    /// let g = RoadGraph::new("triangle", 3, vec![(0, 1), (1, 2), (2, 0)], vec![5, 2, 7], None, "s")?;
    /// assert_eq!((g.num_nodes(), g.num_arcs()), (3, 3));
    /// # Ok(()) }
    /// ```
    pub fn new(
        name: &str,
        num_nodes: usize,
        arcs: Vec<(u32, u32)>,
        weights: Vec<u32>,
        coords: Option<Vec<[f64; 2]>>,
        weight_unit: &str,
    ) -> Result<RoadGraph, RoadGraphError> {
        if arcs.len() != weights.len() {
            return Err(RoadGraphError::WeightCount {
                count: arcs.len(),
                weights: weights.len(),
            });
        }
        if let Some(c) = &coords {
            if c.len() != num_nodes {
                return Err(RoadGraphError::CoordCount {
                    count: num_nodes,
                    coords: c.len(),
                });
            }
        }
        for (arc, &(t, h)) in arcs.iter().enumerate() {
            for node in [t, h] {
                if node as usize >= num_nodes {
                    return Err(RoadGraphError::NodeOutOfRange {
                        arc,
                        node,
                        num_nodes,
                    });
                }
            }
        }
        if let Some(arc) = weights.iter().position(|&w| w >= INF) {
            return Err(RoadGraphError::WeightTooLarge {
                arc,
                weight: weights[arc],
            });
        }
        Ok(RoadGraph {
            name: name.to_string(),
            num_nodes,
            arcs,
            weights,
            coords,
            weight_unit: weight_unit.to_string(),
        })
    }

    pub fn num_nodes(&self) -> usize {
        self.num_nodes
    }

    pub fn num_arcs(&self) -> usize {
        self.arcs.len()
    }

    /// The `(tail, head)` pairs, in input order.
    pub fn arcs(&self) -> &[(u32, u32)] {
        &self.arcs
    }

    /// The weight of each arc, in input order.
    pub fn weights(&self) -> &[u32] {
        &self.weights
    }

    /// The sum of all weights: when below [`INF`], every distance is exact in `u32`.
    pub fn weight_sum(&self) -> u64 {
        self.weights.iter().map(|&w| w as u64).sum()
    }

    pub fn coords(&self) -> Option<&[[f64; 2]]> {
        self.coords.as_deref()
    }

    /// The graph with node `v` renamed `new_id[v]` (a permutation); arcs keep their order.
    ///
    /// # Panics
    /// If `new_id` is not a permutation of `0..num_nodes` (a programming error, not user data).
    pub fn renumbered(&self, new_id: &[u32]) -> RoadGraph {
        assert_eq!(
            new_id.len(),
            self.num_nodes,
            "renumbering of the wrong size"
        );
        let arcs = self
            .arcs
            .iter()
            .map(|&(t, h)| (new_id[t as usize], new_id[h as usize]))
            .collect();
        let coords = self.coords.as_ref().map(|c| {
            let mut out = vec![[0.0; 2]; c.len()];
            for (v, &p) in c.iter().enumerate() {
                out[new_id[v] as usize] = p;
            }
            out
        });
        RoadGraph {
            name: self.name.clone(),
            num_nodes: self.num_nodes,
            arcs,
            weights: self.weights.clone(),
            coords,
            weight_unit: self.weight_unit.clone(),
        }
    }

    /// The graph in CSR form with its weights in CSR arc order (as `f64`, exact integers).
    ///
    /// # Errors
    /// [`RoadGraphError::Csr`] when the counts do not fit `u32` ids.
    pub fn csr(&self) -> Result<(Csr, Vec<f64>), RoadGraphError> {
        let csr = Csr::from_arcs(self.num_nodes, &self.arcs)?;
        let w = (0..csr.num_arcs() as u32)
            .map(|a| self.weights[csr.input_index(a) as usize] as f64)
            .collect();
        Ok((csr, w))
    }

    /// Memory held by the graph's arrays, in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.arcs.len() * 12 + self.coords.as_ref().map_or(0, |c| c.len() * 16)
    }

    /// A TNTP network as a plain graph: one arc per link, weight = `length` in thousandths of the
    /// file's length unit (rounded). Zones are treated as ordinary nodes here (a benchmark
    /// compares algorithms on one plain graph; the assignment honours the zone rule).
    ///
    /// # Errors
    /// As [`RoadGraph::new`].
    pub fn from_tntp(name: &str, net: &TntpNet) -> Result<RoadGraph, RoadGraphError> {
        let weights = net
            .arcs
            .iter()
            .map(|a| (a.length * 1000.0).round().clamp(0.0, INF as f64) as u32)
            .collect();
        RoadGraph::new(
            name,
            net.nodes as usize,
            net.pairs(),
            weights,
            None,
            "0.001 length unit",
        )
    }

    /// A DIMACS arc list ([`crate::network::dimacs`]) with its weights as given (unit "file").
    ///
    /// # Errors
    /// As [`RoadGraph::new`].
    pub fn from_dimacs(name: &str, g: &DimacsGraph) -> Result<RoadGraph, RoadGraphError> {
        let arcs = g.arcs.iter().map(|&(t, h, _)| (t, h)).collect();
        let weights = g.arcs.iter().map(|&(_, _, w)| w).collect();
        RoadGraph::new(name, g.nodes as usize, arcs, weights, None, "file")
    }

    /// A network of places and links (a data folder, an OSM import) as a plain graph: every open
    /// link gives an arc each way (one for a one-way link), weighted by its running time
    /// `length_km / speed_kmh` in tenths of a second, rounded; a link without a speed runs at
    /// [`DEFAULT_SPEED_KMH`]. Coordinates are the places' longitude and latitude. Border dwell,
    /// transfers and access rules are the router's business, not this graph's.
    ///
    /// # Errors
    /// As [`RoadGraph::new`].
    pub fn from_network(name: &str, net: &Network) -> Result<RoadGraph, RoadGraphError> {
        let mut arcs = Vec::with_capacity(net.links.len() * 2);
        let mut weights = Vec::with_capacity(net.links.len() * 2);
        for link in &net.links {
            if link.status != LinkStatus::Open {
                continue;
            }
            let speed = link
                .speed_kmh
                .filter(|s| s.is_finite() && *s > 0.0)
                .unwrap_or(DEFAULT_SPEED_KMH);
            let w = (link.length_km / speed * 36_000.0)
                .round()
                .clamp(0.0, INF as f64) as u32;
            arcs.push((link.from.0, link.to.0));
            weights.push(w);
            if !link.oneway {
                arcs.push((link.to.0, link.from.0));
                weights.push(w);
            }
        }
        let coords = net
            .nodes
            .iter()
            .map(|n| [n.position.lon, n.position.lat])
            .collect();
        RoadGraph::new(name, net.nodes.len(), arcs, weights, Some(coords), "0.1 s")
    }
}

/// The speed of a link that gives none, in km/h.
pub const DEFAULT_SPEED_KMH: f64 = 50.0;
