# sourced by nothing: one tuning call, e.g. `V="hflip mild" E=160 bash tools/gpu/tune1.sh`
source tools/gpu/setup.sh
P=/tmp/cvpre; D=$PWD/data/camvid
isn_split --image_dir "$D/{split}" --mask_dir "$D/{split}annot" --class_dict $D/camvid.csv --experiment_dir $P/experiment --holding_dir $P/holding --overwrite | tail -1
isn_metadata --data_dir $P --overwrite | tail -1
for v in ${V:-base hflip aug augw}; do python bench/camvid_tune.py $P $OUT/tune $v --epochs ${E:-80} > $OUT/$v.log 2>&1 & done
wait; grep -h RESULT $OUT/*.log; rm -rf $OUT/tune/*/
