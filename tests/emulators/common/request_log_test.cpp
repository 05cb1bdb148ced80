// The bounded request log: sequence numbers, capacity, "since", and what Clear keeps.
#include "emulators/common/admin.h"
#include "emulators/common/request_log.h"

#include <gtest/gtest.h>

namespace stashform::emulator {
namespace {

LoggedRequest Get(const std::string& path) {
  LoggedRequest entry;
  entry.method = "GET";
  entry.path = path;
  entry.status = 200;
  return entry;
}

std::vector<std::string> Paths(const std::vector<LoggedRequest>& entries) {
  std::vector<std::string> paths;
  for (const auto& entry : entries) paths.push_back(entry.path);
  return paths;
}

TEST(EmulatorCommonRequestLog, NumbersEntriesFromOneAndAnswersSince) {
  BoundedLog<LoggedRequest> log;
  for (const char* path : {"/a", "/b", "/c"}) log.Append(Get(path), 10);
  EXPECT_EQ(log.Since(0).front().sequence, 1u);
  EXPECT_EQ(Paths(log.Since(1)), (std::vector<std::string>{"/b", "/c"}));
  EXPECT_TRUE(log.Since(3).empty());
}

TEST(EmulatorCommonRequestLog, DropsTheOldestBeyondCapacity) {
  BoundedLog<LoggedRequest> log;
  for (const char* path : {"/a", "/b", "/c", "/d"}) log.Append(Get(path), 2);
  EXPECT_EQ(log.size(), 2u);
  EXPECT_EQ(Paths(log.Since(0)), (std::vector<std::string>{"/c", "/d"}));
  EXPECT_EQ(log.Since(0).front().sequence, 3u);
}

TEST(EmulatorCommonRequestLog, ClearEmptiesButSequencesKeepCounting) {
  BoundedLog<LoggedRequest> log;
  log.Append(Get("/a"), 10);
  log.Append(Get("/b"), 10);
  log.Clear();
  EXPECT_EQ(log.size(), 0u);
  log.Append(Get("/c"), 10);
  EXPECT_EQ(log.Since(0).front().sequence, 3u) << "a client polling with ?since= must not see old numbers again";
}

TEST(EmulatorCommonRequestLog, EntriesStartWithTheCommonFields) {
  LoggedRequest entry = Get("/projects?limit=25");
  entry.sequence = 4;
  entry.time = 1000;
  boost::json::object json = LoggedRequestJson(entry);
  EXPECT_EQ(boost::json::serialize(json),
            R"({"sequence":4,"method":"GET","path":"/projects?limit=25","status":200,"time":1000})");
}

TEST(EmulatorCommonRequestLog, SinceParameterReadsTheQuery) {
  Request request;
  EXPECT_EQ(SinceParameter(request), 0u);
  request.query = ParseQuery("since=17");
  EXPECT_EQ(SinceParameter(request), 17u);
  request.query = ParseQuery("since=soon");
  EXPECT_THROW(SinceParameter(request), std::invalid_argument);
}

}  // namespace
}  // namespace stashform::emulator
