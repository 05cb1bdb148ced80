#include "state/value_reader.h"

#include <boost/json/basic_parser_impl.hpp>
#include <charconv>
#include <iterator>
#include <limits>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "state/json_text.h"

namespace stashform::state {

namespace json = boost::json;

namespace {

// The handler of Boost.JSON's basic_parser: the items and members of the open lists and maps wait
// on two stacks, as Boost.JSON's own value_stack does, and each container is made at its end in
// one allocation of its exact size (a map sorted once, however its keys came).
class ValueBuilder {
 public:
  static constexpr size_t max_array_size = std::numeric_limits<size_t>::max();
  static constexpr size_t max_object_size = std::numeric_limits<size_t>::max();
  static constexpr size_t max_string_size = std::numeric_limits<size_t>::max();
  static constexpr size_t max_key_size = std::numeric_limits<size_t>::max();

  explicit ValueBuilder(const StreamedArray* streamed) : streamed_(streamed) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return Open(false); }
  bool on_array_end(size_t, json::error_code&) { return Close(); }
  bool on_object_begin(json::error_code&) { return Open(true); }
  bool on_object_end(size_t, json::error_code&) { return Close(); }
  bool on_string_part(json::string_view s, size_t, json::error_code&) { return Part(s); }
  bool on_string(json::string_view s, size_t, json::error_code&) { return Add(Value(Whole(s))); }
  bool on_key_part(json::string_view s, size_t, json::error_code&) { return Part(s); }
  bool on_key(json::string_view s, size_t, json::error_code&) {
    frames_.back().key = Whole(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) { return Part(s); }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    pending_.clear();
    return Add(Value(i));
  }
  // As Value::FromJson did: a number past int64's range keeps its bits.
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    pending_.clear();
    return Add(Value(static_cast<int64_t>(u)));
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    double rounded = CorrectlyRounded(NumberText(s), d);
    pending_.clear();
    return Add(Value(rounded));
  }
  bool on_bool(bool b, json::error_code&) { return Add(Value(b)); }
  bool on_null(json::error_code&) { return Add(Value()); }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  Value Take() { return std::move(root_); }

 private:
  // One open list or map: where its items (or members) start on their stack; `key` is the
  // pending key of a map, `count` the items a list was given (streamed ones included).
  struct Frame {
    bool is_map = false;
    size_t first = 0;
    std::string key;
    size_t count = 0;
  };

  bool Open(bool is_map) {
    frames_.push_back({is_map, is_map ? members_.size() : items_.size(), {}, 0});
    if (IsStreamedArray()) {
      // What the document holds so far, for `take`: a few header fields in a file stashform wrote.
      Value::Map::sequence_type head(members_.begin() + static_cast<std::ptrdiff_t>(frames_[0].first), members_.end());
      document_so_far_ = MapOfEntries(std::move(head));
      streamed_->begin();
    }
    return true;
  }
  bool Close() {
    Frame& top = frames_.back();
    Value done;
    if (top.is_map) {
      auto first = members_.begin() + static_cast<std::ptrdiff_t>(top.first);
      Value::Map::sequence_type entries(std::make_move_iterator(first), std::make_move_iterator(members_.end()));
      members_.erase(first, members_.end());
      done = Value(MapOfEntries(std::move(entries)));
    } else {
      auto first = items_.begin() + static_cast<std::ptrdiff_t>(top.first);
      Value::List list(std::make_move_iterator(first), std::make_move_iterator(items_.end()));
      items_.erase(first, items_.end());
      done = Value(std::move(list));
    }
    frames_.pop_back();
    return Add(std::move(done));
  }
  // Boost.JSON 1.81 reads a long mantissa to a neighbour of the nearest double, so the text it
  // writes for that double could read back as another one and a saved state would change on every
  // save (state_codec_fuzz found it); std::from_chars rounds correctly. Out of range keeps Boost's.
  static double CorrectlyRounded(std::string_view text, double boost_reading) {
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : boost_reading;
  }
  // The whole text of a number whose earlier parts (if any) came through Part; no copy when it
  // came in one piece, as nearly every number does.
  std::string_view NumberText(json::string_view s) {
    if (pending_.empty()) return {s.data(), s.size()};
    pending_.append(s.data(), s.size());
    return pending_;
  }
  bool Part(json::string_view s) {
    pending_.append(s.data(), s.size());
    return true;
  }
  // The text of a string or key whose earlier parts (if any) came through Part.
  std::string Whole(json::string_view s) {
    if (pending_.empty()) return std::string(s.data(), s.size());
    pending_.append(s.data(), s.size());
    return std::exchange(pending_, {});
  }
  bool Add(Value value) {
    if (frames_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Frame& top = frames_.back();
    if (top.is_map) {
      members_.emplace_back(std::move(top.key), std::move(value));
      return true;
    }
    size_t index = top.count++;
    if (IsStreamedArray() && streamed_->take(document_so_far_, index, value)) return true;
    items_.push_back(std::move(value));
    return true;
  }
  // Whether the innermost frame is the document's array under the streamed key.
  bool IsStreamedArray() const {
    return streamed_ && frames_.size() == 2 && frames_[0].is_map && !frames_[1].is_map &&
           frames_[0].key == streamed_->key;
  }

  const StreamedArray* streamed_;
  std::vector<Frame> frames_;
  Value::Map::sequence_type members_;  // of the open maps, innermost last
  Value::List items_;                  // of the open lists, innermost last
  Value::Map document_so_far_;         // the top-level members before the streamed array
  std::string pending_;
  Value root_;
};

}  // namespace

Result<Value> ParseValue(std::string_view text, const std::string& file_name, const StreamedArray* streamed) {
  // Boost.JSON's defaults, as ParseJson's stream_parser has them (nesting up to 32, strict UTF-8).
  json::basic_parser<ValueBuilder> parser(json::parse_options{}, streamed);
  json::error_code ec;
  // As ParseJson: what write_some took before an error is the error's position.
  size_t consumed = parser.write_some(true, text.data(), text.size(), ec);
  if (!ec && consumed < text.size()) ec = json::error::extra_data;
  if (!ec) parser.write_some(false, nullptr, 0, ec);
  if (!ec && !parser.done()) ec = json::error::incomplete;
  if (ec) return Status::Error(file_name + ":" + JsonErrorPlace(text, consumed) + ": " + ec.message());
  return parser.handler().Take();
}

}  // namespace stashform::state
