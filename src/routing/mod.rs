//! Routing: a network compiled once into a compact state-expanded graph, scenarios laid over it
//! as cheap views, and the searches that answer "what is the best way from A to B for cargo from
//! C, under scenario S, by metric M?".
//!
//! # Layout
//! - [`csr`]: the layer-agnostic core: a CSR graph with `u32` ids, a reusable [`SearchState`]
//!   (generation stamps, indexed 4-ary heap), and Dijkstra (one-to-all, one-to-one), bidirectional
//!   Dijkstra and A* over per-arc weight closures, with an optional "may not pass through"
//!   predicate. The freight assignment runs on it directly.
//! - [`graph`]: the state-expanded [`CompiledGraph`] of a network (layers rail 1520, rail 1435,
//!   road; transfer arcs for gauge changes and transshipments; border dwell and fees on arcs into
//!   crossings; ferry waits).
//! - [`overlay`]: a scenario as an [`Overlay`] (arc mask, cost extras, policy): O(arcs) to build,
//!   never a rebuilt graph.
//! - [`metric`]: [`Metric`] (time, distance, money, generalized) and [`Totals`].
//! - [`router`]: [`Router`] (the compiled graph and place names), [`Query`], [`RouteState`]
//!   (per-thread), [`Path`] (nodes, links, totals, borders, transfers, km per country, summary)
//!   and k distinct alternatives ([`AlternativesParams`]).
//!
//! # Access policy during the search
//! A path's transit countries are the countries of its arcs other than the route's origin and
//! destination countries. A `deny` rule blocks the arcs in a transit country (for the matching
//! mode); a `penalty` is charged on each arc that *enters* a transit country (leaves a border node,
//! lands from a ferry); a rule on a crossing node applies to the arcs into that node. The last
//! matching rule wins ([`crate::scenario::decide`]).
//!
//! # Units
//! Kilometres, hours, US dollars per tonne; a search's cost is in its metric's unit.

pub mod cch;
pub mod csr;
pub mod graph;
pub mod metric;
pub mod order;
pub mod overlay;
pub mod road;
pub mod router;
pub mod synthetic;

pub use csr::{Csr, CsrError, SearchState};
pub use graph::{ArcInfo, ArcKind, CompiledGraph, Layer};
pub use metric::{Metric, Totals, HOURS_COLUMN, HOURS_NOTE};
pub use overlay::Overlay;
pub use router::{
    Algorithm, AlternativesParams, CountryKm, ModeSet, Path, PenaltyPaid, Query, RouteState,
    Router, TransferMade, WeightsKey,
};
