# on the device: isn's defaults on CamVid (SegNet copy in data/camvid), scored on SPLIT (default valid), plainly and with TTA
source tools/gpu/setup.sh
python3 bench/real_data.py run data/camvid --split ${SPLIT:-valid} --out $OUT/real --peers "${PEERS:-}" ${BUDGET:+--budget $BUDGET} 2>&1 | grep -v "^\s*$" | tail -25
find $OUT/real -name "hparams.yaml" -exec cat {} \; ; find $OUT/real -name history.csv -exec tail -3 {} \;
rm -rf $OUT/real/isn/pre; find $OUT/real -name "*.safetensors" -delete
