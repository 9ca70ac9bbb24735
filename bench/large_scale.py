"""Scale on one GPU, each comparison side by side in one run: streamed against resident training, a run on data over
the memory budget, windowed inference against MONAI's `sliding_window_inference`, compiled against eager training.

stream   `train()` with `loader='resident'` and `loader='stream'` on the same rows (default dataset, 256x256; and
         512x512 pairs), batch 64: images/s of the training phase, median of the epochs after the first two.
big      `isn_train --loader auto --data_gb G` on 512x512 pairs whose decoded size is several times G, in a child
         process: the loader it took, images/s, and peak memory of the process tree (PSS, workers included).
window   one trained model, 4 images of 1024x1536, window 256, overlap 0.25, Gaussian blending (sigma 1/8): MONAI's
         `sliding_window_inference` (probabilities, argmax, labels to the host; its input either normalised on the GPU
         beforehand, or uploaded and normalised from the same uint8 host images inside the timing) against
         `Predictor.window_masks` (uint8 images from the host, labels back), at the same window batch;
         and the whole-image `Predictor` for reference. Agreement of labels and of blended probabilities.
compile  three child processes of `train()` with isn_train's defaults: eager, `compile=True` with an empty compile
         cache, and `compile=True` again with that cache warm: first training step, steady images/s, training time
         to validation IoU 0.98, best IoU.
Usage: python bench/large_scale.py [--work /tmp/isn_scale] [--parts stream,big,window,compile]
"""
import argparse, json, os, resource, statistics, subprocess, sys, tempfile, threading, time
from pathlib import Path

import numpy as np
import torch
from fastai.callback.core import Callback

sys.path.insert(0, str(Path(__file__).parent))
from train_throughput import EpochClock, TrainTimer, sync # noqa: E402

from isn.core import read_image # noqa: E402
from isn.data import pick_device # noqa: E402
from isn.pipeline import prepare_data # noqa: E402
from isn.train import train # noqa: E402

quiet = lambda *a, **k: None
med = lambda r, skip=2: statistics.median(r[skip:] or r)

def data(work, name, n, side):
    "The synthetic dataset `name` under `work`: `n` pairs of `side`x`side` (made once)."
    d = Path(work)/name
    shapes = {} if side==256 else dict(img_height=side, img_width=side, min_shape_px=60, max_shape_px=100)
    prepare_data(d, num_images=n, log=quiet, **shapes)
    return d/'preprocessed'

def rates(pre, loader, epochs=8, bs=64, **kw):
    "Training-phase images/s of each epoch of `train()` with `loader`, and the run's summary."
    timer = TrainTimer()
    r = train(pre, tempfile.mkdtemp(), epochs=epochs, bs=bs, loader=loader, cbs=[timer], log=quiet, **kw)
    return timer.rates, r

def part_stream(work):
    print('\n## stream: resident and streamed loaders on the same rows, batch 64, workers: one per CPU')
    out = {}
    both = ('resident', 'stream')
    for name, n, side, epochs, order in [('d256', 1000, 256, 8, both*2), ('d512', 1000, 512, 5, both)]:
        pre = data(work, name, n, side)
        res = {}
        for loader in order: # alternated: a drift in the machine shows
            r, summ = rates(pre, loader, epochs)
            res.setdefault(loader, []).append(med(r))
            if name=='d256' and loader=='resident': out['artifact'] = summ['artifact']
        a, b = statistics.median(res['resident']), statistics.median(res['stream'])
        each = {k: ', '.join(f'{v:.0f}' for v in res[k]) for k in both}
        print(f"{n} pairs of {side}x{side}: resident {a:7.1f} images/s ({each['resident']})"
              f"   stream {b:7.1f} images/s ({each['stream']})   ratio stream/resident {b/a:.2f}")
    return out

def _tree_pss(pid) -> int:
    "Proportional set size, in bytes, of process `pid` and all its descendants."
    kids = {}
    for p in Path('/proc').iterdir():
        if p.name.isdigit():
            try: kids.setdefault(int((p/'stat').read_text().rsplit(')', 1)[1].split()[1]), []).append(int(p.name))
            except (OSError, IndexError, ValueError): pass
    total, todo = 0, [pid]
    while todo:
        q = todo.pop()
        try: total += int(next(l for l in open(f'/proc/{q}/smaps_rollup') if l.startswith('Pss:')).split()[1])*1024
        except (OSError, StopIteration): pass
        todo += kids.get(q, [])
    return total

def part_big(work, n=6000, gb=2.0, bs=32):
    print(f'\n## big: isn_train --loader auto --data_gb {gb} on {n} pairs of 512x512, batch {bs}, 2 epochs, '
          'in a child process')
    pre = data(work, 'big512', n, 512)
    cmd = ['isn_train', '--data_dir', pre, '--out_dir', tempfile.mkdtemp(), '--epochs', '2', '--bs', str(bs),
           '--loader', 'auto', '--data_gb', str(gb), '--ckpt_every', '0']
    t, peak = time.perf_counter(), [0]
    p = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    def watch():
        while p.poll() is None: peak[0] = max(peak[0], _tree_pss(p.pid)); time.sleep(0.5)
    th = threading.Thread(target=watch); th.start()
    log = p.communicate()[0]; th.join()
    print('\n'.join('    ' + l for l in log.strip().splitlines()))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/2**20
    print(f'exit {p.returncode}, {time.perf_counter()-t:.0f} s; '
          f'peak memory of the process tree {peak[0]/1e9:.2f} GB (PSS, '
          f'sampled every 0.5 s); largest single process {kids:.2f} GB (max RSS)')

def part_window(work, artifact, reps=15, size=(1024, 1536)):
    from monai.inferers import sliding_window_inference
    from isn.datagen import generate_dataset
    from isn.predict import Predictor
    print(f'\n## window: 4 images of {size[0]}x{size[1]}, window 256, overlap 0.25, Gaussian blending, '
          f'median of {reps} rounds, the three ways interleaved')
    d = Path(work)/f'wide{size[0]}x{size[1]}'
    if not (d/'images').exists():
        generate_dataset(num_images=4, img_height=size[0], img_width=size[1], min_shapes=60, max_shapes=100,
                         image_dir=d/'images', mask_dir=d/'masks', workers=4, progress=False)
    ims = [read_image(f) for f in sorted((d/'images').glob('*.png'))]
    mpx, dev = sum(im.shape[0]*im.shape[1] for im in ims)/1e6, pick_device()
    def clock(*fns):
        "Median seconds of each of `fns` over `reps` rounds, one call of each per round, and its last output."
        ts, outs = [[] for _ in fns], [None]*len(fns)
        for _ in range(reps):
            for j, fn in enumerate(fns):
                sync(dev); t = time.perf_counter(); outs[j] = fn(); sync(dev); ts[j].append(time.perf_counter()-t)
        res = [(statistics.median(t), o) for t, o in zip(ts, outs)]
        return res[0] if len(fns)==1 else res
    whole = Predictor(artifact, max_px=2**25)
    clock(lambda: whole(ims)) # warm-up
    tw, _ = clock(lambda: whole(ims))
    print(f'whole images, isn Predictor:            {mpx/tw:6.1f} Mpx/s')
    for sw in (32, 128):
        p = Predictor(artifact, window=256, overlap=0.25, max_px=256*256*sw)
        fn = lambda w: p._forward(p._fn(), w) # the same forward, autocast and softmax on both sides
        up = lambda: torch.stack([p._norm(torch.from_numpy(im.copy())[None])[0] for im in ims]) # uint8 host -> GPU
        x = up()
        swi = lambda inp: sliding_window_inference(inp, (256, 256), sw, fn, overlap=0.25, mode='gaussian')
        monai, monai_up = lambda: swi(x).argmax(1).byte().cpu(), lambda: swi(up()).argmax(1).byte().cpu()
        ours = lambda: p.window_masks(ims) # what isn_predict runs for images over max_px
        clock(monai); clock(ours) # warm-up: cuDNN's choices for this batch
        (tm, lm), (tu, _), (to, lo) = clock(monai, monai_up, ours) # interleaved: a drift in the GPU hits all three
        agree = np.mean([(a.numpy()==b).mean() for a, b in zip(lm, lo)])
        with torch.no_grad():
            pm = swi(x[:1])[0]
            diff = (pm - p.window_probs(ims[0])).abs().max().item()
        print(f'window batch {sw:3d}: MONAI from a normalised GPU tensor {mpx/tm:6.1f} Mpx/s, from the uint8 host '
              f'images {mpx/tu:6.1f} Mpx/s   isn window_masks (uint8 host images) {mpx/to:6.1f} Mpx/s   '
              f'ratios isn/MONAI {tm/to:.2f}, '
              f'{tu/to:.2f}   labels agree {agree:.5%}   max |probability difference| {diff:.2e}')

class FirstStep(Callback):
    "Seconds from the start of the fit to the end of its first training step, GPU synchronised."
    order = 0
    def before_fit(self): sync(self.dls.device); self.t0, self.secs = time.perf_counter(), None
    def after_batch(self):
        if self.secs is None and self.training: sync(self.dls.device); self.secs = time.perf_counter() - self.t0

def child_run(pre, compile, **kw):
    "One `train()` (default settings unless `kw`), compiled or not; prints its measures as JSON (in a fresh process)."
    first, timer, clock = FirstStep(), TrainTimer(), EpochClock()
    r = train(pre, tempfile.mkdtemp(), compile=compile, cbs=[first, timer, clock], log=quiet, **kw)
    hit = [t for t, iou in clock.marks if iou >= 0.98]
    print(json.dumps(dict(first=first.secs, rate=med(timer.rates), to98=hit[0] if hit else None, best=r['best_iou'],
                          epochs=r['epochs'], total=clock.marks[-1][0])))

def part_compile(work, bs=32, epochs=60):
    print(f"\n## compile: isn_train's defaults but batch {bs}, {epochs} epochs, default dataset, "
          "each run in a fresh process")
    pre, cache = data(work, 'd256', 1000, 256), tempfile.mkdtemp(prefix='inductor_')
    runs = [('eager', False), ('compiled, empty cache', True), ('compiled, warm cache', True)]
    for name, comp in runs:
        env = {**os.environ, 'TORCHINDUCTOR_CACHE_DIR': cache}
        cmd = [sys.executable, __file__, '--child', str(pre), '--bs', str(bs), '--epochs', str(epochs)]
        out = subprocess.run(cmd + ['--compile']*comp, env=env,
                             capture_output=True, text=True)
        if out.returncode: print(name, 'failed:', out.stderr[-2000:]); continue
        m = json.loads(out.stdout.strip().splitlines()[-1])
        to98 = f"{m['to98']:.1f} s" if m['to98'] is not None else 'not reached'
        print(f"{name:22s} first step {m['first']:6.1f} s   steady {m['rate']:7.1f} images/s   "
              f"IoU 0.98 after {to98:>11s}"
              f"   best {m['best']:.4f}   {m['epochs']} epochs in {m['total']:.1f} s")

def main():
    a = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    a.add_argument('--work', default='/tmp/isn_scale'); a.add_argument('--parts', default='stream,big,window,compile')
    a.add_argument('--artifact', default=None); a.add_argument('--big_n', type=int, default=6000)
    a.add_argument('--wide', default='1024x1536'); a.add_argument('--reps', type=int, default=15)
    a.add_argument('--child', default=None); a.add_argument('--compile', action='store_true')
    a.add_argument('--bs', type=int, default=32); a.add_argument('--epochs', type=int, default=60)
    a = a.parse_args()
    if a.child: return child_run(a.child, a.compile, bs=a.bs, epochs=a.epochs)
    torch.backends.cudnn.benchmark = True
    parts = a.parts.split(',')
    name = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
    print(f'{name}, torch {torch.__version__}, {os.cpu_count()} CPUs, UNet++/resnet34, bf16 autocast')
    art = a.artifact
    if 'stream' in parts: art = part_stream(a.work)['artifact']
    if 'big' in parts: part_big(a.work, a.big_n)
    if 'window' in parts:
        if art is None: art = rates(data(a.work, 'd256', 1000, 256), 'resident', 8)[1]['artifact']
        part_window(a.work, art, a.reps, tuple(int(v) for v in a.wide.split('x')))
    if 'compile' in parts: part_compile(a.work, a.bs, a.epochs)

if __name__ == '__main__': main()
