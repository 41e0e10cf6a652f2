// Model: a functional graph of layer calls (Keras's Functional), callable as a layer, with
// compile/fit/evaluate/predict, summary and JSON. Copies of a Model share one model.
//
// Threads (tests/threads, run under ThreadSanitizer by scripts/check.sh):
// - predict (and eager calls in inference mode) on one model from several threads at once is safe
//   and gives what one thread gives, also for the first call that builds a Sequential without an
//   input shape (one thread builds, the others wait).
// - Independent models train in parallel threads; each draws its shuffling and Dropout masks from
//   its own streams, so the results equal training them one after the other.
// - Not safe at the same time as anything else on the same model: fit / train_on_batch / evaluate
//   (they set the weights' gradient flags and optimizer state), compile, set_weights, and building
//   graphs (symbolic calls, Sequential::add/pop) with layers that another thread uses.
#pragma once

#include <atomic>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "xkeras/compile_options.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/losses.hpp"
#include "xkeras/metrics.hpp"
#include "xkeras/optimizers.hpp"
#include "xkeras/training.hpp"

namespace xkeras {

struct CompiledState;  // optimizer, losses, metrics (models/compiled_state.hpp)
namespace data {
class Dataset;  // xkeras/data.hpp
}

class ModelImpl : public Layer {
 public:
  ModelImpl(const KerasTensors& inputs, const KerasTensors& outputs, std::string name = "");
  ~ModelImpl() override;

  const KerasTensors& inputs() const { return inputs_; }
  const KerasTensors& outputs() const { return outputs_; }
  /// Every layer of the graph, InputLayers included, each once, in Keras's order (the depth order of
  /// map_graph: inputs first, then by depth; weights() and get_weights() follow it).
  virtual std::vector<LayerPtr> layers() const;
  LayerPtr get_layer(const std::string& name) const;
  /// The graph's nodes (layer calls) in execution order; InputLayer nodes first.
  const std::vector<std::shared_ptr<Node>>& nodes() const { return nodes_; }
  /// True once the graph exists (a Sequential without an input shape builds it on its first call).
  bool has_graph() const { return graph_ready_.load(std::memory_order_acquire); }

  Tensors call_list(const Tensors& xs, bool training) override;
  /// Inputs go to the InputLayers as given; each converts to its own dtype.
  bool accepts_int_inputs() const override { return true; }
  std::vector<TensorShape> compute_output_shape(const std::vector<TensorShape>& input_shapes) override;
  void build_list(const std::vector<TensorShape>& input_shapes) override;
  std::vector<LayerPtr> sublayers() const override;
  json get_config() const override;
  std::string module() const override { return "keras.src.models.functional"; }
  json registered_name() const override { return "Functional"; }
  json build_config() const override;

  CompiledState* compiled() const { return compiled_.get(); }
  void set_compiled(std::shared_ptr<CompiledState> c);

  /// Keras's model.stop_training: a callback sets it to end fit after the current batch or epoch;
  /// fit clears it when it starts.
  std::atomic<bool> stop_training{false};
  /// Keras's model._initial_epoch: BackupAndRestore sets it in on_train_begin to resume fit there.
  std::optional<int> resume_epoch;

  static std::shared_ptr<ModelImpl> from_config(const json& config, const std::string& path);

 protected:
  ModelImpl(std::string class_name, std::string name);  // graph set later (Sequential)
  void set_graph(const KerasTensors& inputs, const KerasTensors& outputs);
  /// Appends one call whose only input is the current single output (Sequential::add): O(1).
  void append_to_graph(const KerasTensor& output);

 private:
  KerasTensors inputs_, outputs_;
  std::vector<std::shared_ptr<Node>> nodes_;
  std::vector<LayerPtr> layer_order_;  // Keras's order of layers() (models/graph_order.hpp)
  std::atomic<bool> graph_ready_{false};  // published after inputs_/outputs_/nodes_ are set
  std::shared_ptr<CompiledState> compiled_;
};

class Model : public Holder<ModelImpl> {
 public:
  Model(const KerasTensor& input, const KerasTensor& output, const std::string& name = "");
  Model(const KerasTensors& inputs, const KerasTensors& outputs, const std::string& name = "");
  Model(const KerasTensors& inputs, const KerasTensor& output, const std::string& name = "");
  Model(std::shared_ptr<ModelImpl> impl) : Holder<ModelImpl>(std::move(impl)) {}  // NOLINT

  // ---- graph
  std::vector<LayerPtr> layers() const { return ptr_->layers(); }
  LayerPtr get_layer(const std::string& name) const { return ptr_->get_layer(name); }
  const std::string& name() const { return ptr_->name(); }
  std::size_t count_params() const { return ptr_->count_params(); }
  std::vector<Array> get_weights() const { return ptr_->get_weights(); }
  void set_weights(const std::vector<Array>& w) const { ptr_->set_weights(w); }

  // ---- training (models/training/*.cpp)
  /// The compiled optimizer (ValueError before compile()).
  Optimizer optimizer() const;
  /// Keras's model.stop_training, for callbacks: true ends fit after the current batch.
  bool stop_training() const { return ptr_->stop_training.load(); }
  void set_stop_training(bool stop) const { ptr_->stop_training.store(stop); }
  void compile(const Optimizer& optimizer, const Loss& loss, const std::vector<Metric>& metrics = {}) const;
  void compile(const Optimizer& optimizer, const std::vector<Loss>& losses, const std::vector<Metric>& metrics = {}) const;
  /// Losses (and metrics) keyed by output layer name, as Keras's dicts.
  void compile(const Optimizer& optimizer, const NamedLosses& losses, const NamedMetrics& metrics = {}) const;
  /// Every compile argument: per-output or named losses, loss_weights, metrics, weighted_metrics.
  void compile(const Optimizer& optimizer, const CompileOptions& options) const;
  History fit(const Tensor& x, const Tensor& y, const FitOptions& options = {}) const;
  History fit(const Tensors& x, const Tensors& y, const FitOptions& options = {}) const;
  /// Several inputs, one output.
  History fit(const Tensors& x, const Tensor& y, const FitOptions& options = {}) const { return fit(x, Tensors{y}, options); }
  /// On a Dataset of batches (models/training/fit_dataset.cpp): each element is {x..., y...} or
  /// {x..., y..., sample_weight} (one tensor per model input, then per output), already batched, as Keras
  /// requires. An epoch runs until the dataset ends, or steps_per_epoch batches (a repeated dataset then goes
  /// on where it stopped). validation_split is refused (Keras: arrays only); sample_weight belongs in the elements.
  History fit(const data::Dataset& dataset, const FitOptions& options = {}) const;
  /// The same, validating on a Dataset at the end of each epoch (Keras's validation_data=dataset; at most
  /// validation_steps batches when > 0).
  History fit(const data::Dataset& dataset, const data::Dataset& validation, const FitOptions& options = {}) const;
  /// evaluate on a Dataset of {x..., y...[, sample_weight]} batches (at most options.steps when > 0;
  /// options.batch_size and sample_weight do not apply).
  std::map<std::string, double> evaluate(const data::Dataset& dataset, const EvaluateOptions& options = {}) const;
  /// predict on a Dataset of batches whose first elements are the inputs (targets after them are ignored, as
  /// Keras ignores y); one array per output, the batches concatenated.
  Tensors predict(const data::Dataset& dataset, const PredictOptions& options = {}) const;
  /// {"loss": ..., metric: ...}: the loss and metrics over the whole data, in inference mode.
  std::map<std::string, double> evaluate(const Tensor& x, const Tensor& y, int batch_size = 32, int verbose = 0) const;
  std::map<std::string, double> evaluate(const Tensors& x, const Tensors& y, int batch_size = 32, int verbose = 0) const;
  std::map<std::string, double> evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options) const;
  std::map<std::string, double> evaluate(const Tensors& x, const Tensors& y, const EvaluateOptions& options) const;
  Tensor predict(const Tensor& x, int batch_size = 32, int verbose = 0) const;
  Tensors predict(const Tensors& x, int batch_size = 32, int verbose = 0) const;
  Tensor predict(const Tensor& x, const PredictOptions& options) const;
  Tensors predict(const Tensors& x, const PredictOptions& options) const;
  /// One optimizer step on one batch; returns the loss and metrics of that batch.
  std::map<std::string, double> train_on_batch(const Tensor& x, const Tensor& y) const;
  std::map<std::string, double> train_on_batch(const Tensors& x, const Tensors& y) const;
  /// Keras's train_on_batch(x, y, sample_weight, class_weight): per-sample weights (shape (N,), undefined =
  /// none) or class weights (one output only, not both).
  std::map<std::string, double> train_on_batch(const Tensors& x, const Tensors& y, const Tensor& sample_weight,
                                               const ClassWeight& class_weight = {}) const;
  /// x keyed by input layer name and y by output layer name (Keras's dicts), given as NamedTensors
  /// variables or `NamedTensors{{"a", xa}, ...}` (templates, so braced lists still pick the
  /// positional overloads); a missing or unknown key is a ValueError naming the model's names.
  template <class Named, class = std::enable_if_t<std::is_same_v<Named, NamedTensors>>>
  History fit(const Named& x, const Named& y, const FitOptions& options = {}) const {
    return fit(inputs_by_name(x), targets_by_name(y), options);
  }
  template <class Named, class = std::enable_if_t<std::is_same_v<Named, NamedTensors>>>
  std::map<std::string, double> evaluate(const Named& x, const Named& y, const EvaluateOptions& options = {}) const {
    return evaluate(inputs_by_name(x), targets_by_name(y), options);
  }
  template <class Named, class = std::enable_if_t<std::is_same_v<Named, NamedTensors>>>
  Tensors predict(const Named& x, const PredictOptions& options = {}) const {
    return predict(inputs_by_name(x), options);
  }
  template <class Named, class = std::enable_if_t<std::is_same_v<Named, NamedTensors>>>
  std::map<std::string, double> train_on_batch(const Named& x, const Named& y) const {
    return train_on_batch(inputs_by_name(x), targets_by_name(y));
  }
  /// The inputs in the model's order from name-keyed data (ValueError naming missing/unknown keys).
  Tensors inputs_by_name(const NamedTensors& x) const;
  Tensors targets_by_name(const NamedTensors& y) const;

  // ---- display and serialization
  void summary(std::ostream& out) const;
  void summary() const;
  /// Keras 3 model config JSON (indent < 0: compact).
  std::string to_json(int indent = -1) const;
  /// Saves the whole model (config, weights, optimizer state); the file type follows the extension,
  /// as in Keras: ".keras" is Keras 3's archive, ".h5"/".hdf5" the legacy HDF5 file that tf.keras and
  /// Keras 3 read, anything else xkeras's own JSON file. Atomic: the old file survives any failure.
  void save(const std::string& path) const;
  /// Keras 3's weights file (the path must end in ".weights.h5", as Keras requires). Atomic.
  void save_weights(const std::string& path) const;
  /// Reads weights into this model from a ".weights.h5", a ".keras" archive, or a legacy ".h5"
  /// (full model or save_weights file). Legacy files match layers by position among the layers
  /// that have weights, as Keras does, or by layer name with `by_name`. With `skip_mismatch`, layers
  /// whose weight count or shapes differ are skipped (with a warning) instead of failing.
  void load_weights(const std::string& path, bool by_name = false, bool skip_mismatch = false) const;
  /// Writes the TensorFlow.js layers-model format into folder `dir` (created if missing): model.json
  /// and group1-shard{i}of{n}.bin, which tf.loadLayersModel reads. load_model("dir/model.json") reads it
  /// back. The topology is written in tf.keras 2.x's layout, as TensorFlow.js expects.
  void save_tfjs(const std::string& dir) const;
};

Model model_from_json(const std::string& text);
/// Reads a whole model: a Keras 3 ".keras" archive, a legacy Keras ".h5", xkeras's JSON file, or a
/// TensorFlow.js layers model (its model.json, with the weight shards beside it). The type is read
/// from the file's first bytes. With `compile`, the saved compile config (optimizer, losses,
/// metrics) and optimizer state are restored where xkeras supports them.
Model load_model(const std::string& path, bool compile = true);


}  // namespace xkeras
