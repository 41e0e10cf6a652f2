// Keras's built-in callbacks (keras.callbacks), with Keras 3's arguments, defaults, messages and
// behaviour. Pass them to fit: `model.fit(x, y, FitOptions().with_callbacks({std::make_shared<
// callbacks::EarlyStopping>(callbacks::EarlyStopping::Options().with_patience(3))}))`.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "xkeras/callback.hpp"
#include "xkeras/options.hpp"
#include "xkeras/training.hpp"

namespace xkeras::callbacks {

/// The progress bar and epoch lines (Keras's ProgbarLogger); fit/evaluate/predict add one unless given.
class ProgbarLogger : public Callback {
 public:
  ProgbarLogger();
  ProgbarLogger(ProgbarLogger&&) noexcept;
  ~ProgbarLogger() override;
  void on_train_begin(Logs& logs) override;
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(int batch, Logs& logs) override;
  void on_test_begin(Logs& logs) override;
  void on_test_batch_end(int batch, Logs& logs) override;
  void on_test_end(Logs& logs) override;
  void on_predict_begin(Logs& logs) override;
  void on_predict_batch_end(int batch, Logs& logs) override;
  void on_predict_end(Logs& logs) override;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

/// Stops training after a batch whose loss is NaN or Inf (Keras: the batch's update is applied).
class TerminateOnNaN : public Callback {
 public:
  void on_train_batch_end(int batch, Logs& logs) override;
};

using EpochFn = std::function<void(int epoch, Logs&)>;
using BatchFn = std::function<void(int batch, Logs&)>;
using TrainFn = std::function<void(Logs&)>;

struct LambdaCallbackOptions {
  XKERAS_OPTION(EpochFn, on_epoch_begin)
  XKERAS_OPTION(EpochFn, on_epoch_end)
  XKERAS_OPTION(BatchFn, on_train_batch_begin)
  XKERAS_OPTION(BatchFn, on_train_batch_end)
  XKERAS_OPTION(TrainFn, on_train_begin)
  XKERAS_OPTION(TrainFn, on_train_end)
};

/// Callbacks from functions (Keras's LambdaCallback); unset ones do nothing.
class LambdaCallback : public Callback {
 public:
  using Options = LambdaCallbackOptions;
  explicit LambdaCallback(Options o) : o_(std::move(o)) {}
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_begin(int batch, Logs& logs) override;
  void on_train_batch_end(int batch, Logs& logs) override;
  void on_train_begin(Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  Options o_;
};

struct EarlyStoppingOptions {
  XKERAS_OPTION(std::string, monitor, "val_loss")
  XKERAS_OPTION(double, min_delta, 0.0)  // smaller changes do not count as improvements
  XKERAS_OPTION(int, patience, 0)        // epochs without improvement before stopping
  XKERAS_OPTION(int, verbose, 0)
  XKERAS_OPTION(std::string, mode, "auto")  // "min", "max", or from the monitored name
  XKERAS_OPTION(std::optional<double>, baseline)
  XKERAS_OPTION(bool, restore_best_weights, false)
  XKERAS_OPTION(int, start_from_epoch, 0)
};

/// Stops training when `monitor` has stopped improving (Keras's EarlyStopping).
class EarlyStopping : public Callback {
 public:
  using Options = EarlyStoppingOptions;
  explicit EarlyStopping(Options o = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }
  int wait() const { return wait_; }
  std::optional<double> best() const { return best_; }

 private:
  bool is_improvement(double value, std::optional<double> reference) const;
  Options o_;
  int direction_ = 0;  // -1 lower is better, +1 higher; 0 until the first epoch end
  double min_delta_;
  int wait_ = 0, stopped_epoch_ = 0, best_epoch_ = 0;
  std::optional<double> best_;
  std::vector<Array> best_weights_;
  bool have_best_weights_ = false;
};

struct ModelCheckpointOptions {
  XKERAS_OPTION(std::string, monitor, "val_loss")
  XKERAS_OPTION(int, verbose, 0)
  XKERAS_OPTION(bool, save_best_only, false)
  XKERAS_OPTION(bool, save_weights_only, false)  // then the path must end in ".weights.h5"
  XKERAS_OPTION(std::string, mode, "auto")
  XKERAS_OPTION(std::optional<double>, initial_value_threshold)
};

/// Saves the model or its weights at the end of every epoch (Keras's ModelCheckpoint). The path may
/// hold Python format fields filled from the epoch (1-based) and the logs: "ckpt_{epoch:02d}_{val_loss:.2f}.keras".
class ModelCheckpoint : public Callback {
 public:
  using Options = ModelCheckpointOptions;
  /// ValueError unless the path ends in ".keras" (".weights.h5" with save_weights_only), as in Keras 3.
  explicit ModelCheckpoint(std::string filepath, Options o = {});
  void on_epoch_end(int epoch, Logs& logs) override;
  /// The file name for an epoch (0-based) and its logs.
  std::string file_path(int epoch, const Logs& logs) const;
  double best() const { return best_; }

 private:
  std::string filepath_;
  Options o_;
  int direction_;  // -1 lower is better, +1 higher
  double best_;
};

struct ReduceLROnPlateauOptions {
  XKERAS_OPTION(std::string, monitor, "val_loss")
  XKERAS_OPTION(double, factor, 0.1)  // must be < 1
  XKERAS_OPTION(int, patience, 10)
  XKERAS_OPTION(int, verbose, 0)
  XKERAS_OPTION(std::string, mode, "auto")
  XKERAS_OPTION(double, min_delta, 1e-4)
  XKERAS_OPTION(int, cooldown, 0)  // epochs after a reduction during which nothing is counted
  XKERAS_OPTION(double, min_lr, 0.0)
};

/// Multiplies the learning rate by `factor` when `monitor` stops improving (Keras's ReduceLROnPlateau).
/// Adds "learning_rate" to every epoch's logs.
class ReduceLROnPlateau : public Callback {
 public:
  using Options = ReduceLROnPlateauOptions;
  explicit ReduceLROnPlateau(Options o = {});
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  int wait() const { return wait_; }
  int cooldown_counter() const { return cooldown_counter_; }

 private:
  void reset();
  Options o_;
  bool lower_is_better_ = true;
  double best_ = 0;
  int wait_ = 0, cooldown_counter_ = 0;
};

/// Sets the learning rate at the start of each epoch from `schedule(epoch, current_lr)` (Keras's
/// LearningRateScheduler); adds "learning_rate" to every epoch's logs.
class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double lr)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  void on_epoch_begin(int epoch, Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

/// Streams each epoch's logs to a CSV file (Keras's CSVLogger: "epoch" then the keys sorted, "\r\n" lines,
/// Python's number formatting, "NA" for missing values).
class CSVLogger : public Callback {
 public:
  explicit CSVLogger(std::string filename, std::string separator = ",", bool append = false);
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  std::string filename_, sep_;
  bool append_, append_header_ = true;
  std::ofstream file_;
  std::vector<std::string> keys_;
  bool have_keys_ = false;
};

/// Backs up the weights, optimizer state and epoch at the end of each epoch in `backup_dir`, and resumes
/// from them when fit starts again after an interruption (Keras's BackupAndRestore). The backup is deleted
/// when training ends normally (unless delete_checkpoint is false).
class BackupAndRestore : public Callback {
 public:
  explicit BackupAndRestore(std::string backup_dir, bool double_checkpoint = false, bool delete_checkpoint = true);
  void on_train_begin(Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(Logs& logs) override;

 private:
  void load();
  std::string dir_, weights_path_, metadata_path_;
  bool double_checkpoint_, delete_checkpoint_;
};

/// Python's str(float) (repr): the shortest digits that read back the same, "1e-05", "0.1", "3.0", "nan".
/// Exposed because CSVLogger, ModelCheckpoint and their tests use it.
std::string python_float_str(double v);
/// Python's str.format for "{name}" / "{name:spec}" fields (spec: [[fill]align][sign][0][width][.prec][type]
/// with types d, f, e, g, s, %); `value_of` returns the field's value or nullopt (then KeyError-like ValueError).
std::string python_format(const std::string& pattern, const std::function<std::optional<double>(const std::string&)>& value_of,
                          const std::function<bool(const std::string&)>& is_int);

}  // namespace xkeras::callbacks
