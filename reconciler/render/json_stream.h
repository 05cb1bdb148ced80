#pragma once
// Writes a JSON document piece by piece to a stream, so that a document of 100,000 resources is
// never held as one tree: each member or item is serialised on its own and written at once.

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>
#include <boost/json/value.hpp>

#include <ostream>
#include <string_view>

namespace stashform::render {

/// JsonMembers writes one object's members in order; it closes the object when it goes.
class JsonMembers {
 public:
  explicit JsonMembers(std::ostream& out) : out_(out) { out_ << '{'; }
  ~JsonMembers() { out_ << '}'; }
  JsonMembers(const JsonMembers&) = delete;
  JsonMembers& operator=(const JsonMembers&) = delete;

  /// Starts a member and returns the stream for its value, to be written by the caller.
  std::ostream& Key(std::string_view key) {
    if (count_++) out_ << ',';
    out_ << boost::json::serialize(boost::json::string(key)) << ':';
    return out_;
  }
  void Put(std::string_view key, const boost::json::value& value) { Key(key) << boost::json::serialize(value); }

 private:
  std::ostream& out_;
  int count_ = 0;
};

/// JsonItems writes one array's items in order; it closes the array when it goes.
class JsonItems {
 public:
  explicit JsonItems(std::ostream& out) : out_(out) { out_ << '['; }
  ~JsonItems() { out_ << ']'; }
  JsonItems(const JsonItems&) = delete;
  JsonItems& operator=(const JsonItems&) = delete;

  /// Starts an item and returns the stream for it, to be written by the caller.
  std::ostream& Next() {
    if (count_++) out_ << ',';
    return out_;
  }
  void Put(const boost::json::value& value) { Next() << boost::json::serialize(value); }

 private:
  std::ostream& out_;
  int count_ = 0;
};

}  // namespace stashform::render
