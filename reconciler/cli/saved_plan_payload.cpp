#include "reconciler/cli/saved_plan_payload.h"

#include <boost/json.hpp>
#include <fmt/format.h>

#include "base/digest.h"

namespace stashform::cli {

namespace json = boost::json;

namespace {

json::array Addresses(const std::vector<ResourceAddress>& addresses) {
  json::array out;
  for (const auto& a : addresses) out.push_back(json::string(a.ToString()));
  return out;
}

Result<std::vector<ResourceAddress>> ParseAddresses(const json::value& list) {
  std::vector<ResourceAddress> out;
  for (const auto& item : list.as_array()) {
    auto address = ResourceAddress::Parse(std::string(item.as_string()));
    if (!address) return Status::Error("bad address in saved plan: " + std::string(item.as_string()));
    out.push_back(*address);
  }
  return out;
}

}  // namespace

std::string EncodePayload(const PlanPayload& p) {
  json::object options{{"refresh_only", p.options.refresh_only},
                       {"targets", Addresses(p.options.targets)},
                       {"excludes", Addresses(p.options.excludes)},
                       {"replace", Addresses(p.options.replace)}};
  return json::serialize(json::object{{"config_folder", p.config_folder}, {"state_path", p.state_path},
                                      {"options", options}, {"plan", p.plan}, {"text", p.text},
                                      {"json", p.json}});
}

Result<PlanPayload> DecodePayload(const std::string& text) {
  try {
    json::value v = json::parse(text);
    PlanPayload p;
    p.config_folder = std::string(v.at("config_folder").as_string());
    p.state_path = std::string(v.at("state_path").as_string());
    const auto& o = v.at("options");
    p.options.refresh_only = o.at("refresh_only").as_bool();
    for (auto [key, list] : {std::pair{"targets", &p.options.targets}, std::pair{"excludes", &p.options.excludes},
                             std::pair{"replace", &p.options.replace}}) {
      auto parsed = ParseAddresses(o.at(key));
      if (!parsed.ok()) return parsed.status();
      *list = *parsed;
    }
    p.plan = v.at("plan").as_object();
    p.text = std::string(v.at("text").as_string());
    p.json = std::string(v.at("json").as_string());
    return p;
  } catch (const std::exception& e) {
    return Status::Error(std::string("saved plan is damaged: ") + e.what());
  }
}

std::string ConfigDigest(const dsl::Config& config) {
  std::string canonical;
  for (const auto& server : config.servers)
    canonical += server.type + "\n" + server.name + "\n" + Value(server.attributes).RenderRevealed() + "\n";
  for (const auto& block : config.resources)
    canonical += block.address.ToString() + "\n" + block.server + "\n" + Value(block.attributes).RenderRevealed() +
                 "\n" + fmt::format("{}", fmt::join(block.lifecycle.ignore_changes, ",")) + "\n";
  for (const auto& output : config.outputs) canonical += output.name + "\n" + output.value.RenderRevealed() + "\n";
  return SecretDigest(canonical);
}

}  // namespace stashform::cli
