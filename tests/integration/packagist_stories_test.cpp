// The stories of issue 18, point 6: Private Packagist's Bitbucket Server guides from nothing, a
// second plan with nothing to do, a rotated certificate, a credential changed by hand, a package
// deleted by hand, a failing job, and every request signed afresh under faults and retries. Each
// runs the real CLI against the Bitbucket and Packagist emulators.

#include "tests/integration/packagist_certificates.h"
#include "tests/integration/packagist_stories.h"

#include <cctype>

namespace stashform::testing {
namespace {

namespace json = boost::json;

constexpr const char* kCredential = "module.packagist.packagist.credential[\"Bitbucket ";
constexpr const char* kDnsPackage = "module.packagist.packagist.vcs_package[\"INFRA/tf-dns\"]";

/// The base64 body of a PEM text: no header lines, no whitespace.
std::string PemBody(const std::string& pem) {
  std::string body;
  bool header = false;
  for (size_t i = 0; i < pem.size(); ++i) {
    if (pem.compare(i, 5, "-----") == 0) {
      header = !header;
      i += 4;
    } else if (!header && !std::isspace(static_cast<unsigned char>(pem[i]))) {
      body += pem[i];
    }
  }
  return body;
}

class PackagistOAuth2 : public PackagistStory {
 protected:
  void SetUp() override {
    apply = Stashform({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.all();
  }
  CliRun apply;
};

TEST_F(PackagistOAuth2, FromNothingOneApplyMakesTheLinkTheCredentialAndEveryPackageAndPrintsTheChecklist) {
  // The OAuth 2 link: the callback pair Packagist computes from its URL and the name's slug.
  json::array clients = bitbucket.Admin("GET", "/_emulator/dump").body.at("oauth2Clients").as_array();
  ASSERT_EQ(clients.size(), 1u);
  json::array redirects = clients[0].at("redirects").as_array();
  ASSERT_EQ(redirects.size(), 2u);
  EXPECT_EQ(redirects[0].as_string(), packagist.url() + "/oauth/register/service/onpremisebitbucket");
  EXPECT_EQ(redirects[1].as_string(), packagist.url() + "/oauth/login/check-custom/onpremisebitbucket");
  EXPECT_NE(json::serialize(clients[0].at("scope")).find("REPO_READ"), std::string::npos);
  EXPECT_EQ(json::serialize(clients[0].at("scope")).find("REPO_ADMIN"), std::string::npos);

  // One credential made from the token, and every repository as a package read with it.
  json::array credentials = Credentials();
  ASSERT_EQ(credentials.size(), 1u);
  EXPECT_EQ(credentials[0].at("type"), "http-basic");
  EXPECT_EQ(credentials[0].at("username"), "admin");
  EXPECT_EQ(credentials[0].at("domain"), "127.0.0.1");
  json::array packages = Packages();
  ASSERT_EQ(packages.size(), 2u);
  for (const auto& package : packages) {
    EXPECT_EQ(package.at("credentials"), credentials[0].at("id"));
    const std::string name(package.at("name").as_string());
    EXPECT_EQ(package.at("repoUrl").as_string(), CloneUrl(name.substr(name.find('/') + 1)));
  }

  // The checklist of Packagist's form, in order; the secret only as (sensitive).
  const std::string& out = apply.out;
  const auto platform = out.find("packagist_1_platform = \"Bitbucket Data Center / Server\"");
  const auto base_url = out.find("packagist_2_base_url = \"" + bitbucket.url() + "\"");
  const auto client_id = out.find("packagist_4_client_id = \"" + std::string(clients[0].at("clientId").as_string()) + "\"");
  ASSERT_NE(platform, std::string::npos) << out;
  ASSERT_NE(base_url, std::string::npos) << out;
  ASSERT_NE(client_id, std::string::npos) << out;
  EXPECT_LT(platform, base_url);
  EXPECT_LT(base_url, client_id);
  EXPECT_NE(out.find("packagist_5_client_secret = (sensitive)"), std::string::npos) << out;
}

TEST_F(PackagistOAuth2, ASecondPlanHasNothingToDo) {
  CliRun plan = Stashform({"plan", "-detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
}

TEST_F(PackagistOAuth2, ACredentialChangedByHandIsShownAsDriftAndRepaired) {
  json::value before = Credentials().at(0);
  const std::string id = std::to_string(before.at("id").to_number<int64_t>());
  ASSERT_EQ(packagist.Admin("PATCH", "/_emulator/credentials/" + id, R"({"username":"mallory","credential":"typed-by-hand"})").status, 200);

  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find(std::string("~ ") + kCredential), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("username"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  EXPECT_EQ(plan.all().find("typed-by-hand"), std::string::npos) << "the echoed secret was shown";
  EXPECT_EQ(work.Read("stashform.state.json").find("typed-by-hand"), std::string::npos) << "the echoed secret was stored";

  CliRun repair = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(repair.exit_code, 0) << repair.all();
  json::value after = Credentials().at(0);
  EXPECT_EQ(after.at("username"), "admin");
  EXPECT_EQ(after.at("credentialSha256"), before.at("credentialSha256")) << "the token is the credential again";
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0);
}

TEST_F(PackagistOAuth2, APackageDeletedByHandIsAddedAgain) {
  ASSERT_EQ(packagist.Admin("DELETE", "/_emulator/packages/infra/tf-dns").status, 204);
  CliRun plan = Stashform({"plan", "-explain"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find(std::string("+ ") + kDnsPackage), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 1 to add, 0 to change, 0 to destroy."), std::string::npos) << plan.out;

  CliRun repair = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(repair.exit_code, 0) << repair.all();
  ASSERT_EQ(Packages().size(), 2u);
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0);
}

TEST_F(PackagistOAuth2, TheManualStepIsCheckedByTheSynchronizationsOfThisBitbucket) {
  work.Write("main.lua", PackagistOAuth2Guide() + "output \"syncs\" { value = pp.synchronizations(org, var.bitbucket_url) }\n");
  CliRun before = Stashform({"plan"});
  ASSERT_EQ(before.exit_code, 0) << before.all();
  EXPECT_NE(before.all().find("Private Packagist has no synchronization for " + bitbucket.url() + " yet"), std::string::npos)
      << before.all();
  // The manual step: the integration and a synchronization saved in Packagist's UI.
  ASSERT_EQ(packagist.Admin("POST", "/_emulator/synchronizations",
                            json::serialize(json::object{{"name", "Acme"}, {"isPrimary", true}, {"credentials", 1},
                                                         {"integration", json::object{{"name", "On-premise Bitbucket"},
                                                                                      {"target", "bitbucket-server"},
                                                                                      {"url", bitbucket.url() + "/"}}}}))
                .status,
            201);
  CliRun after = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(after.exit_code, 0) << after.all();
  EXPECT_EQ(after.all().find("has no synchronization"), std::string::npos) << after.all();
  EXPECT_NE(after.out.find("integration_name"), std::string::npos) << after.out;
}

class PackagistJobFailure : public PackagistStory {};

TEST_F(PackagistJobFailure, AFailingJobIsAClearErrorAndStateKeepsOnlyWhatWasDone) {
  const std::string failing = CloneUrl("tf-dns");
  ASSERT_EQ(packagist.Admin("PUT", "/_emulator/job-failures",
                            json::serialize(json::object{{failing, "No composer.json was found in the master branch."}}))
                .status,
            204);
  CliRun apply = Stashform({"apply", "-auto-approve"});
  EXPECT_EQ(apply.exit_code, 1) << apply.all();
  EXPECT_NE(apply.all().find("adding package " + failing + ": job job-"), std::string::npos) << apply.all();
  EXPECT_NE(apply.all().find("failed: No composer.json was found in the master branch."), std::string::npos) << apply.all();

  // State holds what exists: the credential and the other package, not the failed one.
  const std::string state = work.Read("stashform.state.json");
  EXPECT_NE(state.find("vcs_package[\\\"INFRA/tf-network\\\"]"), std::string::npos) << state;
  EXPECT_EQ(state.find("vcs_package[\\\"INFRA/tf-dns\\\"]"), std::string::npos) << state;
  EXPECT_NE(state.find("packagist.credential"), std::string::npos);
  ASSERT_EQ(Packages().size(), 1u);

  // Once the repository is fixed, the next apply adds what is missing, and only that.
  ASSERT_EQ(packagist.Admin("PUT", "/_emulator/job-failures", "{}").status, 204);
  CliRun again = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << again.all();
  EXPECT_NE(again.out.find("Resources: 1 added, 0 changed, 0 destroyed."), std::string::npos) << again.out;
  EXPECT_EQ(Packages().size(), 2u);
}

/// Faults on reads, jobs and the credential create's listing: every try is retried by the client.
class PackagistUnderFaults : public PackagistStory {
 protected:
  PackagistUnderFaults()
      : PackagistStory({}, {"--fail-nth", "GET /api/synchronizations=1:503", "--fail-nth", "GET /api/jobs/job-1=1:503",
                            "--fail-nth", "GET /api/jobs/job-1=2:502", "--fail-nth", "GET /api/credentials=1:429",
                            "--fail-nth", "GET /api/packages=1:503"}) {}
};

TEST_F(PackagistUnderFaults, EveryTryIsSignedAfreshSoEveryRetryIsAccepted) {
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  EXPECT_EQ(Packages().size(), 2u);
  int faults = 0;
  std::string refused;
  for (const auto& entry : packagist.Requests()) {
    const std::string signature(entry.at("signature").as_string());
    if (signature != "valid") refused += std::string(entry.at("path").as_string()) + ": " + signature + "\n";
    const int64_t status = entry.at("status").to_number<int64_t>();
    if (status >= 500 || status == 429) ++faults;
  }
  EXPECT_EQ(refused, "") << "every try, retries included, carries a valid, fresh signature";
  EXPECT_GE(faults, 3) << "the faults fired, so retries were sent";
}

class PackagistSignatureRefused : public PackagistStory {};

TEST_F(PackagistSignatureRefused, AWrongSecretIsRefusedWithTheReasonInTheEmulatorsLog) {
  env["PACKAGIST_API_SECRET"] = "packagist_acs_wrong-secret-0000";
  CliRun plan = Stashform({"plan"});
  EXPECT_EQ(plan.exit_code, 1) << plan.all();
  EXPECT_NE(plan.all().find("HTTP 401: Invalid signature: signature mismatch"), std::string::npos) << plan.all();
  EXPECT_EQ(plan.all().find("packagist_acs_wrong-secret-0000"), std::string::npos);
  auto requests = packagist.Requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().at("signature"), "signature mismatch");
  EXPECT_EQ(requests.back().at("status"), 401);
}

class PackagistOAuth1 : public PackagistStory {
 protected:
  explicit PackagistOAuth1(const std::vector<std::string>& bitbucket_args = {}) : PackagistStory(bitbucket_args) {
    work.Write("main.lua", PackagistOAuth1Guide());
    work.Write("certificate.lua", CertificateModule(kCertificateA));
  }
  json::value Consumer() const {
    json::array links = bitbucket.Admin("GET", "/_emulator/dump").body.at("applicationLinks").as_array();
    return links.size() == 1 ? links[0].at("incomingConsumer") : json::value(nullptr);
  }
};

TEST_F(PackagistOAuth1, FromNothingTheLinksConsumerHoldsPackagistsKeyFromItsCertificate) {
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  json::value consumer = Consumer();
  ASSERT_TRUE(consumer.is_object());
  EXPECT_EQ(consumer.at("key"), "packagist-consumer-3f9a");
  EXPECT_EQ(PemBody(std::string(consumer.at("publicKey").as_string())), kPublicKeyBodyA);
  EXPECT_NE(apply.out.find("packagist_4_consumer_key = \"packagist-consumer-3f9a\""), std::string::npos) << apply.out;
  EXPECT_NE(apply.out.find("packagist_5_application_url = \"" + packagist.url() + "/\""), std::string::npos) << apply.out;
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0) << "the certificate and the key it holds compare equal";
}

TEST_F(PackagistOAuth1, ARotatedCertificateUpdatesTheConsumerInPlace) {
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  const json::value link_id = bitbucket.Admin("GET", "/_emulator/dump").body.at("applicationLinks").as_array().at(0).at("id");
  work.Write("certificate.lua", CertificateModule(kCertificateB));
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.out.find("~ module.packagist.bitbucket.application_link[\"On-premise Bitbucket\"]"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to add, 1 to change, 0 to destroy."), std::string::npos) << plan.out;
  ASSERT_EQ(Stashform({"apply", "-auto-approve"}).exit_code, 0) << transcript;
  EXPECT_EQ(PemBody(std::string(Consumer().at("publicKey").as_string())), kPublicKeyBodyB);
  EXPECT_EQ(bitbucket.Admin("GET", "/_emulator/dump").body.at("applicationLinks").as_array().at(0).at("id"), link_id) << "updated, not replaced";
  EXPECT_EQ(Stashform({"plan", "-detailed-exitcode"}).exit_code, 0);
}

TEST_F(PackagistOAuth1, AMalformedCertificateFailsValidateAtItsLine) {
  work.Write("certificate.lua", CertificateModule("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----"));
  CliRun validate = Stashform({"validate"});
  EXPECT_EQ(validate.exit_code, 1) << validate.all();
  // The recipe's line, then the user's own call of it.
  EXPECT_NE(validate.all().find("packagist.lua:"), std::string::npos) << validate.all();
  EXPECT_NE(validate.all().find("public_key: not a PEM X.509 certificate"), std::string::npos) << validate.all();
  EXPECT_NE(validate.all().find("called from main.lua:"), std::string::npos) << validate.all();
}

class PackagistOnBitbucket8 : public PackagistOAuth1 {
 protected:
  PackagistOnBitbucket8() : PackagistOAuth1({"--bitbucket-version", "8.9.0"}) {}
};

TEST_F(PackagistOnBitbucket8, OAuth1WarnsInValidateAndPlanAndNamesTheOAuth2Variant) {
  CliRun plan = Stashform({"plan"});
  ASSERT_EQ(plan.exit_code, 0) << plan.all();
  EXPECT_NE(plan.all().find("Bitbucket 8.9 no longer lets OAuth 1 links set up synchronizations; use the OAuth 2 "
                            "variant (oauth = 2)"), std::string::npos) << plan.all();
  // validate asks no server: the version comes from the config.
  work.Write("main.lua", PackagistOAuth1Guide(" bitbucket_version = \"8.9.0\","));
  CliRun validate = Stashform({"validate"});
  EXPECT_EQ(validate.exit_code, 0) << validate.all();
  EXPECT_NE(validate.all().find("Warning"), std::string::npos) << validate.all();
  EXPECT_NE(validate.all().find("use the OAuth 2 variant (oauth = 2)"), std::string::npos) << validate.all();
}

class PackagistOnBitbucket7 : public PackagistStory {
 protected:
  PackagistOnBitbucket7() : PackagistStory({"--bitbucket-version", "7.17.0"}) {}
};

TEST_F(PackagistOnBitbucket7, WithoutOAuthSetTheServersVersionChoosesOAuth1) {
  work.Write("main.lua", PackagistConfig(R"(pp.integration(bb, { name = "On-premise Bitbucket", packagist_url = var.packagist_url,
  client_id = "packagist-consumer-3f9a", certificate = import "certificate" })
)"));
  work.Write("certificate.lua", CertificateModule(kCertificateA));
  CliRun apply = Stashform({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.all();
  json::value dump = bitbucket.Admin("GET", "/_emulator/dump").body;
  EXPECT_EQ(dump.at("applicationLinks").as_array().size(), 1u);
  EXPECT_TRUE(dump.at("oauth2Clients").as_array().empty());
}

}  // namespace
}  // namespace stashform::testing
