// The read-side driver shared by the platform clients' fuzz targets.

#include "fuzz/provider_reads.h"

#include <map>
#include <string_view>
#include <vector>

#include "tests/support/fake_http_client.h"

namespace stashform::fuzz {
namespace {

constexpr std::string_view kSeparator = "\n=====\n";
constexpr long kStatuses[] = {200, 200, 200, 200, 201, 204, 400, 401, 403, 404, 409, 410, 429, 500, 503, 302};

http::Response ParseAnswer(std::string_view chunk) {
  http::Response response;
  response.status = 200;
  if (chunk.empty()) return response;
  response.status = kStatuses[static_cast<uint8_t>(chunk[0]) % std::size(kStatuses)];
  chunk.remove_prefix(1);
  if (chunk.substr(0, 2) == "H:") {
    chunk.remove_prefix(2);
    size_t end = chunk.find("\n\n");
    std::string_view headers = chunk.substr(0, end);
    chunk = end == std::string_view::npos ? std::string_view() : chunk.substr(end + 2);
    while (!headers.empty()) {
      size_t eol = headers.find('\n');
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 1);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
  }
  response.body = std::string(chunk);
  return response;
}

// A value for an attribute that the type's code can take for a plausible recorded one.
Value PlausibleValue(const AttributeSchema& attribute) {
  switch (attribute.type) {
    case AttrType::kBool: return Value(true);
    case AttrType::kInt: return Value(int64_t{1});
    case AttrType::kStringList:
    case AttrType::kStringSet: return Value::StringList({"repo:refs_changed"});
    case AttrType::kStringMap: return Value(Value::Map{{"k", Value("v")}});
    case AttrType::kString: break;
  }
  const std::string& name = attribute.name;
  if (name.find("url") != std::string::npos) return Value("https://fuzz.example/x");
  if (name == "path") return Value("/fuzz/app-config.yaml");
  if (name.find("id") != std::string::npos) return Value("1");
  return Value("INFRA");
}

// Made once per schema: the same every input, and building it was a twentieth of a Backstage
// input's time.
const Value::Map& PlausibleAttributes(const ResourceSchema& schema) {
  static std::map<const ResourceSchema*, Value::Map> made;
  auto [at, inserted] = made.try_emplace(&schema);
  if (inserted)
    for (const auto& attribute : schema.attributes) at->second[attribute.name] = PlausibleValue(attribute);
  return at->second;
}

// The kinds of read one input can ask of a configured server.
enum class ReadKind { kVerify, kDataSource, kRead, kReadMany, kImportPath, kImportId, kFindMany, kListUnmanaged };

/// One read of a platform target: its kind and the resource type or data source it asks about.
struct Read {
  ReadKind kind;
  const ResourceSchema* schema;  // null for Verify
};

// Every read the provider's schemas allow, in schema order; the input's first byte picks one.
std::vector<Read> ReadsOf(provider::Provider& provider) {
  std::vector<Read> reads{{ReadKind::kVerify, nullptr}};
  for (const ResourceSchema* schema : provider.Schemas()) {
    if (schema->is_server) continue;
    if (schema->is_data_source) {
      reads.push_back({ReadKind::kDataSource, schema});
      continue;
    }
    for (ReadKind kind : {ReadKind::kRead, ReadKind::kReadMany, ReadKind::kImportPath, ReadKind::kImportId,
                          ReadKind::kListUnmanaged})
      reads.push_back({kind, schema});
    if (!schema->natural_key.empty()) reads.push_back({ReadKind::kFindMany, schema});
  }
  return reads;
}

void MakeRead(provider::Server& server, const Read& read) {
  if (read.kind == ReadKind::kVerify) {
    (void)server.Verify();
    return;
  }
  const Value::Map& prior = PlausibleAttributes(*read.schema);
  if (read.kind == ReadKind::kDataSource) {
    (void)server.ReadDataSource(read.schema->type, prior);
    return;
  }
  provider::ResourceType* type = server.Resource(read.schema->type);
  if (!type) return;
  Value::Map key;
  Diagnostics diagnostics;
  switch (read.kind) {
    case ReadKind::kRead: (void)type->Read({"1", prior}); break;
    case ReadKind::kReadMany: (void)type->ReadMany({{"1", prior}, {"2", prior}}); break;
    case ReadKind::kImportPath: (void)type->Import("INFRA/api/1"); break;
    case ReadKind::kImportId: (void)type->Import("1"); break;
    case ReadKind::kFindMany:
      for (const auto& name : read.schema->natural_key) {
        auto value = prior.find(name);
        key[name] = value == prior.end() ? Value() : value->second;
      }
      (void)type->FindMany({key});
      break;
    case ReadKind::kListUnmanaged: (void)type->ListUnmanaged({{"1", prior}}, diagnostics); break;
    case ReadKind::kVerify:
    case ReadKind::kDataSource: break;
  }
}

}  // namespace

ScriptedAnswers::ScriptedAnswers(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  while (true) {
    size_t cut = rest.find(kSeparator);
    answers_.push_back(ParseAnswer(rest.substr(0, cut)));
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + kSeparator.size());
  }
}

http::Response ScriptedAnswers::Next() {
  if (next_ == answers_.size()) {
    http::Response exhausted;
    exhausted.transport_error = "fuzz: no answer left in the input";
    return exhausted;
  }
  return answers_[next_++];
}

ClientFactory ScriptedClientFactory(ScriptedAnswers*& answers, FixedAnswer fixed) {
  return [&answers, fixed](const http::ClientOptions&) -> std::unique_ptr<http::HttpClient> {
    auto client = std::make_unique<http::FakeHttpClient>();
    client->SetHandler([&answers, fixed](const http::Request& request) {
      if (fixed)
        if (auto answer = fixed(request)) return *answer;
      return answers->Next();
    });
    return client;
  };
}

void RunOneRead(provider::Provider& provider, ScriptedAnswers*& answers, const Value::Map& server_config,
                const uint8_t* data, size_t size) {
  if (size == 0) return;
  ScriptedAnswers scripted(data + 1, size - 1);
  answers = &scripted;
  MakeOneRead(provider, server_config, data[0]);
  answers = nullptr;
}

void MakeOneRead(provider::Provider& provider, const Value::Map& server_config, uint8_t selector) {
  const std::vector<Read> reads = ReadsOf(provider);
  // A server per input, as each stashform run configures its own: nothing one input taught it
  // (a login token, a cached page) may change what the next input does.
  auto server = provider.Configure("fuzz", server_config);
  if (server.ok()) MakeRead(**server, reads[selector % reads.size()]);
}

}  // namespace stashform::fuzz
