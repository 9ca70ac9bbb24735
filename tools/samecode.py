"""Check that a notebook's exported code is unchanged against a git revision, but for how it is cut into cells:
the lines of its `#| export` cells, directives and blank lines left out, must be the same and in the same order.

    python tools/samecode.py nbs/00_core.ipynb [REV]   # REV: HEAD by default; exits 1 and shows the first difference
"""
import json, subprocess, sys, difflib

def code_lines(nb:dict) -> list:
    "The non-blank lines of `nb`'s exported cells, in order, without `#|` directives."
    out = []
    for c in nb['cells']:
        s = ''.join(c['source'])
        if c['cell_type']!='code' or not any(l.strip() in ('#| export', '#| exporti') for l in s.splitlines()): continue
        out += [l.rstrip() for l in s.splitlines() if l.strip() and not l.lstrip().startswith('#|')]
    return out

def main(path:str, rev:str='HEAD'):
    old = json.loads(subprocess.run(['git', 'show', f'{rev}:{path}'], capture_output=True, text=True, check=True).stdout)
    a, b = code_lines(old), code_lines(json.load(open(path)))
    if a==b: print(f'{path}: exported code unchanged ({len(a)} lines)'); return 0
    print(f'{path}: exported code differs from {rev}:')
    sys.stdout.writelines(list(difflib.unified_diff([l+'\n' for l in a], [l+'\n' for l in b], rev, 'now', n=2))[:60])
    return 1

if __name__=='__main__': sys.exit(main(*sys.argv[1:]))
