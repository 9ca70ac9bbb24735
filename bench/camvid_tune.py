"""Tuning isn's training defaults on CamVid's train and valid splits (never test): one variant per process, so several
share one GPU; each prints its best and last validation mean IoU over the 11 classes (dataset-level, void ignored).

    python bench/camvid_tune.py PRE OUT VARIANT [--epochs N] [--seed S]  # PRE: isn_split + isn_metadata of data/camvid

The variants, as `isn_train` settings:
  base   the old defaults: every flip and quarter turn, no zoom or colour jitter
  hflip  mirror images only
  aug    mirror images + zoom 0.5..2 + colour jitter 0.25
  augw   aug + median-frequency class weights in the cross-entropy
  mild   mirror images + zoom 0.7..1.4 + colour jitter 0.15 (the defaults since issue 23)
  mildw  mild + median-frequency class weights
  strong mirror images + zoom 0.5..2 + colour jitter 0.3
  lovasz mild, with the loss CE + Lovasz-softmax
  crop256  mild, training crops of 256x256 in place of the whole 352x480 (an epoch: an estimated 0.55-0.7 of one)
  crop256s strong, in crops of 256x256
  b8, b16  mild, in batches of 8 or 16 (four or two times the optimiser steps of an epoch), the same peak lr
  ema    mild, validated with an exponential moving average of the weights (`torch.optim.swa_utils`; half-life
         of about 100 optimiser steps, BatchNorm's statistics averaged too); a callback of this script, not a setting,
         for one process: the best epoch is chosen by the average's scores, but the model saved is the raw one
  b8ema  b8 and ema
  inorm  mild, each image standardised per channel (its own mean and spread, after isn's normalisation), in training
         and validation alike: a grey-world balance against another sequence's light; a callback of this script
  jit3   mild with colour jitter 0.3 (`strong` changed zoom and jitter at once)
  up15   mild on the frames magnified 1.5 times (540x720, bilinear; labels nearest), in training crops of 352x480
         (a step costs what the defaults' does) and validated on whole magnified frames: `lso.sh` gives variants
         named `up*` a copy of the data magnified on the device
  wd1    mild, with AdamW's weight decay 0.1 in place of 0.01 (this script's process only)
  lr4    mild, peak learning rate 4e-3 in place of 2e-3
  scse   mild, UNet++'s decoder with smp's scSE attention (`decoder_attention_type='scse'`)
  tu34   mild on timm's resnet34 (`tu-resnet34`: the same layers, timm's initialisation)
  dp1    tu34 with stochastic depth (timm's `drop_path_rate=0.1`)
  r18    mild on resnet18 (about half the encoder's layers and weights)
  eb0    mild on smp's efficientnet-b0 (about 4M weights in the encoder, against resnet34's 21M)
  cutmix mild, and half the frames of each training batch get a box of another frame of the batch, its labels with it
         (CutMix; the box a uniform fraction of the area, of the frame's aspect); a callback of this script
  cmix   mild, and half the frames of each training batch get the pixels of about half the classes present in another
         frame of the batch, labels with them (ClassMix: objects pasted into another street); a callback of this script
  ibn    mild, the encoder's first BatchNorm of each block of its first three stages normalising half its channels
         per image instead (IBN-Net's IBN-a, Pan et al. 2018: instance normalisation in the shallow layers removes a
         frame's light and colour, batch normalisation keeps what tells classes apart); smp's resnet encoders only
  instem mild, the stem's BatchNorm replaced by instance normalisation (with its scale and shift) alone
Each run's best model (the epoch of the best validation mean IoU) is then scored on the validation split three ways,
paired: plainly (`best_plain`, the same as `best`), with isn's TTA over mirror images only (`best_tta_flips`,
`--tta`), and over mirror images and the three scales of the zoom (`best_tta`, `--tta --tta_scales zoom`). Not for
`ema` and `inorm`: the model saved is the raw one where `ema` chose its epoch by the average's scores, and
`Predictor` does not standardise images as `inorm` trained on them, so their three are not comparable with `best`.
The runs in `bench/NOTES.md` (2026-12-03) were made at `751cc53`, before these were settings, by patching isn's loader
and loss in this script; the patches did what the settings do but in another order (zoom on raw pixels, black outside
the image, then jitter; the library jitters, normalises, then zooms, the mean colour outside), and their Dice left
the first class out as the library's `dice` does.
"""
import json, sys, time
from pathlib import Path
import pandas as pd

VARIANTS = dict(base=dict(flips='dihedral', zoom='none', jitter=0.),
                hflip=dict(flips='horizontal', zoom='none', jitter=0.),
                aug=dict(flips='horizontal', zoom='0.5,2', jitter=0.25),
                augw=dict(flips='horizontal', zoom='0.5,2', jitter=0.25, class_weights='median_freq'),
                mild=dict(flips='horizontal', zoom='0.7,1.4', jitter=0.15),
                mildw=dict(flips='horizontal', zoom='0.7,1.4', jitter=0.15, class_weights='median_freq'),
                strong=dict(flips='horizontal', zoom='0.5,2', jitter=0.3),
                lovasz=dict(flips='horizontal', zoom='0.7,1.4', jitter=0.15, loss='ce+lovasz'),
                crop256=dict(flips='horizontal', zoom='0.7,1.4', jitter=0.15, img_size='256'),
                crop256s=dict(flips='horizontal', zoom='0.5,2', jitter=0.3, img_size='256'))
VARIANTS.update(b8=dict(VARIANTS['mild'], bs=8), b16=dict(VARIANTS['mild'], bs=16))
VARIANTS.update(ema=VARIANTS['mild'], b8ema=VARIANTS['b8'], inorm=VARIANTS['mild'],
                jit3=dict(VARIANTS['mild'], jitter=0.3),
                up15=dict(VARIANTS['mild'], img_size='352x480'), wd1=VARIANTS['mild'],
                lr4=dict(VARIANTS['mild'], lr=4e-3), scse=VARIANTS['mild'],
                tu34=dict(VARIANTS['mild'], encoder='tu-resnet34'), dp1=dict(VARIANTS['mild'], encoder='tu-resnet34'),
                r18=dict(VARIANTS['mild'], encoder='resnet18'), eb0=dict(VARIANTS['mild'], encoder='efficientnet-b0'),
                cutmix=VARIANTS['mild'], cmix=VARIANTS['mild'], ibn=VARIANTS['mild'], instem=VARIANTS['mild'])

def _ibn(planes:int):
    "IBN-a's norm: the first half of `planes` channels normalised per image (affine), the rest by BatchNorm."
    import torch
    class _IBN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.half = planes//2
            self.IN, self.BN = torch.nn.InstanceNorm2d(self.half, affine=True), torch.nn.BatchNorm2d(planes-self.half)
        def forward(self, x):
            a, b = x.split([self.half, x.shape[1]-self.half], 1)
            return torch.cat([self.IN(a.contiguous()), self.BN(b.contiguous())], 1)
    return _IBN()

def normalise_per_image(model, kind:str):
    "`model` (an smp model on a resnet encoder) with `kind`'s instance normalisation in its encoder."
    import torch
    enc = model.encoder
    if kind=='instem': enc.bn1 = torch.nn.InstanceNorm2d(enc.bn1.num_features, affine=True)
    if kind=='ibn':
        for layer in (enc.layer1, enc.layer2, enc.layer3):
            for block in layer: block.bn1 = _ibn(block.bn1.num_features)
    return model

def patch_process(kind:str):
    "What a variant changes in this process beyond `isn_train`'s settings: AdamW's weight decay, the model's layers."
    import torch, segmentation_models_pytorch as smp
    if kind in ('ibn', 'instem'):
        make = smp.create_model
        smp.create_model = lambda *args, **kwargs: normalise_per_image(make(*args, **kwargs), kind)
    if kind=='wd1':
        class _AdamW(torch.optim.AdamW):
            def __init__(self, *args, weight_decay=0.01, **kwargs): super().__init__(*args, weight_decay=0.1, **kwargs)
        torch.optim.AdamW = _AdamW
    more = dict(scse=dict(decoder_attention_type='scse'), dp1=dict(drop_path_rate=0.1)).get(kind)
    if more:
        make = smp.create_model
        smp.create_model = lambda *args, **kwargs: make(*args, **more, **kwargs)

def ema_callback(decay=0.993):
    "A fastai callback that validates an exponential moving average of the model's weights and buffers."
    from fastai.callback.core import Callback
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn
    class _EMA(Callback):
        order = 5 # the swap must wrap every validation batch; the saved best model stays the raw one
        def before_fit(self): self.avg = AveragedModel(self.model, multi_avg_fn=get_ema_multi_avg_fn(decay),
                                                       use_buffers=True)
        def after_step(self): self.avg.update_parameters(self.model)
        def before_validate(self):
            self.kept = {k: v.detach().clone() for k, v in self.model.state_dict().items()}
            self.model.load_state_dict(self.avg.module.state_dict())
        def after_validate(self): self.model.load_state_dict(self.kept); del self.kept
    return _EMA()

def inorm_callback():
    "A fastai callback that standardises each image of a batch per channel, over its own pixels."
    from fastai.callback.core import Callback
    class _Standardise(Callback):
        order = 50 # after every transform of the batch
        def before_batch(self):
            x = self.learn.xb[0]
            m, s = x.mean((2, 3), keepdim=True), x.std((2, 3), keepdim=True)
            self.learn.xb = ((x - m) / (s + 1e-5),)
    return _Standardise()

def _cut_boxes(n, h, w, device):
    "(n,h,w) bool: a box in each frame, of a uniform fraction of its area and of its aspect, anywhere."
    import torch
    side = torch.rand(n, device=device).sqrt() # the box's sides: this fraction of the frame's
    bh, bw = (side*h).long(), (side*w).long()
    top, left = ((h - bh + 1)*torch.rand(n, device=device)).long(), ((w - bw + 1)*torch.rand(n, device=device)).long()
    rows, cols = torch.arange(h, device=device), torch.arange(w, device=device)
    inr = (rows >= top[:, None]) & (rows < (top + bh)[:, None])
    inc = (cols >= left[:, None]) & (cols < (left + bw)[:, None])
    return inr[:, :, None] & inc[:, None, :]

def _class_masks(y, ignore=255):
    "(n,h,w) bool: the pixels of about half the classes present in each frame of labels `y` (never `ignore`)."
    import torch
    n, flat = y.shape[0], y.flatten(1).long()
    present = torch.zeros(n, 256, dtype=torch.bool, device=y.device).scatter_(1, flat, True)
    present[:, ignore] = False
    pick = present & (torch.rand(n, 256, device=y.device) < 0.5)
    return pick.gather(1, flat).view_as(y)

def mix_callback(kind:str, p=0.5):
    "A fastai callback that pastes into fraction `p` of a training batch's frames a part of another's, labels too."
    import torch
    from fastai.callback.core import Callback
    class _Mix(Callback):
        order = 50 # after every transform of the batch
        def before_batch(self):
            if not self.training: return
            x, y = self.learn.xb[0], self.learn.yb[0]
            n, (h, w) = x.shape[0], y.shape[-2:]
            if n < 2: return
            # each frame's partner another frame of the (shuffled) batch, never itself: the batch turned by 1 to n-1
            other = (torch.arange(n, device=x.device) + torch.randint(1, n, (), device=x.device)) % n
            m = _cut_boxes(n, h, w, x.device) if kind=='cutmix' else _class_masks(y[other])
            m &= (torch.rand(n, device=x.device) < p)[:, None, None]
            self.learn.xb = (torch.where(m[:, None], x[other], x),)
            self.learn.yb = (torch.where(m, y[other], y),)
    return _Mix()

def extra_callbacks(kind:str) -> list:
    "The callbacks a variant adds to `isn_train`'s."
    if kind.endswith('ema'): return [ema_callback()]
    if kind=='inorm': return [inorm_callback()]
    return [mix_callback(kind)] if kind in ('cutmix', 'cmix') else []

if __name__=='__main__':
    pre, out, kind = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    epochs = int(sys.argv[sys.argv.index('--epochs')+1]) if '--epochs' in sys.argv else 60
    seed = int(sys.argv[sys.argv.index('--seed')+1]) if '--seed' in sys.argv else 42
    from isn.train import train
    patch_process(kind)
    t = time.perf_counter()
    name = f'{kind}-{epochs}' + ('' if seed==42 else f'-s{seed}')
    r = train(str(pre), str(out/name), epochs=epochs, seed=seed, patience=10**6, monitor='mean',
              log=lambda *a: None, cbs=extra_callbacks(kind), **VARIANTS[kind])
    secs = time.perf_counter() - t
    h = pd.read_csv(r['history'])
    res = dict(variant=name, data=str(pre), epochs=epochs, seed=seed, best=float(h.mean_iou.max()),
               best_epoch=int(h.mean_iou.idxmax()),
               last=float(h.mean_iou.iloc[-1]), seconds=secs, per_class_last={c[4:]: round(float(h[c].iloc[-1]), 3)
               for c in h.columns if c.startswith('iou_')})
    from isn.eval import evaluate
    from isn.predict import Predictor
    for k, kw in (('plain', {}), ('tta_flips', dict(tta=True)), ('tta', dict(tta=True, tta_scales='zoom'))):
        res[f'best_{k}'] = evaluate(Predictor(r['artifact'], **kw), pre, 'valid')[1]['mean']['iou']['dataset']
    print('RESULT', json.dumps(res))
    (out/f'{name}.json').write_text(json.dumps(res)); h.to_csv(out/f'{name}_history.csv', index=False)
