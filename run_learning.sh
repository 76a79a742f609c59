#!/usr/bin/env bash
# The design documents' entry point, kept as a thin wrapper over `redheart train`:
#   bash run_learning.sh unified-test --samples 3 --debug --verbose
#   bash run_learning.sh train-local --samples 3 --debug --verbose
#   bash run_learning.sh train-cloud --full-dataset        (under torchrun for several processes)
set -euo pipefail
if command -v redheart >/dev/null 2>&1; then
  exec redheart train "$@"
fi
exec python -m redheart.cli train "$@"
