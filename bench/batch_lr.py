"""Batch size and learning rate for `isn_train`: how well and how fast each setting trains, one run after another.

For each `bs@lr` given, a full `isn.train.train` (isn_train's defaults otherwise): best validation IoU, the epoch and
training wall time at which validation IoU first reaches 0.98, and the whole run's epochs and training time.
Usage: python bench/batch_lr.py 32@2e-3 64@2.8e-3 64@4e-3 [--data_dir data/preprocessed] [--epochs 60]
"""
import argparse
import torch
from isn.runs import HParams
from train_throughput import time_to_iou

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('settings', nargs='+'); p.add_argument('--data_dir', default='data/preprocessed')
    p.add_argument('--epochs', type=int, default=None); p.add_argument('--seed', type=int, default=42)
    a = p.parse_args()
    torch.backends.cudnn.benchmark = True
    print(f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu'}; defaults {HParams()}")
    print(f"{'bs':>4} {'lr':>8} {'epochs':>6} {'best IoU':>9} {'first >= 0.98':>14} {'at (s)':>7} {'training (s)':>12}")
    for s in a.settings:
        bs, lr = s.split('@')
        r = time_to_iou(a.data_dir, bs=int(bs), lr=float(lr), seed=a.seed, **({'epochs': a.epochs} if a.epochs else {}))
        at = f"{r['secs']:.1f}" if r['secs'] else '-'
        print(f"{bs:>4} {lr:>8} {r['epochs']:>6} {r['best']:>9.4f} {str(r['epoch']):>14} {at:>7} {r['total']:>12.1f}", flush=True)

if __name__ == '__main__': main()
