#pragma once
// Small helpers shared by the Spacelift resource types: JSON fields of answers, and the shapes of
// "gone" and "failed" answers.

#include <boost/json/value.hpp>

#include <string>

#include "modules/resource_answers.h"
#include "base/schema.h"
#include "base/value.h"

namespace stashform::spacelift {

std::string JsonText(const boost::json::value& object, const char* key);
bool JsonBool(const boost::json::value& object, const char* key);

/// Gone and failed answers, worded as every provider words them.
using modules::DeleteAnswer;
using modules::FailedApply;
using modules::FailedImport;
using modules::FailedRead;
using modules::FoundResponse;
using modules::GoneResponse;

}  // namespace stashform::spacelift
