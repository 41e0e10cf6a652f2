#include "keras_dialect.hpp"

#include <cctype>
#include <vector>

namespace xkeras::detail {

namespace {

thread_local KerasDialect dialect{};

// tf.keras and Keras 1/2 write "batch_input_shape"; Keras 3 writes "batch_shape". Iterative, so a
// deeply nested hostile document cannot overflow the stack (parse_document bounds the depth anyway).
bool has_key_anywhere(const json& root, const char* key) {
  std::vector<const json*> todo{&root};
  while (!todo.empty()) {
    const json* j = todo.back();
    todo.pop_back();
    if (j->is_object()) {
      if (j->contains(key)) return true;
      for (const auto& [k, v] : j->items()) todo.push_back(&v);
    } else if (j->is_array()) {
      for (const auto& v : *j) todo.push_back(&v);
    }
  }
  return false;
}

}  // namespace

KerasDialect dialect_of(const json& top) {
  KerasDialect d;
  if (!top.is_object()) return d;
  const auto backend = top.find("backend");
  if (backend != top.end() && backend->is_string()) {
    const std::string& b = backend->get_ref<const std::string&>();
    if (b == "tensor_flow.js" || b == "TensorFlow.js" || b == "tensorflow.js") d.tfjs = true;
  }
  const auto version = top.find("keras_version");
  if (version != top.end() && version->is_string()) {
    const std::string& v = version->get_ref<const std::string&>();
    if (v.rfind("tfjs", 0) == 0) d.tfjs = true;
    else if (!v.empty() && std::isdigit(static_cast<unsigned char>(v[0]))) d.major = v[0] == '1' ? 1 : v[0] == '2' ? 2 : 3;
  } else if (has_key_anywhere(top, "batch_input_shape")) {
    d.major = 2;
  }
  if (d.tfjs) d.major = 2;
  return d;
}

const KerasDialect& current_dialect() { return dialect; }

DialectScope::DialectScope(KerasDialect d) : saved_(dialect) { dialect = d; }
DialectScope::~DialectScope() { dialect = saved_; }

}  // namespace xkeras::detail
