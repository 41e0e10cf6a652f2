// The HDF5 wrapper (saving/h5_file.hpp): what it writes reads back exactly; real files written by
// h5py for Keras read as h5py reads them (the expected values below were read with h5py 3.7); hostile
// images fail with errors that name the file and the HDF5 path.
#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "../../saving/atomic_write.hpp"
#include "../../saving/h5_file.hpp"
#include "wild/wild_dir.hpp"
#include "xkeras/errors.hpp"

using namespace xkeras;
namespace h5 = xkeras::saving::h5;

namespace {

std::string wild(const std::string& name) { return (wildtest::shared_dir() / "wild_keras_files" / name).string(); }

std::string sample_image() {
  auto f = h5::File::create("sample");
  auto g = f.create_group("layers/dense/vars");
  const std::vector<float> k = {1.5f, -2.25f, 3e-38f, -0.0f, 7.0f, 1e30f};
  g.write_floats("0", {2, 3}, k.data());
  const float scalar = 0.125f;
  g.write_floats("1", {}, &scalar);
  const std::int64_t it[1] = {41};
  f.create_group("optimizer/vars").write_ints("0", {}, it);
  g.set_attr_string("name", "dense_7");
  f.set_attr_bytes("model_config", "{\"class_name\": \"Sequential\"}");
  f.set_attr_strings("layer_names", {"dense", "dropout_12", "x"});
  f.create_group("empty").set_attr_strings("weight_names", {});
  return f.image();
}

}  // namespace

TEST_CASE("h5 file: what is written reads back bit for bit") {
  const std::string image = sample_image();
  REQUIRE(h5::File::looks_like_hdf5(image));
  const auto f = h5::File::open_image(image, "sample.h5");
  CHECK(f.children() == std::vector<std::string>{"empty", "layers", "optimizer"});
  const auto g = f.group("layers/dense/vars");
  CHECK(g.path() == "/layers/dense/vars");
  CHECK(g.children() == std::vector<std::string>{"0", "1"});
  const auto info = g.dataset_info("0");
  CHECK(info.shape == Shape{2, 3});
  CHECK(info.is_float);
  CHECK(info.elem_bytes == 4);
  std::vector<float> k(6);
  g.read_floats("0", k.data(), 6);
  const std::vector<float> want = {1.5f, -2.25f, 3e-38f, -0.0f, 7.0f, 1e30f};
  CHECK(std::memcmp(k.data(), want.data(), 24) == 0);
  CHECK(g.dataset_info("1").shape.empty());
  float s = 0;
  g.read_floats("1", &s, 1);
  CHECK(s == 0.125f);
  std::int64_t it = 0;
  f.group("optimizer/vars").read_ints("0", &it, 1);
  CHECK(it == 41);
  CHECK(g.attr_string("name") == "dense_7");
  CHECK(f.attr_string("model_config") == "{\"class_name\": \"Sequential\"}");
  CHECK(f.attr_strings("layer_names") == std::vector<std::string>{"dense", "dropout_12", "x"});
  CHECK(f.group("empty").attr_strings("weight_names").empty());
  CHECK(f.has_group("layers/dense"));
  CHECK_FALSE(f.has_group("layers/conv2d"));
  CHECK(g.has_dataset("0"));
  CHECK_FALSE(g.has_dataset("2"));
  CHECK_FALSE(f.has_attr("training_config"));
}

TEST_CASE("h5 file: a read with the wrong count or a missing path names the HDF5 path") {
  const auto f = h5::File::open_image(sample_image(), "sample.h5");
  std::vector<float> k(5);
  CHECK_THROWS_WITH(f.group("layers/dense/vars").read_floats("0", k.data(), 5),
                    Catch::Contains("sample.h5: /layers/dense/vars/0") && Catch::Contains("expected 5 values"));
  CHECK_THROWS_WITH(f.group("layers/conv2d"), Catch::Contains("sample.h5: /layers/conv2d") && Catch::Contains("expected a group"));
  CHECK_THROWS_WITH(f.group("layers/dense/vars").read_floats("7", k.data(), 5), Catch::Contains("/layers/dense/vars/7"));
  CHECK_THROWS_WITH(f.attr_string("layer_names"), Catch::Contains("expected one string, got 3"));
  CHECK_THROWS_WITH(f.attr_string("nope"), Catch::Contains("attribute \"nope\""));
  // A dataset is not a group, and a group is not a dataset.
  CHECK_THROWS_AS(f.group("layers/dense/vars/0"), ConfigError);
  CHECK_THROWS_AS(f.dataset_info("layers"), ConfigError);
}

TEST_CASE("h5 file: damaged images are errors naming the source") {
  const std::string image = sample_image();
  CHECK_THROWS_WITH(h5::File::open_image("not hdf5 at all", "x.h5"), Catch::Contains("x.h5") && Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_WITH(h5::File::open_image(image.substr(0, 100), "cut.h5"), Catch::Contains("cut.h5"));
  // Every prefix of the file either opens (and then reads or fails cleanly) or is refused.
  for (std::size_t n = 8; n < image.size(); n += 97) {
    try {
      const auto f = h5::File::open_image(image.substr(0, n), "cut.h5");
      std::vector<float> k(6);
      f.group("layers/dense/vars").read_floats("0", k.data(), 6);
    } catch (const ConfigError&) {
    }
  }
}

TEST_CASE("h5 file: h5py-written Keras files read as h5py reads them") {
  // Variable-length string attributes (tf.keras 2.11), values as h5py 3.7 prints them.
  const auto a = h5::File::open(wild("accel_nn.h5"));
  CHECK(a.attr_string("keras_version") == "2.11.0");
  CHECK(a.attr_string("backend") == "tensorflow");
  CHECK(a.attr_strings("layer_names") ==
        std::vector<std::string>{"flatten_3", "dense_12", "dense_13", "dense_14", "dense_15", "dropout_4", "dense_16"});
  const auto d = a.group("dense_12/dense_12");
  CHECK(d.dataset_info("kernel:0").shape == Shape{450, 192});
  std::vector<float> k(450 * 192);
  d.read_floats("kernel:0", k.data(), k.size());
  CHECK(k[0] == 0.018995311111211777f);
  CHECK(k[1] == 0.011114788241684437f);
  CHECK(k[2] == -0.0018555704737082124f);
  std::vector<float> b(192);
  d.read_floats("bias:0", b.data(), b.size());
  CHECK(b[1] == -0.004737056326121092f);
  // Fixed-length (numpy "S15") string arrays, and an empty float64 weight_names (Keras 2.3.1).
  const auto c = h5::File::open(wild("classifysound_cnn_k231.h5"));
  CHECK(c.attr_strings("layer_names") ==
        std::vector<std::string>{"input_1", "conv2d_1", "max_pooling2d_1", "conv2d_2", "max_pooling2d_2", "conv2d_3",
                                 "max_pooling2d_3", "flatten_1", "dense_1", "dense_2"});
  CHECK(c.group("input_1").attr_strings("weight_names").empty());
  CHECK(c.group("conv2d_1").attr_strings("weight_names") ==
        std::vector<std::string>{"conv2d_1/kernel:0", "conv2d_1/bias:0"});
}

TEST_CASE("h5 file: a dataset larger than the sandbox's read slab opens and reads back") {
  // 5 million values (2500 x 2000): the child process of h5_sandbox.cpp reads it in two slabs.
  std::vector<float> big(2500 * 2000);
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = float(i % 1000) - 500.0f;
  auto f = h5::File::create("big");
  f.create_group("vars").write_floats("0", {2500, 2000}, big.data());
  const auto back = h5::File::open_image(f.image(), "big.h5");
  std::vector<float> got(big.size());
  back.group("vars").read_floats("0", got.data(), got.size());
  CHECK(got == big);
}
