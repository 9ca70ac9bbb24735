"""Inference throughput of `isn_predict`'s path against a plain bf16 forward loop, side by side in one run.

(a) reference: the model alone, a normalised batch already on the GPU, bf16 autocast, channels_last, forward only.
(b) isn: `Predictor` (what `isn_predict` and `predict()` use) on a list of uint8 numpy images in host memory:
    host-to-device copy, normalisation, stride padding, forward, argmax, masks back to the host.
Images/s at batch sizes 1, 32 and 256 (median of `--repeats` timed passes after a warm-up pass, GPU synchronised);
a pass is 8 batches, and at least `--n` images.
Usage: python bench/infer_throughput.py [--model working/savedckpt/isn-v0] [--n 256] [--size 256]
"""
import argparse, statistics, time
import numpy as np, torch
from isn.predict import Predictor
from isn.runs import latest_artifact

def sync(dev):
    if dev.type=='cuda': torch.cuda.synchronize()

def timed(fn, dev, repeats):
    fn(); rates = []
    for _ in range(repeats):
        sync(dev); t = time.perf_counter(); n = fn(); sync(dev); rates.append(n/(time.perf_counter()-t))
    return statistics.median(rates)

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--model', default=None); p.add_argument('--n', type=int, default=256)
    p.add_argument('--size', type=int, default=256); p.add_argument('--repeats', type=int, default=5)
    a = p.parse_args()
    rng, n_max = np.random.default_rng(0), max(a.n, 8*256)
    imgs = [rng.integers(0, 256, (a.size, a.size, 3), dtype=np.uint8) for _ in range(n_max)]
    pred = Predictor(a.model or latest_artifact())
    dev, model = pred.device, pred.model
    x = pred.norm(torch.from_numpy(np.stack(imgs)).to(dev).permute(0, 3, 1, 2)).contiguous(memory_format=torch.channels_last)
    print(f"{torch.cuda.get_device_name() if dev.type=='cuda' else 'cpu'}, torch {torch.__version__}, {pred.cfg['encoder']}, images of {a.size}x{a.size}")
    for bs in (1, 32, 256):
        n = max(a.n, 8*bs)
        def plain():
            with torch.no_grad(), torch.autocast(dev.type, dtype=torch.bfloat16, enabled=dev.type=='cuda'):
                for i in range(0, n, bs): model(x[i:i+bs])
            return n
        pred.bs = bs
        ours = lambda: len(pred(imgs[:n]))
        ra, rb = timed(plain, dev, a.repeats), timed(ours, dev, a.repeats)
        print(f"bs {bs:>3}, {n:>4} images: (a) plain forward {ra:8.1f} images/s   (b) isn Predictor {rb:8.1f} images/s   ratio (b)/(a) {rb/ra:.2f}")

if __name__ == '__main__': main()
