set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site:$PWD PATH=/tmp/site/bin:$PATH || exit
python3 -m pip install -q --no-deps --no-build-isolation --no-index -e . >/dev/null 2>&1 || exit
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name --format=csv,noheader; nproc
t=$SECONDS
timeout 100 python bench/tfmddl.py --check 2>&1 | tee $OUT/tfm.log
timeout 80 python bench/tfmddl.py --check --crop 256 --bs 64 2>&1 | tee -a $OUT/tfm.log
echo "tfm took $((SECONDS-t)) s"
mkdir -p /tmp/A /tmp/B
t=$SECONDS
timeout $1 python tools/outputs.py run --cuda --keep_going --dest /tmp/A nbs/09_own_data.ipynb nbs/05_train.ipynb nbs/06_eval.ipynb nbs/07_pipeline.ipynb > $OUT/A.log 2>&1 &
timeout $1 python tools/outputs.py run --cuda --keep_going --dest /tmp/B nbs/08_faults.ipynb nbs/05a_predict.ipynb nbs/03_data.ipynb nbs/04_model.ipynb nbs/06a_export.ipynb nbs/00_datagen.ipynb nbs/01_split.ipynb nbs/02_metadata.ipynb nbs/00_core.ipynb nbs/02a_testing.ipynb nbs/04a_metrics.ipynb nbs/04b_runs.ipynb nbs/index.ipynb > $OUT/B.log 2>&1 &
wait
echo "streams took $((SECONDS-t)) s"
tar czf $OUT/nbs.tgz -C /tmp A B
