// Neural-network ops. STUB FILE: to be written.
#include "ops/common.hpp"

namespace xkeras::ops {
Tensor softmax(const Tensor&, int) { throw NotImplementedError("ops::softmax"); }
Tensor log_softmax(const Tensor&, int) { throw NotImplementedError("ops::log_softmax"); }
Tensor l2_normalize(const Tensor&, const Axes&, float) { throw NotImplementedError("ops::l2_normalize"); }
Tensor unit_normalize(const Tensor&, const Axes&, float) { throw NotImplementedError("ops::unit_normalize"); }
}  // namespace xkeras::ops
