#!/usr/bin/env bash
# Every benchmark, one after the other, as docs/benchmarks.md reports them: core pairs at 4 and 16 connections with a
# 90 s warm-up, the proxy check against plain nginx, and revocation latency over 1,000 revocations.
# Run by hand (about 25 minutes on 2 cores); the output is kept in target/bench-all.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
{
  echo "== core pairs, 4 connections"; WARMUP=90 bench/core.sh 15 4
  echo "== core pairs, 16 connections"; WARMUP=90 bench/core.sh 15 16
  echo "== proxy check"; WARMUP=90 bench/proxy.sh 15
  echo "== revocation"; bench/revocation.sh 1000
} 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -v -e WARNING -e '^\[' | tee target/bench-all.txt
{
  echo "# Latest benchmark run"
  echo
  echo "Written by bench/all.sh on $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB,"
  echo "$(lscpu | sed -n 's/^Model name: *//p'), $(uname -sr). Analysis and earlier runs: docs/benchmarks.md."
  echo
  echo '```'
  cat target/bench-all.txt
  echo '```'
} > docs/benchmarks-latest.md
