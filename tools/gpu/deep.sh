# Run from the repo root on the device machine, with `.whl` carried: `bash tools/gpu/deep.sh`
# on the device: the 4-band 16-bit look-alike (nbs/lookalikes_deep.py) through split, metadata, train, eval, predict
set -o pipefail; source tools/gpu/setup.sh
D=/tmp/deep; rm -rf $D; python3 nbs/lookalikes_deep.py $D/raw 0 > /dev/null || exit 1
printf 'name,value,ignore\nnodata,0,1\nwater,1,0\nvegetation,2,0\nbuilt-up,3,0\nbare soil,4,0\n' > $D/c.csv
R=$D/raw/sat4
isn_split --image_dir $R/images --mask_dir $R/masks --split_lists $R --class_dict $D/c.csv \
  --experiment_dir $D/pre/experiment --holding_dir $D/pre/holding &&
isn_metadata --data_dir $D/pre && isn_train --data_dir $D/pre --out_dir $D/w --epochs 20 --bs 4 &&
isn_eval --data_dir $D/pre --out_dir $D/w --split test | tail -4 &&
isn_predict --input $R/images --output $D/pred --model $D/w/savedckpt/isn-v0 && ls $D/pred | head -3
echo "deep rc $?"
