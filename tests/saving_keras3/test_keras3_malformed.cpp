// Broken and hostile .keras / .weights.h5 files: each is a ConfigError naming the file and the path
// inside it (archive member or HDF5 path), with what was expected and what was found. Nothing crashes
// and nothing allocates what the file only declares.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>

#include "../../saving/atomic_write.hpp"
#include "../../saving/h5_file.hpp"
#include "../../saving/zip_archive.hpp"
#include "k3_helpers.hpp"
#include "xkeras/layers/dense.hpp"
#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

using namespace xkeras;
using namespace k3test;
namespace h5 = xkeras::saving::h5;
namespace zip = xkeras::saving::zip;
using Catch::Contains;

namespace {

const std::string kFixtures = XKERAS_SOURCE_DIR "/tests/saving_keras3/fixtures/";

void write(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// Input(5) -> Dense(units) [-> Dense(2)], named so that paths are predictable.
Model dense_model(int units, bool use_bias = true) {
  clear_session();
  Sequential m({layers::Input({5}), layers::Dense(units, {.use_bias = use_bias}), layers::Dense(2)}, "m");
  randomize_weights(m, 21);
  return m;
}

// The members of a saved archive, to rebuild it broken.
std::vector<std::pair<std::string, std::string>> members_of(const std::string& path) {
  zip::Reader z(saving::read_file(path), path);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& n : z.names()) out.emplace_back(n, z.read(n, 1 << 26));
  return out;
}

}  // namespace

TEST_CASE("keras3 malformed: an archive without config.json or model.weights.h5") {
  const std::string dir = scratch_dir("bad_members");
  dense_model(4).save(dir + "/m.keras");
  for (const std::string missing : {"config.json", "model.weights.h5"}) {
    auto members = members_of(dir + "/m.keras");
    members.erase(std::remove_if(members.begin(), members.end(), [&](const auto& m) { return m.first == missing; }),
                  members.end());
    write(dir + "/broken.keras", zip::write(members));
    const std::string e = config_error([&] { load_model(dir + "/broken.keras"); });
    CHECK_THAT(e, Contains("broken.keras") && Contains("\"" + missing + "\"") && Contains("metadata.json"));
  }
}

TEST_CASE("keras3 malformed: config.json that is not JSON or not a model") {
  const std::string dir = scratch_dir("bad_config");
  dense_model(4).save(dir + "/m.keras");
  auto members = members_of(dir + "/m.keras");
  members[1].second = "{\"class_name\": \"Sequential\", ";
  write(dir + "/broken.keras", zip::write(members));
  CHECK_THAT(config_error([&] { load_model(dir + "/broken.keras"); }), Contains("broken.keras: config.json"));
  members[1].second = "{\"class_name\": \"Sequential\", \"config\": {\"layers\": [{\"class_name\": \"Dense\", "
                      "\"config\": {\"units\": -4}}]}}";
  write(dir + "/broken.keras", zip::write(members));
  CHECK_THAT(config_error([&] { load_model(dir + "/broken.keras"); }),
             Contains("broken.keras: config.json") && Contains("units"));
}

TEST_CASE("keras3 malformed: a vars count that does not match names the HDF5 path and the layer") {
  const std::string dir = scratch_dir("bad_count");
  dense_model(4, false).save_weights(dir + "/nobias.weights.h5");
  const Model m = dense_model(4, true);
  const std::string e = config_error([&] { m.load_weights(dir + "/nobias.weights.h5"); });
  CHECK_THAT(e, Contains("nobias.weights.h5: /layers/dense/vars") && Contains("layer \"dense\" (Dense)") &&
                    Contains("expects 2 variable(s) (kernel (5, 4), bias (4,))") && Contains("holds 1"));
}

TEST_CASE("keras3 malformed: a shape that does not match and skip_mismatch") {
  const std::string dir = scratch_dir("bad_shape");
  const Model three = dense_model(3);
  three.save_weights(dir + "/three.weights.h5");
  const Model four = dense_model(4);
  const auto before = four->weights();
  const std::vector<Array> old = four.get_weights();
  const std::string e = config_error([&] { four.load_weights(dir + "/three.weights.h5"); });
  CHECK_THAT(e, Contains("three.weights.h5: /layers/dense/vars") && Contains("(5, 4) in the model") &&
                    Contains("the file holds shape (5, 3)"));
  // Nothing was written into the model by the failed load.
  const auto after = four.get_weights();
  for (std::size_t i = 0; i < old.size(); ++i) CHECK(old[i] == after[i]);
  // skip_mismatch: both Dense layers mismatch here (dense_1's kernel is (3, 2) vs (4, 2)), so nothing loads
  // and nothing throws.
  four.load_weights(dir + "/three.weights.h5", false, true);
  const auto skipped = four.get_weights();
  for (std::size_t i = 0; i < old.size(); ++i) CHECK(old[i] == skipped[i]);
}

TEST_CASE("keras3 malformed: skip_mismatch still loads the layers that fit") {
  const std::string dir = scratch_dir("skip_some");
  clear_session();
  Sequential a({layers::Input({5}), layers::Dense(4), layers::Dense(2)}, "a");
  randomize_weights(a, 1);
  a.save_weights(dir + "/a.weights.h5");
  clear_session();
  Sequential b({layers::Input({5}), layers::Dense(4), layers::Dense(3)}, "b");
  randomize_weights(b, 2);
  const Array last_kernel = b->layers()[1]->own_variables()[0]->value.value();
  b.load_weights(dir + "/a.weights.h5", false, true);
  CHECK(b->layers()[0]->own_variables()[0]->value.value() == a->layers()[0]->own_variables()[0]->value.value());
  CHECK(b->layers()[1]->own_variables()[0]->value.value() == last_kernel);
}

TEST_CASE("keras3 malformed: an integer dataset where a float weight belongs") {
  const std::string dir = scratch_dir("bad_dtype");
  const Model m = dense_model(4);
  h5::File f = h5::File::create("ints");
  h5::Group g = f.create_group("layers/dense/vars");
  std::vector<std::int64_t> kernel(20, 1), bias(4, 0);
  g.write_ints("0", {5, 4}, kernel.data());
  g.write_ints("1", {4}, bias.data());
  write(dir + "/ints.weights.h5", f.image());
  CHECK_THAT(config_error([&] { m.load_weights(dir + "/ints.weights.h5"); }),
             Contains("ints.weights.h5: /layers/dense/vars/0") && Contains("expected float values for kernel"));
}

TEST_CASE("keras3 malformed: datasets that declare values they do not store") {
  // Made by tools/make_keras3_fixtures.py (h5py): chunked datasets that were never written.
  const Model m = dense_model(4);
  CHECK_THAT(config_error([&] { m.load_weights(kFixtures + "huge_dataset.weights.h5"); }),
             Contains("huge_dataset.weights.h5: /layers/dense/vars/0") && Contains("2^31"));
  CHECK_THAT(config_error([&] { load_model(kFixtures + "huge_dataset.keras"); }),
             Contains("huge_dataset.keras: model.weights.h5: /layers/dense/vars/0") && Contains("2^31"));
  // Under the 2^31 limit the declared size is checked against the bytes stored.
  CHECK_THAT(config_error([&] { load_model(kFixtures + "big_declared.keras"); }),
             Contains("big_declared.keras: model.weights.h5: /layers/dense/vars/0") &&
                 Contains("declares 6400000000 bytes of values but the file stores 0"));
}

TEST_CASE("keras3 malformed: a config that asks for more weights than the file stores") {
  // A real small weights file, and a config.json whose Dense wants 15000 x 15000 values (under the 2^28 per-weight limit): refused by
  // the load budget before the layer allocates 0.9 GB.
  const std::string dir = scratch_dir("big_config");
  dense_model(4).save(dir + "/m.keras");
  auto members = members_of(dir + "/m.keras");
  json config = json::parse(members[1].second);
  config["config"]["layers"][0]["config"]["batch_shape"] = {nullptr, 15000};
  config["config"]["layers"][1]["config"]["units"] = 15000;
  members[1].second = config.dump();
  write(dir + "/big.keras", zip::write(members));
  CHECK_THAT(config_error([&] { load_model(dir + "/big.keras"); }),
             Contains("big.keras: config.json") && Contains("dense"));
}

TEST_CASE("keras3 malformed: not a zip and not HDF5") {
  const std::string dir = scratch_dir("bad_bytes");
  write(dir + "/junk.keras", std::string("PK\x03\x04 this is not really a zip", 34));
  CHECK_THAT(config_error([&] { load_model(dir + "/junk.keras"); }), Contains("junk.keras"));
  write(dir + "/junk.weights.h5", "not hdf5 at all");
  CHECK_THAT(config_error([&] { dense_model(4).load_weights(dir + "/junk.weights.h5"); }), Contains("junk.weights.h5"));
}

TEST_CASE("keras3 read: an archive written by h5py and zipfile with deflated members in reverse order") {
  // tools/make_keras3_fixtures.py: kernel [[0.5, -1], [0.25, 2], [-0.75, 0.125]], bias [0.1, -0.2], relu.
  const Model m = load_model(kFixtures + "h5py_deflated.keras");
  const auto w = m->weights();
  REQUIRE(w.size() == 2);
  CHECK(w[0]->value.value() == Array{{0.5f, -1.0f}, {0.25f, 2.0f}, {-0.75f, 0.125f}});
  CHECK(w[1]->value.value() == Array{0.1f, -0.2f});
  // x = [1, 2, 3]: [0.5 + 0.5 - 2.25 + 0.1, -1 + 4 + 0.375 - 0.2] = [-1.15, 3.175] -> relu [0, 3.175]
  const Tensor y = run(m, {Tensor::from({1, 3}, {1, 2, 3})})[0];
  CHECK(y.value()(0, 0) == 0.0f);
  CHECK(y.value()(0, 1) == Approx(3.175f));
}

TEST_CASE("keras3 read: bfloat16 weights as Keras 3 stores them") {
  // tools/make_keras3_fixtures.py: the top 16 bits of each float32, as uint16 with dtype="bfloat16".
  const Model m = load_model(kFixtures + "h5py_deflated.keras");
  m.load_weights(kFixtures + "bfloat16.weights.h5");
  const auto w = m->weights();
  CHECK(w[0]->value.value() == Array{{0.5f, -1.0f}, {0.25f, 2.0f}, {-0.75f, 0.125f}});
  // 0.1f = 0x3DCCCCCD -> 0x3DCC0000 = 0.099609375; -0.2f = 0xBE4CCCCD -> 0xBE4C0000 = -0.19921875
  CHECK(w[1]->value.value() == Array{0.099609375f, -0.19921875f});
}
