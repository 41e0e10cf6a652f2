// Keras 1 spelled most layer arguments differently (output_dim, nb_filter, border_mode, p, init, ...).
// Keras 2 read them through its legacy interfaces; this is the same mapping, applied to the config of a
// file that Keras 1 wrote, before the layer's own reader sees it.
#pragma once

#include <string>

#include "xkeras/json.hpp"

namespace xkeras::saving {

/// The Keras 2 class name of a Keras 1 class ("AtrousConvolution2D" -> "Conv2D"), or `class_name`.
std::string keras1_class_name(const std::string& class_name);

/// `config` with Keras 1's keys renamed to Keras 2's where the meaning is the same. Values that have no
/// Keras 2 meaning (border_mode "full", BatchNormalization mode 1 or 2) raise ConfigError at `path`.
json upgrade_keras1_config(const std::string& class_name, const json& config, const std::string& path);

}  // namespace xkeras::saving
