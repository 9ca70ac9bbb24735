"""The original project's way of making the dataset, rebuilt from its description, as the baseline for `bench/datagen.py`.

Sequential, one process, PIL: for each image a white RGB canvas and an 'L' mask; 5 to 10 shapes, each a rectangle or an
ellipse with even odds, filled pure red, green or blue, sides uniform in [min_shape_px, max_shape_px], fully inside the
image; rectangles are painted white into the mask in full; both saved with PIL's default PNG settings.
Usage: python bench/pil_baseline.py OUT_DIR NUM_IMAGES [HEIGHT WIDTH MIN_PX MAX_PX]
"""
import random, sys
from pathlib import Path
from PIL import Image, ImageDraw

def main(out, n, height=256, width=256, min_px=30, max_px=50):
    out = Path(out); (out/'images').mkdir(parents=True, exist_ok=True); (out/'masks').mkdir(parents=True, exist_ok=True)
    for i in range(1, n+1):
        img = Image.new('RGB', (width, height), 'white'); msk = Image.new('L', (width, height), 0)
        di, dm = ImageDraw.Draw(img), ImageDraw.Draw(msk)
        for _ in range(random.randint(5, 10)):
            w, h = random.randint(min_px, max_px), random.randint(min_px, max_px)
            x, y = random.randint(0, width-w), random.randint(0, height-h)
            box, fill = [x, y, x+w-1, y+h-1], random.choice(['red', 'green', 'blue'])
            if random.random() < 0.5: di.rectangle(box, fill=fill); dm.rectangle(box, fill=255)
            else: di.ellipse(box, fill=fill)
        img.save(out/'images'/f'{i}_image.png'); msk.save(out/'masks'/f'{i}_mask.png')

if __name__ == '__main__': main(sys.argv[1], *map(int, sys.argv[2:]))
