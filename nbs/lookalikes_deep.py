"""Tiny look-alikes of "deep" (non-8-bit, non-RGB, multi-label) segmentation data, laid out as it ships.

Standalone (numpy + Pillow + tifffile only).  Written from public descriptions of
such data, independently of the library under test, so that tests can check a
reader against known ground truth.  Companion of ``lookalikes.py``.

Every ``make_*`` function takes a root folder and a ``seed``, writes a few small
images per split and returns a dict describing exactly what it wrote:

    name        dataset name
    root        the dataset folder that was written (str)
    items       list of dicts, one per image: split, stem, image (path), mask (path;
                for multi-label {class name: path}), size (h, w), classes (sorted
                mask values present; for multi-label the class indices present)
    splits      {split: [stems]}
    classes     {value: name}; for multi-label the list of class names in order
    ignore      mask value a trainer should ignore, or None
    dtype       numpy dtype name of the images as read back
    channels    number of image channels
    appearance  [(label, level)]: the mean image value (scalar or per-channel vector)
                of every kind of region.  label is a mask value (or, for
                multi-label, a tuple of 0/1 per class).  A class may have several
                appearances (e.g. CT background = air, fat and soft tissue).
    ...         dataset-specific extras (see each function)

Classes differ by intensity level (and a little texture); classifying each pixel
by its nearest ``appearance`` level is > 95 % correct (``nearest_level_accuracy``),
so a small CNN learns them quickly.  Output is deterministic for a given seed.

Run ``python nbs/lookalikes_deep.py OUTDIR [SEED]`` to build all four, reload
every file and print counts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import tifffile
from PIL import Image, ImageDraw

__all__ = ["make_fluo16", "make_sat4", "make_ct_float", "make_multilabel", "make_all",
           "nearest_level_accuracy", "read_image", "read_mask"]


# ---------------------------------------------------------------- helpers
def _blob(rng, cx, cy, r, n=10):
    t = np.sort(rng.uniform(0, 2 * np.pi, n))
    rr = r * rng.uniform(0.65, 1.15, n)
    return [(float(cx + q * np.cos(a)), float(cy + q * np.sin(a))) for a, q in zip(t, rr)]


def _ellipse_mask(h, w, cx, cy, rx, ry, angle=0.0):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    c, s = np.cos(angle), np.sin(angle)
    u, v = (xx - cx) * c + (yy - cy) * s, -(xx - cx) * s + (yy - cy) * c
    return (u / rx) ** 2 + (v / ry) ** 2 <= 1.0


def _poly_mask(h, w, pts):
    im = Image.new("L", (w, h), 0)
    ImageDraw.Draw(im).polygon([(float(x), float(y)) for x, y in pts], fill=1)
    return np.array(im, bool)


def _save_png(arr, path):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(arr)).save(path)


def _save_tif(arr, path, **kw):
    path.parent.mkdir(parents=True, exist_ok=True)
    tifffile.imwrite(path, np.ascontiguousarray(arr), metadata=None, **kw)


def _values_in(mask):
    return sorted(int(v) for v in np.unique(mask))


def _write_list(path, stems):
    path.write_text("".join(s + "\n" for s in stems))


def read_image(path):
    "Image as numpy array: TIFF with tifffile, anything else with Pillow."
    p = str(path)
    return tifffile.imread(p) if p.lower().endswith((".tif", ".tiff")) else np.array(Image.open(p))


read_mask = read_image


# ---------------------------------------------------------------- fluorescence, 16-bit
FLUO_CLASSES = {0: "background", 1: "nucleus", 2: "cytoplasm"}


def make_fluo16(root, seed=0):
    """Fluorescence microscopy, 12-bit data stored as 16-bit single-page TIFF.

    root/images/{train,val,test}/<stem>.tif   uint16 (H, W) = (48, 64), one plain page, values 0..4095
    root/masks/{train,val,test}/<stem>.png    8-bit 'L': 0 background, 1 nucleus, 2 cytoplasm, 255 ignore
    Stems are high-content-screening names <plate>_<well>_s<site> (e.g. P01_B03_s2).
    Background ~100..300 (dim, slightly uneven), cytoplasm ~1000, nuclei ~2600 (per-image gain
    0.9..1.1), Poisson shot noise + read noise, 2 saturated hot pixels (4095) per image.
    Ignore (255): cell pixels on the 1-px image frame (cells cut by the field of view are not
    annotated there); every image has at least one such cell.
    Extra keys: bit_depth=12, value_range=(0, 4095); per item n_cells, n_ignore, hot_pixels [(y, x)].
    """
    rng = np.random.default_rng([seed, 11])
    base = Path(root)
    h, w = 48, 64
    plan = [("train", "P01", ["A01", "A02", "A03", "A04"], 2), ("val", "P02", ["B01", "B02", "B03"], 1),
            ("test", "P03", ["C01", "C02", "C03"], 1)]
    items, splits = [], {}
    for split, plate, wells, sites in plan:
        for well in wells:
            for s in range(1, sites + 1):
                stem = f"{plate}_{well}_s{s}"
                mask = np.zeros((h, w), np.uint8)
                n = int(rng.integers(4, 7))
                for k in range(n):
                    if k == 0:  # one cell cut by the image border
                        side = int(rng.integers(4))
                        cx = [rng.uniform(8, w - 8), rng.uniform(8, w - 8), 1.0, w - 2.0][side]
                        cy = [1.0, h - 2.0, rng.uniform(8, h - 8), rng.uniform(8, h - 8)][side]
                    else:
                        cx, cy = rng.uniform(4, w - 4), rng.uniform(4, h - 4)
                    rx, ry, ang = rng.uniform(7, 11), rng.uniform(6, 9), rng.uniform(0, np.pi)
                    mask[_ellipse_mask(h, w, cx, cy, rx, ry, ang)] = 2
                    f = rng.uniform(0.45, 0.6)
                    mask[_ellipse_mask(h, w, cx + rng.uniform(-1, 1), cy + rng.uniform(-1, 1), rx * f, ry * f, ang)] = 1
                bg = rng.uniform(120, 280)
                gain = rng.uniform(0.9, 1.1)
                yy, xx = np.mgrid[0:h, 0:w]
                lut = np.array([bg, 2600 * gain, 1000 * gain], np.float64)
                mean = lut[mask] + 20 * (xx / w - 0.5) + 10 * (yy / h - 0.5)  # slight illumination gradient
                img = rng.poisson(np.clip(mean, 1, None)).astype(np.float64) + rng.normal(0, 6, (h, w))
                hot = [(int(rng.integers(h)), int(rng.integers(w))) for _ in range(2)]
                for y, x in hot:
                    img[y, x] = 4095
                img = np.clip(np.round(img), 0, 4095).astype(np.uint16)
                frame = np.zeros((h, w), bool)
                frame[[0, -1], :] = frame[:, [0, -1]] = True
                mask[frame & (mask > 0)] = 255
                ip, mp = base / "images" / split / f"{stem}.tif", base / "masks" / split / f"{stem}.png"
                _save_tif(img, ip, photometric="minisblack")
                _save_png(mask, mp)
                items.append(dict(split=split, stem=stem, image=str(ip), mask=str(mp), size=(h, w),
                                  classes=_values_in(mask), n_cells=n, n_ignore=int((mask == 255).sum()),
                                  hot_pixels=hot))
                splits.setdefault(split, []).append(stem)
    return dict(name="fluo16", root=str(base), items=items, splits=splits, classes=dict(FLUO_CLASSES),
                ignore=255, dtype="uint16", channels=1, bit_depth=12, value_range=(0, 4095),
                appearance=[(0, 200.0), (1, 2600.0), (2, 1000.0)],
                image_ext=".tif", mask_ext=".png")


# ---------------------------------------------------------------- satellite, 4 bands planar
SAT_CLASSES = {0: "no data", 1: "water", 2: "vegetation", 3: "built-up", 4: "bare soil"}
SAT_BANDS = ["blue", "green", "red", "nir"]
# Sentinel-2 L2A style reflectance x 10000, bands B02, B03, B04, B08
_SAT_SPECTRA = {1: (500, 600, 400, 200), 2: (350, 700, 400, 3800), 3: (1900, 1900, 2000, 2300),
                4: (1100, 1500, 2300, 3000)}
_SAT_CLOUD = (6500, 6500, 6700, 7000)


def _geotags(x0, y0, res=10.0, epsg=32632):
    "GeoTIFF tags (ModelPixelScale, ModelTiepoint, GeoKeyDirectory, GDAL_NODATA) for tifffile extratags."
    keys = [1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, epsg]
    return [(33550, "d", 3, (res, res, 0.0), False), (33922, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), False),
            (34735, "H", len(keys), keys, False), (42113, "s", 0, "0", False)]


def make_sat4(root, seed=0):
    """Satellite tiles, 4 bands (blue, green, red, NIR), uint16, band-sequential (planar) GeoTIFF.

    root/images/<stem>.tif   uint16, one page, shape (4, 48, 64) = (bands, H, W), PlanarConfiguration=2
                             (separate), photometric minisblack, reflectance x 10000 (0..10000), 0 = no data;
                             GeoTIFF tags: 10 m pixels, EPSG:32632, GDAL_NODATA "0"
    root/masks/<stem>.tif    uint8 (H, W): 0 no data (ignore), 1 water, 2 vegetation, 3 built-up, 4 bare soil
    root/{train,val,test}.txt   stems, one per line
    Stems: <MGRS tile>_r<row>_c<col> (e.g. T32TQM_r01_c03), chips of one scene.
    Water dark in NIR, vegetation bright in NIR, built-up bright in visible, bare soil red/NIR-ish.
    Mask 0 regions: a no-data swath corner (image exactly 0 in all bands) in some tiles and a cloud
    (image bright ~6500..7000 in all bands, unlabelled) in others.
    Extra keys: bands, band_ids, scale=10000, nodata=0, layout='CHW', crs; per item transform (x0, y0, res).
    """
    rng = np.random.default_rng([seed, 12])
    base = Path(root)
    h, w = 48, 64
    n_img = 14
    cells = [(r, c) for r in range(4) for c in range(6)]
    pick = rng.choice(len(cells), n_img, replace=False)
    stems = [f"T32TQM_r{cells[i][0]:02d}_c{cells[i][1]:02d}" for i in sorted(pick)]
    order = rng.permutation(n_img)
    split_of = {stems[i]: ("train" if j < 8 else "val" if j < 11 else "test") for j, i in enumerate(order)}
    items, splits = [], {"train": [], "val": [], "test": []}
    x_orig, y_orig = 600000.0, 5100000.0
    for idx, stem in enumerate(stems):
        split = split_of[stem]
        m = np.full((h, w), 4 if rng.random() < 0.5 else 2, np.uint8)
        for _ in range(int(rng.integers(3, 6))):  # fields
            x0, y0 = rng.uniform(-5, w - 10), rng.uniform(-5, h - 10)
            fw, fh = rng.uniform(12, 28), rng.uniform(10, 22)
            m[_poly_mask(h, w, [(x0, y0), (x0 + fw, y0), (x0 + fw, y0 + fh), (x0, y0 + fh)])] = rng.choice([2, 4])
        if rng.random() < 0.8:  # a river
            yy, xx = np.mgrid[0:h, 0:w]
            y_c = rng.uniform(8, h - 8) + 5 * np.sin(xx / rng.uniform(6, 12) + rng.uniform(0, 6))
            m[np.abs(yy - y_c) < rng.uniform(2, 4.5)] = 1
        for _ in range(int(rng.integers(1, 4))):  # built-up blocks
            x0, y0 = rng.uniform(0, w - 8), rng.uniform(0, h - 8)
            bw, bh = rng.uniform(6, 16), rng.uniform(5, 12)
            m[_poly_mask(h, w, [(x0, y0), (x0 + bw, y0), (x0 + bw, y0 + bh), (x0, y0 + bh)])] = 3
        if rng.random() < 0.4:  # a lake
            m[_poly_mask(h, w, _blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(4, 8)))] = 1
        img = np.zeros((4, h, w), np.float64)
        for c, spec in _SAT_SPECTRA.items():
            img[:, m == c] = np.array(spec, np.float64)[:, None]
        nodata = np.zeros((h, w), bool)
        cloud = np.zeros((h, w), bool)
        if idx % 3 == 0:  # no-data swath corner
            yy, xx = np.mgrid[0:h, 0:w]
            k = rng.uniform(0.3, 0.6)
            nodata = (xx / w + yy / h) < k if rng.random() < 0.5 else (xx / w - yy / h) > 1 - k
        elif idx % 3 == 1:  # a cloud, unlabelled
            cloud = _poly_mask(h, w, _blob(rng, rng.uniform(10, w - 10), rng.uniform(8, h - 8), rng.uniform(4, 7)))
        img[:, cloud] = np.array(_SAT_CLOUD, np.float64)[:, None]
        img *= rng.uniform(0.93, 1.07)  # illumination
        img += rng.normal(0, 110, img.shape)
        img = np.clip(np.round(img), 1, 10000)
        img[:, nodata] = 0
        img = img.astype(np.uint16)
        m[nodata | cloud] = 0
        r, c = int(stem[8:10]), int(stem[12:14])
        tr = (x_orig + c * w * 10.0, y_orig - r * h * 10.0, 10.0)
        ip, mp = base / "images" / f"{stem}.tif", base / "masks" / f"{stem}.tif"
        _save_tif(img, ip, photometric="minisblack", planarconfig="separate", extratags=_geotags(tr[0], tr[1]))
        _save_tif(m, mp, photometric="minisblack", extratags=_geotags(tr[0], tr[1]))
        items.append(dict(split=split, stem=stem, image=str(ip), mask=str(mp), size=(h, w),
                          classes=_values_in(m), transform=tr, n_nodata=int(nodata.sum()),
                          n_cloud=int(cloud.sum())))
        splits[split].append(stem)
    list_files = {}
    for split, ss in splits.items():
        _write_list(base / f"{split}.txt", ss)
        list_files[split] = str(base / f"{split}.txt")
    app = [(c, tuple(float(v) for v in s)) for c, s in _SAT_SPECTRA.items()]
    app += [(0, (0.0, 0.0, 0.0, 0.0)), (0, tuple(float(v) for v in _SAT_CLOUD))]
    return dict(name="sat4", root=str(base), items=items, splits=splits, classes=dict(SAT_CLASSES),
                ignore=0, dtype="uint16", channels=4, bands=list(SAT_BANDS),
                band_ids=["B02", "B03", "B04", "B08"], scale=10000, nodata=0, layout="CHW",
                crs="EPSG:32632", list_files=list_files, appearance=app, image_ext=".tif", mask_ext=".tif")


# ---------------------------------------------------------------- CT, float32 HU
CT_CLASSES = {0: "background", 1: "organ", 2: "bone"}
# (class, HU) of every tissue drawn
_CT_TISSUE = {"air": (0, -1000.0), "fat": (0, -100.0), "soft": (0, 40.0), "organ": (1, 180.0),
              "spongy": (2, 550.0), "cortical": (2, 1250.0)}


def _ct_slice(rng, h, w, body, organ_c, z):
    "Label map of tissues (index into _CT_TISSUE order) and class mask for one axial slice."
    names = list(_CT_TISSUE)
    t = np.zeros((h, w), np.uint8)  # air
    cx, cy, rx, ry = body
    t[_ellipse_mask(h, w, cx, cy, rx, ry)] = names.index("fat")
    t[_ellipse_mask(h, w, cx, cy, rx - 3, ry - 3)] = names.index("soft")
    # organ (contrast-enhanced, e.g. liver/kidney); its size changes along z
    ox, oy, orx, ory = organ_c
    f = 0.7 + 0.3 * np.cos(z)
    t[_ellipse_mask(h, w, ox, oy, orx * f, ory * f, 0.3)] = names.index("organ")
    # vertebra: cortical ring with spongy core, posterior (bottom) middle; two ribs
    vx, vy = cx + rng.uniform(-1, 1), cy + ry - 7
    t[_ellipse_mask(h, w, vx, vy, 5, 4)] = names.index("cortical")
    t[_ellipse_mask(h, w, vx, vy, 3.4, 2.4)] = names.index("spongy")
    for sx in (-1, 1):
        t[_ellipse_mask(h, w, cx + sx * (rx - 5), cy + 2, 1.8, 3.2, sx * 0.4)] = names.index("cortical")
    lut_cls = np.array([_CT_TISSUE[n][0] for n in names], np.uint8)
    return t, lut_cls[t]


def make_ct_float(root, seed=0):
    """CT slices as float32 Hounsfield units, split-first 2-D slice export grouped by patient.

    root/{train,val,test}/images/<case>_<slice:03d>.tif   float32 (H, W), one plain page, HU
    root/{train,val,test}/masks/<case>_<slice:03d>.png    8-bit 'L': 0 background, 1 organ, 2 bone
    Cases are KiTS-style ids case_00000...; all slices of a case are in one split and share one size;
    sizes differ between cases: 48x64 (case_00000, case_00012) or 56x72 (case_00003, case_00007),
    so train holds both sizes.
    HU: air -1000 (clipped at -1024), fat -100, soft tissue +40 (all background), organ +180
    (contrast-enhanced), bone 550 (spongy core) / 1250 (cortex); gaussian noise sd 15 HU.
    No ignore value.  Extra keys: cases {split: [case ids]}, units='HU', value_range;
    per item case, slice.
    """
    rng = np.random.default_rng([seed, 13])
    base = Path(root)
    plan = [("train", 0, (48, 64), 4), ("train", 3, (56, 72), 4), ("val", 7, (56, 72), 3),
            ("test", 12, (48, 64), 3)]
    names = list(_CT_TISSUE)
    hu = np.array([_CT_TISSUE[n][1] for n in names], np.float64)
    items, splits, cases = [], {}, {}
    lo, hi = np.inf, -np.inf
    for split, cnum, (h, w), n in plan:
        case = f"case_{cnum:05d}"
        cases.setdefault(split, []).append(case)
        body = (w / 2 + rng.uniform(-2, 2), h / 2 + rng.uniform(-1, 1), w / 2 - rng.uniform(3, 6), h / 2 - rng.uniform(3, 5))
        organ = (body[0] + rng.choice([-1, 1]) * rng.uniform(6, 10), body[1] - rng.uniform(0, 4),
                 rng.uniform(7, 10), rng.uniform(5, 8))
        s0 = int(rng.integers(20, 60))
        for k in range(n):
            sl = s0 + 2 * k
            t, mask = _ct_slice(rng, h, w, body, organ, 0.6 * k)
            img = hu[t] + rng.normal(0, 15, (h, w)) + rng.uniform(-5, 5)
            img = np.clip(img, -1024, 3071).astype(np.float32)
            lo, hi = min(lo, float(img.min())), max(hi, float(img.max()))
            stem = f"{case}_{sl:03d}"
            ip, mp = base / split / "images" / f"{stem}.tif", base / split / "masks" / f"{stem}.png"
            _save_tif(img, ip, photometric="minisblack")
            _save_png(mask, mp)
            items.append(dict(split=split, stem=stem, case=case, slice=sl, image=str(ip), mask=str(mp),
                              size=(h, w), classes=_values_in(mask)))
            splits.setdefault(split, []).append(stem)
    return dict(name="ct_float", root=str(base), items=items, splits=splits, classes=dict(CT_CLASSES),
                ignore=None, dtype="float32", channels=1, units="HU", value_range=(lo, hi), cases=cases,
                sizes=sorted({it["size"] for it in items}), tissues=dict(_CT_TISSUE),
                appearance=[v for v in _CT_TISSUE.values()], image_ext=".tif", mask_ext=".png")


# ---------------------------------------------------------------- multi-label RGB
ML_CLASSES = ["building", "damaged", "road", "tree"]
_ML_GROUND, _ML_ROAD, _ML_BUILDING, _ML_DAMAGED = (205, 175, 105), (60, 60, 68), (135, 150, 180), (215, 70, 60)
_ML_TREE, _ML_TREE_ALPHA = (20, 150, 30), 0.55


def _ml_colour(b, d, r, t):
    "Mean RGB of a pixel with labels building, damaged, road, tree (0/1 each)."
    under = _ML_DAMAGED if (b and d) else _ML_BUILDING if b else _ML_ROAD if r else _ML_GROUND
    under = np.array(under, np.float64)
    if t:
        under = (1 - _ML_TREE_ALPHA) * under + _ML_TREE_ALPHA * np.array(_ML_TREE, np.float64)
    return tuple(float(v) for v in under)


def make_multilabel(root, seed=0):
    """Overlapping labels on RGB aerial-like tiles (xBD-style building damage + roads + trees).

    root/images/<stem>.png               RGB 8-bit, 48x64
    root/masks/<class>/<stem>.png        one folder per class, binary 'L'; the first 7 images (in stem
                                         order) hold 0/255, the other 7 hold 0/1 (item 'mask_max')
    root/masks_tiff/<stem>.tif           uint8, 4 pages (one per class, in class order), 0/1; reads as (4, H, W)
    root/classes.txt                     building, damaged, road, tree (one per line, in order)
    root/split.csv                       header 'stem,split', one row per image
    Classes overlap: damaged is always inside building (a damaged building is both); trees lie over
    ground, roads and buildings (tree over road = tree + road); a building hides the road under it.
    Appearance: ground sand, road dark grey band, building blue-grey, damaged building red (+ fine
    checker texture), tree = green blended 55 % over whatever is under it.
    No ignore value.  Per item: labels (K, H, W) bool ground truth, mask {class: png path},
    mask_tiff, mask_max (1 or 255), classes = indices of classes present.
    Extra keys: class_names (= classes), classes_file, split_file, multilabel=True.
    """
    rng = np.random.default_rng([seed, 14])
    base = Path(root)
    h, w = 48, 64
    events = [("hurricane-michael", 4), ("palu-tsunami", 4), ("santa-rosa-wildfire", 3), ("mexico-earthquake", 3)]
    stems = []
    for ev, n in events:
        nums = sorted(rng.choice(400, n, replace=False))
        stems += [f"{ev}_{int(k):08d}" for k in nums]
    stems = sorted(stems)
    order = rng.permutation(len(stems))
    split_of = {stems[i]: ("train" if j < 8 else "val" if j < 11 else "test") for j, i in enumerate(order)}
    K = len(ML_CLASSES)
    yy, xx = np.mgrid[0:h, 0:w]
    checker = ((xx + yy) % 2) * 2 - 1
    items, splits = [], {"train": [], "val": [], "test": []}
    for idx, stem in enumerate(stems):
        road = np.zeros((h, w), bool)
        if rng.random() < 0.85:
            wd = rng.uniform(2.5, 4.5)
            if rng.random() < 0.5:
                y0, y1 = rng.uniform(5, h - 5, 2)
                road |= np.abs(yy - (y0 + (y1 - y0) * xx / w)) < wd
            else:
                x0, x1 = rng.uniform(5, w - 5, 2)
                road |= np.abs(xx - (x0 + (x1 - x0) * yy / h)) < wd
        building = np.zeros((h, w), bool)
        damaged = np.zeros((h, w), bool)
        for j in range(int(rng.integers(2, 5))):
            x0, y0 = rng.uniform(0, w - 10), rng.uniform(0, h - 9)
            bw, bh = rng.uniform(8, 16), rng.uniform(7, 13)
            b = _poly_mask(h, w, [(x0, y0), (x0 + bw, y0), (x0 + bw, y0 + bh), (x0, y0 + bh)])
            building |= b
            damaged &= ~b  # a later intact building hides damage under it
            if j == 0 or rng.random() < 0.4:  # damaged: all of it or a part of it
                if rng.random() < 0.5:
                    damaged |= b
                else:
                    damaged |= b & _poly_mask(h, w, _blob(rng, x0 + rng.uniform(0, bw), y0 + rng.uniform(0, bh),
                                                          rng.uniform(4, 7)))
        road &= ~building
        tree = np.zeros((h, w), bool)
        for _ in range(int(rng.integers(2, 4))):
            tree |= _poly_mask(h, w, _blob(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(4, 7)))
        labels = np.stack([building, damaged, road, tree])
        code = building * 8 + damaged * 4 + road * 2 + tree
        lut = np.array([_ml_colour(c >> 3 & 1, c >> 2 & 1, c >> 1 & 1, c & 1) for c in range(16)])
        img = lut[code] + rng.normal(0, 8, (h, w, 3)) + rng.uniform(-6, 6)
        img += (damaged * checker * 14)[..., None] * np.array([1.0, 0.5, 0.5])
        img = np.clip(np.round(img), 0, 255).astype(np.uint8)
        split = split_of[stem]
        ip = base / "images" / f"{stem}.png"
        _save_png(img, ip)
        mx = 255 if idx < len(stems) // 2 else 1
        mpaths = {}
        for k, name in enumerate(ML_CLASSES):
            p = base / "masks" / name / f"{stem}.png"
            _save_png(labels[k].astype(np.uint8) * mx, p)
            mpaths[name] = str(p)
        tp = base / "masks_tiff" / f"{stem}.tif"
        _save_tif(labels.astype(np.uint8), tp, photometric="minisblack")
        items.append(dict(split=split, stem=stem, event=stem.rsplit("_", 1)[0], image=str(ip), mask=mpaths,
                          mask_tiff=str(tp), mask_max=mx, size=(h, w), labels=labels,
                          classes=[k for k in range(K) if labels[k].any()]))
        splits[split].append(stem)
    (base / "classes.txt").write_text("".join(c + "\n" for c in ML_CLASSES))
    (base / "split.csv").write_text("stem,split\n" + "".join(f"{s},{split_of[s]}\n" for s in stems))
    combos = [(b, d, r, t) for b in (0, 1) for d in (0, 1) for r in (0, 1) for t in (0, 1)
              if not (d and not b) and not (b and r)]
    return dict(name="multilabel", root=str(base), items=items, splits=splits, classes=list(ML_CLASSES),
                class_names=list(ML_CLASSES), ignore=None, dtype="uint8", channels=3, multilabel=True,
                classes_file=str(base / "classes.txt"), split_file=str(base / "split.csv"),
                appearance=[(c, _ml_colour(*c)) for c in combos], image_ext=".png", mask_ext=".png")


# ---------------------------------------------------------------- all
def make_all(out, seed=0):
    "Build all four under out/{fluo16,sat4,ct_float,multilabel}; returns {name: result}."
    out = Path(out)
    return {"fluo16": make_fluo16(out / "fluo16", seed), "sat4": make_sat4(out / "sat4", seed),
            "ct_float": make_ct_float(out / "ct_float", seed), "multilabel": make_multilabel(out / "multilabel", seed)}


def _image_shape(res, it):
    h, w = it["size"]
    c = res["channels"]
    if c == 1:
        return (h, w)
    return (c, h, w) if res.get("layout") == "CHW" else (h, w, c)


def _labels_of(res, it):
    "Ground-truth labels of an item read back from disk: (H, W) mask, or (K, H, W) bool for multi-label."
    if res.get("multilabel"):
        return np.stack([read_mask(it["mask"][c]) > 0 for c in res["classes"]])
    return read_mask(it["mask"])


def nearest_level_accuracy(res):
    """Fraction of labelled (non-ignored) pixels whose label is that of the nearest ``appearance`` level.
    For multi-label a pixel counts as correct only if all its labels are right."""
    labs = [np.atleast_1d(np.asarray(l, np.float64)) for l, _ in res["appearance"]]
    lev = np.array([np.atleast_1d(np.asarray(v, np.float64)) for _, v in res["appearance"]])  # (A, C)
    good = tot = 0
    for it in res["items"]:
        img = read_image(it["image"]).astype(np.float64)
        if img.ndim == 2:
            img = img[None]
        elif res.get("layout") != "CHW":
            img = np.moveaxis(img, -1, 0)
        c, h, w = img.shape
        d = ((img.reshape(c, 1, -1) - lev.T[:, :, None]) ** 2).sum(0)  # (A, H*W)
        near = d.argmin(0)
        gt = _labels_of(res, it)
        if res.get("multilabel"):
            pred = np.array(labs)[near].T.reshape(gt.shape) > 0.5
            ok, keep = (pred == gt).all(0), np.ones((h, w), bool)
        else:
            pred = np.array([l[0] for l in labs])[near].reshape(h, w)
            ok, keep = pred == gt, np.ones((h, w), bool) if res["ignore"] is None else gt != res["ignore"]
        good += int((ok & keep).sum())
        tot += int(keep.sum())
    return good / max(tot, 1)


def _check(res):
    "Reload every file written with tifffile/Pillow; check dtypes, shapes, values, splits.  Returns a list of problems."
    bad = []
    root = Path(res["root"])
    for it in res["items"]:
        img = read_image(it["image"])
        if str(img.dtype) != res["dtype"] or img.shape != _image_shape(res, it):
            bad.append(f"{it['image']}: {img.dtype} {img.shape}")
        if res.get("multilabel"):
            gt = it["labels"]
            png = _labels_of(res, it)
            for c in res["classes"]:
                m = Image.open(it["mask"][c])
                if m.mode != "L" or _values_in(np.array(m)) not in ([0], [0, it["mask_max"]], [it["mask_max"]]):
                    bad.append(f"{it['mask'][c]}: {m.mode} {_values_in(np.array(m))}")
            tif = tifffile.imread(it["mask_tiff"])
            with tifffile.TiffFile(it["mask_tiff"]) as tf:
                n_pages = len(tf.pages)
            if not (png == gt).all() or tif.shape != gt.shape or tif.dtype != np.uint8 \
                    or not (tif.astype(bool) == gt).all() or n_pages != len(res["classes"]) or tif.max() > 1:
                bad.append(f"{it['stem']}: masks differ from labels (tiff {tif.shape} {n_pages} pages)")
        else:
            m = read_mask(it["mask"])
            if m.dtype != np.uint8 or m.shape != tuple(it["size"]) or _values_in(m) != it["classes"]:
                bad.append(f"{it['mask']}: {m.dtype} {m.shape} {_values_in(m)}")
        if it["split"] not in res["splits"] or it["stem"] not in res["splits"][it["split"]]:
            bad.append(f"{it['stem']}: not in splits")
    if any(len(v) == 0 for v in res["splits"].values()) or set(res["splits"]) != {"train", "val", "test"}:
        bad.append(f"splits: {({k: len(v) for k, v in res['splits'].items()})}")
    # split files where the layout has them
    if res["name"] == "sat4":
        for s, p in res["list_files"].items():
            if Path(p).read_text().split() != res["splits"][s]:
                bad.append(f"{p}: wrong stems")
        with tifffile.TiffFile(res["items"][0]["image"]) as tf:
            pg = tf.pages[0]
            if len(tf.pages) != 1 or pg.planarconfig != 2 or pg.samplesperpixel != 4 or pg.photometric != 1:
                bad.append(f"{res['items'][0]['image']}: pages {len(tf.pages)} planar {pg.planarconfig}")
    if res["name"] == "multilabel":
        if Path(res["classes_file"]).read_text().split() != res["classes"]:
            bad.append("classes.txt")
        rows = [l.split(",") for l in Path(res["split_file"]).read_text().splitlines()[1:]]
        if {s: [a for a, b in rows if b == s] for s in res["splits"]} != res["splits"]:
            bad.append("split.csv")
    if res["name"] in ("fluo16", "ct_float"):
        for it in res["items"]:
            with tifffile.TiffFile(it["image"]) as tf:
                if len(tf.pages) != 1 or tf.pages[0].shape != tuple(it["size"]):
                    bad.append(f"{it['image']}: not one 2-D page")
    if res["name"] == "fluo16" and max(int(read_image(it["image"]).max()) for it in res["items"]) > 4095:
        bad.append("fluo16: values above 4095")
    if res["name"] == "ct_float" and min(float(read_image(it["image"]).min()) for it in res["items"]) >= 0:
        bad.append("ct_float: no negative values")
    acc = nearest_level_accuracy(res)
    if acc < 0.95:
        bad.append(f"nearest-level accuracy {acc:.3f}")
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    if size > 2_000_000:
        bad.append(f"{size} bytes on disk")
    return bad


if __name__ == "__main__":
    import time
    if len(sys.argv) < 2:
        sys.exit("usage: python lookalikes_deep.py OUTDIR [SEED]")
    out, seed = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0
    fns = dict(fluo16=make_fluo16, sat4=make_sat4, ct_float=make_ct_float, multilabel=make_multilabel)
    t_all = 0.0
    for name, fn in fns.items():
        t = time.time()
        r = fn(out / name, seed)
        dt = time.time() - t
        t_all += dt
        counts = {s: len(v) for s, v in r["splits"].items()}
        vals = sorted({c for it in r["items"] for c in it["classes"]})
        img = read_image(r["items"][0]["image"])
        kb = sum(p.stat().st_size for p in Path(r["root"]).rglob("*") if p.is_file()) / 1024
        bad = _check(r)
        acc = nearest_level_accuracy(r)
        sizes = sorted({tuple(it["size"]) for it in r["items"]})
        print(f"{name:10s} {len(r['items']):3d} images {counts}  image {img.dtype} {img.shape} "
              f"[{img.min()}..{img.max()}]  sizes {sizes}  mask values {vals}  ignore {r['ignore']}  "
              f"nearest-level {acc:.3f}  {kb:.0f} KB  {dt:.2f}s  {'OK' if not bad else 'PROBLEMS: ' + '; '.join(bad[:3])}")
    print(f"total write time {t_all:.2f}s")
