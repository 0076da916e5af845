# Sourced by scripts/demo.sh, scripts/test.sh and the stages in scripts/test.d/: installs what a
# fresh Debian machine lacks (Rust, a C linker, Debian packages) and finds the kerb binary in
# whatever target folder the user's Cargo set-up uses. Not meant to be run on its own.

# Run as root or through sudo, whichever this machine has.
_as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# need_debian PACKAGE...: installs the Debian packages that are not installed yet. Without
# apt-get (another distribution) it only says what is missing and lets the next step fail.
need_debian() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "note: please install ${missing[*]} (no apt-get on this machine)" >&2
    return 0
  fi
  echo "==> installing Debian packages: ${missing[*]}" >&2
  _as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# need_rust: cargo on PATH (installs rustup's minimal toolchain when missing) and a C linker.
need_rust() {
  command -v cc >/dev/null || need_debian build-essential
  if ! command -v cargo >/dev/null; then
    if [ -f "$HOME/.cargo/env" ]; then
      . "$HOME/.cargo/env"
    else
      command -v curl >/dev/null || need_debian curl ca-certificates
      curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
      . "$HOME/.cargo/env"
    fi
  fi
}

# kerb_bin [CARGO BUILD FLAGS...]: builds the kerb binary and prints its path, as Cargo reports
# it: right for any CARGO_TARGET_DIR, build.target-dir in a Cargo config, or CARGO_BUILD_TARGET.
kerb_bin() {
  local exe
  exe=$(cargo build --locked -p kerb-cli --bin kerb --message-format=json-render-diagnostics "$@" |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
  [ -x "$exe" ] || { echo "cargo built no kerb binary" >&2; return 1; }
  printf '%s\n' "$exe"
}

# target_dir: the target folder Cargo uses here.
target_dir() {
  cargo metadata --format-version 1 --no-deps --locked |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

# A relative CARGO_TARGET_DIR is relative to where the user ran the script, not to the
# repository root the scripts change to.
if [ -n "${CARGO_TARGET_DIR:-}" ]; then
  CARGO_TARGET_DIR=$(realpath -m -- "$CARGO_TARGET_DIR")
  export CARGO_TARGET_DIR
fi
# Likewise KERB_SHARED_DATA: the tests read it from each crate's own folder.
if [ -n "${KERB_SHARED_DATA:-}" ]; then
  KERB_SHARED_DATA=$(realpath -m -- "$KERB_SHARED_DATA")
  export KERB_SHARED_DATA
fi
