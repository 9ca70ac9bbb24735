# on the device: tuning on an unseen sequence, from CamVid's train and valid splits only (test is never read):
# train on 0001TP + 0016E5 (367 frames), validate on 0006R0 (101 frames). `V="mild mildw:164" E=96 bash tools/gpu/lso.sh`
# (each variant of bench/camvid_tune.py in a process of its own, all at once; `:N` gives it N epochs, else E;
# `:N:S` also the seed S, else 42; variants named up* train on a copy of the frames magnified 1.5 times)
source tools/gpu/setup.sh
D=$PWD/data/camvid L=/tmp/lso P=/tmp/lsopre; mkdir -p $L/img $L/ann $L/lists
for s in train val; do ln -s $D/$s/* $L/img/; ln -s $D/${s}annot/* $L/ann/; done
ls $L/img | grep -v '^0006R0' | sed 's/\.[a-z]*$//' > $L/lists/train.txt
ls $L/img | grep '^0006R0' | sed 's/\.[a-z]*$//' > $L/lists/val.txt
wc -l $L/lists/*.txt
isn_split --image_dir $L/img --mask_dir $L/ann --split_lists $L/lists --class_dict $D/camvid.csv \
  --experiment_dir $P/experiment --holding_dir $P/holding --overwrite | tail -1
isn_metadata --data_dir $P --overwrite | tail -1
if [[ " ${V:-} " == *" up"* ]]; then # variants named up*: the same frames magnified 1.5 times, labels nearest
  python3 - $L /tmp/lso15 <<'PY'
import sys; from pathlib import Path; from PIL import Image; from concurrent.futures import ProcessPoolExecutor
src, dst = Path(sys.argv[1]), Path(sys.argv[2])
def up(f, kind):
    im = Image.open(f); im.resize((im.width*3//2, im.height*3//2), Image.BILINEAR if kind=='img' else Image.NEAREST
                                 ).save(dst/kind/f'{f.stem}.png')
for k in ('img', 'ann'): (dst/k).mkdir(parents=True, exist_ok=True)
with ProcessPoolExecutor(16) as ex: list(ex.map(up, *zip(*[(f, k) for k in ('img', 'ann') for f in (src/k).iterdir()])))
PY
  isn_split --image_dir /tmp/lso15/img --mask_dir /tmp/lso15/ann --split_lists $L/lists --class_dict $D/camvid.csv \
    --experiment_dir ${P}15/experiment --holding_dir ${P}15/holding --overwrite | tail -1
  isn_metadata --data_dir ${P}15 --overwrite | tail -1
fi
for x in ${V:-mild mildw strong lovasz}; do IFS=: read -r v e s <<< "$x"
  pre=$P; [[ $v == up* ]] && pre=${P}15
  python bench/camvid_tune.py $pre $OUT/tune $v \
    --epochs ${e:-${E:-96}} --seed ${s:-42} > $OUT/${x//:/-}.log 2>&1 & done
wait; grep -h RESULT $OUT/*.log; tail -n 3 $OUT/*.log | cut -c1-200; rm -rf $OUT/tune/*/
