// Keras 3's BackupAndRestore (keras/src/callbacks/backup_and_restore.py) with save_freq="epoch":
// <backup_dir>/latest.weights.h5 (the weights and, for a compiled model, the optimizer's state, as
// save_weights writes them) and training_metadata.json ({"epoch": next epoch, "batch": 0}). fit resumes at
// that epoch through ModelImpl::resume_epoch (Keras's model._initial_epoch).
#include <filesystem>

#include "saving/atomic_write.hpp"
#include "xkeras/distributed.hpp"
#include "xkeras/callbacks.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::callbacks {

namespace fs = std::filesystem;

BackupAndRestore::BackupAndRestore(std::string backup_dir, bool double_checkpoint, bool delete_checkpoint)
    : dir_(std::move(backup_dir)), double_checkpoint_(double_checkpoint), delete_checkpoint_(delete_checkpoint) {
  if (dir_.empty()) throw ValueError("BackupAndRestore: empty `backup_dir` argument passed");
  weights_path_ = (fs::path(dir_) / "latest.weights.h5").string();
  metadata_path_ = (fs::path(dir_) / "training_metadata.json").string();
}

void BackupAndRestore::load() {
  Model m = model();
  if (!m->has_graph())
    throw ValueError("To use the BackupAndRestore callback, your model must be built before you call fit(): give its "
                     "Input shape, or call the model once on data");
  if (fs::exists(weights_path_)) m.load_weights(weights_path_);
  if (fs::exists(metadata_path_)) {
    const std::string text = saving::read_file(metadata_path_);
    const json meta = json::parse(text, nullptr, false);
    if (meta.is_discarded() || !meta.is_object() || !meta.contains("epoch") || !meta["epoch"].is_number_integer() ||
        meta["epoch"].get<long long>() < 0 || meta["epoch"].get<long long>() > 1000000000)
      throw ConfigError(metadata_path_ + ": epoch", "expected {\"epoch\": <non-negative integer>, ...}, got " + text.substr(0, 200));
    m->resume_epoch = meta["epoch"].get<int>();
  }
}

// Data-parallel training: rank 0 alone reads and writes the backup; fit then broadcasts the restored
// weights, optimizer state and epoch to the other ranks.
void BackupAndRestore::on_train_begin(Logs&) {
  if (!distributed::is_chief()) return;
  try {
    load();
  } catch (const std::runtime_error&) {  // ConfigError, IOError: a file that does not read
    // The latest backup may be damaged (a crash while writing it): fall back on the previous one, as Keras.
    const std::string prev_w = weights_path_ + ".bkp", prev_m = metadata_path_ + ".bkp";
    if (!fs::exists(prev_w)) throw;
    fs::copy_file(prev_w, weights_path_, fs::copy_options::overwrite_existing);
    if (fs::exists(prev_m)) fs::copy_file(prev_m, metadata_path_, fs::copy_options::overwrite_existing);
    else fs::remove(metadata_path_);
    load();
  }
}

void BackupAndRestore::on_epoch_end(int epoch, Logs&) {
  if (!distributed::is_chief()) return;
  std::error_code ec;
  fs::create_directories(dir_, ec);
  if (ec) throw IOError("BackupAndRestore: cannot create " + dir_ + ": " + ec.message());
  if (double_checkpoint_ && fs::exists(weights_path_))
    fs::copy_file(weights_path_, weights_path_ + ".bkp", fs::copy_options::overwrite_existing);
  if (double_checkpoint_ && fs::exists(metadata_path_))
    fs::copy_file(metadata_path_, metadata_path_ + ".bkp", fs::copy_options::overwrite_existing);
  model().save_weights(weights_path_);
  saving::atomic_write(metadata_path_, json{{"epoch", epoch + 1}, {"batch", 0}}.dump());
}

void BackupAndRestore::on_train_end(Logs&) {
  if (!delete_checkpoint_ || !distributed::is_chief()) return;
  // Only the files this callback writes: backup_dir may be a folder the user also keeps other things in.
  for (const auto& p : {weights_path_, metadata_path_, weights_path_ + ".bkp", metadata_path_ + ".bkp"}) fs::remove(p);
  std::error_code ec;
  fs::remove(dir_, ec);  // only if now empty
}

}  // namespace xkeras::callbacks
