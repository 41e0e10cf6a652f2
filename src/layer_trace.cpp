// Layer::compute_output_shape's default: shape inference by tracing call_args on dummy inputs, which
// also proves on the tape that every output depends on an input. Used by Lambdas and custom layers.
#include <cstdint>

#include "load_budget.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/layer.hpp"
#include "xkeras/tape.hpp"

namespace xkeras {

namespace {

// Deterministic, varied values: zeros would hide shape-dependent bugs and make every
// normalization degenerate. Values are in [-1, 1).
Tensor dummy_tensor(const TensorShape& s, std::size_t batch, std::uint32_t& state) {
  Shape shape;
  // Every unknown dimension (not only the batch) takes the trace's size, so it varies between
  // the two traces and comes out as None.
  for (std::size_t i = 0; i < s.size(); ++i) shape.push_back(s[i] >= 0 ? static_cast<std::size_t>(s[i]) : batch);
  Array a = Array::from_shape(shape);
  for (auto& v : a) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(state >> 8) / static_cast<float>(1u << 23) - 1.0f;
  }
  return Tensor(std::move(a), true);
}

struct TapeTruncate {
  std::size_t since;
  ~TapeTruncate() { Tape::current().truncate(since); }
};

}  // namespace

std::vector<TensorShape> Layer::compute_output_shape(const std::vector<TensorShape>& input_shapes) {
  return trace_output_shapes(input_shapes, ShapeKwargs{});
}

std::vector<TensorShape> Layer::compute_output_shape_args(const std::vector<TensorShape>& input_shapes,
                                                          const ShapeKwargs& kwargs) {
  if (kwargs.empty()) return compute_output_shape(input_shapes);
  return trace_output_shapes(input_shapes, kwargs);
}

std::vector<TensorShape> Layer::trace_output_shapes(const std::vector<TensorShape>& input_shapes,
                                                    const ShapeKwargs& kwargs) {
  const std::string who = "Layer \"" + name_ + "\" (" + class_name_ + ")";
  // Small inputs are traced at two batch sizes, so that any output dimension that follows the batch
  // (or an unknown input dimension, which takes the batch size too) comes out unknown (None). An
  // input of more than 2^16 values per sample with no unknown dimension but the batch is traced once,
  // on one sample, and only the first output axis is taken for the batch (None unless the batch is
  // fixed): two traces of 2 and 3 samples would cost five times as much.
  std::size_t sample = 0;
  bool unknown_inner = false, batch_unknown = false;
  std::vector<TensorShape> all = input_shapes;  // positional, then keyword tensors
  for (const auto& [name, shapes] : kwargs.tensors) all.insert(all.end(), shapes.begin(), shapes.end());
  for (const auto& s : all) {
    sample += static_cast<std::size_t>(checked_sample_size(s, who));
    for (std::size_t d = 1; d < s.size(); ++d) unknown_inner = unknown_inner || s[d] < 0;
    batch_unknown = batch_unknown || s.empty() || s[0] < 0;
  }
  constexpr std::size_t kTwoTraceLimit = std::size_t(1) << 16;
  const bool two = sample <= kTwoTraceLimit || unknown_inner;
  auto trace = [&](std::size_t batch) {
    if (auto* budget = detail::LoadBudget::current()) {
      std::size_t values = 0;  // < 2^26 * 3^16 per input: no overflow
      for (const auto& s : all) {
        std::size_t n = 1;
        for (Dim d : s) n *= d >= 0 ? static_cast<std::size_t>(d) : batch;
        values += n;
      }
      budget->take_trace(values, who);
    }
    std::uint32_t state = 12345u;
    Tensors dummies;
    for (const auto& s : input_shapes) dummies.push_back(dummy_tensor(s, batch, state));
    CallArgs args;
    args.masks.resize(dummies.size());
    args.kwargs.options = kwargs.options;
    Tensors every = dummies;
    for (const auto& [name, shapes] : kwargs.tensors) {
      Tensors ts;
      for (const auto& s : shapes) ts.push_back(dummy_tensor(s, batch, state));
      every.insert(every.end(), ts.begin(), ts.end());
      args.kwargs.tensors.emplace_back(name, std::move(ts));
    }
    EnableGrad grad;
    Tape& tape = Tape::current();
    TapeTruncate guard{tape.size()};
    Tensors outs = call_args(dummies, args);
    std::vector<Shape> shapes;
    for (std::size_t i = 0; i < outs.size(); ++i) {
      if (!tape.depends_on(outs[i], every, guard.since))
        throw ValueError(who + ": output " + std::to_string(i) +
                         " is not connected to the layer's input on the tape, so no gradient could flow through it. "
                         "Compute the output from the input with xkeras::ops functions.");
      shapes.push_back(outs[i].shape());
    }
    return shapes;
  };
  const auto a = trace(two ? 2 : 1);
  const auto b = two ? trace(3) : a;
  std::vector<TensorShape> out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    TensorShape s;
    for (std::size_t d = 0; d < a[i].size(); ++d) {
      const bool varies = two ? (d >= b[i].size() || a[i][d] != b[i][d]) : d == 0 && batch_unknown;
      s.push_back(varies ? None : static_cast<Dim>(a[i][d]));
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace xkeras
