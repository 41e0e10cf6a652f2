// tf.keras's preprocess_weights_for_loading (tf_keras/saving/legacy/hdf5_format.py), for the layers
// xkeras implements: how the arrays a file stores for a layer become that layer's weights.
// Recipes are planned from shapes alone, so the model's shapes are checked before anything is read.
#include <algorithm>
#include <string>
#include <vector>

#include "saving/legacy_h5.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/model.hpp"

namespace xkeras::saving::legacy {

namespace {

Recipe copy_of(std::size_t i, const std::vector<FileArray>& arrays) {
  Recipe r;
  r.sources = {i};
  r.shape = arrays[i].info.shape;
  return r;
}

// Arrays of shape (..., n_k) joined on the last axis; the leading axes must agree.
Recipe concat_last(std::vector<std::size_t> sources, const std::vector<FileArray>& arrays) {
  Recipe r;
  r.op = Recipe::Op::concat_last;
  const Shape& first = arrays[sources[0]].info.shape;
  if (first.empty()) throw ConfigError(arrays[sources[0]].where, "expected an array of rank >= 1, got a scalar");
  std::size_t last = 0;
  for (std::size_t s : sources) {
    const Shape& sh = arrays[s].info.shape;
    if (sh.size() != first.size() || !std::equal(first.begin(), first.end() - 1, sh.begin()))
      throw ConfigError(arrays[s].where, "has shape " + shape_str(sh) + ", which cannot be joined with " +
                                             arrays[sources[0]].where + " of shape " + shape_str(first));
    last += sh.back();
  }
  r.shape = first;
  r.shape.back() = last;
  r.sources = std::move(sources);
  return r;
}

// Keras 1 LSTM: W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o -> gates [i | f | c | o].
std::vector<Recipe> keras1_lstm(const std::vector<FileArray>& a) {
  return {concat_last({0, 6, 3, 9}, a), concat_last({1, 7, 4, 10}, a), concat_last({2, 8, 5, 11}, a)};
}

// Keras 1 GRU: W_z, U_z, b_z, W_r, U_r, b_r, W_h, U_h, b_h -> gates [z | r | h].
std::vector<Recipe> keras1_gru(const std::vector<FileArray>& a) {
  return {concat_last({0, 3, 6}, a), concat_last({1, 4, 7}, a), concat_last({2, 5, 8}, a)};
}

// Keras 1 Conv1D kernel: (filters, input_dim, length, 1) -> (length, input_dim, filters); Keras 1.1's
// (length, 1, input_dim, filters) only drops its axis 1.
Recipe keras1_conv1d_kernel(const Layer& layer, const std::vector<FileArray>& a) {
  Recipe r = copy_of(0, a);
  const auto ws = layer.weights();
  const Shape& sh = a[0].info.shape;
  if (ws.empty() || sh.size() != 4 || ws[0]->shape().size() != 3) return r;  // the shape check reports it
  const Shape want = ws[0]->shape();  // (length, input_dim, filters)
  if (sh[0] == want[0] && sh[1] == 1 && sh[3] == want[2]) {
    r.shape = {sh[0], sh[2], sh[3]};
  } else if (sh[3] == 1) {
    r.op = Recipe::Op::transpose;
    r.view = {sh[0], sh[1], sh[2]};
    r.perm = {2, 1, 0};
    r.shape = {sh[2], sh[1], sh[0]};
  }
  return r;
}

std::vector<Recipe> copies(const std::vector<FileArray>& a, std::size_t from, std::size_t n) {
  std::vector<Recipe> out;
  for (std::size_t i = from; i < from + n; ++i) out.push_back(copy_of(i, a));
  return out;
}

// The arrays [from, from + n) as their own list (sources renumbered from 0), converted for `layer`, and
// the recipes' sources mapped back.
std::vector<Recipe> convert_slice(const Layer& layer, const std::vector<FileArray>& a, std::size_t from, std::size_t n,
                                  const Origin& origin) {
  std::vector<FileArray> part(a.begin() + from, a.begin() + from + n);
  auto out = convert_weights(layer, part, origin);
  for (auto& r : out)
    for (auto& s : r.sources) s += from;
  return out;
}

// convert_nested_model: trainable arrays first, then non-trainable; each sub-layer takes as many of
// each as it has (counted on the model being loaded, as tf.keras does).
std::vector<Recipe> nested_model(const ModelImpl& model, const std::vector<FileArray>& a, const Origin& origin) {
  const std::size_t n_trainable = std::min(model.trainable_weights().size(), a.size());
  std::vector<Recipe> trainable, fixed;
  std::size_t t = 0, f = n_trainable;
  for (const auto& sub : model.layers()) {
    const std::size_t nt = sub->trainable_weights().size(), nf = sub->non_trainable_weights().size();
    if (nt + nf == 0) continue;
    if (t + nt > n_trainable || f + nf > a.size()) return copies(a, 0, a.size());  // counts differ: checked later
    // The sub-layer's arrays are not contiguous in the file; convert them as one list.
    std::vector<FileArray> part(a.begin() + t, a.begin() + t + nt);
    part.insert(part.end(), a.begin() + f, a.begin() + f + nf);
    auto conv = convert_weights(*sub, part, origin);
    if (conv.size() != nt + nf) return copies(a, 0, a.size());
    for (std::size_t i = 0; i < conv.size(); ++i) {
      for (auto& s : conv[i].sources) s = s < nt ? t + s : f + (s - nt);
      (i < nt ? trainable : fixed).push_back(std::move(conv[i]));
    }
    t += nt;
    f += nf;
  }
  for (; t < n_trainable; ++t) trainable.push_back(copy_of(t, a));
  for (; f < a.size(); ++f) fixed.push_back(copy_of(f, a));
  trainable.insert(trainable.end(), fixed.begin(), fixed.end());
  return trainable;
}

}  // namespace

std::vector<Recipe> convert_weights(const Layer& layer, const std::vector<FileArray>& a, const Origin& origin) {
  const std::string& cls = layer.class_name();
  if (cls == "Bidirectional" && a.size() % 2 == 0) {
    const auto subs = layer.sublayers();
    if (subs.size() == 2) {
      auto out = convert_slice(*subs[0], a, 0, a.size() / 2, origin);
      auto back = convert_slice(*subs[1], a, a.size() / 2, a.size() / 2, origin);
      out.insert(out.end(), back.begin(), back.end());
      return out;
    }
  }
  if (auto* model = dynamic_cast<const ModelImpl*>(&layer)) return nested_model(*model, a, origin);
  if (origin.major == 1) {
    if (cls == "TimeDistributed" && layer.sublayers().size() == 1)
      return convert_weights(*layer.sublayers()[0], a, origin);
    if (cls == "LSTM" && a.size() == 12) return keras1_lstm(a);
    if (cls == "GRU" && a.size() == 9) return keras1_gru(a);
    if (cls == "Conv1D" && !a.empty()) {
      auto out = copies(a, 0, a.size());
      out[0] = keras1_conv1d_kernel(layer, a);
      return out;
    }
  }
  return copies(a, 0, a.size());
}

void apply_recipe(const Recipe& r, const std::vector<FileArray>& a, float* out) {
  const auto read = [&](std::size_t s, float* to, std::size_t n) { a[s].dir.read_floats(a[s].leaf, to, n); };
  if (r.op == Recipe::Op::copy) return read(r.sources[0], out, shape_size(r.shape));
  if (r.op == Recipe::Op::concat_last) {
    // Row by row: each source contributes its last-axis block to every output row.
    const std::size_t rows = shape_size(r.shape) / std::max<std::size_t>(r.shape.back(), 1);
    std::size_t col = 0;
    std::vector<float> buf;
    for (std::size_t s : r.sources) {
      const std::size_t width = a[s].info.shape.back();
      buf.resize(rows * width);
      read(s, buf.data(), buf.size());
      for (std::size_t i = 0; i < rows; ++i)
        std::copy(buf.begin() + i * width, buf.begin() + (i + 1) * width, out + i * r.shape.back() + col);
      col += width;
    }
    return;
  }
  // transpose: out[i0, i1, ...] = view[i_perm^-1 ...], by walking the output in order.
  std::vector<float> buf(shape_size(r.view));
  read(r.sources[0], buf.data(), buf.size());
  const std::size_t rank = r.view.size();
  std::vector<std::size_t> in_stride(rank, 1), idx(rank, 0);
  for (std::size_t k = rank; k-- > 1;) in_stride[k - 1] = in_stride[k] * r.view[k];
  for (std::size_t o = 0; o < buf.size(); ++o) {
    std::size_t src = 0;
    for (std::size_t k = 0; k < rank; ++k) src += idx[k] * in_stride[r.perm[k]];
    out[o] = buf[src];
    for (std::size_t k = rank; k-- > 0;) {
      if (++idx[k] < r.shape[k]) break;
      idx[k] = 0;
    }
  }
}

}  // namespace xkeras::saving::legacy
