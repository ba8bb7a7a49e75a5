#!/usr/bin/env bash
# The benchmark's one entry command. Installs what it needs from Debian packages (nginx-light,
# apache2-utils, wrk), builds build/lightkeeper unless --binary is given, then runs bench/harness.py,
# which prints one table of ratios and appends a dated section to bench/RESULTS.md.
#
#   bench/run.sh                                  # defaults: --ports 1000 --duration 15, all scenarios
#   bench/run.sh --ports 200 --duration 5 --scenarios throughput,accuracy
#   bench/run.sh --with-peers                     # also install blackbox_exporter and Icinga 2 and run them
#   bench/run.sh --binary build/lightkeeper --smoke
#   bench/run.sh --scenarios statuspage --duration 10   # the status page under wrk vs nginx
#
# Every other option goes to the harness (bench/harness.py --help).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=""
with_peers=0
args=()
while (($#)); do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --binary=*) binary="${1#--binary=}"; shift ;;
    --with-peers) with_peers=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

./scripts/install-deps.sh --bench

if ((with_peers)); then
  peers=(prometheus-blackbox-exporter icinga2 monitoring-plugins curl)
  missing=()
  for p in "${peers[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "bench: installing peers ${missing[*]}" >&2
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -qq
    "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

if [[ -z "$binary" ]]; then
  ./scripts/build.sh --no-tests
  binary=build/lightkeeper
fi

exec python3 bench/harness.py --binary "$binary" "${args[@]}"
