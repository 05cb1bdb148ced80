#pragma once
// Terraform's machine-readable UI (`-json` on plan, apply and drift): one JSON object a line,
// each with @level, @message, @module, @timestamp and type, written as the run goes. Secrets never
// appear: a sensitive output's value is left out and marked.

#include <boost/json/object.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <ostream>
#include <string>

#include "base/diagnostics.h"
#include "base/value.h"
#include "reconciler/engine/plan.h"

namespace stashform::render {

/// The @module of every message.
inline constexpr const char* kUiModule = "stashform.ui";
/// The UI format version the version message names (Terraform's current one).
inline constexpr const char* kUiVersion = "1.2";
/// The prefix of stashform's own message types (pending verifications, unmanaged objects, ...).
inline constexpr const char* kOwnTypePrefix = "stashform_";

/// Counts a change_summary reports.
struct ChangeCounts {
  int add = 0, change = 0, import = 0, remove = 0;
};

/// UiStream writes the messages of one run to one stream; it is safe to call from the engine's
/// worker threads (each message is written whole, under a lock). It decides nothing: the caller
/// says what happened, and when.
class UiStream {
 public:
  /// `now` gives @timestamp (RFC 3339); tests pass a fixed one.
  UiStream(std::ostream& out, std::function<std::string()> now);

  void Version();
  void Diagnostics(const stashform::Diagnostics& diagnostics);
  void ResourceDrift(const engine::DriftEntry& entry);
  /// A change the plan makes (no-ops are not written, adoptions are).
  void PlannedChange(const engine::ResourceChange& change);
  /// Every drift entry and planned change, then the plan's change_summary.
  void Plan(const engine::Plan& plan);
  void ChangeSummary(const ChangeCounts& counts, const std::string& operation);
  void RefreshStart(const ResourceAddress& address, const std::string& id);
  void RefreshComplete(const ResourceAddress& address, const std::string& id);
  void ApplyStart(const engine::ResourceChange& change);
  void ApplyComplete(const engine::ResourceChange& change, std::chrono::duration<double> elapsed);
  void ApplyErrored(const engine::ResourceChange& change, std::chrono::duration<double> elapsed);
  void Outputs(const Value::Map& outputs);
  /// One of stashform's own messages: its type is kOwnTypePrefix + `type`.
  void Own(const std::string& type, const std::string& message, boost::json::object fields,
           const char* level = "info");

 private:
  void Write(const char* level, const std::string& message, const std::string& type, boost::json::object fields);

  std::ostream& out_;
  std::function<std::string()> now_;
  std::mutex mutex_;
};

/// Terraform's hook.resource object for an address: addr, module, resource, implied_provider,
/// resource_type, resource_name, resource_key.
boost::json::object UiResource(const ResourceAddress& address);

/// Counts of a plan: what apply would add, change, import and remove.
ChangeCounts PlanCounts(const engine::Plan& plan);

}  // namespace stashform::render
