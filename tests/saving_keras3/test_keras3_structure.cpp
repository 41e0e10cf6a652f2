// The exact HDF5 layout xkeras writes (keras_reference_layers2.md §13.1, confirmed on the wild files
// written by Keras 3.8-3.12): group paths, dataset names and shapes, dtypes and "name" attributes.
// tools/h5py_check.py checks the same files with h5py, independently of our HDF5 wrapper.
#include <catch2/catch.hpp>

#include <map>

#include "../../saving/atomic_write.hpp"
#include "../../saving/h5_file.hpp"
#include "../../saving/zip_archive.hpp"
#include "k3_helpers.hpp"

using namespace xkeras;
using namespace k3test;
namespace h5 = xkeras::saving::h5;

namespace {

// "path" -> "group name=<attr>" or "f32 (3, 4)" / "i64 ()": every object under `g`.
void list(const h5::Group& g, const std::string& prefix, std::map<std::string, std::string>& out) {
  for (const auto& c : g.children()) {
    const std::string p = prefix.empty() ? c : prefix + "/" + c;
    if (g.has_dataset(c)) {
      const auto info = g.dataset_info(c);
      out[p] = std::string(info.is_float ? "f" : "i") + std::to_string(8 * info.elem_bytes) + " " + shape_str(info.shape);
    } else {
      const h5::Group sub = g.group(c);
      out[p] = sub.has_attr("name") ? "group name=" + sub.attr_string("name") : "group";
      list(sub, p, out);
    }
  }
}

std::map<std::string, std::string> layout_of(const std::string& image) {
  std::map<std::string, std::string> out;
  list(h5::File::open_image(image, "test"), "", out);
  return out;
}

}  // namespace

TEST_CASE("keras3 structure: recurrent wrappers and cells") {
  clear_session();
  const Model m = recurrent_stack();
  const std::string dir = scratch_dir("structure_rnn");
  m.save_weights(dir + "/r.weights.h5");
  const auto got = layout_of(saving::read_file(dir + "/r.weights.h5"));
  const auto L = m.layers();  // input, lstm, gru, bidirectional, time_distributed
  REQUIRE(L.size() == 5);
  const std::string bi_f = L[3]->sublayers()[0]->name();
  const std::string bi_b = L[3]->sublayers()[1]->name();
  const std::string td_inner = L[4]->sublayers()[0]->name();
  const std::map<std::string, std::string> want = {
      {"layers", "group"},
      {"layers/input_layer", "group"},
      {"layers/input_layer/vars", "group name=" + L[0]->name()},
      {"layers/lstm", "group"},
      {"layers/lstm/vars", "group name=" + L[1]->name()},
      {"layers/lstm/cell", "group"},
      {"layers/lstm/cell/vars", "group name=lstm_cell"},
      {"layers/lstm/cell/vars/0", "f32 (3, 16)"},
      {"layers/lstm/cell/vars/1", "f32 (4, 16)"},
      {"layers/lstm/cell/vars/2", "f32 (16,)"},
      {"layers/gru", "group"},
      {"layers/gru/vars", "group name=" + L[2]->name()},
      {"layers/gru/cell", "group"},
      {"layers/gru/cell/vars", "group name=gru_cell"},
      {"layers/gru/cell/vars/0", "f32 (4, 9)"},
      {"layers/gru/cell/vars/1", "f32 (3, 9)"},
      {"layers/gru/cell/vars/2", "f32 (2, 9)"},
      {"layers/bidirectional", "group"},
      {"layers/bidirectional/vars", "group name=" + L[3]->name()},
      {"layers/bidirectional/forward_layer", "group"},
      {"layers/bidirectional/forward_layer/vars", "group name=" + bi_f},
      {"layers/bidirectional/forward_layer/cell", "group"},
      {"layers/bidirectional/forward_layer/cell/vars", "group name=simple_rnn_cell"},
      {"layers/bidirectional/forward_layer/cell/vars/0", "f32 (3, 2)"},
      {"layers/bidirectional/forward_layer/cell/vars/1", "f32 (2, 2)"},
      {"layers/bidirectional/forward_layer/cell/vars/2", "f32 (2,)"},
      {"layers/bidirectional/backward_layer", "group"},
      {"layers/bidirectional/backward_layer/vars", "group name=" + bi_b},
      {"layers/bidirectional/backward_layer/cell", "group"},
      {"layers/bidirectional/backward_layer/cell/vars", "group name=simple_rnn_cell"},
      {"layers/bidirectional/backward_layer/cell/vars/0", "f32 (3, 2)"},
      {"layers/bidirectional/backward_layer/cell/vars/1", "f32 (2, 2)"},
      {"layers/bidirectional/backward_layer/cell/vars/2", "f32 (2,)"},
      {"layers/time_distributed", "group"},
      {"layers/time_distributed/vars", "group name=" + L[4]->name()},
      {"layers/time_distributed/layer", "group"},
      {"layers/time_distributed/layer/vars", "group name=" + td_inner},
      {"layers/time_distributed/layer/vars/0", "f32 (4, 2)"},
      {"layers/time_distributed/layer/vars/1", "f32 (2,)"},
      {"vars", "group name=recurrent"},
  };
  CHECK(got == want);
  CHECK(bi_f.rfind("forward_", 0) == 0);
  CHECK(bi_b.rfind("backward_", 0) == 0);
}

TEST_CASE("keras3 structure: Sequential numbering by class and the optimizer of a compiled model") {
  clear_session();
  const Model m = trained_adam_mlp();
  const std::string dir = scratch_dir("structure_mlp");
  m.save(dir + "/m.keras");
  const saving::zip::Reader z(saving::read_file(dir + "/m.keras"), "m.keras");
  CHECK(z.names() == std::vector<std::string>{"metadata.json", "config.json", "model.weights.h5"});
  const json meta = json::parse(z.read("metadata.json", 1 << 20));
  CHECK(meta.size() == 2);
  CHECK(meta.at("keras_version") == "3.10.0");
  CHECK(meta.at("date_saved").get<std::string>().size() == std::string("2026-01-01@00:00:00").size());
  const json config = json::parse(z.read("config.json", 1 << 20));
  CHECK(config.at("class_name") == "Sequential");
  CHECK(config.at("compile_config").at("optimizer").at("class_name") == "Adam");

  const auto got = layout_of(z.read("model.weights.h5", 1 << 24));
  std::map<std::string, std::string> want = {
      {"layers", "group"},
      {"layers/dense", "group"},
      {"layers/dense/vars", "group name=dense"},
      {"layers/dense/vars/0", "f32 (5, 4)"},
      {"layers/dense/vars/1", "f32 (4,)"},
      {"layers/batch_normalization", "group"},
      {"layers/batch_normalization/vars", "group name=batch_normalization"},
      {"layers/batch_normalization/vars/0", "f32 (4,)"},
      {"layers/batch_normalization/vars/1", "f32 (4,)"},
      {"layers/batch_normalization/vars/2", "f32 (4,)"},
      {"layers/batch_normalization/vars/3", "f32 (4,)"},
      {"layers/dense_1", "group"},
      {"layers/dense_1/vars", "group name=dense_1"},
      {"layers/dense_1/vars/0", "f32 (4, 2)"},
      {"layers/dense_1/vars/1", "f32 (2,)"},
      {"optimizer", "group"},
      {"optimizer/vars", "group name=adam"},
      {"optimizer/vars/0", "i64 ()"},
      {"optimizer/vars/1", "f32 ()"},
      {"vars", "group name=mlp"},
  };
  // Adam: momentum and velocity of each trainable weight in turn (dense kernel, bias, gamma, beta, ...).
  const char* shapes[] = {"(5, 4)", "(4,)", "(4,)", "(4,)", "(4, 2)", "(2,)"};
  for (int v = 0; v < 6; ++v)
    for (int s = 0; s < 2; ++s) want["optimizer/vars/" + std::to_string(2 + 2 * v + s)] = std::string("f32 ") + shapes[v];
  CHECK(got == want);
}
