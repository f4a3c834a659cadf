//! Fuzz the binary network cache decoder (`network.bin`). Each input is tried twice: as a whole
//! file (magic, version, length and checksum checks), and as a payload wrapped in a valid header
//! with its SHA-256, so that the record decoder behind the checksum is reached too. A decode
//! gives a consistent network or an error; it never panics nor allocates beyond the input's size.
#![no_main]

use corridor::network::cache::{decode, encode, MAGIC, VERSION};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

fn check(bytes: &[u8]) {
    if let Ok(net) = decode(bytes) {
        for link in &net.links {
            assert!(link.from.index() < net.nodes.len());
            assert!(link.to.index() < net.nodes.len());
        }
        let again = decode(&encode(&net)).expect("a re-encoded network decodes");
        assert_eq!(again.nodes.len(), net.nodes.len());
        assert_eq!(again.links.len(), net.links.len());
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mut wrapped = Vec::with_capacity(56 + data.len());
    wrapped.extend_from_slice(MAGIC);
    wrapped.extend_from_slice(&VERSION.to_le_bytes());
    wrapped.extend_from_slice(&0u32.to_le_bytes());
    wrapped.extend_from_slice(&(data.len() as u64).to_le_bytes());
    wrapped.extend_from_slice(&Sha256::digest(data));
    wrapped.extend_from_slice(data);
    check(&wrapped);
});
