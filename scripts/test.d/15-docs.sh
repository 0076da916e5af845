#!/usr/bin/env bash
# API docs build without a warning (every public item documented, every intra-doc link
# resolves), and the facade's default build stays free of the HTTP stack.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUSTDOCFLAGS=-Dwarnings cargo doc --no-deps --workspace --locked
deps() { cargo tree -p kerb-routing -e normal --prefix none --locked "$@" | awk '{print $1}' | sort -u; }
if deps | grep -qxE 'tokio|axum|hyper'; then
  echo "the default build of the kerb library pulls in the HTTP stack:" >&2
  cargo tree -p kerb-routing -e normal -i tokio >&2 || true
  exit 1
fi
if ! deps --features http | grep -qx tokio; then
  echo "feature http should bring in tokio" >&2
  exit 1
fi
echo "docs ok; kerb builds without tokio/axum/hyper unless feature http is on"
