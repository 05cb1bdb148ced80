#include "state/saved_plan.h"

#include <boost/json.hpp>

#include "state/encryption.h"
#include "state/file_io.h"
#include "state/json_text.h"

namespace stashform::state {

namespace json = boost::json;

namespace {

std::string FileName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string StringField(const json::object& doc, const char* key) {
  const json::value* v = doc.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

std::string EncodeSavedPlan(const SavedPlan& plan) {
  json::object doc;
  doc["format"] = SavedPlan::kFormatName;
  doc["version"] = SavedPlan::kFormatVersion;
  doc["lineage"] = plan.lineage;
  doc["serial"] = plan.serial;
  doc["config_digest"] = plan.config_digest;
  doc["tool_version"] = plan.tool_version;
  doc["plan"] = plan.plan;
  return PrettyJson(doc);
}

Result<SavedPlan> DecodeSavedPlan(std::string_view text, const std::string& file_name) {
  Result<json::value> parsed = ParseJson(text, file_name);
  if (!parsed.ok()) return parsed.status();
  const json::object* doc = parsed->if_object();
  if (!doc || StringField(*doc, "format") != SavedPlan::kFormatName)
    return Status::Error(file_name + ": not a stashform saved plan");
  const json::value* version = doc->if_contains("version");
  if (!version || !version->is_int64())
    return Status::Error(file_name + ": malformed saved plan: no format version");
  if (version->get_int64() != SavedPlan::kFormatVersion)
    return Status::Error(file_name + ": plan file format " + std::to_string(version->get_int64()) +
                         " is not supported; run plan again");
  const json::value* serial = doc->if_contains("serial");
  // A negative serial is no state's: to_number<uint64_t> would throw (saved_plan_fuzz found it).
  bool serial_ok = serial && (serial->is_uint64() || (serial->is_int64() && serial->get_int64() >= 0));
  if (!serial_ok || !doc->if_contains("plan"))
    return Status::Error(file_name + ": malformed saved plan");
  SavedPlan plan;
  plan.lineage = StringField(*doc, "lineage");
  plan.serial = serial->to_number<uint64_t>();
  plan.config_digest = StringField(*doc, "config_digest");
  plan.tool_version = StringField(*doc, "tool_version");
  plan.plan = StringField(*doc, "plan");
  return plan;
}

Status CheckSavedPlanApplies(const SavedPlan& plan, const State* current, const std::string& config_digest) {
  const std::string again = "; run \"stashform plan\" again";
  bool stored = current && current->serial > 0;
  if (plan.lineage.empty() && stored)
    return Status::Error("saved plan is stale: it was made before any state existed, and state was written since" +
                         again);
  if (!plan.lineage.empty() && stored && plan.lineage != current->lineage)
    return Status::Error("saved plan is for a different state (lineage " + plan.lineage + "; this state is " +
                         current->lineage + ")");
  if (!plan.lineage.empty() && (!stored || current->serial != plan.serial))
    return Status::Error("saved plan is stale: the state changed since it was made (serial " +
                         std::to_string(plan.serial) + ", now " + std::to_string(stored ? current->serial : 0) +
                         ")" + again);
  if (plan.config_digest != config_digest)
    return Status::Error("saved plan is stale: the configuration or variables changed since it was made" + again);
  return Status::Ok();
}

Status WriteSavedPlan(const std::string& path, const SavedPlan& plan, const StateStoreOptions& options) {
  Result<std::string> sealed = StateCipher(options).Seal(EncodeSavedPlan(plan));
  if (!sealed.ok()) return sealed.status();
  return WriteFileAtomically(path, *sealed);
}

Result<SavedPlan> ReadSavedPlan(const std::string& path, const StateStoreOptions& options) {
  auto bytes = ReadFileIfExists(path);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) return Status::Error("saved plan " + path + " does not exist");
  Result<std::string> plaintext = StateCipher(options).Open(std::move(**bytes), FileName(path));
  if (!plaintext.ok()) return plaintext.status();
  return DecodeSavedPlan(*plaintext, FileName(path));
}

}  // namespace stashform::state
