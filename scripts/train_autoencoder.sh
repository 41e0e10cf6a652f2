#!/usr/bin/env bash
# Quick start 1: set everything up, then train the seed-004 autoencoder on Fashion-MNIST
# (5 epochs on the 60 000 training images), report the test MSE, save the model JSON and three
# PNGs into ./out/: the training curves, test images above their reconstructions, the model's graph.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
source scripts/blas_env.sh
mkdir -p out
exec ./build/examples/autoencoder --out out "$@"
