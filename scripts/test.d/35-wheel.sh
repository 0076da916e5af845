#!/usr/bin/env bash
# The Python package as users get it: build the abi3 manylinux wheel and the sdist with
# maturin, install the wheel into a fresh virtual environment with cargo NOT on PATH, and run
# the Python test-suite against the installed package (not the source tree). Reuses the
# release build of 30-python.sh (same profile and features), so it is mostly a relink.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
# The build environment of 30-python.sh (another one with maturin via VENV=...).
VENV=${VENV:-.venv}
[ -x "$VENV/bin/maturin" ] || { echo "run scripts/test.d/30-python.sh first (it makes .venv)" >&2; exit 1; }
VENV=$(realpath "$VENV")
dist=$(mktemp -d)
venv=$(mktemp -d)
trap 'rm -rf "$dist" "$venv"' EXIT
# maturin checks the glibc symbols the extension links against and refuses a wheel that would
# not run under the policy. A build links against this machine's glibc, so the policy is the
# machine's (manylinux_2_35 on Debian 12 / Ubuntu 22.04); manylinux_2_28 wheels need an older
# glibc to link against: KERB_MANYLINUX=manylinux_2_28 MATURIN_ARGS=--zig (pip install ziglang)
# or the manylinux_2_28 container.
COMPAT=${KERB_MANYLINUX:-manylinux_2_35}
(cd python && "$VENV/bin/maturin" build --release --locked --compatibility "$COMPAT" ${MATURIN_ARGS:-} --out "$dist")
(cd python && "$VENV/bin/maturin" sdist --out "$dist")
ls -l "$dist"
wheel=$(ls "$dist"/kerb_routing-*-abi3-"$COMPAT"_*.whl)
ls "$dist"/kerb_routing-*.tar.gz >/dev/null

# PATH without any folder that holds cargo (or rustc): nothing may build from source now.
clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | while read -r d; do
  [ -n "$d" ] && [ ! -e "$d/cargo" ] && [ ! -e "$d/rustc" ] && printf '%s:' "$d"
done)
clean_path=${clean_path%:}
"$PYTHON" -m venv "$venv"
PATH="$venv/bin:$clean_path" CARGO_HOME=/nonexistent RUSTUP_HOME=/nonexistent bash -euo pipefail -c '
  ! command -v cargo >/dev/null || { echo "cargo is still on PATH" >&2; exit 1; }
  pip install --quiet --disable-pip-version-check --only-binary :all: "$1[geo,networkx,test]"
  pip install --quiet --disable-pip-version-check --only-binary :all: -r python/requirements-dev.txt
  python -c "import kerb, sys; print(\"installed:\", kerb.__file__); sys.exit(\"site-packages\" not in kerb.__file__)"
  MPLBACKEND=Agg pytest -q -p no:cacheprovider python/tests
' _ "$wheel"
echo "wheel $(basename "$wheel") installs without Rust and passes the Python tests"
