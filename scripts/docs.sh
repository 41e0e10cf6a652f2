#!/usr/bin/env bash
# Builds the API reference from the public headers with doxygen (docs/Doxyfile), installing Debian's doxygen
# first if it is missing: open build/docs/html/index.html. Warnings go to build/docs/doxygen-warnings.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v doxygen >/dev/null; then
  echo "xkeras docs: installing doxygen"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq doxygen >/dev/null
fi

mkdir -p build/docs
rm -rf build/docs/html
export XKERAS_VERSION
XKERAS_VERSION=$(sed -n 's/^project(xkeras VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
doxygen docs/Doxyfile
warnings=$(grep -c 'warning:' build/docs/doxygen-warnings.log || true)
echo "xkeras docs: build/docs/html/index.html (${warnings} warnings in build/docs/doxygen-warnings.log)"
