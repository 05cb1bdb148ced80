#pragma once
// Small helpers every Bitbucket resource type shares: schema attributes, attribute lookups, JSON
// field reads and the shapes of "gone" and "failed" answers. No type-specific wire mapping here.

#include <boost/json/value.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "modules/bitbucket/api.h"
#include "modules/resource_answers.h"
#include "base/attribute_checks.h"
#include "base/schema.h"
#include "base/status.h"
#include "modules/provider/provider.h"

namespace stashform::bitbucket {


int64_t IntAttr(const Value::Map& map, const std::string& key, int64_t fallback = 0);
bool BoolAttr(const Value::Map& map, const std::string& key, bool fallback);

/// `"id"` of a JSON object as text, whether the server sent a number or a string.
std::string JsonId(const boost::json::value& object, const char* field = "id");
/// A string field of a JSON object, or "".
std::string JsonString(const boost::json::value& object, const char* field);
/// An integer field (number or numeric string), or the fallback.
int64_t JsonInt(const boost::json::value& object, const char* field, int64_t fallback = 0);

/// `expected an http:// or https:// URL` check for URL attributes.
std::string CheckHttpUrl(const Value& value);

/// Bitbucket's limit on names and keys: "The name should be between 1 and 255 characters."
/// (bitbucket-api.md §1.4, the error envelope of the 9.4 OpenAPI document; "All fields … are
/// limited to 255 characters" in its REST narrative). A 300-character or empty name used to pass
/// validate and plan and fail only at apply with the server's 400.
inline constexpr size_t kBitbucketNameLimit = 255;
AttributeCheck BitbucketText(size_t max = kBitbucketNameLimit);

/// Gone and failed answers, worded as every provider words them.
using modules::DeleteAnswer;
using modules::FailedApply;
using modules::FailedCreate;
using modules::FailedImport;
using modules::FailedRead;
using modules::FoundResponse;
using modules::GoneOrFailedRead;
using modules::GoneResponse;

/// PlanBySchema, except that on an existing object the attributes whose value only the create
/// answer carried (a token, a client secret) are left out of the plan, so that references to them
/// resolve from private state instead of becoming "known after apply".
provider::PlanResponse PlanWithPrivateAttributes(const ResourceSchema& schema, const provider::PlanRequest& request,
                                                 const std::vector<std::string>& private_attributes);

/// DELETE of one object at `path`; an object already gone (not found) is what a delete wants.
provider::ApplyResponse DeleteObject(const BitbucketApi& api, const std::string& path, const std::string& id);

/// An import that found nothing becomes an error: `bitbucket.oauth2_client "x": <what>`.
provider::ImportResponse NotFoundIsError(provider::ImportResponse response, const std::string& type,
                                         const std::string& id, const std::string& what);

/// Runs work(0) … work(count - 1) on up to `workers` threads and returns when all are done; the
/// calls must not share mutable state but their own output slot.
void ForEachConcurrently(size_t count, int workers, const std::function<void(size_t)>& work);

/// The value of a string list or set attribute.
std::vector<std::string> ListAttr(const Value::Map& map, const std::string& key);

}  // namespace stashform::bitbucket
