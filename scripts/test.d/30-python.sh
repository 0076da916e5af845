#!/usr/bin/env bash
# Python: build the pyo3 extension into .venv with maturin (release: the tests route on real
# data), then run pytest on python/tests and execute every notebook headless with nbmake.
set -euo pipefail
. "$(dirname "$0")/../common.sh"
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  command -v "$PYTHON" >/dev/null || need_debian python3
  # Debian's python3 makes virtual environments only with python3-venv (ensurepip) installed.
  "$PYTHON" -m venv .venv 2>/dev/null || { need_debian python3-venv && "$PYTHON" -m venv .venv; }
fi
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
python -m pip install --quiet --disable-pip-version-check -r python/requirements-dev.txt
(cd python && maturin develop --release)
# Notebooks render figures to files only.
export MPLBACKEND=Agg
python -m pytest -q python/tests
# The tests type-check strictly against the package's annotations ([tool.mypy] in pyproject).
(cd python && python -m mypy)
python -m pytest -q --nbmake --nbmake-timeout=600 python/notebooks
