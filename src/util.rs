//! Small shared helpers: a seeded random number generator for reproducible sampling and tests,
//! and [`Tick`], the progress signal long computations report to whoever watches (the CLI draws
//! it as a bar; the library knows nothing of terminals).

use std::sync::Arc;

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast generator whose whole state is one
/// `u64`, so that every random step is reproducible from a seed recorded in the run manifest.
/// Not for cryptography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32).
    /// Returns 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// Whoever watches a long computation: told when a stage starts (with its number of steps when
/// known) and as steps are done. Called from worker threads, in any order.
pub trait Watch: Send + Sync {
    /// A new stage named `stage` of `total` steps (`None`: unknown) begins.
    fn stage(&self, stage: &str, total: Option<u64>);
    /// `steps` more steps of the current stage are done.
    fn advance(&self, steps: u64);
}

/// The progress signal of an options struct: nobody watching by default, then every call is one
/// branch. Only observes: the work, its order and its results are the same with or without it.
#[derive(Clone, Default)]
pub struct Tick(Option<Arc<dyn Watch>>);

impl Tick {
    /// Nobody watching.
    pub fn none() -> Tick {
        Tick(None)
    }

    /// Reports to `watch`.
    pub fn new(watch: impl Watch + 'static) -> Tick {
        Tick(Some(Arc::new(watch)))
    }

    /// Starts a stage of `total` steps (`None`: unknown).
    pub fn stage(&self, stage: &str, total: Option<u64>) {
        if let Some(w) = &self.0 {
            w.stage(stage, total);
        }
    }

    /// `steps` more steps done.
    pub fn advance(&self, steps: u64) {
        if let Some(w) = &self.0 {
            w.advance(steps);
        }
    }
}

impl std::fmt::Debug for Tick {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Tick(watched)"
        } else {
            "Tick(none)"
        })
    }
}

/// Who watches is no part of what is computed: any two ticks are equal.
impl PartialEq for Tick {
    fn eq(&self, _: &Tick) -> bool {
        true
    }
}

/// A [`Watch`] that counts, for tests: the stages seen (name, total) and the steps of all of them.
#[derive(Debug, Default)]
pub struct Counter {
    pub stages: std::sync::Mutex<Vec<(String, Option<u64>)>>,
    pub steps: std::sync::atomic::AtomicU64,
}

impl Counter {
    /// A counter and the tick reporting to it.
    pub fn tick() -> (Arc<Counter>, Tick) {
        let c = Arc::new(Counter::default());
        (c.clone(), Tick(Some(c)))
    }

    pub fn steps(&self) -> u64 {
        self.steps.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The stages seen, in order.
    pub fn stages(&self) -> Vec<(String, Option<u64>)> {
        self.stages.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Watch for Counter {
    fn stage(&self, stage: &str, total: Option<u64>) {
        if let Ok(mut s) = self.stages.lock() {
            s.push((stage.to_string(), total));
        }
    }

    fn advance(&self, steps: u64) {
        self.steps
            .fetch_add(steps, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_reports_to_its_watch_and_none_is_silent() {
        let (c, tick) = Counter::tick();
        tick.stage("draws", Some(3));
        (0..3).for_each(|_| tick.advance(1));
        assert_eq!(c.steps(), 3);
        assert_eq!(c.stages(), [("draws".to_string(), Some(3))]);
        let none = Tick::none();
        none.advance(1);
        assert_eq!(none, tick);
        assert_eq!(format!("{none:?}"), "Tick(none)");
    }

    #[test]
    fn same_seed_same_stream_and_values_in_range() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let x = a.next_f64();
            assert!((0.0..1.0).contains(&x));
            assert!(a.below(7) < 7);
            b.next_f64();
            b.below(7);
        }
    }

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 1234567 from the reference C implementation.
        let mut r = SplitMix64::new(1234567);
        assert_eq!(r.next_u64(), 6457827717110365317);
        assert_eq!(r.next_u64(), 3203168211198807973);
        let x = r.range(2.0, 3.0);
        assert!((2.0..3.0).contains(&x));
    }
}
