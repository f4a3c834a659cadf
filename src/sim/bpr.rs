//! Link cost functions: the BPR (Bureau of Public Roads, 1964) volume-delay curve plus a fixed
//! generalized-cost term, with the integral (for the Beckmann objective) and the derivative (for
//! Newton steps and the conjugate directions).
//!
//! # Units
//! Costs are in the network's time unit (as its free-flow times); flows in its flow unit (as its
//! capacities). The fixed term `distance_factor * length + toll_factor * toll` must be expressed
//! in the same time unit by the caller's choice of factors.

/// Link cost parameters, one entry per link, in the order the caller chooses (struct of arrays so
/// that the per-iteration loops stream through memory).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BprLinks {
    /// Free-flow time `t0` (>= 0).
    pub t0: Vec<f64>,
    /// Capacity `c` (> 0).
    pub capacity: Vec<f64>,
    /// `b` (>= 0).
    pub b: Vec<f64>,
    /// Power `p` (>= 0).
    pub power: Vec<f64>,
    /// Flow-independent cost added to the BPR time (distance and toll terms; >= 0 in practice).
    pub fixed: Vec<f64>,
}

/// `r^p`, with the common integer powers done by multiplication (`powf` is ten times slower and
/// the per-link cost is the inner loop of the line search).
#[inline]
fn pow(r: f64, p: f64) -> f64 {
    if p == 4.0 {
        let r2 = r * r;
        r2 * r2
    } else if p == 1.0 {
        r
    } else if p.fract() == 0.0 && (0.0..=16.0).contains(&p) {
        r.powi(p as i32)
    } else {
        r.powf(p)
    }
}

impl BprLinks {
    pub fn len(&self) -> usize {
        self.t0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.t0.is_empty()
    }

    /// Cost of link `a` at flow `x`: `t0 (1 + b (x/c)^p) + fixed`.
    #[inline]
    pub fn cost(&self, a: usize, x: f64) -> f64 {
        let r = x / self.capacity[a];
        self.t0[a] * (1.0 + self.b[a] * pow(r, self.power[a])) + self.fixed[a]
    }

    /// The integral of [`BprLinks::cost`] from 0 to `x`:
    /// `t0 x (1 + b/(p+1) (x/c)^p) + fixed x`.
    #[inline]
    pub fn integral(&self, a: usize, x: f64) -> f64 {
        let p = self.power[a];
        let r = x / self.capacity[a];
        self.t0[a] * x * (1.0 + self.b[a] / (p + 1.0) * pow(r, p)) + self.fixed[a] * x
    }

    /// The derivative of [`BprLinks::cost`] at `x` >= 0: `t0 b p / c (x/c)^(p-1)` (0 at `x = 0`
    /// unless `p = 1`, where the curve is a straight line).
    #[inline]
    pub fn derivative(&self, a: usize, x: f64) -> f64 {
        let p = self.power[a];
        let c = self.capacity[a];
        if p == 0.0 {
            return 0.0;
        }
        if x <= 0.0 {
            return if p == 1.0 {
                self.t0[a] * self.b[a] / c
            } else {
                0.0
            };
        }
        self.t0[a] * self.b[a] * p / c * pow(x / c, p - 1.0)
    }

    /// Writes the cost of every link at `flows` into `out`.
    pub fn costs(&self, flows: &[f64], out: &mut [f64]) {
        for (a, (o, &x)) in out.iter_mut().zip(flows).enumerate() {
            *o = self.cost(a, x);
        }
    }

    /// The Beckmann objective: the sum over links of the integral of the cost from 0 to the flow.
    pub fn beckmann(&self, flows: &[f64]) -> f64 {
        flows
            .iter()
            .enumerate()
            .map(|(a, &x)| self.integral(a, x))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(t0: f64, c: f64, b: f64, p: f64) -> BprLinks {
        BprLinks {
            t0: vec![t0],
            capacity: vec![c],
            b: vec![b],
            power: vec![p],
            fixed: vec![0.5],
        }
    }

    #[test]
    fn integral_and_derivative_match_finite_differences() {
        for &p in &[0.0, 1.0, 2.5, 4.0] {
            let l = one(6.0, 2500.0, 0.15, p);
            for &x in &[100.0, 2500.0, 7000.0] {
                let h = 1e-3;
                let num_int = (l.integral(0, x + h) - l.integral(0, x - h)) / (2.0 * h);
                assert!(
                    (num_int - l.cost(0, x)).abs() < 1e-6 * l.cost(0, x),
                    "p {p} x {x}"
                );
                let num_der = (l.cost(0, x + h) - l.cost(0, x - h)) / (2.0 * h);
                assert!((num_der - l.derivative(0, x)).abs() < 1e-6 + 1e-6 * num_der.abs());
            }
        }
        let l = one(6.0, 2500.0, 0.15, 4.0);
        assert_eq!(l.cost(0, 2500.0), 6.0 * 1.15 + 0.5);
        assert_eq!(l.integral(0, 0.0), 0.0);
    }
}
