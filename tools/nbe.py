"Tiny notebook editor: load, find cells by text, replace, insert, save (nbformat-free, keeps JSON layout nbdev_clean expects)."
import json, sys, uuid
def load(p): return json.load(open(p))
def save(nb, p):
    with open(p, 'w') as f: json.dump(nb, f, indent=1, ensure_ascii=False); f.write('\n')
def src(c): return ''.join(c['source'])
def setsrc(c, s): c['source'] = s.splitlines(keepends=True)
def find(nb, key):
    "Index of the one cell containing `key`."
    hits = [i for i,c in enumerate(nb['cells']) if key in src(c)]
    assert len(hits)==1, f'{key!r}: {len(hits)} cells'
    return hits[0]
def replace(nb, key, old, new):
    c = nb['cells'][find(nb, key)]; s = src(c)
    assert s.count(old)==1, f'{old!r} found {s.count(old)} times'
    setsrc(c, s.replace(old, new))
def new(kind, s):
    c = dict(cell_type=kind, id=uuid.uuid4().hex[:8], metadata={}, source=[])
    if kind=='code': c.update(execution_count=None, outputs=[])
    setsrc(c, s); return c
def insert_after(nb, key, kind, s):
    i = find(nb, key) if isinstance(key, str) else key
    nb['cells'].insert(i+1, new(kind, s)); return i+1
def show(p, key=None):
    nb = load(p)
    for i,c in enumerate(nb['cells']):
        if key is None or key in src(c): print(f'--- [{i}] {c["cell_type"]}\n{src(c)}')
if __name__=='__main__': show(*sys.argv[1:])
