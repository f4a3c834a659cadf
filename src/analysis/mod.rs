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
//! - [`link_loss`]: the engine: the cost of losing each link of any CSR graph, by searching the
//!   detours only ([`cch_closure`] answers the same by a CCH).
//! - [`critical`]: the question: which links of a scenario cost the trade routes most to lose,
//!   with connectivity, betweenness and exposure, built on [`link_loss`].

pub mod betweenness;
pub mod candidates;
pub mod cch_closure;
pub mod claims;
pub mod compare;
pub mod connectivity;
pub mod critical;
pub mod lattice;
pub mod link_loss;
pub mod pareto;
pub mod restore;
pub mod study;
