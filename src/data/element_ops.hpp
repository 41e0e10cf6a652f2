// Slicing and stacking of dataset elements (private to src/data and the dataset adapters).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "xkeras/data.hpp"

namespace xkeras::data::detail {

/// Row `i` of t along axis 0 (a copy, same dtype; shape t.shape()[1:]).
Tensor slice_row(const Tensor& t, std::size_t i);

/// Stacks the elements along a new axis 0, component by component. ValueError naming the element
/// (`first_index` + position) whose arity, dtype or shape differs from the first element's.
Element stack(const std::vector<Element>& elements, std::size_t first_index);

}  // namespace xkeras::data::detail
