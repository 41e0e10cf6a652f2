// The Callback base class and the Logs it receives (Keras's keras.callbacks.Callback).
//
// fit, evaluate and predict call every hook in the order of Keras 3's CallbackList: the user's
// callbacks in the order given, then History and the progress bar (ProgbarLogger), which fit adds
// unless the list already holds one. A callback reads the model through model() and may stop training
// with model().set_stop_training(true).
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "xkeras/json.hpp"
#include "xkeras/tensor.hpp"

namespace xkeras {

class Model;
class ModelImpl;

/// Keras's logs dict: ordered (name, value) pairs ("loss", metrics, then "val_..."). Callbacks may add
/// entries (ReduceLROnPlateau adds "learning_rate"), which later callbacks and History see.
class Logs : public std::vector<std::pair<std::string, double>> {
 public:
  using vector::vector;
  bool contains(const std::string& key) const;
  /// The value of `key`; ValueError naming the keys present when it is missing.
  double at(const std::string& key) const;
  /// Replaces the value of `key`, or appends it.
  void set(const std::string& key, double value);
  /// predict's outputs for the batch (on_predict_batch_end only), as Keras's logs["outputs"].
  Tensors outputs;
};

namespace callbacks {

class Callback {
 public:
  virtual ~Callback() = default;

  /// The model that fit/evaluate/predict runs (ValueError before any of them set it).
  Model model() const;
  /// {"verbose", "epochs", "steps"}, as Keras's params.
  const json& params() const { return params_; }
  void set_model(const std::shared_ptr<ModelImpl>& model) { model_ = model; }
  void set_params(json params) { params_ = std::move(params); }

  virtual void on_train_begin(Logs& logs) {}
  virtual void on_train_end(Logs& logs) {}
  virtual void on_epoch_begin(int epoch, Logs& logs) {}
  virtual void on_epoch_end(int epoch, Logs& logs) {}
  virtual void on_train_batch_begin(int batch, Logs& logs) {}
  virtual void on_train_batch_end(int batch, Logs& logs) {}
  virtual void on_test_begin(Logs& logs) {}
  virtual void on_test_end(Logs& logs) {}
  virtual void on_test_batch_begin(int batch, Logs& logs) {}
  virtual void on_test_batch_end(int batch, Logs& logs) {}
  virtual void on_predict_begin(Logs& logs) {}
  virtual void on_predict_end(Logs& logs) {}
  virtual void on_predict_batch_begin(int batch, Logs& logs) {}
  virtual void on_predict_batch_end(int batch, Logs& logs) {}

 private:
  std::weak_ptr<ModelImpl> model_;  // weak: a callback kept by the user must not keep the model alive
  json params_ = json::object();
};

using CallbackPtr = std::shared_ptr<Callback>;

/// One entry of a callback list: a shared callback the caller keeps (to read it after fit), or a callback
/// given by value, which the list then owns, as Keras's `callbacks=[EarlyStopping(patience=2)]`:
///   FitOptions().with_callbacks({callbacks::CSVLogger("log.csv"), my_shared_recorder})
class CallbackRef {
 public:
  template <class T, std::enable_if_t<std::is_base_of_v<Callback, T>, int> = 0>
  CallbackRef(std::shared_ptr<T> callback) : ptr_(std::move(callback)) {}  // NOLINT: implicit by design
  template <class T, std::enable_if_t<std::is_base_of_v<Callback, std::decay_t<T>>, int> = 0>
  CallbackRef(T&& callback) : ptr_(std::make_shared<std::decay_t<T>>(std::forward<T>(callback))) {}  // NOLINT
  const CallbackPtr& ptr() const { return ptr_; }

 private:
  CallbackPtr ptr_;
};

}  // namespace callbacks
}  // namespace xkeras
