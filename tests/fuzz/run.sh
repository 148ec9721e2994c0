#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, -fsanitize=fuzzer,address,undefined), replays each
# corpus and every saved crasher, then fuzzes each harness for SECONDS seconds (default 20).
# Prints executions per harness; exits nonzero on any crash.  Used by .ci/run.
#
# The core is compiled once into objects (every core file, the same flags as the harnesses) and
# every harness is linked against all of them: compiling each core file again for each of the 8
# harnesses cost ~6 of CI's minutes and built the same objects 8 times.  Compiling runs one job
# per core.  The harnesses fuzz one at a time, as before, unless FUZZ_JOBS says more: on a
# machine shared with other loads (one run each), two fuzzers on two cores each ran about a
# third of the executions one ran alone (the verdicts are printed in the harnesses' order).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
core="$here/../../csrc/core"
seconds="${SECONDS_PER_HARNESS:-20}"
out="${FUZZ_OUT:-$here/build}"
jobs="$(nproc 2>/dev/null || echo 1)"   # compiling
fuzz_jobs="${FUZZ_JOBS:-1}"             # fuzzing
mkdir -p "$out"
# a chunk's label column stops indexing at its third row, not its 4 097th, and a streamed
# read's first read (the decimal mark's sniff) ends after 64 bytes, not 1 MiB: within reach of
# the fuzzers' inputs, whose chunked and streamed readings are checked against the one pass
# (a block after the first read may then find the file CP1252 or mixed, and read it again);
# and a read alone in memory stops writing its chunks straight into the result once the result's
# label tables pass 2 400 bytes (a first table of 128 slots and a few dozen labels), not 1 MiB;
# and the straight path takes its records in batches of 3, not 256, so that a fuzzer's few
# records cross batches, and a record the batch refuses falls in the middle of one
flags=(-std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
       -DDICT_UNINDEX_AT=2 -DDECIMAL_SNIFF=64u -DRESULT_TABLES_CACHED=2400u
       -DBATCH_RECORDS=3 -DBATCH_CELLS=192 -I"$core")
objs="$out/core-objects"
rm -rf "$objs" && mkdir -p "$objs"
# every core file, once (xargs exits nonzero, and so does this script, if any compile fails)
printf '%s\0' "$core"/*.c | OBJS="$objs" xargs -0 -n1 -P"$jobs" bash -c \
  'src="${!#}"; clang "${@:1:$#-1}" -c "$src" -o "$OBJS/$(basename "$src" .c).o"' compile "${flags[@]}"
harnesses=()
for source in "$here"/fuzz_*.c; do
  harness="$(basename "$source" .c)"; harnesses+=("${harness#fuzz_}")
done
# every harness, linked against every core object
printf '%s\0' "${harnesses[@]}" | HERE="$here" OUT="$out" OBJS="$objs" xargs -0 -n1 -P"$jobs" bash -c \
  'h="${!#}"; clang "${@:1:$#-1}" "$OBJS"/*.o "$HERE/fuzz_$h.c" -o "$OUT/fuzz_$h"' link "${flags[@]}"

status=0
for harness in "${harnesses[@]}"; do   # saved crashers first: a quick replay, before any fuzzing
  crashers=("$here"/crashers/"$harness"-*)
  if [ -e "${crashers[0]}" ]; then
    "$out/fuzz_$harness" -runs=0 "${crashers[@]}" >/dev/null 2>&1 \
      || { echo "fuzz_$harness: a saved crasher fails again"; status=1; }
  fi
done

fuzz() {   # replays the harness's corpus, then fuzzes it; leaves its verdict in $out/$1.result
  local harness="$1" exe="$out/fuzz_$1" work="$out/corpus_$1" log="$out/fuzz_$1.log"
  rm -rf "$work" && mkdir -p "$work" && cp "$here/corpus/$harness/"* "$work/" 2>/dev/null || true
  if "$exe" -dict="$here/essconv.dict" -max_total_time="$seconds" -rss_limit_mb=1024 \
       -max_len=4096 -artifact_prefix="$out/$harness-" "$work" >"$log" 2>&1; then
    execs=$(grep -o 'Done [0-9]* runs' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
    echo "fuzz_$harness: $execs executions in ${seconds}s, no crash" >"$out/$harness.result"
  else
    { echo "fuzz_$harness: CRASH (see $log and $out/$harness-*)"; tail -30 "$log"; } >"$out/$harness.result"
    return 1
  fi
}
running=()
for harness in "${harnesses[@]}"; do
  rm -f "$out/$harness.result"
  fuzz "$harness" & running+=($!)
  if [ ${#running[@]} -ge "$fuzz_jobs" ]; then   # wait for the oldest before starting another
    wait "${running[0]}" || status=1
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do wait "$pid" || status=1; done
for harness in "${harnesses[@]}"; do
  cat "$out/$harness.result" 2>/dev/null || { echo "fuzz_$harness: no verdict"; status=1; }
done
exit $status
