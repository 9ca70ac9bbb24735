# sourced on the device: wheels into /tmp/site, isn importable and its commands installed; prints what is tested
python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 1
export PYTHONPATH=/tmp/site:$PWD PATH=/tmp/site/bin:$PATH PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps --no-build-isolation --no-index -e . >/tmp/pipe.log 2>&1 || { echo 'pip -e failed'; tail -5 /tmp/pipe.log; }
echo "tree sha1: $(find nbs isn -type f \( -name '*.ipynb' -o -name '*.py' \) | LC_ALL=C sort | xargs sha1sum | sha1sum)"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
python3 -c "import torch, fastai, segmentation_models_pytorch as smp, nbdev; print('torch', torch.__version__, 'cudnn', torch.backends.cudnn.version(), 'fastai', fastai.__version__, 'smp', smp.__version__, 'nbdev', nbdev.__version__)"
