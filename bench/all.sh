#!/usr/bin/env bash
# Every benchmark, one after the other, as docs/benchmarks.md reports them: the core pairs (minting, introspection,
# database growth) at 8 and 16 connections on H2 and on PostgreSQL, the proxy check through nginx against nginx
# without it, revocation latency over 1,000 revocations, and a JFR profile of the renewal path.
# Run by hand (about 40 minutes on 2 cores); the output is kept in target/bench-all.txt and written into
# docs/benchmarks.md (section "Latest run of bench/all.sh").
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
{
  echo "== core pairs on H2, 8 and 16 connections"; WARMUP=90 bench/core.sh 15 "8 16"
  echo "== core pairs on PostgreSQL, 8 and 16 connections"; DB=postgres WARMUP=90 bench/core.sh 15 "8 16"
  echo "== proxy check"; WARMUP=90 bench/proxy.sh 15
  echo "== revocation"; bench/revocation.sh 1000
  echo "== profile of the renewal path (JFR, 16 connections)"; bench/profile.sh delegate 16
} 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | grep -v -e WARNING -e '^\[' | tee target/bench-all.txt
# The run replaces the section between the markers in docs/benchmarks.md, with the machine's description.
python3 - "$(nproc)" "$(free -g | awk '/Mem/ {print $2}')" "$(lscpu | sed -n 's/^Model name: *//p')" "$(uname -sr)" <<'PY'
import datetime, sys
cores, memory, cpu, kernel = sys.argv[1:5]
doc = open("docs/benchmarks.md").read()
begin, end = "<!-- bench/all.sh: begin -->", "<!-- bench/all.sh: end -->"
run = open("target/bench-all.txt").read().rstrip()
section = (f"{begin}\nWritten by `bench/all.sh` on {datetime.date.today()}: {cores} cores, {memory} GiB, {cpu}, {kernel}.\n\n"
           f"```\n{run}\n```\n{end}")
doc = doc[:doc.index(begin)] + section + doc[doc.index(end) + len(end):]
open("docs/benchmarks.md", "w").write(doc)
PY
