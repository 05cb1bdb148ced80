// The content endpoints Backstage's Bitbucket Server integration and catalog provider call
// (platforms.md §4.2): each answer checked against its operation's response in the 9.4 OpenAPI
// document, and archives opened and read back.
#include "tests/emulators/bitbucket/harness.h"
#include "tests/emulators/bitbucket/operation_schemas.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <map>

namespace stashform::emulator::testing {
namespace {

const char* const kContentSeed = R"({
  "users": [
    {"name": "admin", "password": "admin", "admin": true},
    {"name": "outsider", "password": "out-pw"}
  ],
  "projects": [
    {"key": "PLAT", "name": "Platform",
     "repositories": [
       {"slug": "catalog", "name": "catalog", "branches": ["main", "develop", "feature/docs"],
        "commits": ["Add catalog-info.yaml", "Add docs"],
        "files": {"catalog-info.yaml": "kind: Component\nmetadata:\n  name: catalog\n",
                  "docs/index.md": "# Catalog\n", "docs/guide/setup.md": "setup\n"}},
       {"slug": "storefront", "name": "storefront", "defaultBranch": "trunk"}
     ]}
  ]
})";

const std::string kRepo = "/rest/api/1.0/projects/PLAT/repos/catalog";

class ContentTest : public ::testing::Test {
 protected:
  /// The answer must fit its operation's documented response.
  void ExpectDocumented(const std::string& operation, const httplib::Result& answer) {
    auto problems = schemas_.Check(operation, answer);
    std::string joined;
    for (const auto& problem : problems) joined += problem + "\n";
    EXPECT_TRUE(problems.empty()) << joined << (answer ? answer->body : "");
  }
  boost::json::value GetJson(const std::string& operation, const std::string& path) {
    auto answer = emulator_.Send("GET", path);
    EXPECT_EQ(answer->status, 200) << path << ": " << answer->body;
    ExpectDocumented(operation, answer);
    return Json(answer);
  }

  OperationSchemas schemas_ = OperationSchemas::Load();
  Harness emulator_{kContentSeed};
};

TEST_F(ContentTest, TheCheckerCatchesAWrongFieldAndAnUndocumentedStatus) {
  httplib::Result answer = emulator_.Send("GET", kRepo + "/default-branch");
  answer.value().body = R"({"id":"refs/heads/main","displayId":"main","type":"BRANCH","isDefualt":true})";
  EXPECT_FALSE(schemas_.Check("getDefaultBranch_2", answer).empty());
  answer.value().status = 418;
  EXPECT_FALSE(schemas_.Check("getDefaultBranch_2", answer).empty());
}

TEST_F(ContentTest, DefaultBranchAnswersAsAMinimalRefAndAsABranch) {
  auto ref = GetJson("getDefaultBranch_2", "/rest/api/1.0/projects/PLAT/repos/storefront/default-branch");
  EXPECT_EQ(ref.at("id"), "refs/heads/trunk");
  EXPECT_EQ(ref.at("displayId"), "trunk");
  auto branch = GetJson("getDefaultBranch_1", kRepo + "/branches/default");
  EXPECT_EQ(branch.at("displayId"), "main");
  EXPECT_EQ(branch.at("isDefault"), true);
  EXPECT_EQ(branch.at("latestCommit").as_string().size(), 40u);
}

TEST_F(ContentTest, BranchesArePagedFilteredAndOrdered) {
  auto all = GetJson("getBranches", kRepo + "/branches?orderBy=ALPHABETICAL");
  ASSERT_EQ(all.at("values").as_array().size(), 3u);
  EXPECT_EQ(all.at("values").at(0).at("displayId"), "develop");
  auto first = GetJson("getBranches", kRepo + "/branches?orderBy=ALPHABETICAL&limit=1");
  EXPECT_EQ(first.at("isLastPage"), false);
  EXPECT_EQ(first.at("nextPageStart"), 1);
  auto filtered = GetJson("getBranches", kRepo + "/branches?filterText=DOC");
  ASSERT_EQ(filtered.at("values").as_array().size(), 1u);
  EXPECT_EQ(filtered.at("values").at(0).at("id"), "refs/heads/feature/docs");
  auto detailed = GetJson("getBranches", kRepo + "/branches?details=true&filterText=main");
  EXPECT_TRUE(detailed.at("values").at(0).as_object().contains("metadata"));
  EXPECT_EQ(emulator_.Send("GET", kRepo + "/branches?orderBy=SIDEWAYS")->status, 400);
}

TEST_F(ContentTest, RawAnswersTheFileAtABranchOrACommit) {
  const std::string content = "kind: Component\nmetadata:\n  name: catalog\n";
  for (const std::string at : {"", "?at=main", "?at=refs/heads/develop"}) {
    auto answer = emulator_.Send("GET", kRepo + "/raw/catalog-info.yaml" + at);
    ASSERT_EQ(answer->status, 200) << at;
    ExpectDocumented("streamRaw", answer);
    EXPECT_EQ(answer->body, content);
  }
  auto head = GetJson("getDefaultBranch_1", kRepo + "/branches/default").at("latestCommit").as_string();
  EXPECT_EQ(emulator_.Send("GET", kRepo + "/raw/docs/guide/setup.md?at=" + std::string(head))->body, "setup\n");
}

TEST_F(ContentTest, RawAnswers404AsTheServerDoesForAMissingPathOrRevision) {
  auto missing = emulator_.Send("GET", kRepo + "/raw/nope.yaml?at=main");
  EXPECT_EQ(missing->status, 404);
  ExpectDocumented("streamRaw", missing);
  EXPECT_EQ(ErrorMessage(missing), "The path \"nope.yaml\" does not exist at revision \"main\"");
  auto no_revision = emulator_.Send("GET", kRepo + "/raw/catalog-info.yaml?at=no-such-branch");
  EXPECT_EQ(no_revision->status, 404);
  ExpectDocumented("streamRaw", no_revision);
  EXPECT_EQ(Json(no_revision).at("errors").at(0).at("exceptionName"), "com.atlassian.bitbucket.commit.NoSuchCommitException");
  auto outsider = emulator_.Send("GET", kRepo + "/raw/catalog-info.yaml", "", BasicAuth("outsider", "out-pw"));
  EXPECT_EQ(outsider->status, 401);
  ExpectDocumented("streamRaw", outsider);
}

TEST_F(ContentTest, BrowseListsAFolderAndAFilesLines) {
  auto top = GetJson("getContent", kRepo + "/browse");
  std::vector<std::string> names;
  for (const auto& child : top.at("children").at("values").as_array())
    names.emplace_back(child.at("path").at("toString").as_string());
  EXPECT_EQ(names, (std::vector<std::string>{"docs", "catalog-info.yaml"}));
  auto docs = GetJson("getContent_1", kRepo + "/browse/docs?at=develop");
  EXPECT_EQ(docs.at("children").at("values").at(0).at("type"), "DIRECTORY");
  EXPECT_EQ(docs.at("children").at("values").at(1).at("path").at("toString"), "index.md");
  auto file = GetJson("getContent_1", kRepo + "/browse/catalog-info.yaml");
  EXPECT_EQ(file.at("lines").at(2).at("text"), "  name: catalog");
  auto missing = emulator_.Send("GET", kRepo + "/browse/nowhere");
  EXPECT_EQ(missing->status, 404);
  ExpectDocumented("getContent_1", missing);
}

TEST_F(ContentTest, CommitsComeLatestFirstFromTheNamedBranch) {
  auto main = GetJson("getCommits", kRepo + "/commits");
  const auto& values = main.at("values").as_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values.at(0).at("message"), "Add docs");
  EXPECT_EQ(values.at(2).at("message"), "Initial commit");
  EXPECT_EQ(values.at(0).at("parents").at(0).at("id"), values.at(1).at("id"));
  auto head = GetJson("getDefaultBranch_1", kRepo + "/branches/default").at("latestCommit");
  EXPECT_EQ(values.at(0).at("id"), head);
  auto develop = GetJson("getCommits", kRepo + "/commits?until=develop&limit=1");
  EXPECT_EQ(develop.at("values").at(0).at("message"), "Work on develop");
  EXPECT_EQ(develop.at("isLastPage"), false);
  auto one = GetJson("getCommit", kRepo + "/commits/" + std::string(head.as_string()));
  EXPECT_EQ(one.at("message"), "Add docs");
}

std::string Gunzip(const std::string& bytes) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(1 << 20, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  int result = inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return result == Z_STREAM_END ? out : "";
}

/// name → content of a ustar archive.
std::map<std::string, std::string> Untar(const std::string& tar) {
  std::map<std::string, std::string> files;
  std::size_t pos = 0;
  while (pos + 512 <= tar.size() && tar[pos] != '\0') {
    std::string name(tar.c_str() + pos);
    std::string prefix(tar.c_str() + pos + 345);
    std::size_t size = std::stoul(std::string(tar.c_str() + pos + 124, 11), nullptr, 8);
    files[prefix.empty() ? name : prefix + "/" + name] = tar.substr(pos + 512, size);
    pos += 512 + (size + 511) / 512 * 512;
  }
  return files;
}

std::uint32_t Le(const std::string& bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  return value;
}

/// name → content of a zip of stored entries; a wrong CRC leaves the entry out.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> files;
  std::size_t pos = 0;
  while (pos + 30 <= zip.size() && Le(zip, pos, 4) == 0x04034b50) {
    std::uint32_t crc = Le(zip, pos + 14, 4), size = Le(zip, pos + 18, 4);
    std::size_t name_length = Le(zip, pos + 26, 2), extra = Le(zip, pos + 28, 2);
    std::string name = zip.substr(pos + 30, name_length);
    std::string content = zip.substr(pos + 30 + name_length + extra, size);
    if (crc32(0, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())) == crc)
      files[name] = content;
    pos += 30 + name_length + extra + size;
  }
  return files;
}

TEST_F(ContentTest, ArchiveTgzHoldsTheFilesUnderThePrefix) {
  auto answer = emulator_.Send("GET", kRepo + "/archive?format=tgz&at=develop&prefix=PLAT-catalog");
  ASSERT_EQ(answer->status, 200) << answer->body;
  ExpectDocumented("getArchive", answer);
  EXPECT_EQ(answer->get_header_value("Content-Type"), "application/x-gzip");
  auto files = Untar(Gunzip(answer->body));
  EXPECT_EQ(files.size(), 3u);
  EXPECT_EQ(files["PLAT-catalog/catalog-info.yaml"], "kind: Component\nmetadata:\n  name: catalog\n");
  EXPECT_EQ(files["PLAT-catalog/docs/guide/setup.md"], "setup\n");
  auto docs = Untar(Gunzip(emulator_.Send("GET", kRepo + "/archive?format=tgz&path=docs")->body));
  EXPECT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs.count("docs/index.md"), 1u);
}

TEST_F(ContentTest, ArchiveZipIsAZipAndErrorsAreDocumented) {
  auto answer = emulator_.Send("GET", kRepo + "/archive?format=zip");
  ASSERT_EQ(answer->status, 200);
  ExpectDocumented("getArchive", answer);
  auto files = Unzip(answer->body);
  EXPECT_EQ(files.size(), 3u);
  EXPECT_EQ(files["docs/index.md"], "# Catalog\n");
  auto bad_format = emulator_.Send("GET", kRepo + "/archive?format=rar");
  EXPECT_EQ(bad_format->status, 400);
  ExpectDocumented("getArchive", bad_format);
  auto bad_revision = emulator_.Send("GET", kRepo + "/archive?format=tgz&at=nope");
  EXPECT_EQ(bad_revision->status, 404);
  ExpectDocumented("getArchive", bad_revision);
}

TEST_F(ContentTest, RepositoryLinksPointAtTheEmulator) {
  auto repository = Json(emulator_.Send("GET", kRepo));
  const auto& links = repository.at("links");
  EXPECT_EQ(links.at("self").at(0).at("href").as_string(), emulator_.base_url() + "/projects/PLAT/repos/catalog/browse");
  EXPECT_EQ(links.at("clone").at(0).at("href").as_string(), emulator_.base_url() + "/scm/plat/catalog.git");
}

}  // namespace
}  // namespace stashform::emulator::testing
