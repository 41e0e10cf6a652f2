// keras.utils.plot_model: model_to_dot's text laid out and rendered by graphviz in this process
// (visualization/graphviz_render.cpp), then written atomically.
#include <algorithm>
#include <cctype>

#include "saving/atomic_write.hpp"
#include "visualization/graphviz_render.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/visualization.hpp"

namespace xkeras::utils {

namespace {

// Keras: the extension names the format, PNG when there is none.
std::string format_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "png";
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (ext.empty()) return "png";
  for (char c : ext)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw ValueError("plot_model: cannot tell the format from the extension of \"" + path +
                       "\" (expected .png, .svg, .pdf, .dot or another format graphviz renders)");
  return ext;
}

}  // namespace

void plot_model(const Model& model, const std::string& to_file, const PlotModelOptions& options) {
  const std::string format = format_of(to_file);
  const std::string data = visualization::render_dot(model_to_dot(model, options), format);
  saving::atomic_write(to_file, data);
}

}  // namespace xkeras::utils
