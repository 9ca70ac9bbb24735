"""Data-parallel scaling of `isn_train` over 1, 2, 4, ... GPUs, at the same global batch and schedule.

Each configuration is one `torchrun --nproc_per_node N` launch of this script (a child), which runs `isn.train.train`
with `--bs` divided by N, so that every step sees the same number of images, and the same learning rate and epochs.
Printed for each N: training images/s of the whole run (each process's batch times N; the median of the epochs after
the first two), seconds from the start of the fit until validation IoU first reaches 0.98, the best validation IoU and
the epochs run. The data: 2,000 pairs of the default synthetic dataset (256x256), made once under --work. At a global
batch of 128 each process of two has 64, a batch where one GPU's step is not bound by the host (at 32 it is).

Usage: python bench/scaling.py [--gpus 1,2,4] [--bs 128] [--epochs 30] [--images 2000] [--work /tmp/isn_scaling]
On a machine without GPUs, --gpus counts CPU processes (gloo): a check that it runs, not a measurement.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).parent))
from train_throughput import EpochClock, TrainTimer # noqa: E402

from fastai.torch_core import num_distrib, rank_distrib # noqa: E402
from isn.pipeline import prepare_data # noqa: E402
from isn.train import train # noqa: E402

def child(pre, bs, epochs, seed, encoder):
    "One run of `train()` in this process (one of N under torchrun); the first process prints its measures as JSON."
    timer, clock = TrainTimer(), EpochClock()
    r = train(pre, tempfile.mkdtemp(), bs=bs, epochs=epochs, seed=seed, encoder=encoder, cbs=[timer, clock],
              log=lambda *a: None)
    if rank_distrib(): return
    n = max(1, num_distrib())
    hit = [t for t, iou in clock.marks if iou >= 0.98]
    print(json.dumps(dict(rate=statistics.median(timer.rates[2:] or timer.rates)*n, to98=hit[0] if hit else None,
                          best=r['best_iou'], epochs=r['epochs'], total=clock.marks[-1][0], device=r['device'])))

def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument('--gpus', default=None); a.add_argument('--bs', type=int, default=128)
    a.add_argument('--epochs', type=int, default=30); a.add_argument('--seed', type=int, default=42)
    a.add_argument('--work', default='/tmp/isn_scaling'); a.add_argument('--child', default=None)
    a.add_argument('--images', type=int, default=2000); a.add_argument('--encoder', default='resnet34')
    a = a.parse_args()
    if a.child: return child(a.child, a.bs, a.epochs, a.seed, a.encoder)
    have = torch.cuda.device_count()
    gpus = [int(g) for g in a.gpus.split(',')] if a.gpus else [g for g in (1, 2, 4, 8) if g <= have]
    pre = Path(a.work)/'preprocessed'
    prepare_data(a.work, num_images=a.images, log=lambda *_: None)
    name = torch.cuda.get_device_name() if have else 'CPU'
    print(f'{have} x {name}, torch {torch.__version__}, {os.cpu_count()} CPUs; UNet++/{a.encoder}, global batch {a.bs}, '
          f'{a.epochs} epochs, {a.images} pairs of the default dataset')
    base = None
    for n in gpus:
        if a.bs % n: print(f'{n} GPUs: a global batch of {a.bs} does not split into {n} equal batches; skipped'); continue
        cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', f'--nproc_per_node={n}', __file__,
               '--child', str(pre), '--bs', str(a.bs//n), '--epochs', str(a.epochs), '--seed', str(a.seed),
               '--encoder', a.encoder]
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode: print(f'{n} GPUs failed:', out.stderr[-3000:]); continue
        m = json.loads(out.stdout.strip().splitlines()[-1])
        base = base or m['rate']
        to98 = f"{m['to98']:.1f} s" if m['to98'] is not None else 'not reached'
        print(f"{n} GPU{'s' if n>1 else ' '} (batch {a.bs//n} each): {m['rate']:7.1f} images/s ({m['rate']/base:.2f}x)"
              f"   IoU 0.98 after {to98:>11s}   best {m['best']:.4f}   {m['epochs']} epochs in {m['total']:.1f} s")

if __name__ == '__main__': main()
