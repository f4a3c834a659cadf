//! What several fuzz targets share: the tiny fixture network, loaded once.

use std::path::Path;
use std::sync::OnceLock;

use corridor::network::{parse_network, CostModel, Network};

pub fn tiny_network() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| {
        parse_network(
            Path::new("nodes.geojson"),
            include_str!("../../tests/fixtures/tiny/nodes.geojson"),
            Path::new("links.geojson"),
            include_str!("../../tests/fixtures/tiny/links.geojson"),
            &CostModel::default(),
        )
        .expect("the tiny fixture loads")
        .0
    })
}
