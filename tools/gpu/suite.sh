# Run from the repo root on the device machine, with `.whl` carried: `LIMIT=540 bash tools/gpu/suite.sh`
# on the device: the GPU suite
source tools/gpu/setup.sh
t0=$SECONDS
timeout ${LIMIT:-540} nbdev_test --flags cuda --n_workers 1 --timing --do_print 2>&1 | grep -v "^\s*$" | tail -80
echo "suite rc ${PIPESTATUS[0]} in $((SECONDS-t0)) s"
