// Keras 3's progress bar (keras/src/utils/progbar.py), as pure formatting functions plus a small
// stateful Progbar that times steps and repaints a line.
//
// Deliberate differences from Keras: the ANSI bold/green/white codes are written only when the
// stream is a terminal (Keras writes them whenever it runs on POSIX), and a repaint starts with
// "\r" alone (Keras also writes one "\b" per character of the previous line).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "xkeras/callback.hpp"

namespace xkeras::training {

using Logs = xkeras::Logs;

/// Keras's _format_time with its leading space: " 3s/step", " 6ms/step", " 579us/step".
std::string format_step_time(double seconds_per_step);
/// ETA: "5s", "1:05" (> 60 s), "1:01:05" (> 3600 s).
std::string format_eta(double seconds);
/// "%.4f" if |v| > 1e-3, else "%.4e" (0 prints "0.0000e+00"). verbose=2 tests v > 1e-3 without
/// the abs (a Keras quirk): pass use_abs = false.
std::string format_value(double v, bool use_abs = true);

struct ProgressLine {
  int current = 0;
  int target = 1;
  bool finalize = false;
  double seconds = 0;        // the ETA while running, the elapsed time once finalized
  double time_per_step = 0;  // seconds
  Logs values;
};

/// One verbose=1 line without the leading "\r", the erasing spaces and the final "\n":
/// "469/469 ━━━━━━━━━━━━━━━━━━━━ 3s 6ms/step - loss: 0.0213" (plain), with Keras's escape codes if `ansi`.
std::string format_progress_line(const ProgressLine& line, bool ansi);
/// The verbose=2 epoch line without "\n": "469/469 - 3s - 6ms/step - loss: 0.0213".
std::string format_epoch_line(int target, double elapsed, double time_per_step, const Logs& values);
/// Characters a terminal shows for `s`: UTF-8 code points, ANSI escape sequences excluded.
std::size_t display_width(const std::string& s);
/// True when standard output is a terminal.
bool stdout_is_tty();

class Progbar {
 public:
  using Clock = std::function<double()>;  // seconds
  /// verbose 1: a line repainted at most every `interval` seconds; verbose 2: one line at finalize;
  /// 0: nothing. The default clock is std::chrono::steady_clock.
  Progbar(int target, int verbose, std::ostream& out, bool ansi, Clock clock = {}, double interval = 0.05);
  void update(int current, const Logs& values, bool finalize);
  /// Sets the step count once it is known (a generator's, at the end of its first pass).
  void set_target(int target) { target_ = target; }

 private:
  double step_duration(int current, double now);

  int target_, verbose_;
  std::ostream& out_;
  bool ansi_;
  Clock clock_;
  double interval_;
  double start_, last_update_ = -1e300;
  bool have_first_step_ = false;
  double time_after_first_step_ = 0;
  std::size_t prev_width_ = 0;
};

}  // namespace xkeras::training
