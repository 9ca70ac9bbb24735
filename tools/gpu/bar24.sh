# Run from the repo root on the device machine, with `.whl` carried: `bash tools/gpu/bar24.sh`
# on the device: issue 24's GPU bar, the full preset of isn_pipeline on generated 4-band uint16 data and on generated
# multi-label data (defaults otherwise), and what the resident loader holds of the 16-bit data; then, in the time left,
# the GPU outputs of the notebooks with `cuda` cells (outs.sh)
source tools/gpu/setup.sh
t0=$SECONDS
isn_pipeline --preset full --channels 4 --dtype uint16 --data_dir /tmp/d4 --out_dir /tmp/w4 2>&1 | grep -v '^[0-9]\+ ' | tail -30
python3 - <<'PY'
import torch
from isn.data import seg_dataloaders, decoded_bytes, load_metadata
dls = seg_dataloaders('/tmp/d4/preprocessed', 32, log=print)
x, df = dls.train.images, load_metadata('/tmp/d4/preprocessed')[0]
n = len(df[df.split.isin(['train', 'valid'])])
print(f'resident images {tuple(x.shape)} {x.dtype} on {x.device}: {x.element_size()} bytes a value; '
      f'{x.numel()*x.element_size()/x[..., 0].numel():.0f} bytes a pixel over {x.shape[-1]} channels')
PY
echo "4-band uint16 done at $((SECONDS-t0)) s"
isn_pipeline --preset full --multilabel --data_dir /tmp/dml --out_dir /tmp/wml 2>&1 | grep -v '^[0-9]\+ ' | tail -30
echo "multi-label done at $((SECONDS-t0)) s"
