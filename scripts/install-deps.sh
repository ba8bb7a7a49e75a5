#!/usr/bin/env bash
# Installs Lightkeeper's build and test dependencies from Debian packages.
# Idempotent: when everything is present it only runs dpkg-query (and, with --test, compares
# tests/browser/node_modules with its package-lock.json) and exits.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-system-dev libcurl4-openssl-dev libssl-dev
  libyaml-cpp-dev libyaml-dev libsqlite3-dev nlohmann-json3-dev zlib1g-dev
  libspdlog-dev libfmt-dev libcli11-dev libpcre2-dev libhowardhinnant-date-dev
  libc-ares-dev libpq-dev libmariadb-dev libmd4c-dev libmd4c-html0-dev libbrotli-dev
)
# The tests start real servers of each probe kind on loopback (and stop them by PID).
test_pkgs=(
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-yaml openssl curl
  nsd bind9-dnsutils dovecot-imapd dovecot-pop3d python3-aiosmtpd
  postgresql mariadb-server redis-server
  monitoring-plugins-basic monitoring-plugins-standard iputils-ping
  prometheus chromium wrk nginx-light
)
# Only with --bench: what bench/run.sh needs (the loopback nginx farm and the `ab` ceiling).
bench_pkgs=(
  nginx-light apache2-utils python3 procps wrk
)

want=("${build_pkgs[@]}")
with_tests=0
for arg in "$@"; do
  case "$arg" in
    --test) want+=("${test_pkgs[@]}"); with_tests=1 ;;
    --bench) want+=("${bench_pkgs[@]}") ;;
    *) echo "install-deps: unknown option $arg (use --test and/or --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

# apt-get install of the packages in ${missing[@]}.
install_missing() {
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  # Packages such as nginx start a system daemon on install (nginx on port 80). The tests start
  # their own servers on free loopback ports and stop them by PID, so keep the package scripts
  # from starting services while we install (the usual policy-rc.d convention), unless the
  # machine already has a policy of its own.
  policy=/usr/sbin/policy-rc.d
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
    "${sudo_cmd[@]}" chmod +x "$policy"
    trap '"${sudo_cmd[@]}" rm -f "$policy"' EXIT
  fi
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if ((${#missing[@]} > 0)); then
  install_missing
fi

# The browser tests' Node packages (tests/browser: playwright-core, which drives the Chromium
# above and downloads no browser, and axe-core), exactly as its package-lock.json pins them.
# Skipped when node_modules is at least as new as the lock file.
if ((with_tests)); then
  browser_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  installed="$browser_dir/node_modules/.package-lock.json"
  if [[ ! -f $installed || $installed -ot $browser_dir/package-lock.json ]]; then
    if ! command -v npm >/dev/null; then
      missing=(nodejs npm)
      install_missing
    fi
    echo "install-deps: npm ci in tests/browser" >&2
    npm ci --prefix "$browser_dir" --no-audit --no-fund
  fi
fi
