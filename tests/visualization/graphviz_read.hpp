// Reading DOT back with graphviz's own parser (libcgraph's agmemread), for the tests.
#pragma once

#include <cgraph.h>

#include <map>
#include <memory>
#include <string>

namespace xkeras::testing {

struct DotGraph {
  int nodes = -1, edges = -1;  // -1: graphviz could not parse the text
  std::map<std::string, std::string> labels;  // node id -> label
  std::map<std::string, int> attributes;      // node attribute name -> how many nodes set it
};

inline DotGraph read_dot(const std::string& text) {
  DotGraph d;
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> g(agmemread(text.c_str()), agclose);
  if (!g) return d;
  d.nodes = agnnodes(g.get());
  d.edges = agnedges(g.get());
  for (Agnode_t* n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) {
    for (Agsym_t* sym = agnxtattr(g.get(), AGNODE, nullptr); sym; sym = agnxtattr(g.get(), AGNODE, sym)) {
      const char* v = agxget(n, sym);
      if (v && *v) d.attributes[sym->name] += 1;
    }
    const char* label = agget(n, const_cast<char*>("label"));
    d.labels[agnameof(n)] = label ? label : "";
  }
  return d;
}

}  // namespace xkeras::testing
