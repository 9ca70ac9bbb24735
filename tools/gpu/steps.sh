# Run from the repo root on the device machine, with `.whl` and `data/camvid` carried: `bash tools/gpu/steps.sh`
# on the device: isn's defaults on CamVid's train split for E1, E2, E3 epochs side by side (one process each, one GPU),
# each scored on the valid split by its best and last mean IoU (never test): does a longer schedule pay?
source tools/gpu/setup.sh
P=/tmp/cvpre; D=$PWD/data/camvid
isn_split --image_dir "$D/{split}" --mask_dir "$D/{split}annot" --class_dict $D/camvid.csv --experiment_dir $P/experiment --holding_dir $P/holding --overwrite | tail -1
isn_metadata --data_dir $P --overwrite | tail -1
for e in ${EPOCHS:-164 330 490}; do python3 bench/camvid_tune.py $P $OUT/t$e mild --epochs $e > $OUT/e$e.log 2>&1 & done
wait; grep -h RESULT $OUT/e*.log; find $OUT -name "*.safetensors" -delete; find $OUT -name "*.pth" -delete
