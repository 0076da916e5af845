"""Packaging: the distribution name, and a source build without Rust failing with a clear
message instead of maturin silently downloading a toolchain."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import kerb

PYTHON_DIR = Path(__file__).resolve().parents[1]


def test_distribution_is_kerb_routing() -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        assert version("kerb-routing") == kerb.__version__
    except PackageNotFoundError:
        pytest.skip("kerb is not installed as a distribution here")
    text = (PYTHON_DIR / "pyproject.toml").read_text()
    assert 'name = "kerb-routing"' in text


def test_source_build_without_cargo_fails_clearly(tmp_path: Path) -> None:
    pytest.importorskip("maturin")
    path = os.pathsep.join(
        d for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not (Path(d) / "cargo").exists()
    )
    env = {**os.environ, "PATH": path}
    env.pop("KERB_INSTALL_RUST", None)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import kerb_build\n"
        "try:\n    kerb_build.get_requires_for_build_wheel()\n"
        "except RuntimeError as e:\n    print(e); sys.exit(3)\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code, str(PYTHON_DIR / "build_backend")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 3, r.stdout + r.stderr
    assert "needs Rust" in r.stdout and "pip install kerb-routing" in r.stdout
    assert "KERB_INSTALL_RUST=1" in r.stdout
