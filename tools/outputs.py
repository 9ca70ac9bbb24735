"""Save the notebooks' outputs, which are part of the docs: CPU cells from a CPU run, `#| cuda` cells from a GPU run.

    python tools/outputs.py run nbs/03_data.ipynb ...            # here, on the CPU: runs every cell but `cuda` ones
    python tools/outputs.py run --cuda --dest $OUT nbs/05_train.ipynb ...   # on the GPU machine: every cell
    python tools/outputs.py merge $GPU/05_train.ipynb nbs/05_train.ipynb    # the `cuda` cells' outputs into nbs/

Each notebook runs top to bottom in its own folder and stops at the first failing cell (nothing is written then).
Cells marked `#| eval: false` never run; without --cuda, `#| cuda` cells keep no output. Run `nbdev_clean` after.
"""
import argparse, re, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from fastcore.xtras import working_directory

def _flags(cell) -> set:
    "The `#| word` flags on a code cell's own lines, and `eval: false`."
    lines = cell.source.splitlines() if cell.cell_type=='code' else []
    return {m[1] for l in lines if (m := re.match(r'#\|\s*(cuda|slow|eval:\s*false)\s*$', l))}

def run(nbs, cuda=False, dest=None, skip_ids=(), keep_going=False):
    "Execute each notebook, saving its outputs in place or into `dest`; cells `skip_ids` are not run."
    for p in map(Path, nbs):
        try: _run_one(p, cuda, dest, skip_ids)
        except Exception as e:
            if not keep_going: raise
            print(f'{p}: FAILED: {type(e).__name__}: {str(e)[-2000:]}', flush=True)

def _run_one(p, cuda, dest, skip_ids):
    "Execute notebook `p` (see `run`)."
    nb, sh = read_nb(p), CaptureShell()
    sh.set_path(p.parent.resolve())
    skip = lambda c: bool(_flags(c) & ({'eval: false'} if cuda else {'eval: false', 'cuda'})) or c.get('id') in skip_ids
    for c in nb.cells: # every output made anew: execnb keeps the old ones of a cell that now prints nothing
        if c.cell_type=='code': c.outputs, c.execution_count = [], None
    clock = [time.perf_counter(), None]
    def timed_skip(c):
        "`skip`, printing how long the cell before took (cell ids, to the log)."
        now = time.perf_counter()
        if clock[1]: print(f'  {now-clock[0]:7.1f} s  cell {clock[1]}', flush=True)
        clock[:] = [now, c.get('id')]
        return skip(c)
    try:
        with working_directory(p.parent): sh.run_all(nb, exc_stop=True, preproc=timed_skip) # as nbdev_test runs it
    finally: print(f'  {time.perf_counter()-clock[0]:7.1f} s  cell {clock[1]} (the last run)', flush=True)
    write_nb(nb, Path(dest)/p.name if dest else p)
    print(f'{p}: ran', flush=True)

def merge(gpu_nb, nb):
    "Copy the outputs of the `cuda` cells of `gpu_nb` (a GPU run of the same notebook) into `nb`."
    g, n = read_nb(gpu_nb), read_nb(nb)
    outs = {c.id: c.outputs for c in g.cells if 'cuda' in _flags(c)}
    for c in n.cells:
        if c.id in outs: c.outputs = outs[c.id]
    write_nb(n, nb)
    print(f'{nb}: outputs of {len(outs)} cuda cells from {gpu_nb}')

if __name__=='__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('cmd', choices=['run', 'merge']); p.add_argument('paths', nargs='+')
    p.add_argument('--cuda', action='store_true'); p.add_argument('--dest')
    p.add_argument('--keep_going', action='store_true', help='after a failing notebook, go on with the next')
    p.add_argument('--skip', default='', help='ids of cells not to run, comma-separated (their outputs are emptied)')
    a = p.parse_args()
    run(a.paths, a.cuda, a.dest, set(filter(None, a.skip.split(','))), a.keep_going) if a.cmd=='run' else merge(*a.paths)
