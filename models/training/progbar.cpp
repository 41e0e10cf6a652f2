#include "models/training/progbar.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace xkeras::training {

namespace {

std::string printf_str(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string count_str(int current, int target) {
  // "%{nd}d/%d" with nd = int(log10(target)) + 1: the count is right-aligned to the target's width.
  char buf[64];
  if (target <= 0) {  // a generator's length is unknown until it ends (Keras prints "Unknown")
    std::snprintf(buf, sizeof buf, "%7d/Unknown", current);
    return buf;
  }
  const int nd = static_cast<int>(std::log10(static_cast<double>(target))) + 1;
  std::snprintf(buf, sizeof buf, "%*d/%d", nd, current, target);
  return buf;
}

std::string repeat(const char* s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

const char* const kBar = "\xe2\x94\x81";  // "━" U+2501

}  // namespace

std::string format_step_time(double t) {
  if (t >= 1 || t == 0) return printf_str(" %.0fs/step", t);
  if (t >= 1e-3) return printf_str(" %.0fms/step", t * 1000.0);
  return printf_str(" %.0fus/step", t * 1000000.0);
}

std::string format_eta(double eta) {
  // Python's "%d" truncates a float; "//" and "%" floor (eta is never negative here).
  char buf[64];
  if (eta > 3600) {
    std::snprintf(buf, sizeof buf, "%d:%02d:%02d", static_cast<int>(std::floor(eta / 3600)),
                  static_cast<int>(std::floor(std::fmod(eta, 3600) / 60)), static_cast<int>(std::fmod(eta, 60)));
  } else if (eta > 60) {
    std::snprintf(buf, sizeof buf, "%d:%02d", static_cast<int>(std::floor(eta / 60)), static_cast<int>(std::fmod(eta, 60)));
  } else {
    std::snprintf(buf, sizeof buf, "%ds", static_cast<int>(eta));
  }
  return buf;
}

std::string format_value(double v, bool use_abs) {
  if (std::isnan(v)) return "nan";  // Python prints "nan" whatever the sign bit
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const bool plain = use_abs ? std::fabs(v) > 1e-3 : v > 1e-3;
  return printf_str(plain ? "%.4f" : "%.4e", v);
}

std::string format_progress_line(const ProgressLine& l, bool ansi) {
  const char* bold = ansi ? "\x1b[1m" : "";
  const char* green = ansi ? "\x1b[32m" : "";
  const char* white = ansi ? "\x1b[37m" : "";
  const char* reset = ansi ? "\x1b[0m" : "";
  constexpr int kWidth = 20;
  std::string s = std::string(bold) + count_str(l.current, l.target) + reset + " ";
  const int prog_width = l.target > 0 ? static_cast<int>(kWidth * (static_cast<double>(l.current) / l.target)) : 0;
  const int filled = std::max(0, std::min(kWidth, prog_width));
  if (filled > 0) s += std::string(green) + repeat(kBar, filled) + reset;
  s += std::string(white) + repeat(kBar, kWidth - filled) + reset;
  const std::string t = l.finalize ? printf_str("%.0fs", l.seconds) : format_eta(l.seconds);
  s += std::string(" ") + bold + t + reset;
  s += format_step_time(l.time_per_step);
  for (const auto& [k, v] : l.values) s += " - " + k + ": " + format_value(v, true);
  return s;
}

std::string format_epoch_line(int target, double elapsed, double time_per_step, const Logs& values) {
  std::string s = count_str(target, target) + printf_str(" - %.0fs", elapsed) + " -" + format_step_time(time_per_step);
  for (const auto& [k, v] : values) s += " - " + k + ": " + format_value(v, false);
  return s;
}

std::size_t display_width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0x1b && i + 1 < s.size() && s[i + 1] == '[') {  // CSI ... final byte in 0x40..0x7e
      i += 2;
      while (i < s.size() && !(s[i] >= 0x40 && s[i] <= 0x7e)) ++i;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++w;  // count lead bytes only
  }
  return w;
}

bool stdout_is_tty() { return ::isatty(STDOUT_FILENO) == 1; }

// ---- Progbar ---------------------------------------------------------------------------------

Progbar::Progbar(int target, int verbose, std::ostream& out, bool ansi, Clock clock, double interval)
    : target_(target), verbose_(verbose), out_(out), ansi_(ansi), clock_(std::move(clock)), interval_(interval) {
  if (!clock_) {
    clock_ = [] {
      using namespace std::chrono;
      return duration<double>(steady_clock::now().time_since_epoch()).count();
    };
  }
  start_ = clock_();
}

// Keras's _estimate_step_duration: once step 1 is done, its duration (often a warm-up) is left out.
double Progbar::step_duration(int current, double now) {
  if (current <= 0) return 0;
  double t;
  if (have_first_step_ && current > 1) t = (now - time_after_first_step_) / (current - 1);
  else t = (now - start_) / current;
  if (current == 1) {
    time_after_first_step_ = now;
    have_first_step_ = true;
  }
  return t;
}

void Progbar::update(int current, const Logs& values, bool finalize) {
  const double now = clock_();
  const double per_step = step_duration(current, now);
  if (verbose_ == 1) {
    if (now - last_update_ < interval_ && !finalize) return;
    // Off a terminal (logs, CI, pipes) repaints would pile up as \r-joined text: print only the
    // epoch's final line there. `ansi_` is set exactly when stdout is a terminal.
    if (!ansi_ && !finalize) return;
    ProgressLine line{current, target_, finalize, finalize || target_ <= 0 ? now - start_ : per_step * (target_ - current), per_step, values};
    const std::string text = format_progress_line(line, ansi_);
    const std::size_t width = display_width(text);
    std::string msg = "\r" + text;
    if (prev_width_ > width) msg += std::string(prev_width_ - width, ' ');
    if (finalize) msg += "\n";
    out_ << msg << std::flush;
    prev_width_ = width;
  } else if (verbose_ == 2 && finalize) {
    out_ << format_epoch_line(target_, now - start_, per_step, values) << "\n" << std::flush;
  }
  last_update_ = now;
}

}  // namespace xkeras::training
