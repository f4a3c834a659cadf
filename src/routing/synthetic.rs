//! A seeded generator of road-like graphs for scaling benchmarks: a jittered grid of local streets
//! (100 m apart, 50 km/h) with some streets missing, every 32nd row and column an arterial
//! (80 km/h), and diagonal highways (120 km/h) every 256 cells.
//!
//! ```text
//!   o---o---o   o---o      o  node (jittered around its grid point)
//!   |   | \ |   |   |      --- street, both ways; a gap is a removed street
//!   o---o---o---o---o      \  a diagonal highway
//!   |       | \ |   |
//!   o---o---o---o---o
//! ```
//!
//! Nodes are numbered row by row (already local); weights are running times in tenths of a
//! second; coordinates are metres in the plane.

use super::road::{RoadGraph, RoadGraphError};
use crate::util::SplitMix64;

/// Grid spacing, metres.
const SPACING_M: f64 = 100.0;
/// Share of local streets removed.
const REMOVED: f64 = 0.12;

/// One street of a road-like layout, both ways: its two nodes and its class's speed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Street {
    pub a: u32,
    pub b: u32,
    /// Kilometres per hour: 50 (local street), 80 (arterial) or 120 (diagonal highway).
    pub kmh: f64,
    /// Length in metres in the plane.
    pub metres: f64,
}

impl Street {
    /// Running time in tenths of a second (the weight of [`road_like`]'s arcs).
    pub fn tenths_of_second(&self) -> u32 {
        (self.metres / (self.kmh / 3.6) * 10.0).round() as u32
    }
}

/// The layout of [`road_like`] before it becomes a graph: node coordinates (metres in the
/// plane, row by row) and the streets, in generation order.
#[derive(Debug, Clone, PartialEq)]
pub struct RoadLayout {
    /// Nodes per row and per column.
    pub side: usize,
    pub coords: Vec<[f64; 2]>,
    pub streets: Vec<Street>,
}

/// The seeded layout behind [`road_like`] (same nodes, streets and order for the same
/// `nodes` and `seed`); `corridor synth grid` writes it as a data folder.
///
/// # Complexity
/// O(n) time and memory.
pub fn road_like_layout(nodes: usize, seed: u64) -> RoadLayout {
    let side = (nodes as f64).sqrt().ceil().max(1.0) as usize;
    let n = side * side;
    let mut rng = SplitMix64::new(seed);
    let coords: Vec<[f64; 2]> = (0..n)
        .map(|v| {
            let (r, c) = (v / side, v % side);
            [
                c as f64 * SPACING_M + rng.range(-30.0, 30.0),
                r as f64 * SPACING_M + rng.range(-30.0, 30.0),
            ]
        })
        .collect();
    let mut streets = Vec::with_capacity(n * 2);
    let mut add = |a: usize, b: usize, kmh: f64| {
        let (p, q) = (coords[a], coords[b]);
        let metres = ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
        streets.push(Street {
            a: a as u32,
            b: b as u32,
            kmh,
            metres,
        });
    };
    for r in 0..side {
        for c in 0..side {
            let v = r * side + c;
            if c + 1 < side {
                let arterial = r % 32 == 0;
                if arterial || !rng.chance(REMOVED) {
                    add(v, v + 1, if arterial { 80.0 } else { 50.0 });
                }
            }
            if r + 1 < side {
                let arterial = c % 32 == 0;
                if arterial || !rng.chance(REMOVED) {
                    add(v, v + side, if arterial { 80.0 } else { 50.0 });
                }
            }
            if r + 1 < side && c + 1 < side && (r + 2 * side - c) % 256 == 0 {
                add(v, v + side + 1, 120.0);
            }
            if r + 1 < side && c >= 1 && (r + c) % 256 == 0 {
                add(v, v + side - 1, 120.0);
            }
        }
    }
    RoadLayout {
        side,
        coords,
        streets,
    }
}

/// A road-like graph of about `nodes` nodes (a `side x side` grid, `side = ceil(sqrt(nodes))`).
///
/// # Errors
/// [`RoadGraphError`] only if the graph does not fit `u32` ids.
///
/// # Complexity
/// O(n) time and memory; about 0.1 s per million nodes.
///
/// # Examples
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let g = corridor::routing::synthetic::road_like(10_000, 7)?;
/// assert_eq!(g.num_nodes(), 10_000);
/// assert!(g.num_arcs() > 30_000);
/// # Ok(()) }
/// ```
pub fn road_like(nodes: usize, seed: u64) -> Result<RoadGraph, RoadGraphError> {
    let layout = road_like_layout(nodes, seed);
    let mut arcs = Vec::with_capacity(layout.streets.len() * 2);
    let mut weights = Vec::with_capacity(layout.streets.len() * 2);
    for s in &layout.streets {
        let w = s.tenths_of_second();
        arcs.push((s.a, s.b));
        arcs.push((s.b, s.a));
        weights.push(w);
        weights.push(w);
    }
    let (side, n) = (layout.side, layout.coords.len());
    RoadGraph::new(
        &format!("synthetic {side}x{side} (seed {seed})"),
        n,
        arcs,
        weights,
        Some(layout.coords),
        "0.1 s",
    )
}
