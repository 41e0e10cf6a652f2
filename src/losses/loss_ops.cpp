// Fused per-sample loss kernels. Notation per row r (the last axis has C entries j), g_r = dL/dy_r
// (the gradient arriving at the per-sample output).
#include "losses/loss_ops.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "xkeras/errors.hpp"
#include "xkeras/tape.hpp"

namespace xkeras::losses::detail {

namespace {

// Keras's backend.epsilon() and its float32 complement 1 - 1e-7 = 0.99999988.
constexpr float kEps = 1e-7f;
constexpr float kOneMinusEps = 1.0f - 1e-7f;

struct Layout {
  std::size_t rows, cols;
  Shape out;  // the common shape without its last axis
};

Layout layout_of(const Shape& common, const std::string& loss, const Tensor& y_pred) {
  if (common.empty())
    throw ValueError("Loss \"" + loss + "\": y_pred must have at least one axis, but received a scalar " +
                     shape_str(y_pred.shape()));
  Layout l;
  l.cols = common.back();
  l.rows = l.cols ? shape_size(common) / l.cols : 0;
  l.out.assign(common.begin(), common.end() - 1);
  return l;
}

Array zeros_of(const Shape& s) {
  Array a = Array::from_shape(s);
  std::fill(a.begin(), a.end(), 0.0f);
  return a;
}

inline float clip_prob(float p) { return std::min(std::max(p, kEps), kOneMinusEps); }
inline bool in_clip_range(float p) { return p >= kEps && p <= kOneMinusEps; }

}  // namespace

Shape common_shape(const Tensor& y_true, const Tensor& y_pred, const std::string& loss) {
  if (!y_true.defined() || !y_pred.defined()) throw ValueError("Loss \"" + loss + "\": y_true and y_pred must be defined");
  Shape t = y_true.shape(), p = y_pred.shape();
  if (t.size() == p.size() + 1 && !t.empty() && t.back() == 1) p.push_back(1);
  else if (p.size() == t.size() + 1 && !p.empty() && p.back() == 1) t.push_back(1);
  if (t != p)
    throw ValueError("Loss \"" + loss + "\": y_true and y_pred must have the same shape, but received y_true with shape " +
                     shape_str(y_true.shape()) + " and y_pred with shape " + shape_str(y_pred.shape()));
  return p;
}

// y_r = (1/C) sum_j (t_j - p_j)^2
// dL/dp_j = g_r * 2 (p_j - t_j) / C;  dL/dt_j = -dL/dp_j
Tensor mean_squared_error(const Tensor& y_true, const Tensor& y_pred, const std::string& loss) {
  const Layout l = layout_of(common_shape(y_true, y_pred, loss), loss, y_pred);
  Tensor y(zeros_of(l.out));
  const float* t = y_true.data();
  const float* p = y_pred.data();
  float* py = y.data();
  const double inv = l.cols ? 1.0 / double(l.cols) : 0.0;
  for (std::size_t r = 0; r < l.rows; ++r) {
    double s = 0;
    for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) {
      const double d = double(t[o + j]) - double(p[o + j]);
      s += d * d;
    }
    py[r] = static_cast<float>(s * inv);
  }
  if (Tape::wants({&y_true, &y_pred})) {
    Tape::current().record("mean_squared_error", {y_true, y_pred}, y, [y_true, y_pred, y, l]() mutable {
      const float* g = y.impl()->grad.data();
      const float* t = y_true.data();
      const float* p = y_pred.data();
      float* gp = y_pred.requires_grad() ? y_pred.grad_buffer().data() : nullptr;
      float* gt = y_true.requires_grad() ? y_true.grad_buffer().data() : nullptr;
      const float k = 2.0f / static_cast<float>(l.cols);
      for (std::size_t r = 0; r < l.rows; ++r)
        for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) {
          const float d = g[r] * k * (p[o + j] - t[o + j]);
          if (gp) gp[o + j] += d;
          if (gt) gt[o + j] -= d;
        }
    });
  }
  return y;
}

// y_r = (1/C) sum_j |t_j - p_j|
// dL/dp_j = g_r * sign(p_j - t_j) / C (0 where equal);  dL/dt_j = -dL/dp_j
Tensor mean_absolute_error(const Tensor& y_true, const Tensor& y_pred, const std::string& loss) {
  const Layout l = layout_of(common_shape(y_true, y_pred, loss), loss, y_pred);
  Tensor y(zeros_of(l.out));
  const float* t = y_true.data();
  const float* p = y_pred.data();
  float* py = y.data();
  const double inv = l.cols ? 1.0 / double(l.cols) : 0.0;
  for (std::size_t r = 0; r < l.rows; ++r) {
    double s = 0;
    for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) s += std::fabs(double(t[o + j]) - double(p[o + j]));
    py[r] = static_cast<float>(s * inv);
  }
  if (Tape::wants({&y_true, &y_pred})) {
    Tape::current().record("mean_absolute_error", {y_true, y_pred}, y, [y_true, y_pred, y, l]() mutable {
      const float* g = y.impl()->grad.data();
      const float* t = y_true.data();
      const float* p = y_pred.data();
      float* gp = y_pred.requires_grad() ? y_pred.grad_buffer().data() : nullptr;
      float* gt = y_true.requires_grad() ? y_true.grad_buffer().data() : nullptr;
      const float k = 1.0f / static_cast<float>(l.cols);
      for (std::size_t r = 0; r < l.rows; ++r)
        for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) {
          const float diff = p[o + j] - t[o + j];
          const float d = diff > 0 ? g[r] * k : (diff < 0 ? -g[r] * k : 0.0f);
          if (gp) gp[o + j] += d;
          if (gt) gt[o + j] -= d;
        }
    });
  }
  return y;
}

// Probabilities, with q = clip(p, eps, 1 - eps) and t' the smoothed target:
//   y_r = (1/C) sum_j -(t' log q + (1 - t') log(1 - q))
//   dL/dp_j = g_r / C * (q - t') / (q (1 - q)) inside the clip range, 0 outside (clip's gradient).
// Logits x:
//   y_r = (1/C) sum_j max(x, 0) - x t' + log1p(exp(-|x|))
//   dL/dx_j = g_r / C * (sigmoid(x) - t')
Tensor binary_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits, float ls,
                           const std::string& loss) {
  const Layout l = layout_of(common_shape(y_true, y_pred, loss), loss, y_pred);
  Tensor y(zeros_of(l.out));
  const float* t = y_true.data();
  const float* p = y_pred.data();
  float* py = y.data();
  const float keep = 1.0f - ls, add = 0.5f * ls;
  const double inv = l.cols ? 1.0 / double(l.cols) : 0.0;
  for (std::size_t r = 0; r < l.rows; ++r) {
    double s = 0;
    for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) {
      const double tt = double(t[o + j] * keep + add);
      if (from_logits) {
        const double x = p[o + j];
        s += std::max(x, 0.0) - x * tt + std::log1p(std::exp(-std::fabs(x)));
      } else {
        const double q = clip_prob(p[o + j]);
        s -= tt * std::log(q) + (1.0 - tt) * std::log(1.0 - q);
      }
    }
    py[r] = static_cast<float>(s * inv);
  }
  if (Tape::wants({&y_pred})) {
    Tape::current().record("binary_crossentropy", {y_pred}, y, [y_true, y_pred, y, l, from_logits, keep, add]() mutable {
      const float* g = y.impl()->grad.data();
      const float* t = y_true.data();
      const float* p = y_pred.data();
      float* gp = y_pred.grad_buffer().data();
      const double k = 1.0 / double(l.cols);
      for (std::size_t r = 0; r < l.rows; ++r)
        for (std::size_t j = 0, o = r * l.cols; j < l.cols; ++j) {
          const double tt = double(t[o + j] * keep + add);
          double d;
          if (from_logits) {
            const double x = p[o + j];
            const double s = x >= 0 ? 1.0 / (1.0 + std::exp(-x)) : std::exp(x) / (1.0 + std::exp(x));
            d = s - tt;
          } else {
            if (!in_clip_range(p[o + j])) continue;
            const double q = p[o + j];
            d = (q - tt) / (q * (1.0 - q));
          }
          gp[o + j] += static_cast<float>(double(g[r]) * k * d);
        }
    });
  }
  return y;
}

namespace {

// Shared by the categorical losses. Row r of y_pred (C entries) and a target given either as a
// dense row `t` (smoothed by keep/add) or as one class index `label`.
struct RowTarget {
  const float* t;    // dense target row, or nullptr for a sparse label
  std::size_t label;
  float keep, add;
  double at(std::size_t j) const { return t ? double(t[j] * keep + add) : (j == label ? 1.0 : 0.0); }
};

// Probabilities: S = sum p, q = clip(p / S), y = -sum t log q.
// Logits: lse = log sum exp x, y = sum t (lse - x).
double row_loss(const float* p, std::size_t C, const RowTarget& tg, bool from_logits) {
  double s = 0;
  if (from_logits) {
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < C; ++j) m = std::max(m, double(p[j]));
    double z = 0;
    for (std::size_t j = 0; j < C; ++j) z += std::exp(double(p[j]) - m);
    const double lse = m + std::log(z);
    for (std::size_t j = 0; j < C; ++j) {
      const double tj = tg.at(j);
      if (tj != 0) s += tj * (lse - double(p[j]));
    }
  } else {
    double S = 0;
    for (std::size_t j = 0; j < C; ++j) S += p[j];
    for (std::size_t j = 0; j < C; ++j) {
      const double tj = tg.at(j);
      if (tj != 0) s -= tj * std::log(double(clip_prob(static_cast<float>(p[j] / S))));
    }
  }
  return s;
}

// Logits: dL/dx_k = g_r * ((sum_j t_j) softmax_k - t_k)
// Probabilities, with q_j = p_j / S and dq_j = dy/dq_j = -t_j / q_j inside the clip range (else 0):
//   dL/dp_k = g_r / S * (dq_k - sum_j dq_j q_j)      (d q_j / d p_k = (delta_jk - q_j) / S)
void row_grad(const float* p, float* gp, std::size_t C, const RowTarget& tg, bool from_logits, double g) {
  if (from_logits) {
    double m = -std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < C; ++j) m = std::max(m, double(p[j]));
    double z = 0, tsum = 0;
    for (std::size_t j = 0; j < C; ++j) {
      z += std::exp(double(p[j]) - m);
      tsum += tg.at(j);
    }
    for (std::size_t k = 0; k < C; ++k)
      gp[k] += static_cast<float>(g * (tsum * std::exp(double(p[k]) - m) / z - tg.at(k)));
  } else {
    double S = 0;
    for (std::size_t j = 0; j < C; ++j) S += p[j];
    double dot = 0;
    for (std::size_t j = 0; j < C; ++j) {
      const float q = static_cast<float>(p[j] / S);
      const double tj = tg.at(j);
      if (tj != 0 && in_clip_range(q)) dot += -tj / double(q) * double(q);
    }
    for (std::size_t k = 0; k < C; ++k) {
      const float q = static_cast<float>(p[k] / S);
      const double tk = tg.at(k);
      const double dq = (tk != 0 && in_clip_range(q)) ? -tk / double(q) : 0.0;
      gp[k] += static_cast<float>(g / S * (dq - dot));
    }
  }
}

}  // namespace

Tensor categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits, float ls,
                                const std::string& loss) {
  const Layout l = layout_of(common_shape(y_true, y_pred, loss), loss, y_pred);
  Tensor y(zeros_of(l.out));
  const float keep = 1.0f - ls, add = l.cols ? ls / static_cast<float>(l.cols) : 0.0f;
  const float* t = y_true.data();
  const float* p = y_pred.data();
  float* py = y.data();
  for (std::size_t r = 0; r < l.rows; ++r)
    py[r] = static_cast<float>(row_loss(p + r * l.cols, l.cols, RowTarget{t + r * l.cols, 0, keep, add}, from_logits));
  if (Tape::wants({&y_pred})) {
    Tape::current().record("categorical_crossentropy", {y_pred}, y, [y_true, y_pred, y, l, from_logits, keep, add]() mutable {
      const float* g = y.impl()->grad.data();
      const float* t = y_true.data();
      const float* p = y_pred.data();
      float* gp = y_pred.grad_buffer().data();
      for (std::size_t r = 0; r < l.rows; ++r)
        row_grad(p + r * l.cols, gp + r * l.cols, l.cols, RowTarget{t + r * l.cols, 0, keep, add}, from_logits, g[r]);
    });
  }
  return y;
}

Tensor sparse_categorical_crossentropy(const Tensor& y_true, const Tensor& y_pred, bool from_logits,
                                       const std::string& loss) {
  if (!y_true.defined() || !y_pred.defined()) throw ValueError("Loss \"" + loss + "\": y_true and y_pred must be defined");
  const Shape ps = y_pred.shape();
  if (ps.empty())
    throw ValueError("Loss \"" + loss + "\": y_pred must have at least one axis, but received a scalar");
  Shape labels_shape(ps.begin(), ps.end() - 1);
  Shape ts = y_true.shape();
  if (ts.size() == ps.size() && !ts.empty() && ts.back() == 1) ts.pop_back();  // (N, 1) -> (N,)
  if (ts != labels_shape)
    throw ValueError("Loss \"" + loss + "\": y_true must hold one class index per row of y_pred, i.e. have shape " +
                     shape_str(labels_shape) + " (or with a trailing 1), but received y_true with shape " +
                     shape_str(y_true.shape()) + " and y_pred with shape " + shape_str(ps));
  const Layout l = layout_of(ps, loss, y_pred);
  // Labels are floats holding integers: validate them once, before any read indexed by them.
  std::vector<std::size_t> labels(l.rows);
  const float* t = y_true.data();
  for (std::size_t r = 0; r < l.rows; ++r) {
    const float v = t[r];
    if (!(v >= 0) || v >= static_cast<float>(l.cols) || v != std::floor(v))
      throw ValueError("Loss \"" + loss + "\": y_true must hold integer class indices in [0, " + std::to_string(l.cols) +
                       "), but received " + std::to_string(v) + " at position " + std::to_string(r));
    labels[r] = static_cast<std::size_t>(v);
  }
  Tensor y(zeros_of(l.out));
  const float* p = y_pred.data();
  float* py = y.data();
  for (std::size_t r = 0; r < l.rows; ++r)
    py[r] = static_cast<float>(row_loss(p + r * l.cols, l.cols, RowTarget{nullptr, labels[r], 1, 0}, from_logits));
  if (Tape::wants({&y_pred})) {
    Tape::current().record("sparse_categorical_crossentropy", {y_pred}, y,
                           [y_pred, y, l, from_logits, labels = std::move(labels)]() mutable {
                             const float* g = y.impl()->grad.data();
                             const float* p = y_pred.data();
                             float* gp = y_pred.grad_buffer().data();
                             for (std::size_t r = 0; r < l.rows; ++r)
                               row_grad(p + r * l.cols, gp + r * l.cols, l.cols, RowTarget{nullptr, labels[r], 1, 0},
                                        from_logits, g[r]);
                           });
  }
  return y;
}

}  // namespace xkeras::losses::detail
