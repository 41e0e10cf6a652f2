// Model::summary: Keras 3's table (keras/src/utils/summary_utils.py::print_summary) drawn with
// the same box characters rich uses, without colours. A Functional model whose graph is not a
// plain chain gets Keras's extra "Connected to" column.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

#include "xkeras/layers/input_layer.hpp"
#include "xkeras/models/sequential.hpp"

namespace xkeras {

namespace {

std::string thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

// summary_utils.readable_memory_size: "{:.2f} {unit}" in steps of 1024.
std::string readable_size(double bytes) {
  static const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (u < 5 && bytes / 1024 >= 1) {
    bytes /= 1024;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f %s", bytes, units[u]);
  return buf;
}

std::size_t text_width(const std::string& s) {  // UTF-8 code points
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

using Cell = std::vector<std::string>;  // lines

// Joins pieces with ", ", starting a new line when the next piece would not fit.
Cell wrap(const std::vector<std::string>& pieces, std::size_t width) {
  Cell lines;
  std::string cur;
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    const std::string piece = pieces[i] + (i + 1 < pieces.size() ? "," : "");
    if (!cur.empty() && text_width(cur) + 1 + text_width(piece) > width) {
      lines.push_back(cur);
      cur.clear();
    }
    cur += (cur.empty() ? "" : " ") + piece;
  }
  lines.push_back(cur.empty() ? "-" : cur);
  return lines;
}

struct Table {
  std::vector<std::string> header;
  std::vector<bool> right;          // right-aligned columns
  std::vector<std::size_t> width;   // content width of each column
  std::vector<std::vector<Cell>> rows;

  std::string rule(const char* left, const char* fill, const char* mid, const char* end) const {
    std::string s = left;
    for (std::size_t c = 0; c < width.size(); ++c) {
      for (std::size_t i = 0; i < width[c] + 2; ++i) s += fill;
      s += c + 1 < width.size() ? mid : end;
    }
    return s;
  }

  void line(std::ostream& out, const std::vector<Cell>& cells, std::size_t k, const char* bar) const {
    out << bar;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string text = k < cells[c].size() ? cells[c][k] : "";
      const std::string pad(width[c] - std::min(width[c], text_width(text)), ' ');
      out << ' ' << (right[c] ? pad + text : text + pad) << ' ' << bar;
    }
    out << '\n';
  }

  void print(std::ostream& out) {
    for (const auto& row : rows)
      for (std::size_t c = 0; c < row.size(); ++c)
        for (const auto& l : row[c]) width[c] = std::max(width[c], text_width(l));
    out << rule("┏", "━", "┳", "┓") << '\n';
    std::vector<Cell> head;
    for (const auto& h : header) head.push_back({h});
    line(out, head, 0, "┃");
    out << rule("┡", "━", "╇", "┩") << '\n';
    for (std::size_t r = 0; r < rows.size(); ++r) {
      std::size_t height = 1;
      for (const auto& c : rows[r]) height = std::max(height, c.size());
      for (std::size_t k = 0; k < height; ++k) line(out, rows[r], k, "│");
      if (r + 1 < rows.size()) out << rule("├", "─", "┼", "┤") << '\n';
    }
    out << rule("└", "─", "┴", "┘") << '\n';
  }
};

std::string shapes_text(const std::vector<TensorShape>& shapes) {
  if (shapes.size() == 1) return shape_str(shapes[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
  return s + "]";
}

// Keras's test: one node per depth, one input per node, no layer called twice.
bool is_sequential_like(const ModelImpl& m) {
  if (dynamic_cast<const SequentialImpl*>(&m)) return true;
  const auto& nodes = m.nodes();
  std::map<const Node*, int> depth;
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {  // outputs first: longest path to an output
    const int d = depth[it->get()];
    for (const auto& t : (*it)->inputs) depth[t.node().get()] = std::max(depth[t.node().get()], d + 1);
  }
  std::map<int, int> per_depth;
  std::set<const Layer*> layers;
  for (const auto& n : nodes) {
    if (n->inputs.size() > 1 || ++per_depth[depth[n.get()]] > 1) return false;
    if (!layers.insert(n->layer.get()).second) return false;
  }
  return true;
}

}  // namespace

void Model::summary(std::ostream& out) const {
  const ModelImpl& m = *ptr_;
  const bool sequential_like = is_sequential_like(m);
  std::unordered_set<const Node*> own;
  for (const auto& n : m.nodes()) own.insert(n.get());

  // Column widths of the table Keras prints in a non-terminal context (76 characters; rich
  // shrinks Keras's 88/108-character layout to the 80-column fallback minus 4). Columns widen to
  // fit longer text instead of wrapping it, except "Connected to", which wraps between tensors.
  Table table;
  table.header = {"Layer (type)", "Output Shape", "Param #"};
  table.right = {false, false, true};
  table.width = {31, 22, 13};
  if (!sequential_like) {
    table.header.push_back("Connected to");
    table.right.push_back(false);
    table.width = {19, 17, 10, 17};
  }

  for (const auto& layer : m.layers()) {
    std::vector<Cell> row;
    // "name (Class)"; like rich, the class goes to a second line when both do not fit.
    const std::string type = "(" + layer->class_name() + ")";
    if (text_width(layer->name()) + 1 + text_width(type) <= table.width[0]) row.push_back({layer->name() + " " + type});
    else row.push_back({layer->name(), type});
    // The output shapes of the layer's last call in this model.
    const Node* last = nullptr;
    for (const auto& n : m.nodes())
      if (n->layer == layer) last = n.get();
    row.push_back({last ? shapes_text(last->output_shapes) : "?"});
    row.push_back({layer->built() ? thousands(layer->count_params()) : "0 (unbuilt)"});
    if (!sequential_like) {
      std::vector<std::string> links;
      for (const auto& n : layer->inbound_nodes()) {
        if (!own.count(n.get())) continue;
        for (const auto& t : n->inputs)
          links.push_back(t.layer().name() + "[" + std::to_string(t.node()->index) + "][" + std::to_string(t.index()) + "]");
      }
      row.push_back(wrap(links, table.width[3]));
    }
    table.rows.push_back(std::move(row));
  }

  std::size_t trainable = 0, frozen = 0;
  for (const auto& v : m.trainable_weights()) trainable += v->value.size();
  for (const auto& v : m.non_trainable_weights()) frozen += v->value.size();
  const auto total = trainable + frozen;
  out << "Model: \"" << m.name() << "\"\n";
  table.print(out);
  out << " Total params: " << thousands(total) << " (" << readable_size(4.0 * static_cast<double>(total)) << ")\n";
  out << " Trainable params: " << thousands(trainable) << " (" << readable_size(4.0 * static_cast<double>(trainable)) << ")\n";
  out << " Non-trainable params: " << thousands(frozen) << " (" << readable_size(4.0 * static_cast<double>(frozen)) << ")\n";
}

void Model::summary() const { summary(std::cout); }

}  // namespace xkeras
