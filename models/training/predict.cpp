// Model::predict: batched inference without the tape; each output's batches are copied into one array.
#include <algorithm>
#include <cstring>
#include <iostream>

#include "models/training/data.hpp"
#include "models/training/callback_list.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/tape.hpp"
#include "xkeras/threads.hpp"

namespace xkeras {

Tensor Model::predict(const Tensor& x, int batch_size, int verbose) const {
  return predict(x, PredictOptions{.batch_size = batch_size, .verbose = verbose});
}

Tensors Model::predict(const Tensors& x, int batch_size, int verbose) const {
  return predict(x, PredictOptions{.batch_size = batch_size, .verbose = verbose});
}

Tensor Model::predict(const Tensor& x, const PredictOptions& options) const {
  Tensors out = predict(Tensors{x}, options);
  if (out.size() != 1)
    throw ValueError("Model \"" + ptr_->name() + "\" has " + std::to_string(out.size()) +
                     " outputs; call predict() with a list of inputs to receive them all");
  return out[0];
}

Tensors Model::predict(const Tensors& x, const PredictOptions& options) const {
  ModelImpl& m = *ptr_;
  const int batch_size = options.batch_size, verbose = options.verbose;
  const std::string who = "Model \"" + m.name() + "\": predict()";
  if (batch_size <= 0)
    throw ValueError(who + ": batch_size must be a positive integer, received " + std::to_string(batch_size));
  if (verbose < 0 || verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(verbose));
  if (options.steps < 0) throw ValueError(who + ": steps must be >= 0 (0 = all), received " + std::to_string(options.steps));
  std::size_t n = training::check_data(m, x, nullptr, "predict()");
  const std::size_t bs = static_cast<std::size_t>(batch_size);
  int steps = static_cast<int>((n + bs - 1) / bs);
  if (options.steps > 0 && options.steps < steps) {  // the first `steps` batches only, as Keras
    steps = options.steps;
    n = static_cast<std::size_t>(steps) * bs;
  }
  training::BatchSlicer slicer;
  training::CallbackList callbacks(options.callbacks, ptr_, {{"verbose", verbose}, {"epochs", 1}, {"steps", steps}}, false,
                                   verbose != 0);
  Logs begin;
  callbacks.predict_begin(begin);
  Tensors xb, result;
  std::vector<std::size_t> row_size;
  NoGrad ng;
  for (int step = 0; step < steps; ++step) {
    adapt_threads();  // threads for this batch: fewer while other processes keep cores busy
    const std::size_t begin = static_cast<std::size_t>(step) * bs;
    const std::size_t count = std::min(bs, n - begin);
    slicer.range(x, begin, count, xb);
    Logs none;
    callbacks.predict_batch_begin(step, none);
    const Tensors ys = m(xb, false);
    if (result.empty()) {  // the output shapes are known after the first batch
      for (const auto& yv : ys) {
        Shape s = yv.shape();
        if (s.empty()) throw ValueError(who + ": the model returned a scalar; outputs must keep the batch axis");
        row_size.push_back(s[0] ? yv.size() / s[0] : 0);
        s[0] = n;
        result.emplace_back(Array::from_shape(s));
      }
    }
    if (ys.size() != result.size())
      throw ValueError(who + ": the model returned " + std::to_string(ys.size()) + " outputs, then " + std::to_string(result.size()));
    for (std::size_t o = 0; o < ys.size(); ++o) {
      const Shape s = ys[o].shape();
      Shape want = result[o].shape();
      want[0] = count;
      if (s != want)
        throw ValueError(who + ": output " + std::to_string(o) + " of a batch of " + std::to_string(count) +
                         " samples has shape " + shape_str(s) + ", expected " + shape_str(want) +
                         " (outputs must keep the batch axis first)");
      std::memcpy(result[o].data() + begin * row_size[o], ys[o].data(), count * row_size[o] * sizeof(float));
    }
    Logs logs;
    logs.outputs = ys;
    callbacks.predict_batch_end(step, logs);
  }
  Logs end;
  callbacks.predict_end(end);
  return result;
}

}  // namespace xkeras
