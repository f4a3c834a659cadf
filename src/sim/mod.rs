//! Simulation over a network: static traffic assignment (all-or-nothing, MSA, Frank-Wolfe,
//! conjugate and bi-conjugate Frank-Wolfe) with BPR link costs.
//!
//! - [`bpr`]: the link cost function, its integral and derivative.
//! - [`assign`](mod@assign): the compiled [`Problem`], the solver [`assign()`](fn@assign), and
//!   the comparison with published best-known flows.
//!
//! Shortest-path trees come from the routing layer's search core
//! ([`crate::routing::csr::one_to_all`]), with zones as nodes that may not be passed through.

pub mod assign;
pub mod bpr;

pub use assign::{
    assign, best_known_in_link_order, compare_with_best_known, fit_cost_factors, AssignError,
    AssignOptions, Assignment, Comparison, CostFactors, Direction, FactorFit, Iteration, Method,
    Problem,
};
