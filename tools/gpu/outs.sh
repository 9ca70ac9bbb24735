# Run from the repo root on the device machine, with `.whl` (../shared/gpu/wheels.sh) carried: `bash tools/gpu/outs.sh`
# on the device: the outputs of every notebook with `cuda` cells, each run whole in its own process, side by side
source tools/gpu/setup.sh
mkdir -p $OUT/nb; t0=$SECONDS
for nb in ${NBS:-05_train 06_eval 09_own_data index}; do
  (timeout ${LIMIT:-520} python3 tools/outputs.py run --cuda --dest $OUT/nb nbs/$nb.ipynb > $OUT/$nb.log 2>&1; echo "$nb rc $? after $((SECONDS-t0)) s" >> $OUT/$nb.log) &
done
wait
for f in $OUT/*.log; do grep -v '^ ' $f | tail -4; done
