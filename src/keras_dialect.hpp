// Which Keras wrote the file being read. A few names mean different things across versions (Keras 3's
// hard_sigmoid is relu6(x + 3) / 6, Keras 1/2's and TensorFlow.js's is clip(0.2x + 0.5, 0, 1)), and
// Keras 1 spelled most arguments differently. The file readers open a scope; ConfigReader and the
// layer reader consult it. Private to the library.
#pragma once

#include <string>

#include "xkeras/json.hpp"

namespace xkeras::detail {

struct KerasDialect {
  int major = 3;      // 1, 2 or 3: the Keras whose semantics the file's names carry
  bool tfjs = false;  // written by TensorFlow.js (Keras 2 semantics, its own spellings)
};

/// From a top-level object's "keras_version" / "backend" ("1.2.1", "2.2.4-tf", "tfjs-layers 1.3.1",
/// "tensor_flow.js"). Without a version: Keras 2 if the layout is tf.keras's (an InputLayer with
/// "batch_input_shape" anywhere), else Keras 3, which writes no version in to_json.
KerasDialect dialect_of(const json& top_level);

/// The scope open on this thread (Keras 3 when none is).
const KerasDialect& current_dialect();

class DialectScope {
 public:
  explicit DialectScope(KerasDialect d);
  ~DialectScope();
  DialectScope(const DialectScope&) = delete;
  DialectScope& operator=(const DialectScope&) = delete;

 private:
  KerasDialect saved_;
};

}  // namespace xkeras::detail
