//! Traffic assignment benchmark: bi-conjugate Frank-Wolfe to relative gap 1e-4 on Chicago Sketch
//! (933 nodes, 2,950 links, 387 zones), with 1 and 2 threads. `benches/peers/aequilibrae_assign.py`
//! runs AequilibraE on the same network and gap for comparison.
//!
//! ```sh
//! cargo bench --bench assign
//! ```

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

use corridor::network::tntp;
use corridor::sim::{assign, AssignOptions, CostFactors, Method, Problem};

/// `shared/data/tntp` beside the project or any folder above it (git worktrees included).
fn tntp_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    root.ancestors()
        .skip(1)
        .map(|d| d.join("shared/data/tntp"))
        .find(|d| d.is_dir())
        .unwrap_or_else(|| panic!("shared/data/tntp not found above {}", root.display()))
}

fn chicago() -> Problem {
    let files = tntp::locate(&tntp_dir().join("ChicagoSketch")).expect("Chicago Sketch files");
    let net = tntp::read_net(&files.net).expect("net");
    let trips = tntp::read_trips(&files.trips).expect("trips");
    // The published Chicago Sketch costs include 0.04 x length (see tests/assign.rs).
    let factors = CostFactors {
        distance: 0.04,
        toll: 0.0,
    };
    Problem::from_tntp(&net, &trips, factors).expect("problem")
}

fn bench(c: &mut Criterion) {
    let problem = chicago();
    let options = AssignOptions {
        method: Method::Bfw,
        gap: 1e-4,
        max_iter: 10_000,
    };
    let mut group = c.benchmark_group("assign_chicago_sketch_bfw_1e-4");
    group.sample_size(10);
    group.measurement_time(std::time::Duration::from_secs(12));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            b.iter(|| {
                pool.install(|| {
                    let r = assign(&problem, &options, |_| {}).expect("assignment");
                    assert!(r.converged);
                    r
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
