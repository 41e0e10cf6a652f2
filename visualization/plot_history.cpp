// Training curves drawn with PLplot (Debian's libplplot; chosen over MathGL for its stable C API and
// long-kept cairo driver, which writes antialiased PNG, SVG and PDF). Each panel gets its own viewport
// on one page; PLplot writes into a private temporary directory and the bytes are then written
// atomically to the target.
#include <plplot/plplot.h>
#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "saving/atomic_write.hpp"
#include "visualization/history_panels.hpp"
#include "visualization/html_escape.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/visualization.hpp"

namespace xkeras::visualization {

namespace {

namespace fs = std::filesystem;

// PLplot keeps its streams in global state: one plot at a time.
std::mutex& plplot_mutex() {
  static std::mutex m;
  return m;
}

// Colour map 0 entries set for every plot.
enum Colour : PLINT { kBackground = 0, kInk = 1, kTrain = 2, kValidation = 3, kGrid = 4 };

std::string driver_for(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".png" || ext == ".PNG") return "pngcairo";
  if (ext == ".svg" || ext == ".SVG") return "svgcairo";
  if (ext == ".pdf" || ext == ".PDF") return "pdfcairo";
  throw ValueError("plot_history: expected a file name ending in .png, .svg or .pdf, got \"" + path + "\"");
}

bool has_driver(const std::string& name) {
  const char* menus[256];
  const char* names[256];
  const char** pm = menus;
  const char** pn = names;
  int n = 256;
  plgDevs(&pm, &pn, &n);
  for (int i = 0; i < n; ++i)
    if (name == names[i]) return true;
  return false;
}

// PLplot reads '#' as the start of an escape sequence; "##" is a literal '#'.
std::string plplot_text(const std::string& text) {
  std::string out;
  for (char c : clean_text(text, 60)) {
    out += c;
    if (c == '#') out += '#';
  }
  return out;
}

// A private directory removed with everything in it when the plot is done.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string templ = (fs::temp_directory_path() / "xkeras-plot-XXXXXX").string();
    if (!mkdtemp(templ.data())) throw IOError("plot_history: cannot create a temporary directory in " + templ);
    path = templ;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// NaN, Inf and values beyond +-1e30 (a diverged run) are left out: PLplot's axis arithmetic needs a finite span.
bool plottable(double v) { return std::isfinite(v) && std::fabs(v) <= 1e30; }

struct Range {
  double lo = INFINITY, hi = -INFINITY;
  void add(double v) {
    if (!plottable(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool empty() const { return lo > hi; }
  // Padded by 5% so lines do not run along the frame; a flat range gets a width.
  void pad() {
    if (empty()) {
      lo = 0;
      hi = 1;
    } else if (hi - lo < 1e-12 * std::max(1.0, std::fabs(lo))) {
      const double d = std::max(0.5, std::fabs(lo) * 0.1);
      lo -= d;
      hi += d;
    } else {
      const double d = (hi - lo) * 0.05;
      lo -= d;
      hi += d;
    }
  }
};

// Draws the curve's finite points joined by lines; a NaN or Inf breaks the line.
void draw_curve(const Curve& c) {
  plcol0(c.validation ? kValidation : kTrain);
  std::vector<PLFLT> xs, ys;
  auto flush = [&] {
    if (xs.size() >= 2) plline(PLINT(xs.size()), xs.data(), ys.data());
    xs.clear();
    ys.clear();
  };
  for (std::size_t i = 0; i < c.values.size(); ++i) {
    if (!plottable(c.values[i])) {
      flush();
      continue;
    }
    xs.push_back(c.epochs[i]);
    ys.push_back(c.values[i]);
    plpoin(1, &xs.back(), &ys.back(), 4);  // a marker on every point, so one epoch still shows
  }
  flush();
}

void draw_panel(const Panel& p, PLFLT x0, PLFLT x1, PLFLT y0, PLFLT y1, PLFLT text_scale) {
  Range xr, yr;
  bool finite = false;
  for (const auto& c : p.curves)
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      xr.add(c.epochs[i]);
      yr.add(c.values[i]);
      finite = finite || plottable(c.values[i]);
    }
  const double first = xr.lo, last = xr.hi;
  xr.pad();
  yr.pad();
  // Viewport inside the cell, leaving room for the tick labels, axis labels and the title.
  const PLFLT w = x1 - x0, h = y1 - y0;
  plvpor(x0 + 0.14 * w, x1 - 0.04 * w, y0 + 0.16 * h, y1 - 0.12 * h);
  plwind(xr.lo, xr.hi, yr.lo, yr.hi);
  // Whole epochs on the x axis: at most about 10 ticks.
  const double span = xr.empty() ? 1 : std::max(1.0, last - first);
  const PLFLT xtick = std::max(1.0, std::ceil(span / 10.0));
  plcol0(kGrid);
  plbox("g", xtick, 1, "g", 0, 0);
  plcol0(kInk);
  plbox("bcnst", xtick, 1, "bcnstv", 0, 0);
  const std::string metric = plplot_text(p.metric);
  plmtex("t", 1.2, 0.5, 0.5, metric.c_str());
  plmtex("b", 3.2, 0.5, 0.5, "epoch");
  plmtex("l", 5.0, 0.5, 0.5, metric.c_str());
  plwidth(2.0);
  for (const auto& c : p.curves) draw_curve(c);
  plwidth(1.0);
  if (!finite) {
    plcol0(kInk);
    plmtex("t", -3.0, 0.5, 0.5, "no finite values");  // NaN, Inf or beyond 1e30
  }

  std::vector<PLINT> opts, text_colours, line_colours, line_styles;
  std::vector<PLFLT> line_widths;
  std::vector<std::string> labels;
  for (const auto& c : p.curves) {
    opts.push_back(PL_LEGEND_LINE);
    text_colours.push_back(kInk);
    line_colours.push_back(c.validation ? kValidation : kTrain);
    line_styles.push_back(1);
    line_widths.push_back(2.0);
    labels.push_back(c.validation ? "validation" : "train");
  }
  std::vector<const char*> texts;
  for (const auto& l : labels) texts.push_back(l.c_str());
  // The legend goes in the right-hand corner (top or bottom) that covers fewer points: a falling loss
  // leaves the top right free, a rising accuracy the bottom right.
  int top = 0, bottom = 0;
  for (const auto& c : p.curves)
    for (std::size_t i = 0; i < c.values.size(); ++i) {
      if (!plottable(c.values[i]) || c.epochs[i] < xr.lo + 0.5 * (xr.hi - xr.lo)) continue;
      const double y = (c.values[i] - yr.lo) / (yr.hi - yr.lo);
      top += y > 0.6;
      bottom += y < 0.4;
    }
  const PLINT corner = top > bottom ? PL_POSITION_BOTTOM : PL_POSITION_TOP;
  PLFLT legend_w = 0, legend_h = 0;
  pllegend(&legend_w, &legend_h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
           corner | PL_POSITION_RIGHT | PL_POSITION_INSIDE, 0.02, 0.03, 0.08, kBackground, kInk, 1, 0, 0,
           PLINT(opts.size()), opts.data(), 1.0, 0.8 * text_scale, 2.0, 0.0, text_colours.data(), texts.data(), nullptr, nullptr,
           nullptr, nullptr, line_colours.data(), line_styles.data(), line_widths.data(), nullptr, nullptr, nullptr,
           nullptr);
}

void check_size(const char* what, int v) {
  if (v != 0 && (v < 100 || v > 10000))
    throw ValueError(std::string("plot_history: ") + what + " must be 0 (automatic) or in [100, 10000] pixels, got " +
                     std::to_string(v));
}

}  // namespace

void plot_history(const History& history, const std::string& path, const PlotHistoryOptions& options) {
  const std::string driver = driver_for(path);
  check_size("width", options.width);
  check_size("height", options.height);
  if (options.columns < 0 || options.columns > 100)
    throw ValueError("plot_history: columns must be in [0, 100], got " + std::to_string(options.columns));
  const std::vector<Panel> panels = history_panels(history);
  const int n = int(panels.size());
  const int cols = std::min(n, options.columns ? options.columns : (n == 1 ? 1 : 2));
  const int rows = (n + cols - 1) / cols;
  const int width = options.width ? options.width : std::min(10000, 600 * cols);
  const int height = options.height ? options.height : std::min(10000, 400 * rows + (options.title.empty() ? 0 : 40));

  TempDir dir;
  const std::string tmp = (dir.path / ("plot" + fs::path(path).extension().string())).string();
  {
    std::lock_guard<std::mutex> lock(plplot_mutex());
    if (!has_driver(driver))
      throw IOError("plot_history: PLplot has no \"" + driver + "\" driver (install Debian's plplot-driver-cairo)");
    PLINT previous = 0, stream = 0;
    plgstrm(&previous);
    plmkstrm(&stream);  // a stream of our own, so a user's PLplot plot is left alone
    plsdev(driver.c_str());
    plsfnam(tmp.c_str());
    plspage(0, 0, width, height, 0, 0);
    plscolbg(255, 255, 255);
    plinit();
    plscol0(kInk, 0, 0, 0);
    plscol0(kTrain, 31, 119, 180);       // matplotlib's first two colours, which Keras users know
    plscol0(kValidation, 255, 127, 14);
    plscol0(kGrid, 221, 221, 221);
    pladv(0);
    // PLplot's default text height grows with the page's (width + height) / 2; this keeps the text as
    // large in pixels as on an 1200 x 400 page, whatever the page's size.
    const PLFLT text_scale = 800.0 / ((width + height) / 2.0);
    plschr(0, 0.9 * text_scale);
    plssym(0, 0.7 * text_scale);
    const double title_h = options.title.empty() ? 0.0 : std::min(0.1, 40.0 / height);
    for (int i = 0; i < n; ++i) {
      const int r = i / cols, c = i % cols;
      const PLFLT cw = 1.0 / cols, ch = (1.0 - title_h) / rows;
      const PLFLT top = 1.0 - title_h - r * ch;
      draw_panel(panels[std::size_t(i)], c * cw, (c + 1) * cw, top - ch, top, text_scale);
    }
    if (!options.title.empty()) {
      plvpor(0, 1, 1.0 - title_h, 1.0);
      plcol0(kInk);
      plmtex("t", -1.5, 0.5, 0.5, plplot_text(options.title).c_str());
    }
    plend1();
    plsstrm(previous);
  }
  std::error_code ec;
  if (!fs::is_regular_file(tmp, ec) || fs::file_size(tmp, ec) == 0)
    throw IOError("plot_history: PLplot wrote nothing for \"" + path + "\"");
  saving::atomic_write(path, saving::read_file(tmp));
}

}  // namespace xkeras::visualization
