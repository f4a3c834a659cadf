//! Fuzz the four TNTP readers: the first byte picks the file kind (0 net, 1 trips, 2 node,
//! 3 flow, modulo 4), the rest is the file's text. A parse gives a model that holds together
//! (node ids in range, counts as declared, finite figures) or an error.
#![no_main]

use std::path::Path;

use corridor::network::tntp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match kind % 4 {
        0 => {
            if let Ok(net) = tntp::parse_net(text, Path::new("x_net.tntp")) {
                assert!(net.zones <= net.nodes);
                for a in &net.arcs {
                    assert!((1..=net.nodes).contains(&a.init), "{a:?}");
                    assert!((1..=net.nodes).contains(&a.term), "{a:?}");
                    assert!(a.capacity > 0.0 && a.capacity.is_finite(), "{a:?}");
                    assert!(a.free_flow_time >= 0.0 && a.free_flow_time.is_finite(), "{a:?}");
                    assert!(a.b.is_finite() && a.power.is_finite(), "{a:?}");
                }
                let _ = net.pairs();
            }
        }
        1 => {
            if let Ok(trips) = tntp::parse_trips(text, Path::new("x_trips.tntp")) {
                for d in &trips.od {
                    assert!((1..=trips.zones).contains(&d.origin), "{d:?}");
                    assert!((1..=trips.zones).contains(&d.dest), "{d:?}");
                    assert!(d.flow.is_finite() && d.flow >= 0.0, "{d:?}");
                }
            }
        }
        2 => {
            if let Ok(nodes) = tntp::parse_nodes(text, Path::new("x_node.tntp")) {
                for n in &nodes {
                    assert!(n.x.is_finite() && n.y.is_finite(), "{n:?}");
                }
            }
        }
        _ => {
            if let Ok(flows) = tntp::parse_flows(text, Path::new("x_flow.tntp")) {
                for f in &flows {
                    assert!(f.volume.is_finite() && f.cost.is_finite(), "{f:?}");
                }
            }
        }
    }
});
