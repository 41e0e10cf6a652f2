// keras.utils.model_to_dot (keras/src/utils/model_visualization.py): the same graph attributes,
// node labels (HTML-like tables) and edges, written as DOT text. Node ids are "L<k>" in drawing
// order, so the text is the same on every run (Keras uses Python object ids).
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>

#include "visualization/html_escape.hpp"
#include "xkeras/errors.hpp"
#include "xkeras/models/sequential.hpp"
#include "xkeras/visualization.hpp"

namespace xkeras::utils {

namespace {

using visualization::html_escape;

const ModelImpl* as_model(const Layer* layer) {
  const auto* m = dynamic_cast<const ModelImpl*>(layer);
  return m && m->has_graph() ? m : nullptr;
}

// Keras prints a single tensor's shape as a tuple and several as a list of tuples.
std::string shapes_text(const std::vector<TensorShape>& shapes) {
  if (shapes.size() == 1) return shape_str(shapes[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

std::string dtypes_text(const std::vector<DType>& dtypes) {
  if (dtypes.size() == 1) return dtype_name(dtypes[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < dtypes.size(); ++i) s += std::string(i ? ", " : "") + "'" + dtype_name(dtypes[i]) + "'";
  return s + "]";
}

// The activation's name for layers whose config has one (Keras: layers with an `activation` attribute).
std::string activation_name(const Layer& layer) {
  if (as_model(&layer)) return "";
  const json config = layer.get_config();
  auto it = config.find("activation");
  if (it == config.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("class_name") && (*it)["class_name"].is_string())
    return (*it)["class_name"].get<std::string>();
  return "";
}

std::string cell(const std::string& text) {
  return "<td bgcolor=\"white\"><font point-size=\"14\">" + text + "</font></td>";
}

// make_layer_label: a black title row, then one row of the requested facts. `node` is the layer's
// call in the model being drawn (null: shapes unknown, shown as "?").
std::string layer_label(const Layer& layer, const Node* node, const PlotModelOptions& o) {
  const std::string& cls = layer.class_name();
  int colspan = int(o.show_dtype) + int(o.show_trainable) + (o.show_shapes ? 2 : 0);
  colspan = std::max(1, colspan);
  const std::string span = std::to_string(colspan);
  std::string t = "<<table border=\"0\" cellborder=\"1\" bgcolor=\"black\" cellpadding=\"10\">";
  t += "<tr><td colspan=\"" + span + "\" bgcolor=\"black\"><font point-size=\"16\" color=\"white\">";
  t += o.show_layer_names ? "<b>" + html_escape(layer.name()) + "</b> (" + html_escape(cls) + ")"
                          : "<b>" + html_escape(cls) + "</b>";
  t += "</font></td></tr>";
  if (o.show_layer_activations) {
    const std::string act = activation_name(layer);
    if (!act.empty())
      t += "<tr><td bgcolor=\"white\" colspan=\"" + span + "\"><font point-size=\"14\">Activation: <b>" +
           html_escape(act) + "</b></font></td></tr>";
  }
  std::string cols;
  if (o.show_shapes) {
    if (cls != "InputLayer") {
      std::string in = "?";
      if (node) {
        std::vector<TensorShape> shapes;
        for (const auto& x : node->inputs) shapes.push_back(x.shape());
        if (!shapes.empty()) in = shapes_text(shapes);
      }
      cols += cell("Input shape: <b>" + in + "</b>");
    }
    cols += cell("Output shape: <b>" + (node ? shapes_text(node->output_shapes) : std::string("?")) + "</b>");
  }
  if (o.show_dtype)
    cols += cell("Output dtype: <b>" + (node ? dtypes_text(node->output_dtypes) : std::string("?")) + "</b>");
  if (o.show_trainable && !layer.weights().empty())
    cols += layer.trainable()
                ? "<td bgcolor=\"forestgreen\"><font point-size=\"14\" color=\"white\"><b>Trainable</b></font></td>"
                : "<td bgcolor=\"firebrick\"><font point-size=\"14\" color=\"white\"><b>Non-trainable</b></font></td>";
  if (!cols.empty()) t += "<tr>" + cols + "</tr>";
  return t + "</table>>";
}

class DotWriter {
 public:
  explicit DotWriter(const PlotModelOptions& o) : o_(o) {}

  std::string write(const ModelImpl& model) {
    out_ << "digraph G {\n";
    out_ << "  graph [concentrate=true, dpi=" << o_.dpi << ", rankdir=" << o_.rankdir << ", splines=" << o_.splines
         << "];\n";
    out_ << "  node [shape=record];\n";
    write_model(model, "  ");
    out_ << "}\n";
    return out_.str();
  }

 private:
  const std::string& id(const Layer* layer) {
    auto it = ids_.find(layer);
    if (it == ids_.end()) it = ids_.emplace(layer, "L" + std::to_string(ids_.size())).first;
    return it->second;
  }

  void add_edge(const Layer* src, const Layer* dst, const std::string& indent) {
    if (!edges_.insert({src, dst}).second) return;  // Keras's add_edge draws each pair once
    out_ << indent << '"' << id(src) << "\" -> \"" << id(dst) << "\" [penwidth=2];\n";
  }

  // Nodes, then edges, of one model; nested models become clusters with expand_nested.
  void write_model(const ModelImpl& model, const std::string& indent) {
    const auto* seq = dynamic_cast<const SequentialImpl*>(&model);
    std::unordered_map<const Layer*, std::vector<const Node*>> calls;  // the layer's nodes in this model
    for (const auto& n : model.nodes()) calls[n->layer.get()].push_back(n.get());
    const std::vector<LayerPtr> layers = model.layers();  // Sequential: without its InputLayer, as Keras

    for (const auto& layer : layers) {
      const ModelImpl* inner = o_.expand_nested ? as_model(layer.get()) : nullptr;
      if (inner) {
        out_ << indent << "subgraph \"cluster_" << clusters_++ << "\" {\n";
        out_ << indent << "  graph [label=<" << html_escape(inner->name()) << ">, labeljust=l, style=dashed];\n";
        write_model(*inner, indent + "  ");
        out_ << indent << "}\n";
        continue;
      }
      auto it = calls.find(layer.get());
      const Node* node = it == calls.end() ? nullptr : it->second.front();
      out_ << indent << '"' << id(layer.get()) << "\" [label=" << layer_label(*layer, node, o_)
           << ", fontname=Helvetica, border=0, margin=0];\n";
    }

    for (const auto& layer : layers) {
      auto it = calls.find(layer.get());
      if (it == calls.end()) continue;
      for (const Node* node : it->second)
        for (std::size_t i = 0; i < node->inputs.size(); ++i) {
          const KerasTensor& x = node->inputs[i];
          const Layer* src = x.node()->layer.get();
          if (seq && src == seq->input_layer().get()) continue;  // a Sequential's InputLayer is not drawn
          const Layer* dst = layer.get();
          if (o_.expand_nested) {
            src = resolve_source(src, x.index());
            dst = resolve_destination(dst, i);
          }
          add_edge(src, dst, indent);
        }
    }
  }

  // An edge out of an expanded model starts at the layer that makes that output, however deep.
  static const Layer* resolve_source(const Layer* src, int index) {
    while (const ModelImpl* m = as_model(src)) {
      if (index < 0 || std::size_t(index) >= m->outputs().size()) break;
      const KerasTensor& out = m->outputs()[std::size_t(index)];
      src = out.node()->layer.get();
      index = out.index();
    }
    return src;
  }

  // An edge into an expanded model ends at its InputLayer (Functional) or first layer (Sequential).
  static const Layer* resolve_destination(const Layer* dst, std::size_t input) {
    while (const ModelImpl* m = as_model(dst)) {
      if (const auto* seq = dynamic_cast<const SequentialImpl*>(m)) {
        const auto layers = seq->layers();
        if (layers.empty()) break;
        dst = layers.front().get();
      } else {
        if (m->inputs().empty()) break;
        dst = m->inputs()[std::min(input, m->inputs().size() - 1)].node()->layer.get();
      }
    }
    return dst;
  }

  const PlotModelOptions& o_;
  std::ostringstream out_;
  std::unordered_map<const Layer*, std::string> ids_;
  std::set<std::pair<const Layer*, const Layer*>> edges_;
  int clusters_ = 0;
};

void check_options(const PlotModelOptions& o) {
  static const std::set<std::string> rankdirs{"TB", "LR", "BT", "RL"};
  static const std::set<std::string> splines{"ortho", "curved", "polyline", "spline", "line", "true", "false", "none"};
  if (!rankdirs.count(o.rankdir))
    throw ValueError("plot_model: rankdir must be \"TB\", \"LR\", \"BT\" or \"RL\", got \"" + o.rankdir + "\"");
  if (!splines.count(o.splines))
    throw ValueError("plot_model: splines must be one of ortho, curved, polyline, spline, line, true, false, none; got \"" +
                     o.splines + "\"");
  if (o.dpi < 1 || o.dpi > 1200)
    throw ValueError("plot_model: dpi must be in [1, 1200], got " + std::to_string(o.dpi));
}

}  // namespace

std::string model_to_dot(const Model& model, const PlotModelOptions& options) {
  check_options(options);
  if (!model.get() || !model->has_graph())
    throw ValueError("model_to_dot: the model \"" + (model.get() ? model.name() : std::string("?")) +
                     "\" has not yet been built. Build the model first by calling it on data or giving its "
                     "first layer an input shape.");
  return DotWriter(options).write(*model.get());
}

}  // namespace xkeras::utils
