// A picture of a ring for `ringscope render`: accounts and the values they
// share as nodes, and the writers that turn it into Graphviz DOT, SVG (laid
// out by Graphviz's own library, libgvc), GraphML and JSON.
//
// Drawing conventions: values are boxes coloured by kind (one colour per
// kind, see KindColour), accounts are ellipses sized by request volume, the
// accounts of the rendered cluster (or the seed account) are filled yellow;
// an edge joins an account to a value it holds (or two accounts joined by a
// precomputed link).
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ringscope {

struct RenderNode {
  enum class Type { kAccount, kValue };
  Type type = Type::kAccount;
  std::string name;            // account name, or the value's normalised text
  std::string kind;            // value kind; "" for accounts
  std::int64_t requests = 0;   // accounts: request-log rows
  std::int64_t degree = 0;     // values: accounts holding it in the database
  std::string cluster;         // accounts: cluster in the run; "" for none
  bool highlighted = false;    // a member of the rendered cluster, or the seed account
};

struct RenderEdge {
  std::size_t source = 0;  // node indexes; an account first
  std::size_t target = 0;
  std::string kind;        // the value's kind, or the precomputed link's
  double weight = 0;       // observations of the value by the account, or link weight
};

struct RenderGraph {
  std::string title;  // "cluster c_0042 (run 3)", "account acct_81f2 (depth 2)"
  std::vector<RenderNode> nodes;
  std::vector<RenderEdge> edges;
  std::string note;  // what a cap left out; "" when nothing was
};

// The fill colour of a value kind (a fixed palette for the built-in kinds, a
// neutral one for others), as "#rrggbb".
std::string_view KindColour(std::string_view kind);

// A DOT quoted string: `"` and `\` escaped, newlines as \n (a centred line
// break in labels), other control characters replaced by U+FFFD, so any
// account name or value is one token. O(|s|).
std::string DotQuote(std::string_view s);

// Graphviz DOT of the graph: an undirected graph whose node ids are n0, n1...
// (names only appear in quoted labels and tooltips). O(nodes + edges).
std::string WriteDot(const RenderGraph& graph);

// GraphML with node attributes type, name, kind, requests, degree, cluster,
// highlighted and edge attributes kind, weight. O(nodes + edges).
void WriteRenderGraphMl(const RenderGraph& graph, std::ostream& out);

// JSON {"title", "note", "nodes": [...], "edges": [{"source", "target", ...}]}
// with node ids n0, n1... as in the DOT. O(nodes + edges).
void WriteRenderJson(const RenderGraph& graph, std::ostream& out);

// Lays out `dot` with the Graphviz engine `layout` ("dot", "neato", "sfdp",
// "fdp", ...) and renders SVG, in process. Throws std::runtime_error with
// Graphviz's message when the DOT does not parse or the engine is unknown.
// Cost: that of the layout (dot is about quadratic in the nodes; sfdp
// near-linear).
std::string RenderSvg(const std::string& dot, const std::string& layout);

// The layout engine for a graph of `nodes` nodes when none is asked for:
// "neato" (a bipartite ring reads best as a spring layout; dot's layers put
// it on two very long rows), "sfdp" beyond 200 nodes (near-linear).
std::string DefaultLayout(std::size_t nodes);

}  // namespace ringscope
