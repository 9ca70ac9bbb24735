# on the device: tuning on an unseen sequence, from CamVid's train and valid splits only (test is never read):
# train on 0001TP + 0016E5 (367 frames), validate on 0006R0 (101 frames). `V="mild mildw:164" E=96 bash tools/gpu/lso.sh`
# (each variant of bench/camvid_tune.py in a process of its own, all at once; `:N` gives it N epochs, else E;
# `:N:S` also the seed S, else 42)
source tools/gpu/setup.sh
D=$PWD/data/camvid L=/tmp/lso P=/tmp/lsopre; mkdir -p $L/img $L/ann $L/lists
for s in train val; do ln -s $D/$s/* $L/img/; ln -s $D/${s}annot/* $L/ann/; done
ls $L/img | grep -v '^0006R0' | sed 's/\.[a-z]*$//' > $L/lists/train.txt
ls $L/img | grep '^0006R0' | sed 's/\.[a-z]*$//' > $L/lists/val.txt
wc -l $L/lists/*.txt
isn_split --image_dir $L/img --mask_dir $L/ann --split_lists $L/lists --class_dict $D/camvid.csv \
  --experiment_dir $P/experiment --holding_dir $P/holding --overwrite | tail -1
isn_metadata --data_dir $P --overwrite | tail -1
for x in ${V:-mild mildw strong lovasz}; do IFS=: read -r v e s <<< "$x"
  python bench/camvid_tune.py $P $OUT/tune $v \
    --epochs ${e:-${E:-96}} --seed ${s:-42} > $OUT/${x//:/-}.log 2>&1 & done
wait; grep -h RESULT $OUT/*.log; tail -n 3 $OUT/*.log | cut -c1-200; rm -rf $OUT/tune/*/
