# on the device: tuning on an unseen sequence, from CamVid's train and valid splits only (test is never read):
# train on the other sequences, validate on the one held out: 0006R0 (101 frames; train 0001TP + 0016E5, 367) by
# default, or 0001TP (62 frames of the train split; train 0006R0 + 0016E5, 406). `V="mild mildw:164" E=96 bash
# tools/gpu/lso.sh` (each variant of bench/camvid_tune.py in a process of its own, all at once; `:N` gives it N
# epochs, else E; `:N:S` also the seed S, else 42; `:N:S:SEQ` the sequence held out, else 0006R0; variants named up*
# train on a copy of the frames magnified 1.5 times, holding out 0006R0)
source tools/gpu/setup.sh
D=$PWD/data/camvid L=/tmp/lso P=/tmp/lsopre; mkdir -p $L/img $L/ann
for s in train val; do ln -s $D/$s/* $L/img/; ln -s $D/${s}annot/* $L/ann/; done
pre_for() { # the isn_split + isn_metadata of the split holding out sequence $1, made once: its folder on stdout
  local h=$1 p=$P; [[ $1 == 0006R0 ]] || p=$P-$1
  if [[ ! -e $p/metadata.csv ]]; then
    mkdir -p $L/lists-$h
    ls $L/img | grep -v "^$h" | sed 's/\.[a-z]*$//' > $L/lists-$h/train.txt
    ls $L/img | grep "^$h" | sed 's/\.[a-z]*$//' > $L/lists-$h/val.txt
    isn_split --image_dir $L/img --mask_dir $L/ann --split_lists $L/lists-$h --class_dict $D/camvid.csv \
      --experiment_dir $p/experiment --holding_dir $p/holding --overwrite | tail -1 >&2
    isn_metadata --data_dir $p --overwrite | tail -1 >&2
  fi
  echo $p
}
pre_for 0006R0 > /dev/null; mkdir -p $L/lists; cp $L/lists-0006R0/*.txt $L/lists/; wc -l $L/lists-*/*.txt
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
for x in ${V:-mild mildw strong lovasz}; do IFS=: read -r v e s h <<< "$x"
  pre=$(pre_for ${h:-0006R0}); [[ $v == up* ]] && pre=${P}15
  python bench/camvid_tune.py $pre $OUT/tune-${h:-0006R0} $v \
    --epochs ${e:-${E:-96}} --seed ${s:-42} > $OUT/${x//:/-}.log 2>&1 & done
wait; grep -h RESULT $OUT/*.log; tail -n 3 $OUT/*.log | cut -c1-200; rm -rf $OUT/tune-*/*/
