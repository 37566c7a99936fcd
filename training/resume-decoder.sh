#!/usr/bin/env bash
# Train, or continue training, the relu4_1 feature decoder of the arbitrary-style path (--fast).
# Usage: training/resume-decoder.sh [TOTAL_STEPS] [MAX_MINUTES]   (from the repository root, venv in .venv)
# Starts fresh when training/decoder-relu4_1.ckpt.safetensors does not exist, else resumes it
# (decoder + Adam state). THREADS (1 on a busy machine), BATCH, CROP_PX and LR override the recipe.
# Runs at low priority; checkpoints and a preview (photo | reconstruction | Starry Night by WCT)
# every 5 minutes; `kill` (SIGTERM) stops it after the current step with everything written.
# When it stops it writes training/decoder-relu4_1.safetensors (fp16), which is copied to
# daemon/stylebridge/models/ to ship it.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=training/decoder-relu4_1.safetensors
CKPT=training/decoder-relu4_1.ckpt.safetensors
RESUME=()
[[ -f $CKPT ]] && RESUME=(--resume "$CKPT")
exec nice -n 10 .venv/bin/stylebridge train-decoder \
  --content ../shared/datasets/train-content --out $OUT "${RESUME[@]}" \
  --level relu4_1 --widths 256,128,64,32 \
  --size "${CROP_PX:-128}" --batch "${BATCH:-4}" --steps "${1:-20000}" --lr "${LR:-1e-3}" \
  --feature-weight 0.1 --checkpoint-every-s 300 \
  --crop-cache .train --threads "${THREADS:-1}" ${2:+--max-minutes "$2"}
