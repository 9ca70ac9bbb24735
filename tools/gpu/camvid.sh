# on the device: isn's defaults on a real dataset prepared by bench/real_data.py (DATA, default data/camvid; also
# data/drive), scored on SPLIT (default valid), plainly and with TTA; PEERS=fastai,smp adds the peers at isn's time
# (smp's needs albumentations: carry .whl-bench, see bench/real_data.py)
source tools/gpu/setup.sh
[ -d .whl-bench ] && python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl-bench/*.whl
python3 bench/real_data.py run ${DATA:-data/camvid} --split ${SPLIT:-valid} --out $OUT/real --peers "${PEERS:-}" ${BUDGET:+--budget $BUDGET} 2>&1 | grep -v "^\s*$" | tail -25
find $OUT/real -name "hparams.yaml" -exec cat {} \; ; find $OUT/real -name history.csv -exec tail -3 {} \;
rm -rf $OUT/real/isn/pre; find $OUT/real -name "*.safetensors" -delete
