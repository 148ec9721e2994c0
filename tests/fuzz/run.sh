#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined), replays each
# corpus and every saved crasher, then fuzzes each harness for SECONDS seconds (default 20).
# Prints executions per harness; exits nonzero on any crash.  Used by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
core="$here/../../csrc/core"
seconds="${SECONDS_PER_HARNESS:-20}"
out="${FUZZ_OUT:-$here/build}"
mkdir -p "$out"
status=0
for source in "$here"/fuzz_*.c; do   # every harness, built against every core file
  harness="$(basename "$source" .c)"; harness="${harness#fuzz_}"
  exe="$out/fuzz_$harness"
  # a chunk's label column stops indexing at its third row, not its 4 097th, and a streamed
  # read's first read (the decimal mark's sniff) ends after 64 bytes, not 1 MiB: within reach of
  # the fuzzers' inputs, whose chunked and streamed readings are checked against the one pass
  # (a block after the first read may then find the file CP1252 or mixed, and read it again)
  clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -DDICT_UNINDEX_AT=2 -DDECIMAL_SNIFF=64u -I"$core" "$core"/*.c "$here/fuzz_$harness.c" -o "$exe"
  work="$out/corpus_$harness"
  rm -rf "$work" && mkdir -p "$work" && cp "$here/corpus/$harness/"* "$work/" 2>/dev/null || true
  crashers=("$here"/crashers/"$harness"-*)
  if [ -e "${crashers[0]}" ]; then
    "$exe" -runs=0 "${crashers[@]}" >/dev/null 2>&1 || { echo "fuzz_$harness: a saved crasher fails again"; status=1; }
  fi
  log="$out/fuzz_$harness.log"
  if "$exe" -dict="$here/essconv.dict" -max_total_time="$seconds" -rss_limit_mb=1024 \
       -max_len=4096 -artifact_prefix="$out/$harness-" "$work" >"$log" 2>&1; then
    execs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz_$harness: $execs executions in ${seconds}s, no crash"
  else
    echo "fuzz_$harness: CRASH (see $log and $out/$harness-*)"; tail -30 "$log"; status=1
  fi
done
exit $status
