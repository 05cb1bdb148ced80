#pragma once
// Small helpers the Packagist resource types share: JSON fields of answers and URL checks. No
// wire mapping of any one type here.

#include <boost/json/value.hpp>

#include <string>

#include "base/value.h"
#include "modules/resource_answers.h"

namespace stashform::packagist {

/// A string field, or "".
std::string JsonText(const boost::json::value& object, const char* key);
/// A field as text whether the server sent a number or a string ("" when absent or null).
std::string JsonId(const boost::json::value& object, const char* key = "id");
/// `expected an http:// or https:// URL`, or "".
std::string CheckHttpUrl(const Value& value);
/// A path segment with every byte outside RFC 3986's unreserved set percent-encoded.
std::string PathSegment(const std::string& text);

using modules::DeleteAnswer;
using modules::FailedApply;
using modules::FailedCreate;
using modules::FailedImport;
using modules::FailedRead;
using modules::FoundResponse;
using modules::GoneOrFailedRead;
using modules::GoneResponse;

}  // namespace stashform::packagist
