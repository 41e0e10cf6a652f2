#include "visualization/graphviz_render.hpp"

#include <memory>
#include <mutex>

#include "xkeras/errors.hpp"

// Last: graphviz's headers define macros that later headers must not see.
#include <gvc.h>

namespace xkeras::visualization {

namespace {

std::mutex& graphviz_mutex() {
  static std::mutex m;
  return m;
}

// graphviz reports problems through agerr; collected here instead of on stderr, for the exception.
std::string& graphviz_messages() {
  static std::string messages;
  return messages;
}

int collect_message(char* text) {
  std::string& m = graphviz_messages();
  if (m.size() < 4096) m += text;
  return 0;
}

// The context loads graphviz's plugin list once; it lives as long as the program.
GVC_t* context() {
  static GVC_t* gvc = gvContext();
  if (!gvc) throw IOError("plot_model: graphviz could not start (gvContext failed)");
  return gvc;
}

std::string messages() {
  std::string s = graphviz_messages();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s.empty() ? "no message" : s;
}

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};

}  // namespace

std::string render_dot(const std::string& dot, const std::string& format) {
  std::lock_guard<std::mutex> lock(graphviz_mutex());
  GVC_t* gvc = context();
  graphviz_messages().clear();
  struct Restore {  // the caller's handler and level come back however we leave
    agusererrf f;
    agerrlevel_t level;
    ~Restore() {
      agseterrf(f);
      agseterr(level);
    }
  } restore{agseterrf(collect_message), agseterr(AGWARN)};

  std::unique_ptr<Agraph_t, GraphCloser> g(agmemread(dot.c_str()));
  if (!g) throw ValueError("plot_model: graphviz could not read the model's DOT: " + messages());
  if (gvLayout(gvc, g.get(), "dot") != 0) throw ValueError("plot_model: graphviz's dot layout failed: " + messages());
  char* bytes = nullptr;
  unsigned int length = 0;
  const int rc = gvRenderData(gvc, g.get(), format.c_str(), &bytes, &length);
  std::string data;
  if (rc == 0 && bytes) data.assign(bytes, length);
  if (bytes) gvFreeRenderData(bytes);
  gvFreeLayout(gvc, g.get());
  if (rc != 0 || data.empty())
    throw ValueError("plot_model: graphviz cannot write the format \"" + format + "\" (png, svg, pdf and dot work): " +
                     messages());
  return data;
}

}  // namespace xkeras::visualization
