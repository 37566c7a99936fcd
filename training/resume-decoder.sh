#!/usr/bin/env bash
# Train, or continue training, a feature decoder of the arbitrary-style path (--fast).
# Usage: [LEVEL=relu3_1] training/resume-decoder.sh [TOTAL_STEPS] [MAX_MINUTES]
#   (from the repository root, venv in .venv). LEVEL is relu4_1 (the single-level decoder) or
#   relu3_1 / relu2_1 / relu1_1 (the finer levels of the multi-level transform); each has its own
#   files training/decoder-LEVEL.*.
# Starts fresh when training/decoder-LEVEL.ckpt.safetensors does not exist, else resumes it
# (decoder + Adam state). THREADS (1 on a busy machine), BATCH, CROP_PX and LR override the recipe
# (relu4_1, whose checkpoint is on it: 256 px crops, batch 2, lr 5e-4; the finer levels: 128 px,
# batch 4, lr 1e-3); TRANSFER_WEIGHT (default 0) weighs the photo-to-photo WCT error
# (core/decoder_training.transfer_errors; 0.1 measured worse for relu4_1, benchmarks/RESULTS.md);
# TEXTURE_WEIGHT (default 0) weighs the texture error of that photo-to-photo WCT result.
# Runs at low priority; checkpoints and a preview (photo | reconstruction | Starry Night by WCT)
# every 5 minutes; `kill` (SIGTERM) stops it after the current step with everything written.
# When it stops it writes training/decoder-LEVEL.safetensors (fp16), which is copied to
# daemon/stylebridge/models/ to ship it.
set -euo pipefail
cd "$(dirname "$0")/.."
LEVEL=${LEVEL:-relu4_1}
CROP=128; BATCH_SIZE=4; RATE=1e-3
case $LEVEL in
  relu4_1) WIDTHS=256,128,64,32; CROP=256; BATCH_SIZE=2; RATE=5e-4 ;;
  relu3_1) WIDTHS=128,64,32 ;;
  relu2_1) WIDTHS=64,32 ;;
  relu1_1) WIDTHS=32 ;;
  *) echo "LEVEL must be relu4_1, relu3_1, relu2_1 or relu1_1, got $LEVEL" >&2; exit 2 ;;
esac
OUT=training/decoder-$LEVEL.safetensors
CKPT=training/decoder-$LEVEL.ckpt.safetensors
RESUME=()
[[ -f $CKPT ]] && RESUME=(--resume "$CKPT")
exec nice -n 10 .venv/bin/stylebridge train-decoder \
  --content ../shared/datasets/train-content --out "$OUT" "${RESUME[@]}" \
  --level "$LEVEL" --widths "$WIDTHS" \
  --size "${CROP_PX:-$CROP}" --batch "${BATCH:-$BATCH_SIZE}" --steps "${1:-20000}" --lr "${LR:-$RATE}" \
  --feature-weight 0.1 --transfer-weight "${TRANSFER_WEIGHT:-0}" \
  --texture-weight "${TEXTURE_WEIGHT:-0}" --checkpoint-every-s 300 \
  --crop-cache .train --threads "${THREADS:-1}" ${2:+--max-minutes "$2"}
