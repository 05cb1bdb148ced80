// `stashform import ADDR ID`: adopts an existing remote object into the state under a block the
// config declares, through the resource type's Import. Nothing is written remotely.

#include <fmt/format.h>

#include <ostream>

#include "reconciler/cli/session.h"
#include "reconciler/engine/graph.h"
#include "reconciler/engine/planner.h"

namespace stashform::cli {

namespace {

std::vector<std::string> DeclaredAddresses(const dsl::Config& config) {
  std::vector<std::string> out;
  for (const auto& block : config.resources) out.push_back(block.address.ToString());
  return out;
}

/// The state entry for an imported object: normalised attributes, the block's dependencies and
/// the lifecycle flag that must outlive the block.
state::ResourceState Recorded(const dsl::ResourceBlock& block, const provider::ResourceType& type,
                              provider::ImportResponse imported, const engine::Graph& graph) {
  state::ResourceState resource;
  resource.address = block.address;
  resource.server = block.server;
  resource.id = imported.id;
  resource.attributes = engine::NormalizedAttributes(type.schema(), std::move(imported.attributes));
  if (auto it = graph.dependencies.find(block.address); it != graph.dependencies.end())
    for (const auto& dependency : it->second) resource.dependencies.push_back(dependency.ToString());
  resource.prevent_destroy = block.lifecycle.prevent_destroy;
  resource.keep_on_removal = !block.lifecycle.destroy;
  return resource;
}

}  // namespace

int RunImport(const Args& args, Io& io) {
  CLI::App app("Adopt an existing remote object into the state", "stashform import");
  CommonOptions options;
  std::string address_text, id;
  // ADDR and ID come before the optional DIR that the common options add.
  app.add_option("address", address_text, "The block's address, e.g. bitbucket.webhook[\"INFRA/api\"]")->required();
  app.add_option("id", id, "The remote id, as the resource type documents it (e.g. INFRA/api/7)")->required();
  AddCommonOptions(app, options);
  int exit_code = 0;
  if (!ParseArgs(app, args, io, exit_code)) return exit_code;
  if (!ResourceAddress::Parse(address_text)) {
    ParseAddressArgument(address_text, {}, false, "", io);
    return 1;
  }

  // Config, servers and the locked state.
  Session session;
  if (!session.Open(options, "import", io)) return 1;
  auto address = ParseAddressArgument(address_text, DeclaredAddresses(session.config()), true, "the configuration", io);
  if (!address) {
    io.err << "Declare the block first, then import the object into it.\n";
    return 1;
  }
  if (const auto* recorded = session.state().Find(*address)) {
    io.err << fmt::format("Error: {} is already in the state (id {}); run \"stashform state rm {}\" first to "
                          "import another object into it\n", address->ToString(), recorded->id, address->ToString());
    return 1;
  }
  const dsl::ResourceBlock& block = *session.config().FindResource(*address);
  provider::ResourceType* type = session.servers().Type(block.server, address->type);
  if (!type) {
    io.err << fmt::format("Error: {}: server \"{}\" does not serve {}\n", address->ToString(), block.server,
                          address->type);
    return 1;
  }

  // Import: ask the server for the object.
  io.out << fmt::format("{}: Importing from ID \"{}\"...\n", address->ToString(), id);
  provider::ImportResponse imported = type->Import(id);
  PrintDiagnostics(imported.diagnostics, io);
  if (imported.diagnostics.HasErrors()) return 1;
  if (!imported.found) {
    io.err << fmt::format("Error: {}: no object with ID \"{}\" on server \"{}\"\n", address->ToString(), id,
                          block.server);
    return 1;
  }

  // Record: the object joins the state as if apply had created it.
  engine::Graph graph = engine::BuildGraph(session.config(), session.registry());
  session.state().Upsert(Recorded(block, *type, std::move(imported), graph));
  Status saved = session.store().Save(session.state());
  if (!saved.ok()) {
    io.err << "Error: " << saved.message() << "\n";
    return 1;
  }
  io.out << fmt::format("{}: Import complete [id={}]\n\nImport successful! The object is in the state and "
                        "stashform manages it from now on; run \"stashform plan\" to see how it differs from "
                        "the configuration.\n", address->ToString(), session.state().Find(*address)->id);
  return 0;
}

}  // namespace stashform::cli
