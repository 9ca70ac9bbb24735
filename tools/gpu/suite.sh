# Run from the repo root on the device machine, with `.whl` carried: `LIMIT=540 bash tools/gpu/suite.sh`
# on the device: the GPU suite, each line of nbdev_test's prefixed by the seconds since it started
source tools/gpu/setup.sh
t0=$SECONDS
timeout ${LIMIT:-540} nbdev_test --flags cuda --n_workers 1 --timing --do_print 2>&1 | grep --line-buffered -v "^\s*$" |
  while IFS= read -r l; do echo "$((SECONDS-t0)) $l"; done | tail -80
echo "suite rc ${PIPESTATUS[0]} in $((SECONDS-t0)) s"
