"""What cuDNN's autotuner costs and saves in isn's fits, on a GPU: each fit in a fresh process, autotuner on and off.

For each data set (`tiny`: 40 pairs of 64x64, resnet18, batch 8, the tests' fits; `default`: 1,000 pairs of 256x256,
resnet34, batch 32, `isn_train`'s defaults), two fresh processes each build `seg_learner` and run `fit_one_cycle`,
one with `CudnnTuning` turning the autotuner on, one with it off. Per epoch, the wall time (GPU synchronised) and the
training steps. The first epoch holds the tuning; the later ones say what tuning saves a step. Break-even: the first
epoch's extra time over the later epochs' saving per step.
Usage: python bench/autotune.py [--epochs 6] [--sets tiny,default] [--commit abc1234]
"""
import argparse, json, os, subprocess, sys, tempfile, time

def fit(name, on, epochs):
    "One fit in this process; print a JSON line of its epoch times."
    import torch
    import isn.train as T
    from fastai.callback.core import Callback
    from isn.data import seg_dataloaders
    from isn.testing import synth_dataset
    T.TUNED_STEPS = 0 if on else 10**9
    sync = torch.cuda.synchronize if torch.cuda.is_available() else lambda: None
    tiny = name=='tiny'
    pre = synth_dataset(tempfile.mkdtemp(), tiny=tiny)
    dls = seg_dataloaders(pre, bs=8 if tiny else 32)
    class Clock(Callback):
        def before_fit(self): self.times = []
        def before_epoch(self): sync(); self.t = time.perf_counter()
        def after_epoch(self): sync(); self.times.append(time.perf_counter() - self.t)
    clock = Clock()
    learn = T.seg_learner(dls, encoder='resnet18' if tiny else 'resnet34', cbs=clock)
    learn.fit_one_cycle(epochs, 2e-3)
    print(json.dumps(dict(set=name, on=on, steps=len(dls.train), times=clock.times,
                          benchmark_after=torch.backends.cudnn.benchmark)))

def _head():
    return subprocess.run(['git', 'rev-parse', '--short', 'HEAD'], capture_output=True, text=True).stdout.strip()

def main():
    p = argparse.ArgumentParser()
    p.add_argument('--epochs', type=int, default=6); p.add_argument('--sets', default='tiny,default')
    p.add_argument('--commit', default=None) # the tree's commit where git's HEAD is not it
    p.add_argument('--fit', default=None); p.add_argument('--on', type=int, default=0)
    a = p.parse_args()
    if a.fit: return fit(a.fit, bool(a.on), a.epochs)
    import torch
    gpu = torch.cuda.get_device_name() if torch.cuda.is_available() else 'CPU'
    print(f'{gpu}, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}, '
          f'commit {a.commit or _head()}')
    for name in a.sets.split(','):
        res = {}
        for on in (False, True):
            t = time.perf_counter()
            cmd = [sys.executable, __file__, '--fit', name, '--on', str(int(on)), '--epochs', str(a.epochs)]
            out = subprocess.run(cmd, capture_output=True, text=True)
            if out.returncode: print(out.stderr[-3000:]); sys.exit(1)
            r = res[on] = json.loads(out.stdout.strip().splitlines()[-1])
            later = sorted(r['times'][1:])[len(r['times'][1:])//2]
            print(f"{name:8} autotuner {'on ' if on else 'off'}: first epoch {r['times'][0]:6.2f} s, later epochs "
                  f"(median) {later:6.3f} s, {r['steps']} steps an epoch; process {time.perf_counter()-t:5.1f} s; "
                  f"epochs {', '.join(f'{x:.2f}' for x in r['times'])}")
        med = lambda r: sorted(r['times'][1:])[len(r['times'][1:])//2]
        extra = (res[True]['times'][0] - med(res[True])) - (res[False]['times'][0] - med(res[False]))
        saved = (med(res[False]) - med(res[True]))/res[True]['steps']
        pays = ('costs nothing to repay' if extra <= 0 else
                f'pays for itself after {extra/saved:.0f} steps' if saved > 0 else 'never pays for itself')
        print(f"{name:8} tuning costs {extra:.2f} s once; saves {saved*1e3:.3f} ms a step; {pays}")

if __name__=='__main__': main()
