"""Issue 20: can the GPU-resident loader be a fastai `TfmdDL` without losing speed? Both side by side in one run.

A  `isn.data.TensorLoader`: isn's resident loader, a fastai look-alike (its own `__iter__`, `_crops`, `_batch`).
B  `ResidentDL` (below): a fastai `TfmdDL` over the same resident uint8 tensors. fastai's machinery does the iteration
   (`__iter__`, `before_iter`, `sample`, `chunkify`, `_FakeLoader` through PyTorch's single-process iterator,
   `to_device`, the `after_batch` `Pipeline` with its type dispatch); the items are plain row positions
   (`create_item=noop`, nothing per item but fastai's `chunked`), and:
     before_iter   draws the epoch's order on the device (`torch.randperm` on the loader's generator);
     create_batch  gathers the batch's random crops on the device in one indexing, as `TensorLoader._crops`;
     after_batch   `GenDihedral` (a random dihedral element per sample, drawn from the same generator),
                   `NormChannelsLast` (channels_last and `PixelNorm` for `TensorImage`, `long` for `TensorMask`).
C  `ResidentDL` with one more `after_batch` transform, `Untyped`, last: plain tensors for the model, as A gives
   (fastai's `TensorImage`/`TensorMask` run Python in `__torch_function__` on every op: the model's forward, the loss).
A, B, C: generator, order of draws and operations are `TensorLoader`'s, so with the same seed the batches are identical:
   `--check` asserts it (values, shapes, dtypes, devices, channels_last) for training crops and whole-image batches
   (whole images: data of one size, as the synthetic sets; `TensorLoader` groups other sizes, this prototype not).
Timed, in interleaved rounds (A B C A B C ..., median of `--rounds`): (a) one epoch of batches from each loader alone,
the device synchronised at the end; (a') fastai's machinery alone, with no tensor work (a `TfmdDL` whose
`create_batch` hands out one ready batch, through two `after_batch` transforms shaped like B's that return their
input), against a bare Python generator: µs a batch, best of 7 rounds: the part of what B and C add that is fastai's
loop and dispatch (the rest is typed ops: fastai's `TensorBase.__torch_function__`); (b) unless `--no_fit`,
`Learner.fit` (`isn.train.seg_learner`, UNet++, `--encoder`) of `--fit_epochs` epochs with each loader as `dls.train`
(and its own kind for validation), images/s of the training phase (device synchronised at its ends), the same initial
weights on all sides. The data: `--n` random uint8 pairs of `--side`² made in memory (random labels of 2 classes), or
with `--data DIR` the `train`/`valid` rows of DIR's `metadata.csv` through `load_pairs`
(made there first with `isn.testing.synth_dataset`, `--n` pairs of `--side`², if DIR has none).

Usage: python bench/tfmddl.py [--device cuda] [--n 1000] [--side 256] [--bs 32] [--crop 224] [--rounds 7]
                              [--fit_epochs 2] [--encoder resnet18] [--check] [--no_fit] [--data DIR]
CPU smoke run: python bench/tfmddl.py --device cpu --n 64 --bs 8 --crop 64 --side 96 --rounds 3 --fit_epochs 1 --check
"""
import argparse, os, platform, statistics, subprocess, time
from pathlib import Path

import torch
from isn.core import quiet_imports
with quiet_imports(): import fastai.basics # noqa: F401 (isn's import order: fastai first, quietly)
from fastai.callback.core import Callback
from fastai.data.core import DataLoaders, TfmdDL
from fastai.torch_core import TensorImage, TensorMask
from fastai.vision.augment import RandTransform
from fastcore.basics import noop
from fasttransform import DisplayedTransform

from isn.data import PixelNorm, TensorLoader, crop_offsets, dihedral_each, load_metadata, load_pairs, random_dihedral

# ---------------------------------------------------------------------------------------------------------------------
# B: the resident loader as a fastai `TfmdDL`

class GenDihedral(RandTransform):
    "A random dihedral element per sample, image and mask alike, drawn from the loader's device generator."
    order, split_idx = 5, None # every batch it is given: the loader is made with `augment` or without this transform
    def setup(self, items=None, train_setup=False): self.dl = items # `TfmdDL` sets its transforms up with itself
    def before_call(self, b, split_idx):
        super().before_call(b, split_idx)
        x = b[0]
        self.k = random_dihedral(len(x), x.shape[-1]==x.shape[-2], self.dl.gen)
    def encodes(self, x:(TensorImage, TensorMask)): return dihedral_each(x, self.k)

class NormChannelsLast(DisplayedTransform):
    "uint8 images (B,3,H,W) to normalised float in channels_last; masks to long. Decodes images back to [0, 255]."
    order = 99
    def __init__(self, stats:tuple): super().__init__(); self.norm = PixelNorm(stats)
    def to(self, device): self.norm = self.norm.to(device) # called by fastai's `DataLoader.device` setter
    def encodes(self, x:TensorImage): return self.norm(x.contiguous(memory_format=torch.channels_last))
    def encodes(self, y:TensorMask): return y.long()
    def decodes(self, x:TensorImage): return self.norm.decode(x)

class Untyped(DisplayedTransform):
    "Last: plain `torch.Tensor`s for the model. fastai's `TensorBase` runs Python in `__torch_function__` on every op."
    order = 100
    # the return annotation: without it, fasttransform casts the result back to the input's type
    def encodes(self, x:(TensorImage, TensorMask)) -> torch.Tensor: return x.as_subclass(torch.Tensor)

class ResidentDL(TfmdDL):
    "A fastai `TfmdDL` of random crops (or whole images, in order) gathered on the device from resident uint8 tensors."
    def __init__(self, images:torch.Tensor, masks:torch.Tensor, sizes:torch.Tensor, stats:tuple, classes:dict, bs:int,
                 crop:tuple=None, shuffle:bool=False, drop_last:bool=False, augment:bool=False, seed:int=42,
                 device=None, after_batch=None, untyped:bool=False, **kwargs):
        self.images, self.masks, self.sizes, self.stats, self.classes = images, masks, sizes, stats, classes
        self.crop, self.dev_shuffle, self.augment, self.seed = tuple(crop) if crop else None, shuffle, augment, seed
        device = torch.device(device or 'cpu')
        if after_batch is None:
            after_batch = [GenDihedral()]*augment + [NormChannelsLast(stats)] + [Untyped()]*untyped
        # fastai's own shuffling would draw on the host: off; the order is drawn on the device in `before_iter`
        super().__init__(None, bs=bs, shuffle=False, drop_last=drop_last, num_workers=0, n=len(sizes), indexed=True,
                         device=device, create_item=noop, after_batch=after_batch, **kwargs)
        self._n_inp, self._types = 1, {tuple: [TensorImage, TensorMask]} # what fastai's `_one_pass` would find
        self.to(device)

    @property
    def vocab(self) -> list: return list(self.classes)

    def to(self, device):
        "Data, generator and transforms on `device`."
        super().to(device)
        self.images, self.masks = self.images.to(self.device), self.masks.to(self.device)
        self._hw = self.sizes.to(self.device)
        self.gen = torch.Generator(self.device).manual_seed(self.seed)
        return self

    def before_iter(self):
        super().before_iter()
        if not hasattr(self, 'gen'): self.to(self.device)
        n = len(self.sizes)
        self.order = (torch.randperm(n, generator=self.gen, device=self.device) if self.dev_shuffle and self.crop
                      else torch.arange(n, device=self.device))

    def create_batch(self, b:list):
        "The batch of positions `b` (consecutive): random crops gathered in one indexing, or whole images."
        idx = self.order[b[0]:b[0]+len(b)] # a slice on the device: no copy from the host
        if self.crop is None or self.crop==tuple(self.images.shape[1:3]): x, y = self.images[idx], self.masks[idx]
        else:
            (ch, cw), dev = self.crop, self.device
            off = crop_offsets(self._hw[idx], self.crop, self.gen)
            r, c = off[:, :1] + torch.arange(ch, device=dev), off[:, 1:] + torch.arange(cw, device=dev)
            at = (idx[:, None, None], r[:, :, None], c[:, None, :])
            x, y = self.images[at], self.masks[at]
        return TensorImage(x.permute(0, 3, 1, 2)), TensorMask(y)
    def retain(self, res, b): return res # the types are set in `create_batch`; `b` holds ints

    def new(self, **kwargs):
        "A copy with some settings changed (fastai's `new(shuffle=False, drop_last=False)`: `shuffle` is the device's)."
        import copy
        res = copy.copy(self)
        if 'shuffle' in kwargs: res.dev_shuffle = kwargs.pop('shuffle')
        for k, v in kwargs.items(): setattr(res, k, v)
        return res

# ---------------------------------------------------------------------------------------------------------------------

def sync(dev):
    if dev.type=='cuda': torch.cuda.synchronize(dev)

def data(a):
    "((images, masks, sizes) of the train rows, the same of the valid rows, classes)"
    if a.data:
        d = Path(a.data)
        pre = d if (d/'metadata.csv').exists() else d/'preprocessed'
        if not (pre/'metadata.csv').exists():
            from isn.testing import synth_dataset
            pre = synth_dataset(d, tiny=False, num_images=a.n, img_height=a.side, img_width=a.side)
        df, classes = load_metadata(pre)
        crop = (a.crop, a.crop)
        return (load_pairs(df[df.split=='train'], pre, classes, crop), load_pairs(df[df.split=='valid'], pre, classes),
                classes)
    g = torch.Generator().manual_seed(0)
    def pairs(n):
        x = torch.randint(0, 256, (n, a.side, a.side, 3), dtype=torch.uint8, generator=g)
        y = torch.randint(0, 2, (n, a.side, a.side), dtype=torch.uint8, generator=g)
        return x, y, torch.tensor([[a.side, a.side]]*n)
    return pairs(a.n), pairs(max(a.bs, a.n//8)), {'background': 0, 'shape': 1}

def loaders(kind, tr, va, stats, classes, a, dev):
    "Training (random crops, shuffled, augmented) and validation (whole images) loaders of `kind` 'A', 'B' or 'C'."
    cls = TensorLoader if kind=='A' else ResidentDL
    kw = dict(classes=classes, bs=a.bs, seed=a.seed, device=dev, **({'untyped': True} if kind=='C' else {}))
    train = cls(*tr, stats, crop=(a.crop, a.crop), shuffle=True, drop_last=True, augment=True, **kw)
    return train, cls(*va, stats, **kw)

def check(tr, va, stats, classes, a, dev, epochs=2):
    "Assert that A, B and C give identical batches, epoch after epoch; return the number of batches compared."
    (ta, vaa), (tb, vab), (tc, vac) = (loaders(k, tr, va, stats, classes, a, dev) for k in 'ABC')
    assert len(ta)==len(tb)==len(tc) and len(vaa)==len(vab)==len(vac), (len(ta), len(tb), len(vaa), len(vab))
    n = 0
    for da, db, dc in [(ta, tb, tc)]*epochs + [(vaa, vab, vac)]:
        for ba, bb, bc in zip(da, db, dc, strict=True):
            for u, v, w in zip(ba, bb, bc, strict=True):
                for o in (v, w):
                    same = (u.shape, u.dtype, u.device)==(o.shape, o.dtype, o.device)
                    assert same, (u.shape, o.shape, u.dtype, o.dtype, u.device, o.device)
                    assert u.stride()==o.stride(), (u.stride(), o.stride())
                    assert torch.equal(u, o)
            assert bb[0].is_contiguous(memory_format=torch.channels_last) and type(bb[0]) is TensorImage
            assert type(bb[1]) is TensorMask and type(bc[0]) is type(bc[1]) is torch.Tensor is type(ba[0])
            n += 1
    # the copy fastai's Learner makes for validation and `one_batch`
    vb = tb.new(shuffle=False, drop_last=False)
    assert len(vb)==len(ta.new(shuffle=False, drop_last=False)) and vb.one_batch()[0].shape==ta.one_batch()[0].shape
    return n

def epoch_rate(dl, dev) -> float:
    "Images/s of one epoch of batches from `dl` alone."
    sync(dev); t = time.perf_counter()
    k = 0
    for b in dl: k += len(b[0])
    sync(dev)
    return k/(time.perf_counter() - t)

class TrainTimer(Callback):
    "Images/s of each epoch's training phase, the device synchronised at its ends."
    order = 0
    def before_fit(self): self.rates = []
    def before_train(self): sync(self.dls.device); self.t = time.perf_counter()
    def after_train(self):
        sync(self.dls.device)
        self.rates.append(len(self.dls.train)*self.dls.train.bs/(time.perf_counter() - self.t))

class _Same(RandTransform):
    "`GenDihedral`'s shape (a `RandTransform`, its `before_call`, dispatch on both types) with no tensor work."
    order, split_idx = 5, None
    def encodes(self, x:(TensorImage, TensorMask)): return x

class _Same99(DisplayedTransform):
    "`NormChannelsLast`'s shape (one `encodes` a type) with no tensor work."
    order = 99
    def encodes(self, x:TensorImage): return x
    def encodes(self, y:TensorMask): return y

def machinery(a, dev, nb=1000, rounds=7) -> tuple:
    "µs a batch (best of `rounds`) of fastai's `TfmdDL` iteration and of a bare generator, both handing out one batch."
    b = TensorImage(torch.zeros(a.bs, 3, 8, 8, device=dev)), TensorMask(torch.zeros(a.bs, 8, 8, device=dev).long())
    dl = TfmdDL(None, bs=a.bs, n=a.bs*nb, num_workers=0, indexed=True, device=dev, create_item=noop,
                create_batch=lambda _: b, retain=lambda res, _: res, after_batch=[_Same(), _Same99()])
    def bare():
        for _ in range(nb): yield b
    best = {}
    for _ in range(rounds):
        for k, it in (('fastai', dl), ('bare', None)):
            t = time.perf_counter()
            for _ in (bare() if it is None else it): pass
            best[k] = min(best.get(k, 1e9), (time.perf_counter() - t)/nb*1e6)
    return best['fastai'], best['bare']

def learner(train, valid, a, dev):
    from isn.train import PlainTable, ProgressBars, seg_learner
    torch.manual_seed(a.seed) # the same initial weights for both
    learn = seg_learner(DataLoaders(train, valid, device=dev), encoder=a.encoder, cbs=[TrainTimer()])
    learn.remove_cbs([PlainTable, ProgressBars]) # no table, no bars: the fits are timed, not watched
    with learn.no_logging(), learn.no_bar(): learn.fit(1, 1e-3) # warm-up: cudnn's choices, the allocator's pools
    return learn

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--n', type=int, default=1000, help='training pairs (in memory, or made under --data)')
    p.add_argument('--side', type=int, default=256, help='side of the synthetic images')
    p.add_argument('--bs', type=int, default=32); p.add_argument('--crop', type=int, default=224)
    p.add_argument('--rounds', type=int, default=7, help='interleaved rounds (A B C A B C ...), the median reported')
    p.add_argument('--fit_epochs', type=int, default=2, help='epochs of Learner.fit a round, each loader')
    p.add_argument('--encoder', default='resnet18'); p.add_argument('--seed', type=int, default=42)
    p.add_argument('--check', action='store_true', help='assert identical batches from both loaders first')
    p.add_argument('--no_fit', action='store_true', help='time the loaders alone, no Learner.fit')
    p.add_argument('--data', default=None, help='a folder with metadata.csv (made there if missing)')
    a = p.parse_args()
    dev = torch.device(a.device)
    commit = subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True,
                            cwd=Path(__file__).parent).stdout.strip() or '?'
    machine = (torch.cuda.get_device_name(dev) if dev.type=='cuda'
               else f'cpu ({platform.processor() or platform.machine()}, {os.cpu_count()} cores)')
    tr, va, classes = data(a)
    stats = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    print(f"{machine}, {torch.get_num_threads()} threads, torch {torch.__version__}, commit {commit}; "
          f"{len(tr[0])} train pairs of {tuple(tr[0].shape[1:3])}, {len(va[0])} valid, bs {a.bs}, crop {a.crop}, "
          f"{a.rounds} rounds A B C")
    names = {'A': 'TensorLoader', 'B': 'ResidentDL (TfmdDL)', 'C': 'ResidentDL untyped'}
    if a.check:
        n = check(tr, va, stats, classes, a, dev)
        print(f"check: TensorLoader, ResidentDL and ResidentDL untyped gave identical batches: {n} batches (2 training "
              f"epochs of crops, dihedral, channels_last, normalised; 1 of whole images): values, shapes, dtypes, "
              f"devices, strides; types TensorImage/TensorMask from ResidentDL, plain tensors from the others")
    dls = {k: loaders(k, tr, va, stats, classes, a, dev) for k in 'ABC'}
    for _ in range(2):
        for k in 'ABC': epoch_rate(dls[k][0], dev) # warm-up
    it = {k: [] for k in 'ABC'}
    for _ in range(a.rounds):
        for k in 'ABC': it[k].append(epoch_rate(dls[k][0], dev))
    med = {k: statistics.median(v) for k, v in it.items()}
    fmt = lambda r: ', '.join(f'{v:.0f}' for v in r)
    per = lambda k: a.bs/med[k]*1e6 # µs a batch
    for k in 'ABC':
        print(f"(a) epoch iteration, {len(dls['A'][0])} batches, {names[k]:>19}: {med[k]:9.1f} images/s "
              f"({per(k):8.1f} µs a batch, {per(k) - per('A'):+8.1f})   rounds: {fmt(it[k])}")
    fa, bare = machinery(a, dev)
    print(f"(a') fastai's machinery alone (TfmdDL, two type-dispatched after_batch transforms, no tensor work): "
          f"{fa:.1f} µs a batch; a bare generator {bare:.2f} µs (best of 7 rounds of 1000 batches)")
    fit = {}
    if not a.no_fit:
        learns = {k: learner(*dls[k], a, dev) for k in 'ABC'}
        rates = {k: [] for k in 'ABC'}
        for _ in range(a.rounds):
            for k, learn in learns.items():
                with learn.no_logging(), learn.no_bar(): learn.fit(a.fit_epochs, 1e-3)
                rates[k].append(statistics.median(learn.train_timer.rates))
        fm = {k: statistics.median(v) for k, v in rates.items()}
        for k in 'ABC':
            print(f"(b) Learner.fit, UNet++/{a.encoder}, {a.fit_epochs} epochs a round, training phase, "
                  f"{names[k]:>19}: {fm[k]:8.1f} images/s   rounds: {', '.join(f'{v:.1f}' for v in rates[k])}")
        fit = {k: f'{fm[k]/fm["A"]:.2f}' for k in 'BC'}
    print(f"TfmdDL/TensorLoader: epoch-iteration {med['B']/med['A']:.2f}, fit {fit.get('B', 'not run')}   "
          f"(untyped: epoch-iteration {med['C']/med['A']:.2f}, fit {fit.get('C', 'not run')})")

if __name__ == '__main__': main()
