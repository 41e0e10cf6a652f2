// model_to_dot: Keras 3's graph attributes, labels and edges (keras/src/utils/model_visualization.py),
// read back with graphviz's parser.
#include <catch2/catch.hpp>

#include <xkeras/layers.hpp>
#include <xkeras/visualization.hpp>
#include <xkeras/xkeras.hpp>

#include "visualization/graphviz_read.hpp"

using namespace xkeras;
using xkeras::testing::read_dot;

namespace {

// features -> left (Dense 3 relu) and right (Dense 2) -> merge (Concatenate)
Model two_branch_model() {
  auto x = Input({4}, "features");
  auto l = layers::Dense(3, {.activation = "relu", .name = "left"})(x);
  auto r = layers::Dense(2, {.name = "right"})(x);
  auto c = layers::Concatenate(-1, "merge")({l, r});
  return Model(x, c, "two_branch");
}

// Keras's make_layer_label with show_shapes: title row spanning 2 columns, then the shape cells.
std::string shape_label(const std::string& title, const std::string& in, const std::string& out) {
  std::string t = "<<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\">"
                  "<tr><td colspan=\"2\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\">" +
                  title + "</font></td></tr><tr>";
  if (!in.empty()) t += "<td bgcolor=\"white\"><font point-size=\"14\">Input shape: <b>" + in + "</b></font></td>";
  t += "<td bgcolor=\"white\"><font point-size=\"14\">Output shape: <b>" + out + "</b></font></td></tr></table>>";
  return t;
}

std::string node_line(const std::string& id, const std::string& label) {
  return "  \"" + id + "\" [label=" + label + ", fontname=Helvetica, border=0, margin=0];\n";
}

}  // namespace

TEST_CASE("model_to_dot of a two-branch functional model: exact nodes and edges and labels") {
  const std::string dot = utils::model_to_dot(two_branch_model(), utils::PlotModelOptions().with_show_shapes(true));
  // Hand-written from Keras 3's model_to_dot: Input shape / Output shape cells, a merge layer's input
  // is a list of shapes, the InputLayer shows only its output; edges follow the graph.
  const std::string expected =
      "digraph G {\n"
      "  graph [concentrate=true, dpi=200, rankdir=TB, splines=ortho];\n"
      "  node [shape=record];\n" +
      node_line("L0", shape_label("<b>features</b> (InputLayer)", "", "(None, 4)")) +
      node_line("L1", shape_label("<b>left</b> (Dense)", "(None, 4)", "(None, 3)")) +
      node_line("L2", shape_label("<b>right</b> (Dense)", "(None, 4)", "(None, 2)")) +
      node_line("L3", shape_label("<b>merge</b> (Concatenate)", "[(None, 3), (None, 2)]", "(None, 5)")) +
      "  \"L0\" -> \"L1\" [penwidth=2];\n"
      "  \"L0\" -> \"L2\" [penwidth=2];\n"
      "  \"L1\" -> \"L3\" [penwidth=2];\n"
      "  \"L2\" -> \"L3\" [penwidth=2];\n"
      "}\n";
  CHECK(dot == expected);

  const auto g = read_dot(dot);
  CHECK(g.nodes == 4);
  CHECK(g.edges == 4);
}

TEST_CASE("model_to_dot label options: class only and activation and dtype and trainable") {
  Model m = two_branch_model();
  m.get_layer("right")->set_trainable(false);
  const std::string dot = utils::model_to_dot(m, utils::PlotModelOptions()
                                                     .with_show_layer_names(false)
                                                     .with_show_layer_activations(true)
                                                     .with_show_dtype(true)
                                                     .with_show_trainable(true)
                                                     .with_rankdir("LR"));
  CHECK(dot.find("rankdir=LR") != std::string::npos);
  // Without names the title is the class alone; colspan = show_dtype + show_trainable = 2.
  CHECK(dot.find("<tr><td colspan=\"2\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\"><b>Dense</b></font>") !=
        std::string::npos);
  CHECK(dot.find("<b>left</b>") == std::string::npos);
  // Dense shows its activation (Keras prints the function's name: relu, and linear for None).
  CHECK(dot.find("Activation: <b>relu</b>") != std::string::npos);
  CHECK(dot.find("Activation: <b>linear</b>") != std::string::npos);
  CHECK(dot.find("Output dtype: <b>float32</b>") != std::string::npos);
  // Trainable only for layers with weights: the two Dense layers, one of them frozen.
  auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto p = dot.find(s); p != std::string::npos; p = dot.find(s, p + 1)) ++n;
    return n;
  };
  CHECK(count("<b>Trainable</b>") == 1);
  CHECK(count("<b>Non-trainable</b>") == 1);
  CHECK(count("Activation:") == 2);  // Concatenate and InputLayer have no activation
  CHECK(read_dot(dot).nodes == 4);
}

TEST_CASE("model_to_dot draws a shared layer once with an edge from each of its calls") {
  auto a = Input({3}, "a");
  auto b = Input({3}, "b");
  auto shared = layers::Dense(2, {.name = "shared"});
  auto s = layers::Add("sum")({shared(a), shared(b)});
  Model m(KerasTensors{a, b}, s);
  // Designated initializers work as well as the chained setters.
  const std::string dot = utils::model_to_dot(m, {.show_shapes = true, .rankdir = "LR"});
  CHECK(dot.find("rankdir=LR") != std::string::npos);
  const auto g = read_dot(dot);
  CHECK(g.nodes == 4);  // a, b, shared, sum
  CHECK(g.edges == 3);  // a -> shared, b -> shared, shared -> sum (drawn once for its two calls)
}

TEST_CASE("model_to_dot of a Sequential leaves out the InputLayer and chains the layers") {
  Sequential s({layers::Input({8}), layers::Dense(4, {.name = "a"}), layers::Dense(2, {.name = "b"}),
                layers::Dense(1, {.name = "c"})},
               "chain");
  const std::string dot = utils::model_to_dot(s, utils::PlotModelOptions().with_show_shapes(true));
  CHECK(dot.find("InputLayer") == std::string::npos);
  CHECK(dot.find("\"L0\" -> \"L1\"") != std::string::npos);
  CHECK(dot.find("\"L1\" -> \"L2\"") != std::string::npos);
  CHECK(dot.find(shape_label("<b>b</b> (Dense)", "(None, 4)", "(None, 2)")) != std::string::npos);
  const auto g = read_dot(dot);
  CHECK(g.nodes == 3);
  CHECK(g.edges == 2);
}

TEST_CASE("model_to_dot with nested models: one box each or clusters with expand_nested") {
  Sequential encoder({layers::Input({6}), layers::Dense(4, {.name = "enc1"}), layers::Dense(2, {.name = "enc2"})},
                     "encoder");
  auto dx = Input({2}, "code");
  auto dy = layers::Dense(6, {.name = "dec1"})(dx);
  Model decoder(dx, dy, "decoder");
  auto x = Input({6}, "image");
  Model ae(x, decoder(encoder(x)), "autoencoder");

  const auto flat = read_dot(utils::model_to_dot(ae));
  CHECK(flat.nodes == 3);  // image, encoder, decoder
  CHECK(flat.edges == 2);

  const std::string dot = utils::model_to_dot(ae, utils::PlotModelOptions().with_expand_nested(true));
  // Keras: image -> enc1 (a Sequential's first layer), enc1 -> enc2, enc2 -> code (the Functional's
  // InputLayer), code -> dec1. The inner models are dashed clusters labelled with their names.
  CHECK(dot.find("subgraph \"cluster_0\" {") != std::string::npos);
  CHECK(dot.find("graph [label=<encoder>, labeljust=l, style=dashed];") != std::string::npos);
  CHECK(dot.find("graph [label=<decoder>, labeljust=l, style=dashed];") != std::string::npos);
  const auto g = read_dot(dot);
  CHECK(g.nodes == 5);  // image, enc1, enc2, code, dec1
  CHECK(g.edges == 4);
  CHECK(g.labels.size() == 5);
  // Edges by name: map the ids to the layer names in the labels.
  auto id_of = [&](const std::string& name) {
    for (const auto& [id, label] : g.labels)
      if (label.find("<b>" + name + "</b>") != std::string::npos) return id;
    return std::string("?");
  };
  for (const auto& [a, b] : std::vector<std::pair<std::string, std::string>>{
           {"image", "enc1"}, {"enc1", "enc2"}, {"enc2", "code"}, {"code", "dec1"}})
    CHECK(dot.find("\"" + id_of(a) + "\" -> \"" + id_of(b) + "\"") != std::string::npos);
}

TEST_CASE("model_to_dot escapes hostile layer names so they cannot break the DOT or add attributes") {
  const std::string hostile = "x\", color=\"red\"]; \"evil\" [shape=box] {<b>}\n</font>&\\";
  auto x = Input({3}, "in");
  auto y = layers::Dense(2, {.name = hostile})(x);
  Model m(x, y, "m{\"}");
  const std::string dot = utils::model_to_dot(m, utils::PlotModelOptions().with_show_shapes(true).with_expand_nested(true));
  const auto g = read_dot(dot);
  REQUIRE(g.nodes == 2);  // no node "evil" was injected
  CHECK(g.edges == 1);
  CHECK(g.attributes.count("color") == 0);
  CHECK(g.labels.count("evil") == 0);
  // The name is shown as text: quotes, brackets and the ampersand as entities, the newline as a space.
  CHECK(dot.find("<b>x&quot;, color=&quot;red&quot;]; &quot;evil&quot; [shape=box] {&lt;b&gt;} &lt;/font&gt;&amp;\\</b>") !=
        std::string::npos);
  // Invalid UTF-8 becomes U+FFFD instead of a byte graphviz's XML parser rejects.
  auto z = layers::Dense(1, {.name = std::string("bad\xff\xfe")})(y);
  Model m2(x, z);
  const std::string dot2 = utils::model_to_dot(m2);
  CHECK(dot2.find("bad\xEF\xBF\xBD\xEF\xBF\xBD") != std::string::npos);
  CHECK(read_dot(dot2).nodes == 3);
}

TEST_CASE("model_to_dot refuses an unbuilt Sequential and bad options") {
  Sequential unbuilt({layers::Dense(2)});
  CHECK_THROWS_AS(utils::model_to_dot(unbuilt), ValueError);
  Model m = two_branch_model();
  CHECK_THROWS_AS(utils::model_to_dot(m, utils::PlotModelOptions().with_rankdir("XX")), ValueError);
  CHECK_THROWS_AS(utils::model_to_dot(m, utils::PlotModelOptions().with_dpi(0)), ValueError);
  CHECK_THROWS_AS(utils::model_to_dot(m, utils::PlotModelOptions().with_splines("ortho]; x")), ValueError);
}
