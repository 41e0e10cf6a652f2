// Model::predict: batched inference without the tape; each output's batches are copied into one array.
#include <algorithm>
#include <cstring>
#include <iostream>

#include "models/training/data.hpp"
#include "models/training/progbar.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"
#include "xkeras/tape.hpp"
#include "xkeras/threads.hpp"

namespace xkeras {

Tensor Model::predict(const Tensor& x, int batch_size, int verbose) const {
  Tensors out = predict(Tensors{x}, batch_size, verbose);
  if (out.size() != 1)
    throw ValueError("Model \"" + ptr_->name() + "\" has " + std::to_string(out.size()) +
                     " outputs; call predict() with a list of inputs to receive them all");
  return out[0];
}

Tensors Model::predict(const Tensors& x, int batch_size, int verbose) const {
  ModelImpl& m = *ptr_;
  const std::string who = "Model \"" + m.name() + "\": predict()";
  if (batch_size <= 0)
    throw ValueError(who + ": batch_size must be a positive integer, received " + std::to_string(batch_size));
  if (verbose < 0 || verbose > 2) throw ValueError(who + ": verbose must be 0, 1 or 2, received " + std::to_string(verbose));
  const std::size_t n = training::check_data(m, x, nullptr, "predict()");
  const std::size_t bs = static_cast<std::size_t>(batch_size);
  const int steps = static_cast<int>((n + bs - 1) / bs);
  training::BatchSlicer slicer;
  training::Progbar bar(steps, verbose, std::cout, training::stdout_is_tty());
  Tensors xb, result;
  std::vector<std::size_t> row_size;
  NoGrad ng;
  for (int step = 0; step < steps; ++step) {
    adapt_threads();  // threads for this batch: fewer while other processes keep cores busy
    const std::size_t begin = static_cast<std::size_t>(step) * bs;
    const std::size_t count = std::min(bs, n - begin);
    slicer.range(x, begin, count, xb);
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
    if (verbose == 1) bar.update(step + 1, {}, false);
  }
  if (verbose) bar.update(steps, {}, true);
  return result;
}

}  // namespace xkeras
