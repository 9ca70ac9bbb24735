set -o pipefail
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl && export PYTHONPATH=/tmp/site:$PWD PATH=/tmp/site/bin:$PATH || exit
python3 -m pip install -q --no-deps --no-build-isolation --no-index -e . >/dev/null 2>&1 || exit
export PYTHONUNBUFFERED=1
env | grep -i -E "^PYTHON|^TORCH|^CUDA" ; df -h /tmp /work 2>/dev/null | tail -2; mount | grep -E " / | /tmp " | head -3
for i in 1 2 3; do /usr/bin/time -f "import isn.train: %e s" python -c "import isn.train"; done
/usr/bin/time -f "import torch: %e s" python -c "import torch"
/usr/bin/time -f "cuda init + conv: %e s" python -c "import torch; x=torch.zeros(1,3,64,64).cuda(); torch.nn.Conv2d(3,8,3).cuda()(x); torch.cuda.synchronize()"
t=$SECONDS; python -m compileall -q -j 0 /tmp/site >/dev/null 2>&1; echo "compileall $((SECONDS-t)) s"
for i in 1 2; do /usr/bin/time -f "import isn.train after compileall: %e s" python -c "import isn.train"; done
/usr/bin/time -f "isn_eval bad data dir: %e s" isn_eval --data_dir /nonexistent --model x
python -X importtime -c "import isn.train" 2>&1 | sort -t'|' -k2 -n | tail -8
timeout 170 python bench/tfmddl.py 2>&1 | tee $OUT/tfm.log
timeout 150 python bench/tfmddl.py --crop 256 --bs 64 2>&1 | tee -a $OUT/tfm.log
