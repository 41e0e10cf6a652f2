// plot_model: graphviz renders in-process; the extension picks the format; saves are atomic.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include <xkeras/layers.hpp>
#include <xkeras/visualization.hpp>
#include <xkeras/xkeras.hpp>

#include "visualization/png_info.hpp"

using namespace xkeras;
using xkeras::testing::file_bytes;
using xkeras::testing::png_size;
namespace fs = std::filesystem;

namespace {

Model small_model() {
  auto x = Input({784}, "image");
  auto h = layers::Dense(32, {.activation = "relu", .name = "hidden"})(x);
  auto a = layers::Dense(10, {.activation = "softmax", .name = "probs"})(h);
  auto b = layers::Dense(1, {.name = "score"})(h);
  return Model(KerasTensors{x}, KerasTensors{a, b}, "two_heads");
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("xkeras_plot_model_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("plot_model writes a valid PNG and SVG and PDF and laid-out DOT") {
  TempDir dir;
  Model m = small_model();
  const auto options = utils::PlotModelOptions().with_show_shapes(true).with_dpi(96);

  const std::string png = (dir.path / "model.png").string();
  utils::plot_model(m, png, options);
  const auto size = png_size(file_bytes(png));
  CHECK(size.valid);
  // Four boxes one above the other (image, hidden, then the two heads side by side): taller than wide
  // is not guaranteed, but both sides are at least a box.
  CHECK(size.width > 100);
  CHECK(size.height > 200);

  // A higher dpi scales the picture: 192 dpi doubles 96 dpi's pixels (graphviz rounds each side).
  const std::string png2 = (dir.path / "model2.png").string();
  utils::plot_model(m, png2, utils::PlotModelOptions().with_show_shapes(true).with_dpi(192));
  const auto size2 = png_size(file_bytes(png2));
  CHECK(std::abs(int(size2.width) - 2 * int(size.width)) <= 2);
  CHECK(std::abs(int(size2.height) - 2 * int(size.height)) <= 2);

  const std::string svg = (dir.path / "model.svg").string();
  utils::plot_model(m, svg, options);
  const std::string s = file_bytes(svg);
  CHECK(s.find("<svg") != std::string::npos);
  CHECK(s.find("hidden") != std::string::npos);
  CHECK(s.find("(None, 784)") != std::string::npos);
  CHECK(s.find("</svg>") != std::string::npos);

  const std::string pdf = (dir.path / "model.pdf").string();
  utils::plot_model(m, pdf, options);
  CHECK(file_bytes(pdf).rfind("%PDF-", 0) == 0);

  // .dot is graphviz's laid-out DOT, as Keras's pydot write(format="dot"): positions added.
  const std::string dot = (dir.path / "model.dot").string();
  utils::plot_model(m, dot, options);
  const std::string d = file_bytes(dot);
  CHECK(d.rfind("digraph G {", 0) == 0);
  CHECK(d.find("pos=") != std::string::npos);
}

TEST_CASE("plot_model rejects unknown formats and keeps the old file") {
  TempDir dir;
  Model m = small_model();
  CHECK_THROWS_AS(utils::plot_model(m, (dir.path / "model.nosuchformat").string()), ValueError);
  CHECK_FALSE(fs::exists(dir.path / "model.nosuchformat"));
  CHECK_THROWS_AS(utils::plot_model(m, (dir.path / "model.p:ng").string()), ValueError);
  // A file in a missing directory: IOError, nothing written.
  CHECK_THROWS_AS(utils::plot_model(m, (dir.path / "missing" / "model.png").string()), IOError);
  // A bad option fails before anything is written: the old file stays.
  const std::string png = (dir.path / "keep.png").string();
  utils::plot_model(m, png, utils::PlotModelOptions().with_dpi(72));
  const std::string before = file_bytes(png);
  CHECK_THROWS_AS(utils::plot_model(m, png, utils::PlotModelOptions().with_rankdir("sideways")), ValueError);
  CHECK(file_bytes(png) == before);
}

TEST_CASE("plot_model draws a model with a hostile layer name") {
  TempDir dir;
  auto x = Input({3}, "in");
  auto y = layers::Dense(2, {.name = "<table>\"]; node [color=red]\n&amp; it's"})(x);
  Model m(x, y);
  const std::string svg = (dir.path / "hostile.svg").string();
  utils::plot_model(m, svg, utils::PlotModelOptions().with_show_shapes(true));
  const std::string s = file_bytes(svg);
  // The name appears as text (SVG escapes it again), and graphviz drew two boxes.
  CHECK(s.find("&lt;table&gt;&quot;]; node [color=red] &amp;amp; it&#39;s") != std::string::npos);
  CHECK(s.find("fill=\"red\"") == std::string::npos);
  CHECK(s.find("stroke=\"red\"") == std::string::npos);
}
