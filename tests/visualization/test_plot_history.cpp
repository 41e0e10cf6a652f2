// plot_history: training curves through PLplot; the picture's size, robustness to NaN/Inf and
// one epoch, and which curves share a panel.
#include <catch2/catch.hpp>

#include <cmath>
#include <unistd.h>

#include <filesystem>
#include <limits>

#include <xkeras/errors.hpp>
#include <xkeras/visualization.hpp>

#include "visualization/history_panels.hpp"
#include "visualization/png_info.hpp"

using namespace xkeras;
using xkeras::testing::file_bytes;
using xkeras::testing::png_size;
namespace fs = std::filesystem;

namespace {

History make_history(const std::vector<std::pair<std::string, std::vector<double>>>& series) {
  History h;
  for (const auto& [k, v] : series) {
    h.keys.push_back(k);
    h.history[k] = v;
  }
  if (!series.empty())
    for (std::size_t i = 0; i < series.front().second.size(); ++i) h.epoch.push_back(int(i));
  return h;
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("xkeras_plot_history_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("plot_history writes a PNG of the requested size and a default size per panel") {
  TempDir dir;
  const History h = make_history({{"loss", {0.9, 0.5, 0.4, 0.35}},
                                  {"accuracy", {0.6, 0.8, 0.85, 0.9}},
                                  {"val_loss", {0.95, 0.6, 0.5, 0.48}},
                                  {"val_accuracy", {0.55, 0.75, 0.8, 0.82}}});
  const std::string png = (dir.path / "curves.png").string();
  visualization::plot_history(h, png, visualization::PlotHistoryOptions().with_width(800).with_height(500));
  auto s = png_size(file_bytes(png));
  CHECK(s.valid);
  CHECK(s.width == 800);
  CHECK(s.height == 500);

  // Two panels (loss, accuracy) side by side: 600 x 400 each.
  visualization::plot_history(h, png);
  s = png_size(file_bytes(png));
  CHECK(s.valid);
  CHECK(s.width == 1200);
  CHECK(s.height == 400);

  // One column: stacked.
  visualization::plot_history(h, png, visualization::PlotHistoryOptions().with_columns(1).with_title("run 1"));
  s = png_size(file_bytes(png));
  CHECK(s.width == 600);
  CHECK(s.height == 840);  // 2 rows of 400 and 40 for the title

  const std::string svg = (dir.path / "curves.svg").string();
  visualization::plot_history(h, svg);
  CHECK(file_bytes(svg).find("<svg") != std::string::npos);
}

TEST_CASE("plot_history draws NaN and Inf values and one epoch without crashing") {
  TempDir dir;
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const std::string png = (dir.path / "curves.png").string();
  // TerminateOnNaN's history: the last loss is NaN; a validation value overflowed.
  visualization::plot_history(make_history({{"loss", {1.0, 0.5, nan}}, {"val_loss", {1.2, inf, -inf}}}), png);
  CHECK(png_size(file_bytes(png)).valid);
  // Nothing finite at all: the panel still draws (with a note).
  visualization::plot_history(make_history({{"loss", {nan}}, {"val_loss", {inf}}}), png);
  CHECK(png_size(file_bytes(png)).valid);
  // One epoch: one point per curve.
  visualization::plot_history(make_history({{"loss", {0.3}}, {"val_loss", {0.4}}}), png);
  auto s = png_size(file_bytes(png));
  CHECK(s.valid);
  CHECK(s.width == 600);
  CHECK(s.height == 400);
  // A diverged run: values beyond 1e30 are left out like NaN, the others still draw.
  visualization::plot_history(make_history({{"loss", {1.0, 1e300, -1e300, 0.5}}, {"val_loss", {1e308, 2.0, 1.0, 0.7}}}), png);
  CHECK(png_size(file_bytes(png)).valid);
  // Equal values (a flat line) get a y range too.
  visualization::plot_history(make_history({{"loss", {2.0, 2.0, 2.0}}}), png);
  CHECK(png_size(file_bytes(png)).valid);
}

TEST_CASE("plot_history refuses an empty History and bad options and keeps the old file") {
  TempDir dir;
  const std::string png = (dir.path / "curves.png").string();
  CHECK_THROWS_AS(visualization::plot_history(History{}, png), ValueError);
  CHECK_THROWS_AS(visualization::plot_history(make_history({{"loss", {}}, {"val_loss", {}}}), png), ValueError);
  CHECK_FALSE(fs::exists(png));

  const History h = make_history({{"loss", {1.0, 0.5}}});
  visualization::plot_history(h, png);
  const std::string before = file_bytes(png);
  CHECK_THROWS_AS(visualization::plot_history(h, (dir.path / "curves.bmp").string()), ValueError);
  CHECK_THROWS_AS(visualization::plot_history(h, png, visualization::PlotHistoryOptions().with_width(5)), ValueError);
  CHECK_THROWS_AS(visualization::plot_history(h, png, visualization::PlotHistoryOptions().with_height(20000)), ValueError);
  CHECK_THROWS_AS(visualization::plot_history(h, png, visualization::PlotHistoryOptions().with_columns(-1)), ValueError);
  CHECK(file_bytes(png) == before);
  CHECK_THROWS_AS(visualization::plot_history(h, (dir.path / "missing" / "curves.png").string()), IOError);
}

TEST_CASE("plot_history panels: loss first and val_ keys beside their metric") {
  const History h = make_history({{"accuracy", {0.5, 0.6}},
                                  {"loss", {1.0, 0.8}},
                                  {"val_accuracy", {0.4, 0.5}},
                                  {"val_loss", {1.1, 0.9}},
                                  {"val_auc", {0.7, 0.75}},
                                  {"learning_rate", {0.01, 0.001}}});
  const auto panels = visualization::history_panels(h);
  REQUIRE(panels.size() == 4);
  CHECK(panels[0].metric == "loss");
  REQUIRE(panels[0].curves.size() == 2);
  CHECK(panels[0].curves[0].key == "loss");
  CHECK_FALSE(panels[0].curves[0].validation);
  CHECK(panels[0].curves[1].key == "val_loss");
  CHECK(panels[0].curves[1].validation);
  CHECK(panels[0].curves[1].values == std::vector<double>{1.1, 0.9});
  CHECK(panels[0].curves[1].epochs == std::vector<double>{1, 2});  // 1-based
  CHECK(panels[1].metric == "accuracy");
  CHECK(panels[1].curves.size() == 2);
  CHECK(panels[2].metric == "auc");  // validation only
  REQUIRE(panels[2].curves.size() == 1);
  CHECK(panels[2].curves[0].key == "val_auc");
  CHECK(panels[3].metric == "learning_rate");
  CHECK(panels[3].curves.size() == 1);

  // fit with initial_epoch = 3: the History's epoch numbers are kept (drawn 4, 5).
  History resumed = make_history({{"loss", {0.5, 0.4}}});
  resumed.epoch = {3, 4};
  CHECK(visualization::history_panels(resumed)[0].curves[0].epochs == std::vector<double>{4, 5});
}
