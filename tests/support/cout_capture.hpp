// Captures what the code under test prints to std::cout while the object lives.
#pragma once

#include <iostream>
#include <sstream>

namespace xkeras::testing {

struct CoutCapture {
  std::ostringstream text;
  std::streambuf* old;
  CoutCapture() : old(std::cout.rdbuf(text.rdbuf())) {}
  ~CoutCapture() { std::cout.rdbuf(old); }
  CoutCapture(const CoutCapture&) = delete;
  CoutCapture& operator=(const CoutCapture&) = delete;
};

}  // namespace xkeras::testing
