//! Analyses over a network and its scenarios.
//!
//! - [`connectivity`]: components, bridges and articulation points.
//! - [`betweenness`]: Brandes betweenness of nodes and arcs, exact or sampled.
//! - [`claims`]: the seed article's claims and their verdicts.
//! - [`compare`]: every trade route under every scenario, with the change against the base and a
//!   one-line explanation.
//! - [`pareto`]: one multi-label search per route finds every Pareto path over (projects needed,
//!   cost).
//! - [`lattice`]: from those labels, the best cost of every subset of projects, the minimal
//!   subsets that restore a route, and each project's Shapley value.

pub mod betweenness;
pub mod candidates;
pub mod cch_closure;
pub mod claims;
pub mod compare;
pub mod connectivity;
pub mod critical;
pub mod criticality;
pub mod lattice;
pub mod pareto;
pub mod restore;
pub mod study;
