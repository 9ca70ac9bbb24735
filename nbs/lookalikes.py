"""Tiny look-alikes of public segmentation benchmarks, laid out as they ship.

Standalone (numpy + Pillow only).  Written from the public descriptions of the
datasets, independently of the library under test, so that tests can check a
reader of these layouts against known ground truth.

Every ``make_*`` function takes a root folder and a ``seed``, writes a few
small images per split and returns a dict describing exactly what it wrote:

    name      dataset name
    root      the dataset folder that was written (str)
    items     list of dicts, one per image: split, stem, image (path),
              mask (path or None), size (h, w), classes (sorted ids in mask)
    splits    {split: [stems]}
    classes   {id: name} of the label convention
    ignore    ids a trainer should ignore
    colours   {appearance id: (r, g, b)} the mean image colour of each region
    ...       dataset-specific extras (see each function)

Images are noisy flat-colour regions (background bands, then rectangles,
blobs, stripes laid over them); each class has its own colour, so a small CNN
can learn them quickly.  Output is deterministic for a given seed.

Run ``python lookalikes.py OUTDIR`` to build all five and print counts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

__all__ = ["make_camvid", "make_cityscapes", "make_ade20k", "make_voc", "make_carvana", "make_all",
           "voc_colormap", "CITYSCAPES_LABELS"]

# ---------------------------------------------------------------- helpers
# well separated colours used as the mean colour of each region in the images
_COLOURS = [
    (161, 202, 241), (120, 120, 120), (30, 30, 30), (243, 195, 0), (135, 60, 160),
    (243, 120, 0), (190, 0, 50), (200, 180, 130), (0, 140, 70), (240, 130, 190),
    (0, 90, 190), (110, 65, 25), (150, 200, 0), (245, 245, 245), (0, 200, 200),
    (255, 0, 255), (70, 40, 100), (255, 110, 110), (20, 80, 20), (90, 160, 160),
]
_NOISE = 12.0


def _palette_for(ids):
    "Assign a distinct colour to each id (in the given order)."
    ids = list(ids)
    assert len(ids) <= len(_COLOURS), "not enough distinct colours"
    return {int(i): _COLOURS[k] for k, i in enumerate(ids)}


def _render(app, colours, rng, noise=_NOISE):
    "RGB uint8 image from an appearance map: class colour + gaussian noise + slight brightness jitter."
    lut = np.zeros((256, 3), np.float32)
    for i, c in colours.items():
        lut[i] = c
    img = lut[app] + rng.normal(0, noise, app.shape + (3,)).astype(np.float32) + rng.uniform(-8, 8)
    return np.clip(img, 0, 255).astype(np.uint8)


def _rect(x0, y0, x1, y1):
    return [(int(x0), int(y0)), (int(x1), int(y0)), (int(x1), int(y1)), (int(x0), int(y1))]


def _ellipse(cx, cy, rx, ry, n=14):
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return [(int(round(cx + rx * np.cos(a))), int(round(cy + ry * np.sin(a)))) for a in t]


def _blob(rng, cx, cy, r, n=10):
    t = np.sort(rng.uniform(0, 2 * np.pi, n))
    rr = r * rng.uniform(0.6, 1.2, n)
    return [(int(round(cx + q * np.cos(a))), int(round(cy + q * np.sin(a)))) for a, q in zip(t, rr)]


class _Canvas:
    "Draws polygons into a class map and an instance map; remembers the polygons (in drawing order)."

    def __init__(self, h, w, fill=0):
        self.h, self.w = h, w
        self.cls = Image.new("L", (w, h), fill)
        self.ins = Image.new("L", (w, h), 0)
        self.dc, self.di = ImageDraw.Draw(self.cls), ImageDraw.Draw(self.ins)
        self.objects = []  # (class id, polygon, instance index or 0)
        self.n_inst = 0

    def poly(self, c, pts, instance=False):
        pts = [(min(max(x, 0), self.w - 1), min(max(y, 0), self.h - 1)) for x, y in pts]
        self.dc.polygon(pts, fill=int(c))
        k = 0
        if instance:
            self.n_inst += 1
            k = self.n_inst
        self.di.polygon(pts, fill=k)
        self.objects.append((int(c), pts, k))

    def arrays(self):
        return np.array(self.cls), np.array(self.ins)


def _street(rng, h, w, ids, extra=()):
    """A street scene.  ``ids`` maps roles (sky, building, road, sidewalk, tree, pole, sign, fence,
    car, truck, bus, person, bicyclist, void) to class ids; missing roles are not drawn."""
    cv = _Canvas(h, w, ids["sky"])
    cv.objects.append((ids["sky"], _rect(0, 0, w - 1, h - 1), 0))
    hor = int(h * rng.uniform(0.42, 0.55))
    # building skyline
    xs = np.sort(rng.choice(np.arange(4, w - 4), size=4, replace=False))
    pts, x_prev = [(0, hor)], 0
    for x in list(xs) + [w - 1]:
        top = int(h * rng.uniform(0.08, 0.35))
        pts += [(x_prev, top), (int(x), top)]
        x_prev = int(x)
    pts += [(w - 1, hor)]
    cv.poly(ids["building"], pts)
    # trees
    if "tree" in ids:
        for _ in range(rng.integers(1, 3)):
            cx = rng.uniform(0, w)
            cv.poly(ids["tree"], _blob(rng, cx, hor - h * 0.12, h * rng.uniform(0.1, 0.18)))
    # fence stripe just above the ground
    if "fence" in ids and rng.random() < 0.7:
        x0 = rng.uniform(0, w * 0.5)
        cv.poly(ids["fence"], _rect(x0, hor - 4, x0 + w * rng.uniform(0.2, 0.45), hor - 1))
    # road and sidewalks
    cv.poly(ids["road"], [(0, hor), (w - 1, hor), (w - 1, h - 1), (0, h - 1)])
    sw = int(w * rng.uniform(0.15, 0.3))
    cv.poly(ids["sidewalk"], [(0, hor), (sw // 3, hor), (0, hor + sw)])
    cv.poly(ids["sidewalk"], [(w - 1, hor), (w - 1 - sw // 3, hor), (w - 1, hor + sw)])
    # poles with a sign on top
    if "pole" in ids:
        for _ in range(rng.integers(1, 3)):
            x = int(rng.uniform(2, w - 4))
            top = int(h * rng.uniform(0.1, 0.3))
            cv.poly(ids["pole"], _rect(x, top, x + 1, hor + 3))
            if "sign" in ids and rng.random() < 0.7:
                cv.poly(ids["sign"], _rect(x - 3, top, x + 4, top + 5))
    # vehicles on the road
    vehicles = [r for r in ("car", "truck", "bus") if r in ids]
    for _ in range(rng.integers(1, 4)):
        role = vehicles[int(rng.integers(len(vehicles)))]
        vw = w * {"car": 0.2, "truck": 0.26, "bus": 0.34}[role] * rng.uniform(0.8, 1.2)
        vh = h * {"car": 0.13, "truck": 0.22, "bus": 0.25}[role] * rng.uniform(0.8, 1.2)
        x0 = rng.uniform(0, w - vw)
        yb = rng.uniform(hor + 4, min(h - 2, hor + h * 0.3))
        cv.poly(ids[role], _rect(x0, yb - vh, x0 + vw, yb), instance=True)
    # people
    for role in ("person", "bicyclist"):
        if role not in ids:
            continue
        for _ in range(rng.integers(0, 3)):
            x0 = rng.uniform(0, w - 5)
            yb = rng.uniform(hor + 1, hor + h * 0.2)
            ph = h * rng.uniform(0.18, 0.28)
            pw = 4 if role == "person" else 7
            cv.poly(ids[role], _rect(x0, yb - ph, x0 + pw, yb), instance=True)
    if "void" in ids:
        for _ in range(rng.integers(0, 3)):
            cv.poly(ids["void"], _blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(2, 4), 6))
    for fn in extra:
        fn(cv, rng)
    return cv


def _save_png(arr, path, mode=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(arr, mode).save(path) if mode else Image.fromarray(arr).save(path)


def _classes_in(mask):
    return sorted(int(v) for v in np.unique(mask))


# ---------------------------------------------------------------- CamVid
CAMVID_CLASSES = ["Sky", "Building", "Pole", "Road", "Pavement", "Tree", "SignSymbol", "Fence",
                  "Car", "Pedestrian", "Bicyclist"]


def make_camvid(root, seed=0):
    """CamVid as shipped by the SegNet tutorial.

    root/CamVid/{train,val,test}/<stem>.png (RGB), root/CamVid/{train,val,test}annot/<stem>.png
    (8-bit 'L', 0..10 classes, 11 = void), root/CamVid/{train,val,test}.txt with lines
    '/SegNet/CamVid/train/<stem>.png /SegNet/CamVid/trainannot/<stem>.png'.
    Stems are sequence prefix + frame number; each split takes its own contiguous frame
    range (as in the real files, 0001TP appears in train and test, 0016E5 in train and val).
    Extra keys: sequences {split: sorted prefixes}, void=11.
    """
    rng = np.random.default_rng([seed, 1])
    base = Path(root) / "CamVid"
    h, w = 48, 64
    # (split, prefix, fmt, first frame, step, count): frame ranges as in the SegNet lists
    plan = [("train", "0001TP", "{:06d}", 6690, 30, 3), ("train", "0006R0", "f{:05d}", 930, 30, 3),
            ("train", "0016E5", "{:05d}", 390, 30, 3),
            ("val", "0016E5", "{:05d}", 7959, 2, 6),
            ("test", "0001TP", "{:06d}", 8550, 30, 3), ("test", "Seq05VD", "f{:05d}", 0, 30, 3)]
    ids = dict(sky=0, building=1, pole=2, road=3, sidewalk=4, tree=5, sign=6, fence=7, car=8,
               person=9, bicyclist=10, void=11)
    colours = _palette_for(range(12))
    items, splits, seqs, lists = [], {}, {}, {}
    for split, pre, fmt, f0, step, n in plan:
        for k in range(n):
            stem = f"{pre}_{fmt.format(f0 + k * step)}"
            cv = _street(rng, h, w, ids)
            mask, _ = cv.arrays()
            img = _render(mask, colours, rng)
            ip, mp = base / split / f"{stem}.png", base / f"{split}annot" / f"{stem}.png"
            _save_png(img, ip)
            _save_png(mask, mp, "L")
            items.append(dict(split=split, stem=stem, sequence=pre, image=str(ip), mask=str(mp),
                              size=(h, w), classes=_classes_in(mask)))
            splits.setdefault(split, []).append(stem)
            seqs.setdefault(split, set()).add(pre)
            lists.setdefault(split, []).append(
                f"/SegNet/CamVid/{split}/{stem}.png /SegNet/CamVid/{split}annot/{stem}.png")
    list_files = {}
    for split, lines in lists.items():
        p = base / f"{split}.txt"
        p.write_text("\n".join(lines) + "\n")
        list_files[split] = str(p)
    return dict(name="camvid", root=str(base), items=items, splits=splits,
                classes=dict(enumerate(CAMVID_CLASSES)), void=11, ignore=[11],
                colours=colours, sequences={s: sorted(v) for s, v in seqs.items()},
                list_files=list_files, image_mode="RGB", mask_mode="L")


# ---------------------------------------------------------------- Cityscapes
# (name, id, trainId, hasInstances, colour) from the public cityscapesScripts label table
CITYSCAPES_LABELS = [
    ("unlabeled", 0, 255, False, (0, 0, 0)), ("ego vehicle", 1, 255, False, (0, 0, 0)),
    ("rectification border", 2, 255, False, (0, 0, 0)), ("out of roi", 3, 255, False, (0, 0, 0)),
    ("static", 4, 255, False, (0, 0, 0)), ("dynamic", 5, 255, False, (111, 74, 0)),
    ("ground", 6, 255, False, (81, 0, 81)), ("road", 7, 0, False, (128, 64, 128)),
    ("sidewalk", 8, 1, False, (244, 35, 232)), ("parking", 9, 255, False, (250, 170, 160)),
    ("rail track", 10, 255, False, (230, 150, 140)), ("building", 11, 2, False, (70, 70, 70)),
    ("wall", 12, 3, False, (102, 102, 156)), ("fence", 13, 4, False, (190, 153, 153)),
    ("guard rail", 14, 255, False, (180, 165, 180)), ("bridge", 15, 255, False, (150, 100, 100)),
    ("tunnel", 16, 255, False, (150, 120, 90)), ("pole", 17, 5, False, (153, 153, 153)),
    ("polegroup", 18, 255, False, (153, 153, 153)), ("traffic light", 19, 6, False, (250, 170, 30)),
    ("traffic sign", 20, 7, False, (220, 220, 0)), ("vegetation", 21, 8, False, (107, 142, 35)),
    ("terrain", 22, 9, False, (152, 251, 152)), ("sky", 23, 10, False, (70, 130, 180)),
    ("person", 24, 11, True, (220, 20, 60)), ("rider", 25, 12, True, (255, 0, 0)),
    ("car", 26, 13, True, (0, 0, 142)), ("truck", 27, 14, True, (0, 0, 70)),
    ("bus", 28, 15, True, (0, 60, 100)), ("caravan", 29, 255, True, (0, 0, 90)),
    ("trailer", 30, 255, True, (0, 0, 110)), ("train", 31, 16, True, (0, 80, 100)),
    ("motorcycle", 32, 17, True, (0, 0, 230)), ("bicycle", 33, 18, True, (119, 11, 32)),
]
_CS_BY_ID = {l[1]: l for l in CITYSCAPES_LABELS}


def _cs_ego_and_roi(cv, rng):
    "Ego-vehicle bonnet at the bottom, 'out of roi' frame round the border, 'unlabeled'/'static' blobs."
    h, w = cv.h, cv.w
    for j in range(rng.integers(1, 4)):  # first blob 'unlabeled' (0), the others 'static' (4)
        cv.poly(0 if j == 0 else 4, _blob(rng, rng.uniform(0, w), rng.uniform(h * 0.3, h * 0.6), rng.uniform(2, 3.5), 6))
    eh = int(h * rng.uniform(0.08, 0.14))
    cv.poly(1, [(0, h - 1), (int(w * 0.1), h - 1 - eh), (int(w * 0.9), h - 1 - eh), (w - 1, h - 1)])
    for r in (_rect(0, 0, w - 1, 0), _rect(0, h - 1, w - 1, h - 1), _rect(0, 0, 0, h - 1), _rect(w - 1, 0, w - 1, h - 1)):
        cv.poly(3, r)


def make_cityscapes(root, seed=0):
    """Cityscapes leftImg8bit + gtFine.

    root/leftImg8bit/{split}/{city}/{city}_{seq:06d}_{frame:06d}_leftImg8bit.png (RGB) and, beside
    each image stem in root/gtFine/{split}/{city}/: _gtFine_labelIds.png ('L', label ids 0..33),
    _gtFine_instanceIds.png (16-bit 'I;16': id*1000+k for instance classes, else the label id),
    _gtFine_color.png (RGBA, as cityscapesScripts writes it) and _gtFine_polygons.json.
    Test masks are dummy: only ids 0 (unlabeled), 1 (ego vehicle), 3 (out of roi).
    Extra keys: cities {split: [cities]}, train_ids {id: trainId}, mapping (suggested
    many-to-one), label_names, gt_suffixes.
    """
    rng = np.random.default_rng([seed, 2])
    base = Path(root)
    h, w = 48, 96
    plan = [("train", "aachen", 4), ("train", "bochum", 3), ("val", "frankfurt", 3), ("val", "lindau", 2),
            ("test", "berlin", 3), ("test", "bielefeld", 2)]
    ids = dict(sky=23, building=11, road=7, sidewalk=8, tree=21, pole=17, sign=20, car=26, truck=27,
               bus=28, person=24)
    used = [0, 1, 3, 4, 7, 8, 11, 17, 20, 21, 23, 24, 26, 27, 28]
    colours = _palette_for(used)
    items, splits, cities = [], {}, {}
    for split, city, n in plan:
        cities.setdefault(split, []).append(city)
        seq0 = int(rng.integers(0, 50))
        for k in range(n):
            seq, frame = seq0 + k, int(rng.choice([19, 19, 294, 1236, 4327]))
            stem = f"{city}_{seq:06d}_{frame:06d}"
            cv = _street(rng, h, w, ids, extra=[_cs_ego_and_roi])
            app, ins = cv.arrays()
            img = _render(app, colours, rng)
            if split == "test":  # dummy annotations
                lab = np.where(np.isin(app, [1, 3]), app, 0).astype(np.uint8)
                objects = [dict(label=_CS_BY_ID[c][0], polygon=[list(p) for p in pts])
                           for c, pts, _ in cv.objects if c in (1, 3)]
                inst = lab.astype(np.uint16)
            else:
                lab = app
                objects = [dict(label=_CS_BY_ID[c][0], polygon=[list(p) for p in pts]) for c, pts, _ in cv.objects]
                inst = lab.astype(np.uint16)
                # instance ids: id*1000 + running index per class (in drawing order)
                per_cls, ins_map = {}, {}
                for c, _, kk in cv.objects:
                    if kk:
                        ins_map[kk] = c * 1000 + per_cls.get(c, 0)
                        per_cls[c] = per_cls.get(c, 0) + 1
                for kk, v in ins_map.items():
                    inst[(ins == kk) & (lab == v // 1000)] = v
            ip = base / "leftImg8bit" / split / city / f"{stem}_leftImg8bit.png"
            gd = base / "gtFine" / split / city
            _save_png(img, ip)
            mp = gd / f"{stem}_gtFine_labelIds.png"
            _save_png(lab, mp, "L")
            Image.fromarray(inst).save(gd / f"{stem}_gtFine_instanceIds.png")
            lut = np.zeros((256, 4), np.uint8)
            lut[:, 3] = 255
            for _, i, _, _, c in CITYSCAPES_LABELS:
                lut[i, :3] = c
            Image.fromarray(lut[lab], "RGBA").save(gd / f"{stem}_gtFine_color.png")
            (gd / f"{stem}_gtFine_polygons.json").write_text(
                json.dumps(dict(imgHeight=h, imgWidth=w, objects=objects), indent=4))
            items.append(dict(split=split, stem=stem, city=city, image=str(ip), mask=str(mp),
                              instance=str(gd / f"{stem}_gtFine_instanceIds.png"),
                              color=str(gd / f"{stem}_gtFine_color.png"),
                              polygons=str(gd / f"{stem}_gtFine_polygons.json"),
                              size=(h, w), classes=_classes_in(lab)))
            splits.setdefault(split, []).append(stem)
    mapping = {"road": "road", "sidewalk": "sidewalk", "building": "building", "vegetation": "vegetation",
               "sky": "sky", "person": "person", "car": "vehicle", "truck": "vehicle", "bus": "vehicle",
               "pole": "object", "traffic sign": "object"}
    return dict(name="cityscapes", root=str(base), items=items, splits=splits, cities=cities,
                classes={l[1]: l[0] for l in CITYSCAPES_LABELS}, label_names={l[0]: l[1] for l in CITYSCAPES_LABELS},
                train_ids={l[1]: l[2] for l in CITYSCAPES_LABELS},
                ignore=[l[1] for l in CITYSCAPES_LABELS if l[2] == 255],
                used_ids=used, colours=colours, mapping=mapping,
                mapping_ids={_CS_BY_ID[i][1]: mapping[_CS_BY_ID[i][0]] for i in used if _CS_BY_ID[i][0] in mapping},
                gt_suffixes=dict(labelIds="_gtFine_labelIds.png", instanceIds="_gtFine_instanceIds.png",
                                 color="_gtFine_color.png", polygons="_gtFine_polygons.json"),
                image_suffix="_leftImg8bit.png", image_mode="RGB", mask_mode="L")


# ---------------------------------------------------------------- ADE20K
ADE_CLASSES = {0: "other", 1: "wall", 2: "building", 3: "sky", 4: "floor", 5: "tree", 6: "ceiling",
               7: "road", 8: "bed", 9: "windowpane", 10: "grass", 11: "cabinet", 12: "sidewalk",
               13: "person", 21: "car"}


def _ade_indoor(rng, h, w):
    cv = _Canvas(h, w, 1)
    cv.objects.append((1, _rect(0, 0, w - 1, h - 1), 0))
    cv.poly(6, [(0, 0), (w - 1, 0), (w - 1, int(h * rng.uniform(0.12, 0.22))), (0, int(h * rng.uniform(0.12, 0.22)))])
    fl = int(h * rng.uniform(0.6, 0.72))
    cv.poly(4, [(0, fl), (w - 1, fl), (w - 1, h - 1), (0, h - 1)])
    for _ in range(rng.integers(1, 3)):
        x0, y0 = rng.uniform(0, w * 0.8), rng.uniform(h * 0.25, h * 0.4)
        cv.poly(9, _rect(x0, y0, x0 + w * rng.uniform(0.12, 0.22), y0 + h * rng.uniform(0.15, 0.25)))
    if rng.random() < 0.7:
        x0 = rng.uniform(0, w * 0.5)
        cv.poly(8, _rect(x0, fl - h * 0.12, x0 + w * rng.uniform(0.3, 0.45), fl + h * 0.15))
    if rng.random() < 0.7:
        x0 = rng.uniform(w * 0.5, w * 0.85)
        cv.poly(11, _rect(x0, fl - h * 0.35, x0 + w * 0.14, fl + 2))
    if rng.random() < 0.5:
        x0 = rng.uniform(0, w - 6)
        cv.poly(13, _rect(x0, fl - h * 0.3, x0 + 5, fl + h * 0.05))
    for _ in range(rng.integers(1, 3)):
        cv.poly(0, _blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(2.5, 5), 7))
    return cv


def _ade_outdoor(rng, h, w):
    ids = dict(sky=3, building=2, road=7, sidewalk=12, tree=5, car=21, person=13)
    cv = _street(rng, h, w, ids)
    if rng.random() < 0.6:  # a patch of grass
        x0 = rng.uniform(0, w * 0.6)
        cv.poly(10, _rect(x0, h * 0.8, x0 + w * 0.35, h - 1))
    for _ in range(rng.integers(1, 3)):
        cv.poly(0, _blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(2.5, 5), 7))
    return cv


def make_ade20k(root, seed=0):
    """ADE20K SceneParsing (ADEChallengeData2016).

    root/ADEChallengeData2016/images/{training,validation}/ADE_{train,val}_%08d.jpg (RGB JPEG),
    root/ADEChallengeData2016/annotations/{training,validation}/<same stem>.png ('L': 0 = other /
    unlabelled, 1..150 = objectInfo150 classes; here only the ids in ``classes``), plus
    sceneCategories.txt ('<stem> <scene>' per line).  Image sizes vary.
    Extra keys: scenes {stem: scene}, reduce_zero_label hint.
    """
    rng = np.random.default_rng([seed, 3])
    base = Path(root) / "ADEChallengeData2016"
    colours = _palette_for(sorted(ADE_CLASSES))
    sizes = [(48, 64), (56, 72), (64, 64), (48, 80), (64, 88), (72, 56)]
    items, splits, scenes = [], {}, {}
    for split, folder, tag, n in (("train", "training", "train", 8), ("val", "validation", "val", 6)):
        for k in range(n):
            stem = f"ADE_{tag}_{k + 1:08d}"
            h, w = sizes[int(rng.integers(len(sizes)))]
            indoor = rng.random() < 0.5
            cv = (_ade_indoor if indoor else _ade_outdoor)(rng, h, w)
            mask, _ = cv.arrays()
            img = _render(mask, colours, rng)
            ip = base / "images" / folder / f"{stem}.jpg"
            mp = base / "annotations" / folder / f"{stem}.png"
            ip.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(img).save(ip, quality=92)
            _save_png(mask, mp, "L")
            scenes[stem] = str(rng.choice(["bedroom", "living_room", "kitchen"]) if indoor else
                               rng.choice(["street", "highway", "skyscraper"]))
            items.append(dict(split=split, stem=stem, folder=folder, image=str(ip), mask=str(mp),
                              size=(h, w), classes=_classes_in(mask), scene=scenes[stem]))
            splits.setdefault(split, []).append(stem)
    (base / "sceneCategories.txt").write_text("".join(f"{s} {c}\n" for s, c in scenes.items()))
    return dict(name="ade20k", root=str(base), items=items, splits=splits,
                split_folders={"train": "training", "val": "validation"},
                classes=dict(ADE_CLASSES), n_classes_full=150, ignore=[0], reduce_zero_label=True,
                colours=colours, scenes=scenes, scene_file=str(base / "sceneCategories.txt"),
                image_mode="RGB", mask_mode="L")


# ---------------------------------------------------------------- Pascal VOC 2012
VOC_CLASSES = ["background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
               "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
               "sheep", "sofa", "train", "tvmonitor"]


def voc_colormap(n=256):
    "The standard VOC palette (bit-interleaved), as a list of n (r, g, b)."
    cmap = []
    for i in range(n):
        r = g = b = 0
        c = i
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        cmap.append((r, g, b))
    return cmap


def make_voc(root, seed=0):
    """PASCAL VOC 2012 segmentation.

    root/VOCdevkit/VOC2012/JPEGImages/<yyyy_nnnnnn>.jpg (more JPEGs than masks),
    SegmentationClass/<stem>.png and SegmentationObject/<stem>.png ('P' mode with the VOC colour
    map; class: 0 background, 1..20, 255 void border round every object; object: 0 background,
    1..n instance index, 255 void border), ImageSets/Segmentation/{train,val,trainval}.txt (stems).
    Image sizes vary.  Extra keys: unlabelled (stems with a JPEG but no mask), void=255.
    """
    rng = np.random.default_rng([seed, 4])
    base = Path(root) / "VOCdevkit" / "VOC2012"
    used = [0, 1, 7, 8, 12, 15]  # background, aeroplane, car, cat, dog, person
    colours = _palette_for(used)
    sizes = [(48, 64), (64, 48), (56, 72), (64, 80), (50, 66)]
    # unique stems like 2007_000032, in sorted order; the last few have no segmentation
    stems = set()
    while len(stems) < 18:
        stems.add(f"{int(rng.choice([2007, 2008, 2009, 2010, 2011]))}_{int(rng.integers(1, 4000)):06d}")
    stems = sorted(stems)
    order = rng.permutation(len(stems))
    seg = sorted(stems[i] for i in order[:12])
    unl = sorted(stems[i] for i in order[12:])
    train, val = sorted(seg[i] for i in range(0, 12) if i % 3 != 2), sorted(seg[i] for i in range(2, 12, 3))
    split_of = {s: "train" for s in train} | {s: "val" for s in val}
    pal = [v for c in voc_colormap() for v in c]
    items = []
    for si, stem in enumerate(stems):
        h, w = sizes[int(rng.integers(len(sizes)))]
        cv = _Canvas(h, w, 0)
        borders = []
        for j in range(rng.integers(1, 4)):
            # the first object cycles through the classes so that every one appears
            c = used[1:][si % 5] if j == 0 else int(rng.choice(used[1:]))
            cx, cy = rng.uniform(w * 0.2, w * 0.8), rng.uniform(h * 0.25, h * 0.75)
            pts = (_blob(rng, cx, cy, min(h, w) * rng.uniform(0.18, 0.3)) if rng.random() < 0.5 else
                   _ellipse(cx, cy, w * rng.uniform(0.1, 0.25), h * rng.uniform(0.1, 0.25)))
            cv.poly(c, pts, instance=True)
            borders.append(pts)
        app, ins = cv.arrays()
        img = _render(app, colours, rng)
        ip = base / "JPEGImages" / f"{stem}.jpg"
        ip.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(img).save(ip, quality=92)
        if stem in split_of:
            bm = Image.new("L", (w, h), 0)
            d = ImageDraw.Draw(bm)
            for pts in borders:
                d.line(pts + [pts[0]], fill=1, width=2)
            border = np.array(bm) > 0
            cls = np.where(border, 255, app).astype(np.uint8)
            obj = np.where(border, 255, ins).astype(np.uint8)
            # instances fully covered by later ones disappear; renumber remaining ones 1..n
            keep = [v for v in np.unique(obj) if v not in (0, 255)]
            remap = np.arange(256, dtype=np.uint8)
            for j, v in enumerate(keep):
                remap[v] = j + 1
            obj = remap[obj]
            mp = base / "SegmentationClass" / f"{stem}.png"
            for arr, p in ((cls, mp), (obj, base / "SegmentationObject" / f"{stem}.png")):
                im = Image.fromarray(arr, "L").convert("P")
                im.putpalette(pal)
                p.parent.mkdir(parents=True, exist_ok=True)
                im.save(p)
            items.append(dict(split=split_of[stem], stem=stem, image=str(ip), mask=str(mp),
                              object_mask=str(base / "SegmentationObject" / f"{stem}.png"),
                              size=(h, w), classes=_classes_in(cls)))
        else:
            items.append(dict(split=None, stem=stem, image=str(ip), mask=None, size=(h, w), classes=[]))
    sd = base / "ImageSets" / "Segmentation"
    sd.mkdir(parents=True, exist_ok=True)
    splits = {"train": train, "val": val, "trainval": sorted(train + val)}
    for k, v in splits.items():
        (sd / f"{k}.txt").write_text("".join(s + "\n" for s in v))
    return dict(name="voc", root=str(base), items=items, splits=splits, unlabelled=unl,
                classes=dict(enumerate(VOC_CLASSES)), used_ids=used, void=255, ignore=[255],
                colours=colours, split_files={k: str(sd / f"{k}.txt") for k in splits},
                image_mode="RGB", mask_mode="P")


# ---------------------------------------------------------------- Carvana
def make_carvana(root, seed=0):
    """Kaggle Carvana image masking (train part).

    root/train/{car_id}_{view:02d}.jpg (RGB JPEG, views 01..16) and
    root/train_masks/{car_id}_{view:02d}_mask.gif (GIF, 'P' mode, 0 = background, 1 = car).
    No split files: the 16 views of a car must stay together.  Extra keys: car_ids, views.
    """
    rng = np.random.default_rng([seed, 5])
    base = Path(root)
    h, w = 64, 96
    n_cars = 5
    car_ids = sorted({"".join(rng.choice(list("0123456789abcdef"), 12)) for _ in range(n_cars)})
    car_cols = [(200, 20, 20), (20, 40, 160), (30, 30, 30), (0, 120, 60), (230, 200, 0), (120, 0, 120)]
    bg_wall, bg_floor = (215, 215, 215), (165, 165, 165)
    items = []
    (base / "train").mkdir(parents=True, exist_ok=True)
    (base / "train_masks").mkdir(parents=True, exist_ok=True)
    for ci, car in enumerate(car_ids):
        col = np.array(car_cols[int(rng.integers(len(car_cols)))], np.float32)
        length, width = rng.uniform(0.62, 0.8) * w, rng.uniform(0.3, 0.38) * w
        for view in range(1, 17):
            th = (view - 1) * np.pi / 8
            ext = abs(np.cos(th)) * length + abs(np.sin(th)) * width
            cx, cy = w / 2 + rng.uniform(-2, 2), h * 0.55 + rng.uniform(-1.5, 1.5)
            body_h = h * 0.22
            cab_w = ext * 0.55
            # appearance codes: 0 wall, 1 floor (both background), 2 body, 3 windows/cabin, 4 wheels
            app = Image.new("L", (w, h), 0)
            d = ImageDraw.Draw(app)
            d.rectangle([0, int(h * 0.6), w - 1, h - 1], fill=1)
            d.polygon(_ellipse(cx, cy, ext / 2, body_h / 2, 18), fill=2)
            d.polygon([(int(cx - cab_w / 2), int(cy - body_h * 0.3)), (int(cx - cab_w / 3), int(cy - body_h * 1.1)),
                       (int(cx + cab_w / 3), int(cy - body_h * 1.1)), (int(cx + cab_w / 2), int(cy - body_h * 0.3))], fill=3)
            for sx in (-0.32, 0.32):
                d.polygon(_ellipse(cx + sx * ext, cy + body_h * 0.45, 4, 4, 10), fill=4)
            a = np.array(app)
            cols = {0: bg_wall, 1: bg_floor, 2: tuple(col), 3: tuple(col * 0.35 + 20), 4: (15, 15, 15)}
            img = _render(a, cols, rng, noise=8.0)
            mask = (a >= 2).astype(np.uint8)
            stem = f"{car}_{view:02d}"
            ip, mp = base / "train" / f"{stem}.jpg", base / "train_masks" / f"{stem}_mask.gif"
            Image.fromarray(img).save(ip, quality=92)
            m = Image.fromarray(mask, "L").convert("P")
            m.putpalette([0, 0, 0, 255, 255, 255] + [0, 0, 0] * 254)
            m.save(mp)
            items.append(dict(split=None, stem=stem, car_id=car, view=view, image=str(ip), mask=str(mp),
                              size=(h, w), classes=_classes_in(mask)))
    return dict(name="carvana", root=str(base), items=items, splits={}, car_ids=car_ids,
                views=list(range(1, 17)), classes={0: "background", 1: "car"}, ignore=[],
                image_mode="RGB", mask_mode="P", mask_suffix="_mask.gif")


# ---------------------------------------------------------------- all
def make_all(out, seed=0):
    "Build all five under out/{camvid,cityscapes,ade20k,voc,carvana}; returns {name: result}."
    out = Path(out)
    return {"camvid": make_camvid(out / "camvid", seed), "cityscapes": make_cityscapes(out / "cityscapes", seed),
            "ade20k": make_ade20k(out / "ade20k", seed), "voc": make_voc(out / "voc", seed),
            "carvana": make_carvana(out / "carvana", seed)}


def _check(res):
    "Load files back with Pillow; check modes, value sets and image/mask sizes.  Returns a list of problems."
    bad = []
    modes = dict(camvid=("RGB", "L"), cityscapes=("RGB", "L"), ade20k=("RGB", "L"), voc=("RGB", "P"),
                 carvana=("RGB", "P"))[res["name"]]
    for it in res["items"]:
        im = Image.open(it["image"])
        if im.mode != modes[0] or im.size != (it["size"][1], it["size"][0]):
            bad.append(f"{it['image']}: {im.mode} {im.size}")
        if it["mask"] is None:
            continue
        m = Image.open(it["mask"])
        vals = _classes_in(np.array(m))
        if m.mode != modes[1] or m.size != im.size or vals != it["classes"]:
            bad.append(f"{it['mask']}: {m.mode} {m.size} {vals}")
    return bad


if __name__ == "__main__":
    import time
    if len(sys.argv) < 2:
        sys.exit("usage: python lookalikes.py OUTDIR [SEED]")
    out, seed = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0
    fns = dict(camvid=make_camvid, cityscapes=make_cityscapes, ade20k=make_ade20k, voc=make_voc, carvana=make_carvana)
    for name, fn in fns.items():
        t = time.time()
        r = fn(out / name, seed)
        dt = time.time() - t
        counts = {}
        for it in r["items"]:
            counts[str(it["split"])] = counts.get(str(it["split"]), 0) + 1
        ids = sorted({c for it in r["items"] for c in it["classes"]})
        bad = _check(r)
        print(f"{name:11s} {len(r['items']):3d} images {counts}  mask values {ids}  {dt:.2f}s"
              f"  {'OK' if not bad else 'PROBLEMS: ' + '; '.join(bad[:3])}")
