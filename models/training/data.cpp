#include "models/training/data.hpp"

#include <cstring>

#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::training {

std::size_t model_input_count(const ModelImpl& model) { return model.has_graph() ? model.inputs().size() : 1; }
std::size_t model_output_count(const ModelImpl& model) { return model.has_graph() ? model.outputs().size() : 1; }

namespace {

std::string counts(const Tensors& ts) {
  std::string s;
  for (std::size_t i = 0; i < ts.size(); ++i) s += (i ? ", " : "") + std::to_string(ts[i].shape()[0]);
  return s;
}

}  // namespace

std::size_t check_data(const ModelImpl& model, const Tensors& x, const Tensors* y, const std::string& fn) {
  const std::string who = "Model \"" + model.name() + "\": " + fn;
  const std::size_t nin = model_input_count(model);
  if (x.size() != nin)
    throw ValueError(who + " expected " + std::to_string(nin) + " input array(s) in x, but received " + std::to_string(x.size()));
  if (y) {
    const std::size_t nout = model_output_count(model);
    if (y->size() != nout)
      throw ValueError(who + " expected " + std::to_string(nout) + " target array(s) in y (one per output), but received " +
                       std::to_string(y->size()));
  }
  auto check = [&](const Tensor& t, const std::string& what) {
    if (!t.defined()) throw ValueError(who + ": " + what + " is undefined");
    if (t.ndim() == 0) throw ValueError(who + ": " + what + " must have a batch axis, but it is a scalar");
  };
  for (std::size_t i = 0; i < x.size(); ++i) check(x[i], "x[" + std::to_string(i) + "]");
  if (y)
    for (std::size_t i = 0; i < y->size(); ++i) check((*y)[i], "y[" + std::to_string(i) + "]");
  const std::size_t n = x[0].shape()[0];
  bool same = true;
  for (const auto& t : x) same = same && t.shape()[0] == n;
  if (y)
    for (const auto& t : *y) same = same && t.shape()[0] == n;
  if (!same) {
    std::string msg = who + ": data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
                            "'x' sizes: " + counts(x);
    if (y) msg += " 'y' sizes: " + counts(*y);
    throw ValueError(msg);
  }
  if (n == 0) throw ValueError(who + ": x has 0 samples; expected at least one");
  return n;
}

void BatchSlicer::gather(const Tensors& arrays, const std::size_t* idx, std::size_t count, Tensors& out) {
  out.resize(arrays.size());
  for (std::size_t a = 0; a < arrays.size(); ++a) {
    if (arrays[a].is_int()) {  // token ids and sparse labels stay int32
      const IntArray& src = arrays[a].ivalue();
      Shape shape(src.shape().begin(), src.shape().end());
      const std::size_t row = shape[0] ? src.size() / shape[0] : 0;
      shape[0] = count;
      Tensor& dst = out[a];
      const bool reuse = dst.defined() && dst.is_int() && dst.shared().use_count() == 1 && dst.shape() == shape;
      if (!reuse) dst = Tensor(IntArray::from_shape(shape));
      const std::int32_t* s = src.data();
      std::int32_t* d = dst.idata();
      for (std::size_t i = 0; i < count; ++i) std::memcpy(d + i * row, s + idx[i] * row, row * sizeof(std::int32_t));
      continue;
    }
    const Array& src = arrays[a].value();
    Shape shape(src.shape().begin(), src.shape().end());
    const std::size_t row = shape[0] ? src.size() / shape[0] : 0;
    shape[0] = count;
    Tensor& dst = out[a];
    // Reuse the buffer unless its shape differs or a tape entry / layer still holds it.
    const bool reuse = dst.defined() && !dst.is_int() && dst.shared().use_count() == 1 && to_shape(dst.value()) == shape;
    if (!reuse) dst = Tensor(Array::from_shape(shape));
    const float* s = src.data();
    float* d = dst.data();
    for (std::size_t i = 0; i < count; ++i) std::memcpy(d + i * row, s + idx[i] * row, row * sizeof(float));
  }
}

void BatchSlicer::range(const Tensors& arrays, std::size_t begin, std::size_t count, Tensors& out) {
  if (iota_.size() < count) iota_.resize(count);
  for (std::size_t i = 0; i < count; ++i) iota_[i] = begin + i;
  gather(arrays, iota_.data(), count, out);
}

}  // namespace xkeras::training
