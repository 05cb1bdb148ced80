// bitbucket.application_link against a scripted server: link + consumer calls, generated keys.

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/bitbucket/api.h"
#include "modules/bitbucket/application_link.h"
#include "modules/bitbucket/key_pair.h"
#include "tests/integration/packagist_certificates.h"
#include "tests/support/fake_http_client.h"

namespace stashform::bitbucket {
namespace {

namespace json = boost::json;
using http::FakeHttpClient;

const std::string kBase = "http://bb.test";
const std::string kLink = kBase + "/rest/applinks/3.0/applicationlink";
const std::string kId = "227dd1d7-f6d6-34a5-b046-5663fb518691";
const std::string kConsumer = kBase + "/rest/applinks-oauth/1.0/applicationlink/" + kId + "/authentication/consumer";

Value::Map Planned() {
  return {{"name", Value("tfe")}, {"rpc_url", Value("https://tfe.example")}, {"consumer_key", Value("tfe-key")},
          {"generate_key_pair", Value(true)}};
}

class ApplicationLinkTest : public ::testing::Test {
 protected:
  ApplicationLinkTest() : api({kBase, "", "admin", "pw"}, http), links(api) {
    http.On("PUT", kLink, FakeHttpClient::Reply(201, R"({"status-code":201,"resources-created":[{"href":")" + kLink + "/" + kId + "\"}]}"));
    http.On("PUT", kConsumer, FakeHttpClient::Reply(201, R"({"status-code":201})"));
  }
  FakeHttpClient http;
  BitbucketApi api;
  ApplicationLinkType links;
};

TEST_F(ApplicationLinkTest, CreateWithAGeneratedKeyPairSendsThePublicKeyAndKeepsThePrivateOne) {
  auto response = links.Apply({provider::ApplyAction::kCreate, "", {}, Planned()});
  ASSERT_FALSE(response.diagnostics.HasErrors()) << response.diagnostics.ToString();
  EXPECT_EQ(response.id, kId);
  ASSERT_EQ(http.requests().size(), 2u);
  json::value link = json::parse(http.requests()[0].body);
  EXPECT_EQ(link.at("typeId").as_string(), "generic");
  EXPECT_EQ(link.at("displayUrl").as_string(), "https://tfe.example");
  json::value consumer = json::parse(http.requests()[1].body);
  EXPECT_EQ(consumer.at("key").as_string(), "tfe-key");
  EXPECT_EQ(consumer.at("outgoing").as_bool(), false);
  const std::string public_pem = response.attributes.at("public_key_pem").as_string();
  EXPECT_EQ(public_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  EXPECT_EQ(std::string(consumer.at("publicKey").as_string()), public_pem);
  const Value& private_key = response.private_data.at("private_key_pem");
  EXPECT_TRUE(private_key.sensitive());
  EXPECT_EQ(private_key.as_string().rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  EXPECT_EQ(response.attributes.count("private_key_pem"), 0u);
  for (const auto& request : http.requests()) EXPECT_EQ(request.body.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(ApplicationLinkTest, PlanWantsPublicKeyOrGeneratedPairButNotBoth) {
  Value::Map neither = Planned();
  neither["generate_key_pair"] = Value(false);
  EXPECT_TRUE(links.Plan({true, {}, neither}).diagnostics.HasErrors());
  Value::Map both = Planned();
  both["public_key"] = Value("MIIBIjAN");
  EXPECT_TRUE(links.Plan({true, {}, both}).diagnostics.HasErrors());
  Value::Map given = neither;
  given["public_key"] = Value("MIIBIjAN");
  auto plan = links.Plan({true, {}, given});
  EXPECT_FALSE(plan.diagnostics.HasErrors());
  EXPECT_EQ(plan.planned.at("public_key_pem"), Value("-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n"));
}

TEST_F(ApplicationLinkTest, ReadSeesAMissingConsumerAndABareKeyEqualToThePem) {
  http.On("GET", kLink + "/" + kId, FakeHttpClient::Reply(200, R"({"id":")" + kId + R"(","name":"tfe","rpcUrl":"https://tfe.example","displayUrl":"https://tfe.example"})"));
  Value::Map prior = Planned();
  prior["generate_key_pair"] = Value(false);
  prior["public_key"] = Value("-----BEGIN PUBLIC KEY-----\nMIIBIjAN\n-----END PUBLIC KEY-----\n");
  http.Enqueue("GET", kConsumer, FakeHttpClient::Reply(200, R"({"key":"tfe-key","name":"tfe","publicKey":"MIIBIjAN"})"));
  auto read = links.Read({kId, prior});
  EXPECT_EQ(read.attributes.at("public_key"), prior.at("public_key"));
  EXPECT_EQ(read.attributes.at("consumer_key"), Value("tfe-key"));
  http.Enqueue("GET", kConsumer, FakeHttpClient::Reply(404, R"({"errors":[{"message":"no consumer"}]})"));
  EXPECT_EQ(links.Read({kId, prior}).attributes.at("consumer_key"), Value(""));
  http.On("GET", kLink + "/gone", FakeHttpClient::Reply(404));
  EXPECT_TRUE(links.Read({"gone", prior}).gone);
}

TEST_F(ApplicationLinkTest, ImportByNameReadsTheLinkList) {
  http.On("GET", kBase + "/rest/applinks/3.0/applinks",
          FakeHttpClient::Reply(200, R"([{"id":")" + kId + R"(","name":"tfe","type":"generic","rpcUrl":"https://tfe.example"}])"));
  http.On("GET", kConsumer, FakeHttpClient::Reply(200, R"({"key":"tfe-key","name":"tfe","publicKey":"MIIBIjAN"})"));
  auto imported = links.Import("tfe");
  ASSERT_TRUE(imported.found);
  EXPECT_EQ(imported.id, kId);
  EXPECT_EQ(imported.attributes.at("display_url"), Value("https://tfe.example"));
  EXPECT_TRUE(links.Import(kId).found);
  EXPECT_TRUE(links.Import("nope").diagnostics.HasErrors());
}

TEST(KeyPairTest, PublicKeyBodyIgnoresPemFramingAndWhitespace) {
  EXPECT_EQ(PublicKeyBody("-----BEGIN PUBLIC KEY-----\nAB\nCD\n-----END PUBLIC KEY-----\n"), "ABCD");
  EXPECT_EQ(PublicKeyBody("ABCD"), "ABCD");
}

// issue 14 §2: only a generated key pair yields a private key that a lost create answer would take
// with it; a link made from a given public key has none to lose, so its adoption replaces nothing.
TEST_F(ApplicationLinkTest, OnlyAGeneratedKeyPairPlansAPrivateKeyAtCreate) {
  auto generated = links.Plan({true, {}, Planned()});
  EXPECT_TRUE(generated.planned.at("private_key_pem").is_unknown());
  Value::Map given = Planned();
  given["generate_key_pair"] = Value(false);
  given["public_key"] = Value("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
  auto planned = links.Plan({true, {}, given});
  EXPECT_TRUE(planned.planned.at("private_key_pem").is_null());
}

TEST_F(ApplicationLinkTest, ACertificateAsPublicKeySendsTheKeyInsideItAndComparesEqualToIt) {
  Value::Map planned{{"name", Value("packagist")}, {"rpc_url", Value("https://packagist.example/")},
                     {"consumer_key", Value("packagist-1")}, {"public_key", Value(testing::kCertificateA)}};
  auto response = links.Apply({provider::ApplyAction::kCreate, "", {}, planned});
  ASSERT_FALSE(response.diagnostics.HasErrors());
  json::value sent;
  for (const auto& request : http.requests())
    if (request.url == kConsumer) sent = json::parse(request.body);
  const std::string key(sent.at("publicKey").as_string());
  EXPECT_NE(key.find("-----BEGIN PUBLIC KEY-----"), std::string::npos) << key;
  EXPECT_EQ(PublicKeyBody(key), testing::kPublicKeyBodyA);
  EXPECT_EQ(PublicKeyBody(testing::kCertificateA), PublicKeyBody(key)) << "the certificate stands for its key";
  EXPECT_NE(PublicKeyBody(testing::kCertificateB), PublicKeyBody(key));
}

TEST(ApplicationLinkSchema, AMalformedCertificateFailsTheAttributesCheck) {
  const AttributeSchema* key = ApplicationLinkSchema().Find("public_key");
  ASSERT_TRUE(key && key->check);
  EXPECT_EQ(key->check(Value(testing::kCertificateA)), "");
  EXPECT_EQ(key->check(Value("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"))
                .rfind("not a PEM X.509 certificate", 0),
            0u);
}

}  // namespace
}  // namespace stashform::bitbucket
