"""The PEP 517 build backend of kerb-routing: maturin's, except that it never downloads Rust.

maturin, finding no ``cargo`` on PATH, silently installs a Rust toolchain (~1 GB, through
``puccinialin``) and starts a long release build. A user who ran ``pip install`` expecting a
wheel should instead learn that this is a source build and what it needs, so without cargo
every hook fails at once with that message. ``KERB_INSTALL_RUST=1`` restores maturin's
behaviour for those who want it.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, Mapping, Optional

if os.environ.get("KERB_INSTALL_RUST") != "1":
    os.environ["MATURIN_NO_INSTALL_RUST"] = "1"

import maturin

NO_CARGO = (
    "kerb-routing is being built from source, which needs Rust, and `cargo` is not on PATH.\n"
    "  - Install a prebuilt wheel instead: pip install kerb-routing (or the .whl file built by\n"
    "    `maturin build --release` in python/, see python/README.md).\n"
    "  - Or install Rust (https://rustup.rs) and run pip again.\n"
    "  - Or set KERB_INSTALL_RUST=1 to let maturin download a temporary toolchain (~1 GB)."
)


def _need_cargo() -> None:
    if os.environ.get("KERB_INSTALL_RUST") != "1" and shutil.which("cargo") is None:
        raise RuntimeError(NO_CARGO)


Settings = Optional[Mapping[str, Any]]


def get_requires_for_build_wheel(config_settings: Settings = None) -> list[str]:
    _need_cargo()
    return list(maturin.get_requires_for_build_wheel(config_settings))


def get_requires_for_build_sdist(config_settings: Settings = None) -> list[str]:
    _need_cargo()
    return list(maturin.get_requires_for_build_sdist(config_settings))


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: Settings = None) -> str:
    _need_cargo()
    return str(maturin.prepare_metadata_for_build_wheel(metadata_directory, config_settings))


def build_wheel(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: Optional[str] = None
) -> str:
    _need_cargo()
    return str(maturin.build_wheel(wheel_directory, config_settings, metadata_directory))


def build_editable(
    wheel_directory: str, config_settings: Settings = None, metadata_directory: Optional[str] = None
) -> str:
    _need_cargo()
    return str(maturin.build_editable(wheel_directory, config_settings, metadata_directory))


def build_sdist(sdist_directory: str, config_settings: Settings = None) -> str:
    _need_cargo()
    return str(maturin.build_sdist(sdist_directory, config_settings))
