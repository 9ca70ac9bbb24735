"""Training throughput of isn's path against a plain PyTorch loop, side by side in one run on one GPU.

(a) reference: a plain loop, the whole training set resident on the GPU as uint8, normalised on the fly, random
    dihedral flips on the GPU, bf16 autocast, channels_last, PyTorch's fused AdamW, the same loss (`CEDiceLoss`).
    With --compile, also (a') the same loop with the model under `torch.compile`.
(b) isn: `isn.train.train`, which is what `isn_train` runs (GPU-resident loaders, fastai Learner, one-cycle schedule,
    history, best artifact, resume checkpoints, early stopping), timed by callbacks: its training phase (the number
    comparable with (a)) and its whole epochs (validation, metrics and file writes included).
Both use the same model (UNet++/resnet34), batch size, image size and precision. Images/s is the median over the
epochs after `--warmup`, with the GPU synchronised before every clock reading. Then (c): a full `train()` with
isn_train's defaults, and the training wall time until validation IoU first reaches 0.98.
Usage: python bench/train_throughput.py [--data_dir data/preprocessed] [--bs 64] [--epochs 8] [--warmup 2] [--compile]
Make the data first with `isn_pipeline` (or its data stages).
"""
import argparse, statistics, tempfile, time
import torch
from fastai.callback.core import Callback
from isn.data import (PixelNorm, channel_stats, pick_device, dihedral_each, load_metadata, load_pairs, random_dihedral,
                      train_size)
from isn.model import create_model
from isn.train import CEDiceLoss, train

def sync(dev):
    if dev.type=='cuda': torch.cuda.synchronize()

def plain_loop(data_dir, bs, epochs, encoder, dev, compile=False):
    "Images/s of each epoch of a plain PyTorch training loop over GPU-resident uint8 data."
    df, classes = load_metadata(data_dir)
    x, y, sizes = load_pairs(df[df.split=='train'], data_dir, classes, train_size(df))
    norm = PixelNorm(channel_stats(x, sizes)).to(dev)
    x, y, gen = x.to(dev), y.to(dev), torch.Generator(dev).manual_seed(0)
    model = create_model(len(classes), encoder).to(dev).to(memory_format=torch.channels_last).train()
    opt = torch.optim.AdamW(model.parameters(), 1e-3, fused=dev.type=='cuda')
    fwd, loss_fn, n = torch.compile(model) if compile else model, CEDiceLoss(), len(x)//bs*bs
    times = []
    for _ in range(epochs):
        sync(dev); t = time.perf_counter()
        for idx in torch.randperm(len(x), device=dev, generator=gen)[:n].view(-1, bs):
            k = random_dihedral(bs, True, gen)
            xb, yb = dihedral_each(x[idx].permute(0, 3, 1, 2), k), dihedral_each(y[idx], k)
            xb = norm(xb.contiguous(memory_format=torch.channels_last))
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type=='cuda'):
                loss = loss_fn(fwd(xb), yb.long())
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        sync(dev); times.append(n/(time.perf_counter()-t))
    return times

class TrainTimer(Callback):
    "Images/s of each epoch's training phase, and of each whole epoch (validation and file writes included)."
    order = 0
    def before_fit(self): self.rates, self.epoch_rates = [], []
    def before_train(self): sync(self.dls.device); self.t = self.t0 = time.perf_counter()
    def after_train(self): sync(self.dls.device); self.rates.append(self.n/(time.perf_counter()-self.t))
    @property
    def n(self): return len(self.dls.train)*self.dls.train.bs

class EpochEnd(Callback):
    "Runs after every other callback's `after_epoch` (SaveBest's writes included) and reads `TrainTimer`'s clock."
    order = 200
    def __init__(self, timer): self.timer = timer
    def after_epoch(self): sync(self.dls.device); self.timer.epoch_rates.append(self.timer.n/(time.perf_counter()-self.timer.t0))

def isn_loop(data_dir, bs, epochs, encoder):
    "Images/s of each epoch of isn's training path: `isn.train.train`, what `isn_train` runs, with timers added."
    timer = TrainTimer()
    train(data_dir, tempfile.mkdtemp(), epochs=epochs, bs=bs, encoder=encoder, cbs=[timer, EpochEnd(timer)], log=lambda *a: None)
    return timer.rates, timer.epoch_rates

class EpochClock(Callback):
    "Training wall time (GPU synchronised) and validation IoU at the end of each epoch, after every other callback."
    order = 200
    def before_fit(self): sync(self.dls.device); self.t0, self.marks = time.perf_counter(), []
    def after_epoch(self):
        sync(self.dls.device)
        iou = self.recorder.values[-1][self.recorder.metric_names[1:-1].index('mean_fg_iou')]
        self.marks.append((time.perf_counter()-self.t0, iou))

def time_to_iou(data_dir, target=0.98, out_dir=None, **kwargs) -> dict:
    "Train with isn_train's defaults (or `kwargs`); training wall time and epoch at which validation IoU first reaches `target`."
    clock = EpochClock()
    r = train(data_dir, out_dir or tempfile.mkdtemp(), cbs=[clock], log=lambda *a: None, **kwargs)
    hit = [(t, e) for e,(t, iou) in enumerate(clock.marks) if iou >= target]
    return dict(secs=hit[0][0] if hit else None, epoch=hit[0][1] if hit else None, best=r['best_iou'],
                epochs=len(clock.marks), total=clock.marks[-1][0])

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data_dir', default='data/preprocessed'); p.add_argument('--bs', type=int, default=64)
    p.add_argument('--epochs', type=int, default=8); p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--encoder', default='resnet34'); p.add_argument('--compile', action='store_true')
    p.add_argument('--skip_time_to_iou', action='store_true'); p.add_argument('--out_dir', default=None)
    a = p.parse_args()
    dev = pick_device()
    torch.backends.cudnn.benchmark = True
    med = lambda r: statistics.median(r[a.warmup:])
    fmt = lambda r: ', '.join(f'{v:.0f}' for v in r)
    n_train = (load_metadata(a.data_dir)[0].split=='train').sum()//a.bs*a.bs
    ref = plain_loop(a.data_dir, a.bs, a.epochs, a.encoder, dev)
    comp = None
    if a.compile:
        try: comp = plain_loop(a.data_dir, a.bs, a.epochs, a.encoder, dev, compile=True)
        except Exception as e: print(f"(a') torch.compile failed: {type(e).__name__}: {str(e)[:300]}")
    ours, whole = isn_loop(a.data_dir, a.bs, a.epochs, a.encoder)
    print(f"{torch.cuda.get_device_name() if dev.type=='cuda' else 'cpu'}, torch {torch.__version__}, UNet++/{a.encoder}, bs {a.bs}, "
          f"{train_size(load_metadata(a.data_dir)[0])}, {'bf16 autocast, channels_last' if dev.type=='cuda' else 'float32'}; "
          f"median of epochs {a.warmup+1}..{a.epochs}")
    print(f"(a)  plain loop, data on the GPU:   {med(ref):7.1f} images/s   epochs: {fmt(ref)}")
    if comp: print(f"(a') plain loop + torch.compile:    {med(comp):7.1f} images/s   epochs: {fmt(comp)}   ({med(comp)/med(ref):.2f}x (a); "
                   f"first epoch, compiling included: {n_train/comp[0]:.1f} s)")
    print(f"(b)  isn (fastai Learner), training: {med(ours):7.1f} images/s   epochs: {fmt(ours)}")
    print(f"     whole epochs (valid, writes):   {med(whole):7.1f} images/s   epochs: {fmt(whole)}")
    print(f"ratio (b)/(a), training: {med(ours)/med(ref):.2f}   whole epochs: {med(whole)/med(ref):.2f}")
    if not a.skip_time_to_iou:
        r = time_to_iou(a.data_dir, out_dir=a.out_dir)
        print(f"(c) isn_train defaults: validation IoU >= 0.98 after {r['secs'] and round(r['secs'], 1)} s of training wall time "
              f"(epoch {r['epoch']}); best {r['best']:.4f}; {r['epochs']} epochs in {r['total']:.1f} s")

if __name__ == '__main__': main()
