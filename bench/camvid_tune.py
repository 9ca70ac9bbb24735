"""Tuning isn's training defaults on CamVid's train and valid splits (never test): one variant per process, so several
share one GPU; each prints its best and last validation mean IoU over the 11 classes (dataset-level, void ignored).

    python bench/camvid_tune.py PRE OUT VARIANT [--epochs N]   # PRE: isn_split + isn_metadata of data/camvid

Variants are written here, as patches of isn's loader and loss, before they become `isn_train` flags:
  base   isn's defaults (random dihedral elements, CE + foreground Dice)
  hflip  horizontal flips only
  aug    hflip + scale jitter (zoom 0.5..2, log-uniform, padding ignored) + photometric jitter
  mild   hflip + zoom 0.7..1.4 + photometric jitter of 0.15
  augw   aug + median-frequency class weights in the cross-entropy (Eigen & Fergus, SegNet's choice)
"""
import json, math, sys, time
from pathlib import Path
import numpy as np, pandas as pd, torch, torch.nn.functional as F

def hflip(x, y, gen):
    f = torch.rand(len(x), generator=gen, device=x.device) < 0.5
    return torch.where(f[:, None, None, None], x.flip(-1), x), torch.where(f[:, None, None], y.flip(-1), y)

def zoom(x, y, gen, lo=0.5, hi=2.):
    "Each item zoomed by a log-uniform factor in lo..hi about a random centre; what falls outside is ignored."
    b, dev = len(x), x.device
    s = lo*(hi/lo)**torch.rand(b, generator=gen, device=dev)
    t = (torch.rand(b, 2, generator=gen, device=dev)*2 - 1)*(1 - 1/s).abs()[:, None]
    theta = torch.zeros(b, 2, 3, device=dev)
    theta[:, 0, 0], theta[:, 1, 1], theta[:, :, 2] = 1/s, 1/s, t
    grid = F.affine_grid(theta, (b, 1, *x.shape[-2:]), align_corners=False)
    x = F.grid_sample(x.float(), grid, mode='bilinear', padding_mode='zeros', align_corners=False)
    y = F.grid_sample((y.float() + 1)[:, None], grid, mode='nearest', padding_mode='zeros', align_corners=False)[:, 0]
    return x, torch.where(y==0, 255, y - 1).to(torch.uint8)

def photo(x, gen, strength=0.25):
    "Brightness, contrast and saturation, each per item."
    b, dev = len(x), x.device
    r = lambda: (torch.rand(b, 1, 1, 1, generator=gen, device=dev)*2 - 1)*strength
    grey = x.mean(1, keepdim=True)
    x = grey + (x - grey)*torch.exp(r())
    return ((x - 128)*torch.exp(r()) + 128 + r()*255).clamp(0, 255)

def patch_loader(kind):
    from isn.data import TensorLoader
    def _batch(self, x, y):
        x = x.permute(0, 3, 1, 2)
        if self.augment:
            x, y = hflip(x, y, self.gen)
            if kind in ('aug', 'augw'): x, y = zoom(x, y, self.gen); x = photo(x, self.gen)
            if kind=='mild': x, y = zoom(x, y, self.gen, 0.7, 1.4); x = photo(x, self.gen, 0.15)
        return self.norm(x.contiguous(memory_format=torch.channels_last)), y.long()
    TensorLoader._batch = _batch

def median_freq(pre: Path):
    df = pd.read_csv(pre/'metadata.csv'); tr = df[df.split=='train']
    names = [n for n in pd.read_csv(pre/'class_dict.csv').name if f'{n}_frac' in df]
    from isn.data import load_metadata
    _, classes = load_metadata(pre); names = list(classes)
    px = (tr.height*tr.width).to_numpy()
    n = np.array([(tr[f'{c}_frac']*px).sum() for c in names])
    p = np.array([px[(tr[f'{c}_frac']>0).to_numpy()].sum() for c in names])
    freq = n/np.maximum(p, 1)
    w = np.where(n>0, np.median(freq[n>0])/np.maximum(freq, 1e-12), 1.)
    print('median-frequency weights', dict(zip(names, np.round(w, 2))))
    return torch.tensor(w, dtype=torch.float32)

def patch_loss(w):
    import isn.train as T
    from isn.core import IGNORE
    class Weighted(T.CEDiceLoss):
        def forward(self, logits, targ):
            logits, keep = logits.float(), (targ!=IGNORE)
            p = logits.softmax(1)[:, 1:]*keep[:, None]
            t = F.one_hot(targ*keep, logits.shape[1]).permute(0, 3, 1, 2)[:, 1:].float()*keep[:, None]
            inter, total = (p*t).sum((0, 2, 3)), (p+t).sum((0, 2, 3))
            dice = ((2*inter + self.smooth)/(total + self.smooth)).mean()
            ce = F.cross_entropy(logits, targ, weight=w.to(logits.device), ignore_index=IGNORE)
            return ce + self.dice_weight*(1 - dice)
    T.CEDiceLoss = Weighted

if __name__=='__main__':
    pre, out, kind = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    epochs = int(sys.argv[sys.argv.index('--epochs')+1]) if '--epochs' in sys.argv else 60
    if kind!='base': patch_loader(kind)
    if kind=='augw': patch_loss(median_freq(pre))
    from isn.train import train
    t = time.perf_counter()
    r = train(str(pre), str(out/kind), epochs=epochs, patience=10**6, monitor='mean', log=lambda *a: None)
    secs = time.perf_counter() - t
    h = pd.read_csv(r['history'])
    res = dict(variant=kind, epochs=epochs, best=float(h.mean_iou.max()), best_epoch=int(h.mean_iou.idxmax()),
               last=float(h.mean_iou.iloc[-1]), seconds=secs, per_class_last={c[4:]: round(float(h[c].iloc[-1]), 3)
               for c in h.columns if c.startswith('iou_')})
    print('RESULT', json.dumps(res))
    (out/f'{kind}.json').write_text(json.dumps(res)); h.to_csv(out/f'{kind}_history.csv', index=False)
