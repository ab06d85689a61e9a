#!/usr/bin/env bash
# Any other CI (Jenkins, Buildkite, Azure Pipelines, a cron job): one command per machine, then
# one to merge. Needs Python 3.11+ and Chromium on the machine.
#
#   examples/ci/run-shards.sh shard K N [RUN ARGS...]   # on machine K of N: report-K/
#                                                       # (RUN ARGS: scenario files, --world, --engine...)
#   examples/ci/run-shards.sh merge                     # after all: report/ from report-*/
#
# HARNESS_PACKAGE (default okta-aws-harness) is what pip installs; WORKERS (default 2) the
# browsers per machine. With a previous merged report in previous-report/, the shards are
# balanced by its durations.
set -euo pipefail
command -v harness >/dev/null || python3 -m pip install "${HARNESS_PACKAGE:-okta-aws-harness}"

case "${1:-}" in
  shard)
    k=${2:?shard K N}; n=${3:?shard K N}; shift 3
    durations=()
    [ -f previous-report/junit.xml ] && durations=(--shard-durations previous-report/junit.xml)
    harness run "$@" --shard "$k/$n" "${durations[@]}" --report "report-$k" -n "${WORKERS:-2}"
    ;;
  merge)
    harness report merge report-*/ --out report
    ;;
  *)
    echo "usage: $0 shard K N [RUN ARGS...] | $0 merge" >&2
    exit 2
    ;;
esac
