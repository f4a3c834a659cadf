//! Simulation over a network: static traffic assignment (all-or-nothing, MSA, Frank-Wolfe,
//! conjugate and bi-conjugate Frank-Wolfe) with BPR link costs, the multi-class freight
//! assignment of a data folder's demand, and Monte Carlo disruptions.
//!
//! - [`bpr`]: the link cost function, its integral and derivative.
//! - [`assign`](mod@assign): the compiled [`Problem`], the solver [`assign()`](fn@assign), and
//!   the comparison with published best-known flows.
//! - [`freight`]: `demand.csv` over a scenario's network, one class per cargo origin (with its
//!   access rules), sharing the capacity of crossings, transfers and single-track lines.
//! - [`reliability`](mod@reliability): seeded draws of closures and dwell times
//!   (`disruptions.csv`), each route's probability of being reachable and cost percentiles.
//!
//! Shortest-path trees come from the routing layer's search core
//! ([`crate::routing::csr::one_to_all`]), with zones as nodes that may not be passed through.

pub mod assign;
pub mod bpr;
pub mod freight;
pub mod reliability;
pub mod simulation;

pub use assign::{
    assign, best_known_in_link_order, compare_with_best_known, fit_cost_factors, AssignError,
    AssignOptions, Assignment, Comparison, CostFactors, Direction, FactorFit, Iteration, Method,
    Problem,
};
