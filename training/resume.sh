#!/usr/bin/env bash
# Continue training the shipped default network from its checkpoint (network + Adam state).
# Usage: training/resume.sh [TOTAL_STEPS] [MAX_MINUTES]   (from the repository root, venv in .venv)
# CROP_PX, BATCH, THREADS (1 on a busy machine), STYLE_WEIGHT, STYLE_STATISTIC, STYLE_SCALES (one per style, in the order below) and CONTENT_WEIGHT override the recipe's values. Runs at low priority; checkpoints every 5 minutes into training/default.ckpt.*; when it stops
# (steps or minutes reached) it writes training/default.safetensors (fp16), which is copied to
# daemon/stylebridge/models/default.safetensors to ship it.
set -euo pipefail
cd "$(dirname "$0")/.."
STYLES=daemon/stylebridge/data/styles
exec nice -n 10 .venv/bin/stylebridge train \
  --styles $STYLES/{black-white-zigzag,bricks-chevron,composition-vii,great-wave-off-kanagawa,red-texture,shipwreck-of-the-minotaur,starry-night,the-scream,udnie,woman-with-a-hat}.jpg \
  --content ../shared/datasets/train-content --out training/default.safetensors \
  --resume training/default.ckpt.safetensors \
  --size "${CROP_PX:-192}" --batch "${BATCH:-2}" --steps "${1:-20000}" --style-size 512 \
  --content-layer relu4_2 --relative-content --content-weight "${CONTENT_WEIGHT:-3}" \
  --style-layers relu1_1,relu2_1,relu3_1,relu4_1,relu5_1 --style-weight "${STYLE_WEIGHT:-2}" \
  --style-statistic "${STYLE_STATISTIC:-covariance}" --style-scales "${STYLE_SCALES:-1.5,1,1.5,2.5,1,0.8,1,0.7,2,1.2}" \
  --lr 1e-3 --norm-lr 1e-2 --checkpoint-every-s 300 --preview-every-s 600 \
  --crop-cache .train --threads "${THREADS:-2}" ${2:+--max-minutes "$2"}
