// Slicing (from_tensors) and stacking (batch) copy whole rows with memcpy: no per-element dispatch.
#include "data/element_ops.hpp"

#include <cstring>

#include "xkeras/errors.hpp"

namespace xkeras::data::detail {

namespace {

std::size_t row_size(const Shape& s) {
  std::size_t n = 1;
  for (std::size_t k = 1; k < s.size(); ++k) n *= s[k];
  return n;
}

}  // namespace

Tensor slice_row(const Tensor& t, std::size_t i) {
  const Shape s = t.shape();
  const Shape row(s.begin() + 1, s.end());
  const std::size_t n = row_size(s);
  if (t.is_int()) {
    IntArray a = IntArray::from_shape(row);
    std::memcpy(a.data(), t.idata() + i * n, n * sizeof(std::int32_t));
    return Tensor(std::move(a));
  }
  Array a = Array::from_shape(row);
  std::memcpy(a.data(), t.data() + i * n, n * sizeof(float));
  return Tensor(std::move(a));
}

Element stack(const std::vector<Element>& elements, std::size_t first_index) {
  if (elements.empty()) throw ValueError("Dataset.batch: no elements to stack");
  const Element& first = elements.front();
  const std::size_t b = elements.size();
  for (std::size_t e = 1; e < b; ++e) {
    if (elements[e].size() != first.size())
      throw ValueError("Dataset.batch: element " + std::to_string(first_index + e) + " has " +
                       std::to_string(elements[e].size()) + " components, expected " + std::to_string(first.size()) +
                       " as element " + std::to_string(first_index));
  }
  Element out;
  out.reserve(first.size());
  for (std::size_t c = 0; c < first.size(); ++c) {
    if (!first[c].defined())
      throw ValueError("Dataset.batch: component " + std::to_string(c) + " of element " + std::to_string(first_index) +
                       " is an undefined tensor");
    const Shape s = first[c].shape();
    const bool is_int = first[c].is_int();
    for (std::size_t e = 1; e < b; ++e) {
      const Tensor& t = elements[e][c];
      if (!t.defined() || t.is_int() != is_int || t.shape() != s)
        throw ValueError("Dataset.batch: component " + std::to_string(c) + " of element " +
                         std::to_string(first_index + e) + " is " +
                         (t.defined() ? std::string(dtype_name(t.dtype())) + " " + shape_str(t.shape())
                                      : std::string("undefined")) +
                         ", expected " + dtype_name(first[c].dtype()) + " " + shape_str(s) + " as element " +
                         std::to_string(first_index) + " (batch needs equal shapes)");
    }
    Shape bs{b};
    bs.insert(bs.end(), s.begin(), s.end());
    const std::size_t n = first[c].size();
    if (is_int) {
      IntArray a = IntArray::from_shape(bs);
      for (std::size_t e = 0; e < b; ++e) std::memcpy(a.data() + e * n, elements[e][c].idata(), n * sizeof(std::int32_t));
      out.emplace_back(std::move(a));
    } else {
      Array a = Array::from_shape(bs);
      for (std::size_t e = 0; e < b; ++e) std::memcpy(a.data() + e * n, elements[e][c].data(), n * sizeof(float));
      out.emplace_back(std::move(a));
    }
  }
  return out;
}

}  // namespace xkeras::data::detail
