// Keras 3's ModelCheckpoint (keras/src/callbacks/model_checkpoint.py) with save_freq="epoch": the path is
// formatted with the epoch (1-based) and the logs, its folder created, and the model saved through
// Model::save / save_weights, which write atomically.
#include <filesystem>
#include <iostream>
#include <limits>

#include "callbacks/monitor.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::callbacks {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ModelCheckpoint::ModelCheckpoint(std::string filepath, Options o) : filepath_(std::move(filepath)), o_(std::move(o)) {
  if (o_.save_weights_only && !ends_with(filepath_, ".weights.h5"))
    throw ValueError("When using `save_weights_only=true` in `ModelCheckpoint`, the filepath provided must end in "
                     "`.weights.h5` (Keras weights format). Received: filepath=" + filepath_);
  if (!o_.save_weights_only && !ends_with(filepath_, ".keras") && !ends_with(filepath_, ".h5"))
    throw ValueError("The filepath provided must end in `.keras` (Keras model format). Received: filepath=" + filepath_);
  if (o_.mode != "auto" && o_.mode != "min" && o_.mode != "max") {
    std::cerr << "WARNING: ModelCheckpoint mode '" << o_.mode << "' is unknown, fallback to auto mode.\n";
    o_.mode = "auto";
  }
  direction_ = monitor_direction(o_.monitor, o_.mode, "ModelCheckpoint");
  if (direction_ == 0) direction_ = -1;  // Keras 3.0's rule for other names: lower is better
  best_ = o_.initial_value_threshold ? *o_.initial_value_threshold
                                     : (direction_ > 0 ? -std::numeric_limits<double>::infinity()
                                                       : std::numeric_limits<double>::infinity());
}

std::string ModelCheckpoint::file_path(int epoch, const Logs& logs) const {
  return python_format(
      filepath_,
      [&](const std::string& name) -> std::optional<double> {
        if (name == "epoch") return epoch + 1;
        if (logs.contains(name)) return logs.at(name);
        return std::nullopt;
      },
      [](const std::string& name) { return name == "epoch"; });
}

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
  const std::string path = file_path(epoch, logs);
  // Data-parallel training: every rank tracks the best value (the logs are the same everywhere); rank 0
  // alone prints and writes, and fit holds the others at a barrier until it has.
  const bool chief = distributed::is_chief();
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty() && chief) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw IOError("ModelCheckpoint: cannot create the folder " + dir.string() + ": " + ec.message());
  }
  char buf[128];
  if (o_.save_best_only) {
    if (!logs.contains(o_.monitor)) {
      if (chief) std::cerr << "WARNING: Can save best model only with " << o_.monitor << " available, skipping.\n";
      return;
    }
    const double current = logs.at(o_.monitor);
    const bool better = direction_ > 0 ? current > best_ : current < best_;
    if (!better) {
      if (o_.verbose > 0 && chief) {
        std::snprintf(buf, sizeof buf, "%.5f", best_);
        std::cout << "\nEpoch " << epoch + 1 << ": " << o_.monitor << " did not improve from " << buf << "\n" << std::flush;
      }
      return;
    }
    if (o_.verbose > 0 && chief) {
      std::snprintf(buf, sizeof buf, "%.5f to %.5f", best_, current);
      std::cout << "\nEpoch " << epoch + 1 << ": " << o_.monitor << " improved from " << buf << ", saving model to " << path
                << "\n" << std::flush;
    }
    best_ = current;
  } else if (o_.verbose > 0 && chief) {
    std::cout << "\nEpoch " << epoch + 1 << ": saving model to " << path << "\n" << std::flush;
  }
  if (!chief) return;
  if (o_.save_weights_only) model().save_weights(path);
  else model().save(path);
}

}  // namespace xkeras::callbacks
