"""Time `isn_datagen` against the original's sequential PIL approach (`bench/pil_baseline.py`), side by side.

Both run as whole processes (interpreter start-up and imports included), with the same size, shape range and pair
count, writing PNGs to a fresh folder each time (kept until the end: deleting thousands of files mid-benchmark slows the
next run's file creation on some disks). Runs alternate, and the median of `--repeats` runs is reported.
Usage: python bench/datagen.py [--num_images 4000] [--repeats 3] [--workers N]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

def timed(cmd):
    os.sync() # start each run with no dirty pages left by the one before
    t = time.perf_counter(); subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL); return time.perf_counter()-t

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--num_images', type=int, default=4000); p.add_argument('--repeats', type=int, default=3)
    p.add_argument('--workers', type=int, default=None, help='isn_datagen --workers (default: all CPUs)')
    a = p.parse_args()
    here, tmp = Path(__file__).parent, Path(tempfile.mkdtemp(prefix='isn-bench-'))
    isn = [shutil.which('isn_datagen'), '--num_images', str(a.num_images)] + (['--workers', str(a.workers)] if a.workers else [])
    runs = {'pil baseline': [], 'isn_datagen': []}
    try:
        for r in range(a.repeats):
            runs['pil baseline'].append(timed([sys.executable, str(here/'pil_baseline.py'), str(tmp/f'b{r}'), str(a.num_images)]))
            runs['isn_datagen'].append(timed(isn + ['--image_dir', str(tmp/f'i{r}/images'), '--mask_dir', str(tmp/f'i{r}/masks')]))
    finally: shutil.rmtree(tmp, ignore_errors=True)
    print(f'{a.num_images} pairs of 256x256, {os.cpu_count()} CPUs, median of {a.repeats} runs (whole processes)')
    med = {k: statistics.median(v) for k,v in runs.items()}
    for k,v in runs.items(): print(f'{k:>13}: {med[k]:6.2f} s  {a.num_images/med[k]:7.0f} pairs/s   runs: {", ".join(f"{t:.2f}" for t in v)}')
    print(f'ratio isn_datagen / baseline (pairs/s): {med["pil baseline"]/med["isn_datagen"]:.2f}x')

if __name__ == '__main__': main()
