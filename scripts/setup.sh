#!/usr/bin/env bash
# regnn setup: npm dependencies, Debian's python3-torch and chromium for the tests, then a working WebGPU
# adapter for npm `webgpu` (Dawn).
#
# Machines without a GPU run WebGPU on Mesa's lavapipe (software Vulkan). Dawn rejects the Mesa 22
# lavapipe that Debian 12 ships, so on bookworm this installs Mesa 25 from bookworm-backports, using the
# archive mirror already configured on this machine (no host name lives in this repo).
# See ../shared/webgpu-on-cpu.md. Idempotent; fast when everything is already in place.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DEBIAN_FRONTEND=noninteractive
# Mesa warns on every run when this is unset.
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"

say() { echo "regnn setup: $*"; }
die() {
  echo "regnn setup: ERROR: $*" >&2
  exit 1
}

# --- 1. npm packages -------------------------------------------------------------------------------
# npm ci rewrites node_modules/.package-lock.json, so its age tells whether the lockfile changed since.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund </dev/null
else
  say "npm packages up to date"
fi

# --- 2. Debian packages the tests drive --------------------------------------------------------------
# python3-torch: the emitted PyTorch module is run against the float64 reference (Debian's interpreter,
# /usr/bin/python3, not whatever python3 comes first on PATH). chromium: browser tests through
# playwright-core, which never downloads a browser of its own.
missing_debs() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}
EXTRA_DEBS=($(missing_debs python3-torch chromium))
if [[ ${#EXTRA_DEBS[@]} -gt 0 ]]; then
  command -v apt-get >/dev/null || die "no apt-get: install ${EXTRA_DEBS[*]} by hand, then rerun npm run setup"
  [[ "$(id -u)" == 0 ]] || command -v sudo >/dev/null || die "installing ${EXTRA_DEBS[*]} needs root (apt-get). Run as root: npm run setup"
  AS_ROOT=()
  [[ "$(id -u)" == 0 ]] || AS_ROOT=(sudo -n)
  say "apt-get install ${EXTRA_DEBS[*]} (first run only; a few minutes)"
  DEB_LOG="$(mktemp -t regnn-apt.XXXXXX.log)"
  if ! { "${AS_ROOT[@]}" apt-get update -q && "${AS_ROOT[@]}" apt-get install -y -q --no-install-recommends "${EXTRA_DEBS[@]}"; } </dev/null >"$DEB_LOG" 2>&1; then
    tail -n 30 "$DEB_LOG" >&2
    die "apt-get install ${EXTRA_DEBS[*]} failed (full log: $DEB_LOG)"
  fi
  rm -f "$DEB_LOG"
else
  say "python3-torch and chromium present"
fi

# --- 3. WebGPU adapter -----------------------------------------------------------------------------
PROBE_LOG="$(mktemp -t regnn-probe.XXXXXX)"
trap 'rm -f "$PROBE_LOG"' EXIT

probe() {
  # A broken driver can hang inside Vulkan initialisation; never let that stall setup or CI.
  timeout 60 node scripts/probe-adapter.mjs </dev/null >"$PROBE_LOG" 2>&1
}

if probe; then
  say "WebGPU adapter: $(tail -n 1 "$PROBE_LOG")"
  exit 0
fi
say "no usable WebGPU adapter yet ($(grep -m1 '^probe:' "$PROBE_LOG" || echo "probe failed")); installing Mesa lavapipe"

SUDO=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    die "installing the Vulkan driver needs root (apt-get). Run as root: npm run setup (bash scripts/setup.sh)"
  fi
fi
command -v apt-get >/dev/null || die "no apt-get: install a Vulkan driver that Dawn accepts (Mesa >= 24 lavapipe) by hand, then rerun npm run setup"

# shellcheck disable=SC1091
CODENAME="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"

APT_LOG="$(mktemp -t regnn-apt.XXXXXX.log)"
apt_run() {
  if ! "${SUDO[@]}" apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "$@" </dev/null >>"$APT_LOG" 2>&1; then
    tail -n 30 "$APT_LOG" >&2
    die "apt-get $* failed (full log: $APT_LOG)"
  fi
}

# Prints "URI<TAB>SIGNED_BY" for the first enabled deb source serving suite $1 of the main archive
# (not -security), from deb822 .sources files and one-line .list files.
find_archive_source() {
  local suite="$1"
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^|[ \t])deb([ \t]|$)/ && enabled != "no" && (" " suites " ") ~ ("[ \t]" suite "[ \t]")) {
          n = split(uris, u, /[ \t]+/)
          for (i = 1; i <= n; i++) if (u[i] != "" && u[i] !~ /security/) { print u[i] "\t" signed; found = 1; exit }
        }
        types = ""; uris = ""; suites = ""; signed = ""; enabled = ""
      }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { next }  # continuation line (e.g. an inline key): not needed here
      {
        key = tolower($0); sub(/:.*/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val); sub(/[ \t]+$/, "", val)
        if (key == "types") types = val
        else if (key == "uris") uris = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = tolower(val)
        else if (key == "signed-by" && val ~ /^\//) signed = val
      }
      END { if (!found) flush() }
    ' "$f" | head -n 1
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    awk -v suite="$suite" '
      /^[ \t]*deb[ \t]/ {
        signed = ""; i = 2
        if ($2 ~ /^\[/) {
          for (; i <= NF; i++) {
            if ($i ~ /signed-by=/) { s = $i; sub(/.*signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
            if ($i ~ /\]$/) { i++; break }
          }
        }
        if ($(i + 1) == suite && $i !~ /security/) { print $i "\t" signed; exit }
      }
    ' "$f"
  done
}

backports_configured() {
  # -q, not a redirect: grep exits 2 when /etc/apt/sources.list is absent, even after a match elsewhere.
  grep -rqsE --include='*.list' --include='*.sources' \
    "^[^#]*[[:space:]]$1-backports([[:space:]]|$)|^Suites:.*[[:space:]]$1-backports([[:space:]]|$)" \
    /etc/apt/sources.list /etc/apt/sources.list.d/
}

if [[ "$CODENAME" == bookworm ]]; then
  if backports_configured bookworm; then
    say "bookworm-backports already in apt sources"
  else
    SOURCE="$(find_archive_source bookworm | head -n 1)"
    [[ -n "$SOURCE" ]] || die "no apt source for the 'bookworm' suite found in /etc/apt; add bookworm-backports by hand, then rerun npm run setup"
    MIRROR="${SOURCE%%$'\t'*}"
    SIGNED_BY="${SOURCE#*$'\t'}"
    if [[ -z "$SIGNED_BY" && -f /usr/share/keyrings/debian-archive-keyring.gpg ]]; then
      SIGNED_BY=/usr/share/keyrings/debian-archive-keyring.gpg
    fi
    say "adding bookworm-backports from the configured mirror $MIRROR"
    {
      echo "# Added by regnn scripts/setup.sh: Mesa 25 lavapipe for WebGPU without a GPU."
      echo "Types: deb"
      echo "URIs: $MIRROR"
      echo "Suites: bookworm-backports"
      echo "Components: main"
      if [[ -n "$SIGNED_BY" ]]; then echo "Signed-By: $SIGNED_BY"; fi
    } | "${SUDO[@]}" tee /etc/apt/sources.list.d/regnn-bookworm-backports.sources >/dev/null
  fi
  say "apt-get update"
  apt_run update
  say "apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1"
  apt_run install --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1
else
  # Newer releases ship a Mesa recent enough for Dawn in their main suite.
  say "apt-get update"
  apt_run update
  say "apt-get install mesa-vulkan-drivers libvulkan1"
  apt_run install --no-install-recommends mesa-vulkan-drivers libvulkan1
fi
rm -f "$APT_LOG"

if ! probe; then
  cat "$PROBE_LOG" >&2
  die "still no usable WebGPU adapter after installing Mesa lavapipe ($(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || echo 'mesa-vulkan-drivers not installed')). WebGPU tests cannot run; see shared/webgpu-on-cpu.md"
fi
say "WebGPU adapter: $(tail -n 1 "$PROBE_LOG")"
