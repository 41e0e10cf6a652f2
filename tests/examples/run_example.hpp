// Runs an example program from the build tree and captures what it prints.
#pragma once

#include <array>
#include <cstdio>
#include <regex>
#include <string>

namespace xkeras::testing {

struct ExampleRun {
  int exit_code;
  std::string output;
};

inline ExampleRun run_example(const std::string& name, const std::string& args) {
  const std::string cmd = std::string(XKERAS_BINARY_DIR) + "/examples/" + name + " " + args + " 2>&1";
  ExampleRun r{-1, ""};
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), p)) r.output += buf.data();
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// The number after `label` in the output (e.g. "Test MSE: "), or NaN when absent.
inline double number_after(const std::string& output, const std::string& label) {
  const auto pos = output.rfind(label);
  if (pos == std::string::npos) return std::nan("");
  return std::stod(output.substr(pos + label.size()));
}

}  // namespace xkeras::testing
