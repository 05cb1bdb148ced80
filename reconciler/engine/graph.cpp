#include "reconciler/engine/graph.h"

#include <algorithm>
#include <map>

#include "base/did_you_mean.h"

namespace stashform::engine {

namespace {

void AddReferenceEdges(const dsl::ResourceBlock& block, const dsl::Config& config,
                       const provider::Registry& registry, Graph& graph) {
  std::vector<Value::Reference> references;
  for (const auto& [name, value] : block.attributes) value.CollectReferences(references);
  for (const auto& reference : references) {
    auto target = ResourceAddress::Parse(reference.address);
    const dsl::ResourceBlock* found = target ? config.FindResource(*target) : nullptr;
    if (!found) {
      graph.diagnostics.Error(block.pos, block.address.ToString(),
                              "reference to " + reference.address + ", which the config does not declare");
      continue;
    }
    const ResourceSchema* schema = registry.FindSchema(target->type);
    if (schema && !schema->Find(reference.attribute)) {
      graph.diagnostics.Error(block.pos, block.address.ToString(),
                              "reference to unknown attribute \"" + reference.attribute + "\" of " + reference.address,
                              DidYouMean(reference.attribute, schema->AttributeNames()));
      continue;
    }
    if (*target != block.address) graph.dependencies[block.address].insert(*target);
    else graph.diagnostics.Error(block.pos, block.address.ToString(), "refers to itself");
  }
}

void AddDependsOnEdges(const dsl::ResourceBlock& block, const dsl::Config& config, Graph& graph) {
  for (const auto& text : block.depends_on) {
    auto target = ResourceAddress::Parse(text);
    if (!target || !config.FindResource(*target)) {
      graph.diagnostics.Error(block.pos, block.address.ToString(), "depends_on names " + text + ", which the config does not declare");
      continue;
    }
    graph.dependencies[block.address].insert(*target);
  }
}

using ServerKey = std::pair<std::string, std::string>;  // (server type, name)

/// What each server block's configuration refers to; a reference to an undeclared resource is
/// reported once, at the server block.
std::map<ServerKey, std::vector<ResourceAddress>> ServerEdges(const dsl::Config& config, Graph& graph) {
  std::map<ServerKey, std::vector<ResourceAddress>> out;
  for (const auto& server : config.servers) {
    auto& targets = out[{server.type, server.name}];
    for (const auto& target : ServerReferences(server)) {
      if (config.FindResource(target)) targets.push_back(target);
      else
        graph.diagnostics.Error(server.pos, server.type + " \"" + server.name + "\"",
                                "configured from " + target.ToString() + ", which the config does not declare");
    }
  }
  return out;
}

/// A block waits for what its server's configuration refers to (a token made by another block).
void AddServerEdges(const dsl::ResourceBlock& block, const provider::Registry& registry,
                    const std::map<ServerKey, std::vector<ResourceAddress>>& server_edges, Graph& graph) {
  const ResourceSchema* schema = registry.FindSchema(block.address.type);
  auto it = schema ? server_edges.find({schema->server_type, block.server}) : server_edges.end();
  if (it == server_edges.end()) return;
  for (const auto& target : it->second) {
    if (target == block.address)
      graph.diagnostics.Error(block.pos, block.address.ToString(),
                              "is served by " + it->first.first + " \"" + it->first.second +
                                  "\", whose configuration refers to it",
                              "configure the server from another resource, or from a variable");
    else
      graph.dependencies[block.address].insert(target);
  }
}

/// Depth-first order; a node met again while still open closes a cycle, reported with its path.
class Sorter {
 public:
  Sorter(const dsl::Config& config, Graph& graph) : config_(config), graph_(graph) {}

  void Visit(const ResourceAddress& node) {
    if (done_.count(node)) return;
    if (auto open = std::find(path_.begin(), path_.end(), node); open != path_.end()) {
      ReportCycle(open);
      return;
    }
    path_.push_back(node);
    for (const auto& dependency : graph_.dependencies[node]) Visit(dependency);
    path_.pop_back();
    done_.insert(node);
    graph_.order.push_back(node);
  }

 private:
  void ReportCycle(std::vector<ResourceAddress>::iterator open) {
    std::string cycle;
    for (auto it = open; it != path_.end(); ++it) {
      const auto* block = config_.FindResource(*it);
      cycle += it->ToString() + (block ? " (" + block->pos.ToString() + ")" : "") + " -> ";
    }
    cycle += open->ToString();
    const auto* first = config_.FindResource(*open);
    graph_.diagnostics.Error(first ? first->pos : SourcePos{}, "", "dependency cycle: " + cycle);
  }

  const dsl::Config& config_;
  Graph& graph_;
  std::vector<ResourceAddress> path_;
  std::set<ResourceAddress> done_;
};

std::string Quoted(const ResourceAddress& address) {
  std::string text = address.ToString(), out = "\"";
  for (char c : text) out += c == '"' ? std::string("\\\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

std::vector<ResourceAddress> ServerReferences(const dsl::ServerBlock& server) {
  std::vector<Value::Reference> references;
  for (const auto& [name, value] : server.attributes) value.CollectReferences(references);
  std::vector<ResourceAddress> out;
  for (const auto& reference : references)
    if (auto address = ResourceAddress::Parse(reference.address);
        address && std::find(out.begin(), out.end(), *address) == out.end())
      out.push_back(*address);
  return out;
}

std::vector<ResourceAddress> Graph::Dependants(const ResourceAddress& address) const {
  std::vector<ResourceAddress> out;
  for (const auto& [node, needs] : dependencies)
    if (needs.count(address)) out.push_back(node);
  return out;
}

Graph BuildGraph(const dsl::Config& config, const provider::Registry& registry) {
  Graph graph;
  const auto server_edges = ServerEdges(config, graph);
  for (const auto& block : config.resources) {
    graph.nodes.push_back(block.address);
    AddReferenceEdges(block, config, registry, graph);
    AddDependsOnEdges(block, config, graph);
    AddServerEdges(block, registry, server_edges, graph);
  }
  Sorter sorter(config, graph);
  for (const auto& node : graph.nodes) sorter.Visit(node);
  return graph;
}

std::string GraphDot(const Graph& graph) {
  std::string out = "digraph stashform {\n  rankdir = \"RL\";\n";
  for (const auto& node : graph.nodes) out += "  " + Quoted(node) + ";\n";
  for (const auto& node : graph.nodes)
    if (auto it = graph.dependencies.find(node); it != graph.dependencies.end())
      for (const auto& dependency : it->second) out += "  " + Quoted(node) + " -> " + Quoted(dependency) + ";\n";
  return out + "}\n";
}

std::string GraphList(const Graph& graph) {
  std::string out;
  for (const auto& node : graph.order) {
    out += node.ToString() + "\n";
    if (auto it = graph.dependencies.find(node); it != graph.dependencies.end())
      for (const auto& dependency : it->second) out += "  -> " + dependency.ToString() + "\n";
  }
  return out;
}

}  // namespace stashform::engine
