// Keras's generic RNN(cell) with one SimpleRNNCell / LSTMCell / GRUCell: read as the matching
// SimpleRNN / LSTM / GRU layer (the same math and weights; it is written back as that class).
// StackedRNNCells, a list of cells and user cells are refused with the JSON path.
#include "xkeras/config.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layers/gru.hpp"
#include "xkeras/layers/lstm.hpp"
#include "xkeras/layers/simple_rnn.hpp"
#include "xkeras/registry.hpp"

namespace xkeras::layers {
namespace {

LayerPtr rnn_from_config(const json& config, const std::string& path) {
  ConfigReader r(config, path);
  const json& cell = r.raw("cell");
  const std::string cell_path = r.path("cell");
  if (!cell.is_object() || !cell.contains("class_name") || !cell["class_name"].is_string() ||
      !cell.contains("config") || !cell["config"].is_object())
    throw ConfigError(cell_path, "expected one cell object {\"class_name\": ..., \"config\": {...}}, got " + shown(cell));
  const std::string cls = cell["class_name"].get<std::string>();
  // The cell's own keys, then the RNN's arguments (and its name) over them.
  json flat = cell["config"];
  for (auto it = config.begin(); it != config.end(); ++it)
    if (it.key() != "cell") flat[it.key()] = it.value();
  if (cls == "LSTMCell") return LSTMImpl::from_config(flat, path);
  if (cls == "GRUCell") return GRUImpl::from_config(flat, path);
  if (cls == "SimpleRNNCell") return SimpleRNNImpl::from_config(flat, path);
  throw ConfigError(cell_path + ".class_name", "RNN reads one SimpleRNNCell, LSTMCell or GRUCell; \"" + cls +
                                                   "\" is not supported");
}

const bool registered_rnn = register_layer("RNN", rnn_from_config);

}  // namespace
}  // namespace xkeras::layers
