//! The library's progress signal (`corridor::util::Tick`): the Monte Carlo draws, critical's
//! pairs and link sets, and restore's routes each bring their counter to the stage's total, and
//! watching changes nothing of the answers.

use corridor::analysis::critical::Pairs;
use corridor::analysis::restore::RestoreOptions;
use corridor::analysis::study::Study;
use corridor::routing::{Metric, Query, Router};
use corridor::scenario::{in_force, Dataset};
use corridor::sim::reliability::{reliability, ReliabilityOptions};
use corridor::util::Counter;

use crate::common::root;

fn bundled() -> Dataset {
    Dataset::load(&root().join("data/caucasus")).unwrap()
}

/// The steps of the stages with a known total, summed.
fn announced(stages: &[(String, Option<u64>)]) -> u64 {
    stages.iter().filter_map(|(_, t)| *t).sum()
}

#[test]
fn draws_advance_once_each_and_change_nothing() {
    let data = bundled();
    let router = Router::new(&data.network, &data.costs).unwrap();
    let resolved = data.resolve("baseline-2021").unwrap();
    let overlay = router.overlay(&resolved);
    let metric = Metric::generalized(&data.costs);
    let queries: Vec<Query> = data
        .routes
        .iter()
        .map(|r| Query::for_route(r, metric))
        .collect();
    let drawn = in_force(&data.disruptions, resolved.as_of);
    let (counter, tick) = Counter::tick();
    let mut options = ReliabilityOptions {
        draws: 137,
        seed: 7,
        progress: tick,
    };
    let watched = reliability(&router, &overlay, &queries, &drawn, &options);
    assert_eq!(counter.steps(), 137);
    options.progress = Default::default();
    let unwatched = reliability(&router, &overlay, &queries, &drawn, &options);
    assert_eq!(watched, unwatched);
}

#[test]
fn critical_reaches_the_totals_it_announces() {
    let data = bundled();
    let mut study = Study::new(&data, Metric::Time).unwrap();
    let plain = study
        .critical("baseline-2021", Pairs::Routes, 6, 2)
        .unwrap();
    let (counter, tick) = Counter::tick();
    study.progress = tick;
    let watched = study
        .critical("baseline-2021", Pairs::Routes, 6, 2)
        .unwrap();
    let stages = counter.stages();
    let names: Vec<&str> = stages.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "best paths of the pairs",
            "pairs (detours around each link)",
            "link sets closed together",
            "connectivity, betweenness, exposure"
        ]
    );
    // Six links taken two at a time.
    assert_eq!(stages[2].1, Some(15));
    assert!(stages[1].1.is_some_and(|n| n > 0), "{stages:?}");
    assert_eq!(counter.steps(), announced(&stages));
    assert_eq!(watched.single, plain.single);
    assert_eq!(
        watched.multi.iter().map(|m| &m.loss).collect::<Vec<_>>(),
        plain.multi.iter().map(|m| &m.loss).collect::<Vec<_>>()
    );
}

#[test]
fn restore_advances_once_per_route() {
    let data = bundled();
    let mut study = Study::new(&data, Metric::Time).unwrap();
    let projects: Vec<&str> = data.scenarios.projects().map(|s| s.id.as_str()).collect();
    let options = RestoreOptions::default();
    let plain = study.restore("baseline-2021", &projects, &options).unwrap();
    let (counter, tick) = Counter::tick();
    study.progress = tick;
    let watched = study.restore("baseline-2021", &projects, &options).unwrap();
    assert_eq!(
        counter.stages(),
        [("routes".to_string(), Some(data.routes.len() as u64))]
    );
    assert_eq!(counter.steps(), data.routes.len() as u64);
    assert_eq!(watched.routes, plain.routes);
}
