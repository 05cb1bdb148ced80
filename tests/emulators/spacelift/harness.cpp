#include "tests/emulators/spacelift/harness.h"

namespace stashform::emulator::spacelift::testing {

namespace json = boost::json;

const char* const kSeed = R"({
  "apiKeys": [{"id": "key-1", "secret": "secret-1", "name": "stashform"}],
  "stacks": [
    {"id": "tf-network", "namespace": "INFRA", "repository": "tf-network", "branch": "main"},
    {"id": "tf-dns", "name": "tf-dns", "namespace": "INFRA", "repository": "tf-dns", "description": "DNS"}
  ]
})";

const char* const kCreateDocument = R"gql(mutation($accessToken:String!$apiHost:String!$customInput:CustomVCSInput$userFacingHost:String!$username:String){bitbucketDatacenterIntegrationCreate(apiHost: $apiHost, userFacingHost: $userFacingHost, username: $username, accessToken: $accessToken, customInput: $customInput){id,name,isDefault,space{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}})gql";
const char* const kReadDocument = R"gql(query($id:ID!){bitbucketDatacenterIntegration(id: $id){id,name,isDefault,space{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}})gql";
const char* const kUpdateDocument = R"gql(mutation($accessToken:String$apiHost:String!$customInput:CustomVCSUpdateInput$userFacingHost:String!$username:String){bitbucketDatacenterIntegrationUpdate(apiHost: $apiHost, userFacingHost: $userFacingHost, username: $username, accessToken: $accessToken, customInput: $customInput){id,name,isDefault,space{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}})gql";
const char* const kDeleteDocument = R"gql(mutation($id:ID!){bitbucketDatacenterIntegrationDelete(id: $id){id,name,isDefault,space{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}})gql";
const char* const kStackDocument = R"gql(query($id:ID!){stack(id: $id){id,administrative,afterApply,afterDestroy,afterInit,afterPerform,afterPlan,afterRun,autodeploy,autoretry,beforeApply,beforeDestroy,beforeInit,beforePerform,beforePlan,branch,deleting,description,isDisabled,githubActionDeploy,integrations{aws{assumedRoleArn,assumeRolePolicyStatement,externalID,generateCredentialsInWorker,durationSeconds,region},driftDetection{ignoreState,reconcile,schedule,timezone},gcp{serviceAccountEmail,tokenScopes},webhooks{id,enabled,endpoint,secret,retryOnFailure}},labels,localPreviewEnabled,enableWellKnownSecretMasking,enableSensitiveOutputUpload,managesStateFile,name,namespace,projectRoot,additionalProjectGlobs,gitSparseCheckoutPaths,protectFromDeletion,provider,repository,repositoryURL,runnerImage,space,spaceDetails{id,description,name,inheritEntities,parentSpace,labels},terraformVersion,vcsIntegration{id,isDefault},vendorConfig{__typename,... on StackConfigVendorAnsible{playbook},... on StackConfigVendorCloudFormation{entryTemplateFile,region,stackName,templateBucket},... on StackConfigVendorKubernetes{namespace,kubectlVersion,kubernetesWorkflowTool},... on StackConfigVendorOpenTofu{concise,externalStateAccessEnabled,useSmartSanitization,version,openTofuWorkflowTool:workflowTool,workspace},... on StackConfigVendorPulumi{loginURL,stackName},... on StackConfigVendorTerraform{useSmartSanitization,version,workflowTool,workspace,externalStateAccessEnabled},... on StackConfigVendorTerragrunt{terraformVersion,terragruntVersion,useRunAll,useSmartSanitization,useStateManagement,prefixResourceNamesWithModuleName,skipReplanWhenRunAll,skipReplan,tool}},workerPool{id}}})gql";
const char* const kStackUpdateDocument = R"gql(mutation($id:ID!$input:StackInput!){stackUpdate(id: $id, input: $input){id,administrative,afterApply,afterDestroy,afterInit,afterPerform,afterPlan,afterRun,autodeploy,autoretry,beforeApply,beforeDestroy,beforeInit,beforePerform,beforePlan,branch,deleting,description,isDisabled,githubActionDeploy,integrations{aws{assumedRoleArn,assumeRolePolicyStatement,externalID,generateCredentialsInWorker,durationSeconds,region},driftDetection{ignoreState,reconcile,schedule,timezone},gcp{serviceAccountEmail,tokenScopes},webhooks{id,enabled,endpoint,secret,retryOnFailure}},labels,localPreviewEnabled,enableWellKnownSecretMasking,enableSensitiveOutputUpload,managesStateFile,name,namespace,projectRoot,additionalProjectGlobs,gitSparseCheckoutPaths,protectFromDeletion,provider,repository,repositoryURL,runnerImage,space,spaceDetails{id,description,name,inheritEntities,parentSpace,labels},terraformVersion,vcsIntegration{id,isDefault},vendorConfig{__typename,... on StackConfigVendorAnsible{playbook},... on StackConfigVendorCloudFormation{entryTemplateFile,region,stackName,templateBucket},... on StackConfigVendorKubernetes{namespace,kubectlVersion,kubernetesWorkflowTool},... on StackConfigVendorOpenTofu{concise,externalStateAccessEnabled,useSmartSanitization,version,openTofuWorkflowTool:workflowTool,workspace},... on StackConfigVendorPulumi{loginURL,stackName},... on StackConfigVendorTerraform{useSmartSanitization,version,workflowTool,workspace,externalStateAccessEnabled},... on StackConfigVendorTerragrunt{terraformVersion,terragruntVersion,useRunAll,useSmartSanitization,useStateManagement,prefixResourceNamesWithModuleName,skipReplanWhenRunAll,skipReplan,tool}},workerPool{id}}})gql";

Harness::Harness(const std::string& seed, Settings settings, FaultConfig faults) {
  app_ = std::make_unique<App>(json::parse(seed), std::move(settings), std::move(faults));
  server_ = std::make_unique<HttpServer>("127.0.0.1", 0, 2, [this](const Request& request) { return app_->Handle(request); });
  port_ = server_->port();
  app_->SetBaseUrl(base_url());
  server_->Start();
}

Harness::~Harness() { server_->Stop(); }

httplib::Result Harness::Post(const std::string& document, const json::object& variables, const std::string& auth) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  httplib::Headers headers;
  if (!auth.empty()) headers.emplace("Authorization", auth);
  json::object body{{"query", document}};
  if (!variables.empty()) body["variables"] = variables;
  return client.Post("/graphql", headers, json::serialize(body), "application/json");
}

std::string Harness::Login() {
  auto result = Post("mutation($id:ID!$secret:String!){apiKeyUser(id: $id, secret: $secret){jwt}}",
                     {{"id", "key-1"}, {"secret", "secret-1"}}, "");
  if (!result) throw std::runtime_error("login failed: no answer");
  return std::string(json::parse(result->body).at("data").at("apiKeyUser").at("jwt").as_string());
}

json::value Harness::GraphQL(const std::string& document, const json::object& variables) {
  if (jwt_.empty()) jwt_ = Login();
  auto result = Post(document, variables, "Bearer " + jwt_);
  if (!result) throw std::runtime_error("no answer from the emulator");
  return json::parse(result->body);
}

json::value Harness::Admin(const std::string& method, const std::string& path, const std::string& body) {
  httplib::Client client("127.0.0.1", port_);
  client.set_read_timeout(10, 0);
  std::string full = "/_emulator/" + path;
  httplib::Result result = method == "POST"     ? client.Post(full.c_str(), body, "application/json")
                           : method == "PUT"    ? client.Put(full.c_str(), body, "application/json")
                           : method == "PATCH"  ? client.Patch(full.c_str(), body, "application/json")
                           : method == "DELETE" ? client.Delete(full.c_str())
                                                : client.Get(full.c_str());
  if (!result) throw std::runtime_error("admin call failed: " + method + " " + full);
  return result->body.empty() ? json::value(nullptr) : json::parse(result->body);
}

json::value Harness::CreateIntegration(const std::string& name, bool is_default, const std::string& token) {
  json::object input{{"name", name}, {"spaceID", ""}, {"labels", nullptr}, {"description", ""},
                     {"isDefault", is_default}, {"vcsChecks", "INDIVIDUAL"}, {"useGitCheckout", nullptr}};
  json::value answer = GraphQL(kCreateDocument, {{"accessToken", token}, {"apiHost", "http://bb:7990"},
                                                 {"customInput", input}, {"userFacingHost", "http://bb:7990"},
                                                 {"username", "spacelift-bot"}});
  return answer.at("data").at("bitbucketDatacenterIntegrationCreate");
}

std::string FirstError(const json::value& answer) {
  const auto* errors = answer.as_object().if_contains("errors");
  if (!errors || errors->as_array().empty()) return "";
  return std::string(errors->as_array()[0].at("message").as_string());
}

}  // namespace stashform::emulator::spacelift::testing
