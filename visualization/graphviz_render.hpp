// graphviz's C API behind a narrow door: its headers define macros (MIN, MAX, SQRT2, ...) that
// break xtensor, so only graphviz_render.cpp includes them.
#pragma once

#include <string>

namespace xkeras::visualization {

/// Lays `dot` out with graphviz's dot engine and renders it in `format` ("png", "svg", "pdf", "dot",
/// ...), in memory. ValueError (with graphviz's messages) when the text does not parse or graphviz
/// has no renderer for the format. One render at a time: graphviz keeps global state.
std::string render_dot(const std::string& dot, const std::string& format);

}  // namespace xkeras::visualization
