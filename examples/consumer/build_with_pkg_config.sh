#!/bin/sh
# The same program built with pkg-config instead of CMake. For an xkeras installed outside the system's
# paths, point PKG_CONFIG_PATH at its <prefix>/lib/pkgconfig (or lib/<multiarch>/pkgconfig under /usr).
#   ./build_with_pkg_config.sh [output]      (default: ./consumer_pc)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-consumer_pc}
libdir=$(pkg-config --variable=libdir xkeras)
# -rpath: the program finds libxkeras.so where pkg-config found it, without LD_LIBRARY_PATH.
${CXX:-g++} -O2 -o "$out" "$here/main.cpp" $(pkg-config --cflags --libs xkeras) -Wl,-rpath,"$libdir"
