#include "tools/cli_render.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "tools/cli_common.h"
#include "tools/cli_output.h"

namespace ringscope {

namespace {

std::string NodeId(std::size_t index) { return "n" + std::to_string(index); }

// Long values (prompt fingerprints, user agents) are cut in labels; the
// tooltip keeps the whole text.
std::string ShortLabel(std::string_view s, std::size_t max_bytes = 28) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return std::string(s.substr(0, cut)) + "...";
}

// Accounts grow with the logarithm of their traffic: 1 request and 100,000
// requests stay within a factor of ~4 in size.
double AccountSize(std::int64_t requests) {
  return 0.35 + 0.22 * std::log10(1.0 + static_cast<double>(std::max<std::int64_t>(0, requests)));
}

std::string Number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}

std::string AccountTooltip(const RenderNode& n) {
  std::string text = n.name + "\n" + std::to_string(n.requests) + " requests";
  if (!n.cluster.empty()) text += "\ncluster " + n.cluster;
  return text;
}

void WriteDotNode(const RenderNode& n, std::size_t index, std::ostream& out) {
  out << "  " << NodeId(index) << " [";
  if (n.type == RenderNode::Type::kAccount) {
    std::string size = Number(AccountSize(n.requests));
    out << "shape=ellipse, width=" << size << ", height=" << Number(AccountSize(n.requests) * 0.6)
        << ", label=" << DotQuote(ShortLabel(n.name))
        << ", tooltip=" << DotQuote(AccountTooltip(n));
    if (n.highlighted) {
      out << ", style=\"filled,bold\", fillcolor=\"#ffd92f\", penwidth=2";
    } else if (!n.cluster.empty()) {
      out << ", style=filled, fillcolor=\"#fff3b0\"";
    } else {
      out << ", style=filled, fillcolor=\"#ffffff\"";
    }
  } else {
    out << "shape=box, style=\"filled,rounded\", fillcolor=\"" << KindColour(n.kind)
        << "\", fontsize=10, label=" << DotQuote(n.kind + "\n" + ShortLabel(n.name, 20))
        << ", tooltip="
        << DotQuote(n.kind + ": " + n.name + "\nheld by " + std::to_string(n.degree) +
                    " accounts");
  }
  out << "];\n";
}

// Graphviz reports errors through a callback: collect them for the exception.
std::string* g_graphviz_errors = nullptr;
int CollectGraphvizError(char* message) {
  if (g_graphviz_errors != nullptr && message != nullptr) *g_graphviz_errors += message;
  return 0;
}

// One Graphviz context for the whole process, never freed: Graphviz 2.43's
// pango plugin caches a pointer to the last font name, which the context owns,
// so freeing a context and laying out again (the shell's second render, or a
// second test) reads freed memory (AddressSanitizer: heap-use-after-free in
// textspan_size).
GVC_t* ProcessGraphvizContext() {
  static GVC_t* const gvc = gvContext();
  return gvc;
}
struct GraphDeleter {
  void operator()(Agraph_t* g) const { agclose(g); }
};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string_view KindColour(std::string_view kind) {
  static const std::map<std::string_view, std::string_view> kColours = {
      {"payment", "#fb8072"}, {"device", "#80b1d3"},   {"ip", "#b3de69"},
      {"subnet", "#ccebc5"},  {"email", "#bebada"},    {"phone", "#fdb462"},
      {"api_key", "#fccde5"}, {"user_agent", "#d9d9d9"}, {"prompt", "#8dd3c7"},
      {"link", "#bc80bd"}};
  auto it = kColours.find(kind);
  return it == kColours.end() ? std::string_view("#ffffb3") : it->second;
}

std::string DotQuote(std::string_view s) {
  std::string out = "\"";
  out.reserve(s.size() + 2);
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string WriteDot(const RenderGraph& graph) {
  std::ostringstream out;
  out << "graph ring {\n"
      << "  graph [label=" << DotQuote(graph.note.empty() ? graph.title
                                                          : graph.title + "\n" + graph.note)
      << ", labelloc=t, fontname=\"Helvetica\", overlap=false, outputorder=edgesfirst];\n"
      << "  node [fontname=\"Helvetica\", fontsize=11];\n"
      << "  edge [color=\"#888888\"];\n";
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) WriteDotNode(graph.nodes[i], i, out);
  for (const RenderEdge& e : graph.edges) {
    out << "  " << NodeId(e.source) << " -- " << NodeId(e.target) << " [tooltip="
        << DotQuote(e.kind + " (" + Number(e.weight) + ")") << "";
    if (graph.nodes[e.target].type == RenderNode::Type::kAccount)
      out << ", style=dashed, color=\"" << KindColour("link") << "\"";
    out << "];\n";
  }
  out << "}\n";
  return out.str();
}

void WriteRenderGraphMl(const RenderGraph& graph, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
         "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
         "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
         "  <key id=\"kind\" for=\"all\" attr.name=\"kind\" attr.type=\"string\"/>\n"
         "  <key id=\"requests\" for=\"node\" attr.name=\"requests\" attr.type=\"long\"/>\n"
         "  <key id=\"degree\" for=\"node\" attr.name=\"degree\" attr.type=\"long\"/>\n"
         "  <key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"string\"/>\n"
         "  <key id=\"highlighted\" for=\"node\" attr.name=\"highlighted\" "
         "attr.type=\"boolean\"/>\n"
         "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
      << "  <graph id=\"ring\" edgedefault=\"undirected\">\n"
      << "    <desc>" << XmlEscape(graph.title + (graph.note.empty() ? "" : "; " + graph.note))
      << "</desc>\n";
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const RenderNode& n = graph.nodes[i];
    bool account = n.type == RenderNode::Type::kAccount;
    out << "    <node id=\"" << NodeId(i) << "\"><data key=\"type\">"
        << (account ? "account" : "value") << "</data><data key=\"name\">" << XmlEscape(n.name)
        << "</data>";
    if (account) {
      out << "<data key=\"requests\">" << n.requests << "</data>";
      if (!n.cluster.empty()) out << "<data key=\"cluster\">" << XmlEscape(n.cluster) << "</data>";
      out << "<data key=\"highlighted\">" << (n.highlighted ? "true" : "false") << "</data>";
    } else {
      out << "<data key=\"kind\">" << XmlEscape(n.kind) << "</data><data key=\"degree\">"
          << n.degree << "</data>";
    }
    out << "</node>\n";
  }
  for (const RenderEdge& e : graph.edges)
    out << "    <edge source=\"" << NodeId(e.source) << "\" target=\"" << NodeId(e.target)
        << "\"><data key=\"kind\">" << XmlEscape(e.kind) << "</data><data key=\"weight\">"
        << Number(e.weight) << "</data></edge>\n";
  out << "  </graph>\n</graphml>\n";
}

void WriteRenderJson(const RenderGraph& graph, std::ostream& out) {
  JsonWriter json(out);
  json.BeginObject().Key("title").String(graph.title).Key("note").String(graph.note);
  json.Key("nodes").BeginArray();
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    const RenderNode& n = graph.nodes[i];
    bool account = n.type == RenderNode::Type::kAccount;
    json.BeginObject().Key("id").String(NodeId(i)).Key("type").String(account ? "account" : "value");
    json.Key("name").String(n.name);
    if (account) {
      json.Key("requests").Int(n.requests).Key("cluster").String(n.cluster);
      json.Key("highlighted").Bool(n.highlighted);
    } else {
      json.Key("kind").String(n.kind).Key("degree").Int(n.degree);
      json.Key("colour").String(KindColour(n.kind));
    }
    json.EndObject();
  }
  json.EndArray().Key("edges").BeginArray();
  for (const RenderEdge& e : graph.edges) {
    json.BeginObject().Key("source").String(NodeId(e.source)).Key("target").String(NodeId(e.target));
    json.Key("kind").String(e.kind).Key("weight").Double(e.weight).EndObject();
  }
  json.EndArray().EndObject();
  out << '\n';
}

std::string RenderSvg(const std::string& dot, const std::string& layout) {
  std::string errors;
  g_graphviz_errors = &errors;
  agusererrf previous = agseterrf(CollectGraphvizError);
  struct Restore {
    agusererrf f;
    ~Restore() {
      agseterrf(f);
      g_graphviz_errors = nullptr;
    }
  } restore{previous};
  agreseterrors();
  GVC_t* const gvc = ProcessGraphvizContext();
  if (gvc == nullptr) throw std::runtime_error("Graphviz: cannot create a context");
  std::unique_ptr<Agraph_t, GraphDeleter> graph(agmemread(dot.c_str()));
  if (!graph) throw std::runtime_error("Graphviz could not read the DOT: " + Trimmed(errors));
  if (gvLayout(gvc, graph.get(), layout.c_str()) != 0)
    throw std::runtime_error("Graphviz layout '" + layout + "' failed: " + Trimmed(errors) +
                             " (engines: dot, neato, sfdp, fdp, circo, twopi)");
  char* data = nullptr;
  unsigned int length = 0;
  int rc = gvRenderData(gvc, graph.get(), "svg", &data, &length);
  std::string svg = rc == 0 && data != nullptr ? std::string(data, length) : std::string();
  if (data != nullptr) gvFreeRenderData(data);
  gvFreeLayout(gvc, graph.get());
  if (rc != 0 || svg.empty())
    throw std::runtime_error("Graphviz could not render SVG: " + Trimmed(errors));
  return svg;
}

std::string DefaultLayout(std::size_t nodes) { return nodes <= 200 ? "neato" : "sfdp"; }

}  // namespace ringscope
