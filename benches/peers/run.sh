#!/usr/bin/env bash
# Runs the peers (networkx, igraph, scipy's csgraph, RoutingKit's CCH through the `routingkit-cch`
# wheel) on the same graph and the same queries as `corridor bench`, and prints times and ratios.
#
#   benches/peers/run.sh --dimacs ../shared/data/graphs/bremen_time.gr
#   benches/peers/run.sh --synthetic 1000000
#   benches/peers/run.sh --tntp ../shared/data/tntp/ChicagoSketch
#
# The arguments are `corridor bench`'s. The venv is made in $PEERS_VENV (default
# /tmp/corridor-peers) on first use; the graph is exported to a folder under /tmp.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${PEERS_VENV:-/tmp/corridor-peers}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet networkx igraph scipy numpy routingkit-cch
fi
work="$(mktemp -d /tmp/corridor-peers-data.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
echo "== corridor bench $* (release)" >&2
target/release/corridor bench "$@" --export "$work" --format json > "$work/ours.json"
"$venv/bin/python" benches/peers/peers.py "$work"
