#!/usr/bin/env bash
# Installs every Debian 12 package authd needs to build, test and run.
#
# Idempotent: packages already installed are left alone, and when nothing is
# missing the script touches neither the network nor apt's state. The package
# lists are refreshed only when they are older than a day, or when a missing
# package is unknown to them. Runs as root, or re-runs itself through sudo.
#
# To add a dependency, append one package name per line to PACKAGES.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential
  cmake
  pkg-config
  g++
  git
  clang-format
  # crypto, HSM, tokens
  libssl-dev
  openssl
  libp11-kit-dev
  p11-kit
  softhsm2
  opensc
  liboath-dev
  oathtool
  libfido2-dev
  libcbor-dev
  libqrencode-dev
  libargon2-dev
  argon2
  # storage
  libsqlite3-dev
  sqlite3
  libpq-dev
  postgresql
  # libraries
  libboost-dev
  libboost-system-dev
  libtoml11-dev
  nlohmann-json3-dev
  libutf8proc-dev
  libcli11-dev
  libspdlog-dev
  # password blocklists
  cracklib-runtime
  john-data
  # tests and benchmarks
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  wrk
  nginx-light
  faketime
  curl
  ca-certificates
  python3
  python3-cryptography
  python3-jwcrypto
  zbar-tools
  librsvg2-bin
  # fuzzing (scripts/fuzz.sh, not run by test.sh): clang with libFuzzer
  clang-14
  libfuzzer-14-dev
  # the browser tests (tests/browser): Chromium and Firefox ESR, and certutil
  # for their trust stores
  chromium
  firefox-esr
  libnss3-tools
)

# The browser test also needs Node (20 or later) with npm. The Debian 12
# machines here come with both (NodeSource's nodejs, which bundles npm, and
# conflicts with Debian's npm package); Debian's are added only where there
# is no node or npm at all.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  PACKAGES+=(nodejs npm)
fi

if [[ "$(id -u)" -ne 0 ]]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "install-deps.sh: must run as root (sudo is not available)" >&2
    exit 1
  fi
  exec sudo -- bash "$(readlink -f "${BASH_SOURCE[0]}")" "$@"
fi

export DEBIAN_FRONTEND=noninteractive
lists_dir=/var/lib/apt/lists


known_to_apt() {
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }')"
  [[ -n "${candidate}" && "${candidate}" != "(none)" ]]
}

# apt keeps the server's timestamps on files it did not need to download again,
# so the lists/partial directory (which every update writes through) counts too.
lists_fresh() {
  [[ -n "$(find "${lists_dir}" -maxdepth 1 \( -name '*_Packages*' -o -name '*InRelease' \
    -o -name partial \) -mmin -1440 -print -quit 2>/dev/null)" ]]
}

# One dpkg-query for the whole list: a call per package takes seconds.
declare -A status=()
while read -r name state; do
  status["${name%%:*}"]="${state}"
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${PACKAGES[@]}" 2>/dev/null || true)

missing=()
for package in "${PACKAGES[@]}"; do
  [[ "${status[${package}]:-}" == "installed" ]] || missing+=("${package}")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-deps.sh: all ${#PACKAGES[@]} packages are installed"
  exit 0
fi
echo "install-deps.sh: installing ${missing[*]}"

updated=0
update_lists() {
  apt-get update
  updated=1
}

if ! lists_fresh; then
  update_lists
else
  for package in "${missing[@]}"; do
    if ! known_to_apt "${package}"; then
      update_lists
      break
    fi
  done
fi

# Lists less than a day old can still name a version the mirror has since
# replaced; one refresh and retry covers that.
if ! apt-get install -y --no-install-recommends "${missing[@]}"; then
  if [[ ${updated} -eq 1 ]]; then
    exit 1
  fi
  update_lists
  apt-get install -y --no-install-recommends "${missing[@]}"
fi
