#include "models/training/class_weight.hpp"

#include <cmath>
#include <vector>

#include "xkeras/errors.hpp"
#include "xkeras/ops.hpp"

namespace xkeras::training {

Tensor class_weight_to_sample_weight(const Tensor& y_in, const ClassWeight& class_weight) {
  const Tensor y = y_in.is_int() ? ops::cast(y_in, DType::float32) : y_in;
  const Shape s = y.shape();
  if (s.empty()) throw ValueError("class_weight needs targets with a batch axis, received a scalar");
  const std::size_t n = s[0];
  const std::size_t per = n ? y.size() / n : 0;
  const bool one_hot = s.size() > 1 && s.back() != 1;
  if (!one_hot && per != 1)
    throw ValueError("class_weight needs one class per sample (shape (N,), (N, 1) or one-hot (N, C)), received targets of shape " +
                     shape_str(s));
  if (one_hot && s.size() != 2)
    throw ValueError("class_weight needs one-hot targets of shape (N, C), received shape " + shape_str(s));
  std::vector<float> w(n, 1.0f);
  const float* d = y.data();
  for (std::size_t i = 0; i < n; ++i) {
    long cls;
    if (one_hot) {
      std::size_t best = 0;  // numpy's argmax: the first maximum
      for (std::size_t j = 1; j < per; ++j)
        if (d[i * per + j] > d[i * per + best]) best = j;
      cls = static_cast<long>(best);
    } else {
      cls = std::lround(std::nearbyint(d[i]));  // np.round: halves to even
    }
    auto it = class_weight.find(static_cast<int>(cls));
    if (it != class_weight.end()) w[i] = static_cast<float>(it->second);
  }
  return Tensor::from({n}, w);
}

}  // namespace xkeras::training
