// Seeing a model and its training: Keras's keras.utils.model_to_dot / plot_model (graphviz, rendered
// in-process through libgvc) and training curves drawn from a History (PLplot).
//
//   utils::plot_model(model, "model.png", utils::PlotModelOptions().with_show_shapes(true));
//   visualization::plot_history(history, "curves.png");
//
// Every file is written atomically: a failed plot leaves the old file as it was.
#pragma once

#include <string>

#include "xkeras/models/model.hpp"
#include "xkeras/options.hpp"
#include "xkeras/training.hpp"

namespace xkeras::utils {

/// keras.utils.plot_model's arguments. show_layer_names defaults to true, as in model_to_dot (Keras 3's
/// plot_model alone defaults it to false).
struct PlotModelOptions {
  XKERAS_OPTION(bool, show_shapes, false)             // "Input shape: (None, 784)" / "Output shape: ..."
  XKERAS_OPTION(bool, show_dtype, false)              // "Output dtype: float32"
  XKERAS_OPTION(bool, show_layer_names, true)         // "dense (Dense)" rather than "Dense"
  XKERAS_OPTION(std::string, rankdir, "TB")           // "TB" top to bottom, "LR" left to right (also "BT", "RL")
  XKERAS_OPTION(bool, expand_nested, false)           // nested models drawn as dashed clusters of their layers
  XKERAS_OPTION(int, dpi, 200)                        // resolution of PNG output (1 to 1200)
  XKERAS_OPTION(bool, show_layer_activations, false)  // "Activation: relu" for layers with an activation
  XKERAS_OPTION(bool, show_trainable, false)          // "Trainable" / "Non-trainable" for layers with weights
  XKERAS_OPTION(std::string, splines, "ortho")        // graphviz edge style: ortho, curved, polyline, spline, line
};

/// The model's graph in graphviz's DOT language, as keras.utils.model_to_dot: one node per layer
/// (an HTML-like table label), one edge per connection of the functional graph (Sequential: layer to
/// layer, without the InputLayer). Layer names are escaped, so any name is safe. ValueError when the
/// model has no graph yet (a Sequential without an input shape that was never called) or for a bad option.
std::string model_to_dot(const Model& model, const PlotModelOptions& options = {});

/// keras.utils.plot_model: lays the DOT out with graphviz's dot and writes `to_file` in the format its
/// extension names (.png, .svg, .pdf, .dot, .jpg, ... whatever graphviz renders; none = PNG). Atomic.
/// ValueError for an unknown format, IOError when the file cannot be written.
void plot_model(const Model& model, const std::string& to_file = "model.png", const PlotModelOptions& options = {});

}  // namespace xkeras::utils

namespace xkeras::visualization {

using utils::model_to_dot;
using utils::plot_model;
using utils::PlotModelOptions;

struct PlotHistoryOptions {
  /// Size of the whole picture in pixels (0 = 600 per panel column, 400 per panel row).
  XKERAS_OPTION(int, width, 0)
  XKERAS_OPTION(int, height, 0)
  XKERAS_OPTION(int, columns, 0)  // panels per row (0 = 1 for one panel, else 2)
  XKERAS_OPTION(std::string, title)  // drawn above the panels when not empty
};

/// Training curves: one panel per metric of the History (loss first, then the metrics in the
/// History's order), each with the training values and the "val_" values as two lines against the
/// epoch (1-based), with a title, axis labels and a legend. NaN, Inf and values beyond 1e30 are left out (a
/// line breaks there). The format follows the extension: .png, .svg or .pdf (PLplot's cairo driver).
/// Atomic. ValueError for an empty History, a bad size or an unknown extension.
void plot_history(const History& history, const std::string& path, const PlotHistoryOptions& options = {});

}  // namespace xkeras::visualization
