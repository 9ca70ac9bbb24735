"""Training throughput of isn's path against a plain PyTorch loop, side by side in one run on one GPU.

(a) reference: a plain loop, the whole training set resident on the GPU as uint8, normalised on the fly, random
    flips on the GPU, bf16 autocast, channels_last, AdamW, the same loss (`CEDiceLoss`).
(b) isn: `isn.train.train`, which is what `isn_train` runs (GPU-resident loaders, fastai Learner, one-cycle schedule,
    history, best artifact, resume checkpoint, early stopping), timed by a callback around each epoch's training phase.
Both use the same model (UNet++/resnet34), batch size, image size and precision. Images/s is the median over the
epochs after `--warmup`, with the GPU synchronised before every clock reading. Then (c): a full `train()` with
isn's defaults, and the training wall time until validation IoU first reaches 0.98.
Usage: python bench/train_throughput.py [--data_dir data/preprocessed] [--bs 64] [--epochs 6] [--warmup 2]
Make the data first with `isn_pipeline` (or its data stages).
"""
import argparse, statistics, tempfile, time
from pathlib import Path
import pandas as pd, torch
from fastai.callback.core import Callback
from isn.data import default_device, load_metadata, load_pairs, fit_size, channel_stats, dihedral_batch
from isn.model import create_model
from isn.train import CEDiceLoss, train

def sync(dev):
    if dev.type=='cuda': torch.cuda.synchronize()

def plain_loop(data_dir, bs, epochs, encoder, dev):
    "Images/s of each epoch of a plain PyTorch training loop over GPU-resident uint8 data."
    df, classes = load_metadata(data_dir)
    x, y = load_pairs(df[df.split=='train'], data_dir, classes, fit_size(df))
    mean, std = (torch.tensor(s, device=dev).view(1,-1,1,1)*255 for s in channel_stats(x))
    x, y = x.to(dev), y.to(dev)
    model = create_model(len(classes), encoder).to(dev).to(memory_format=torch.channels_last).train()
    opt, loss_fn, n = torch.optim.AdamW(model.parameters(), 1e-3), CEDiceLoss(), len(x)//bs*bs
    times = []
    for _ in range(epochs):
        sync(dev); t = time.perf_counter()
        for idx in torch.randperm(len(x), device=dev)[:n].view(-1, bs):
            xb, yb = dihedral_batch(x[idx], y[idx])
            xb = (xb.contiguous().permute(0, 3, 1, 2).float() - mean)/std
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type=='cuda'):
                loss = loss_fn(model(xb), yb.long())
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
        sync(dev); times.append(n/(time.perf_counter()-t))
    return times

class TrainTimer(Callback):
    "Images/s of each epoch's training phase."
    order = 0
    def before_fit(self): self.rates = []
    def before_train(self): sync(self.dls.device); self.t = time.perf_counter()
    def after_train(self): sync(self.dls.device); self.rates.append(len(self.dl)*self.dl.bs/(time.perf_counter()-self.t))

def isn_loop(data_dir, bs, epochs, encoder, dev):
    "Images/s of each epoch of isn's training path: `isn.train.train`, what `isn_train` runs, with a timer added."
    timer = TrainTimer()
    train(data_dir, tempfile.mkdtemp(), epochs=epochs, bs=bs, encoder=encoder, cbs=[timer], log=lambda *a: None)
    return timer.rates

class EpochClock(Callback):
    "Training wall time (GPU synchronised) and validation IoU at the end of each epoch."
    order = 100
    def before_fit(self): sync(self.dls.device); self.t0, self.marks = time.perf_counter(), []
    def after_epoch(self):
        sync(self.dls.device)
        self.marks.append((time.perf_counter()-self.t0, self.recorder.values[-1][self.recorder.metric_names[1:-1].index('jaccard_coeff')]))

def time_to_iou(data_dir, target=0.98):
    "Training wall time of isn_train's defaults until validation IoU first reaches `target`: (seconds, epoch, best IoU)."
    clock = EpochClock()
    r = train(data_dir, tempfile.mkdtemp(), cbs=[clock], log=lambda *a: None)
    hit = [(t, e) for e,(t, iou) in enumerate(clock.marks) if iou >= target]
    return (round(hit[0][0], 1), hit[0][1]) if hit else (None, None), r['best_iou']

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--data_dir', default='data/preprocessed'); p.add_argument('--bs', type=int, default=64)
    p.add_argument('--epochs', type=int, default=6); p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--encoder', default='resnet34'); p.add_argument('--skip_time_to_iou', action='store_true')
    a = p.parse_args()
    dev = default_device()
    torch.backends.cudnn.benchmark = True
    med = lambda r: statistics.median(r[a.warmup:])
    ref = plain_loop(a.data_dir, a.bs, a.epochs, a.encoder, dev)
    ours = isn_loop(a.data_dir, a.bs, a.epochs, a.encoder, dev)
    print(f"{torch.cuda.get_device_name() if dev.type=='cuda' else 'cpu'}, UNet++/{a.encoder}, bs {a.bs}, "
          f"{fit_size(load_metadata(a.data_dir)[0])}, {'bf16 autocast, channels_last' if dev.type=='cuda' else 'float32'}; "
          f"median of epochs {a.warmup+1}..{a.epochs}")
    print(f"(a) plain loop, data on the GPU: {med(ref):8.1f} images/s   epochs: {', '.join(f'{r:.0f}' for r in ref)}")
    print(f"(b) isn (fastai Learner):        {med(ours):8.1f} images/s   epochs: {', '.join(f'{r:.0f}' for r in ours)}")
    print(f"ratio (b)/(a): {med(ours)/med(ref):.2f}")
    if not a.skip_time_to_iou:
        (secs, ep), best = time_to_iou(a.data_dir)
        print(f"(c) isn_train defaults: validation IoU >= 0.98 after {secs} s of training wall time (epoch {ep}); best {best:.4f}")

if __name__ == '__main__': main()
