#pragma once
// The GraphQL documents stashform sends, byte for byte those of Spacelift's Terraform provider
// (shared/reference/spacelift-graphql.md §3, §4.1, §4.4), so that the server sees the same
// documents from both; tests pin them.

namespace stashform::spacelift::documents {

inline constexpr const char* kIntegrationCreate =
    "mutation($accessToken:String!$apiHost:String!$customInput:CustomVCSInput$userFacingHost:String!$user"
    "name:String){bitbucketDatacenterIntegrationCreate(apiHost: $apiHost, userFacingHost: $userFacingHost"
    ", username: $username, accessToken: $accessToken, customInput: $customInput){id,name,isDefault,space"
    "{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitChe"
    "ckout}}";

inline constexpr const char* kIntegrationRead =
    "query($id:ID!){bitbucketDatacenterIntegration(id: $id){id,name,isDefault,space{id},labels,descriptio"
    "n,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}}";

inline constexpr const char* kIntegrationUpdate =
    "mutation($accessToken:String$apiHost:String!$customInput:CustomVCSUpdateInput$userFacingHost:String!"
    "$username:String){bitbucketDatacenterIntegrationUpdate(apiHost: $apiHost, userFacingHost: $userFacin"
    "gHost, username: $username, accessToken: $accessToken, customInput: $customInput){id,name,isDefault,"
    "space{id},labels,description,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useG"
    "itCheckout}}";

inline constexpr const char* kIntegrationDelete =
    "mutation($id:ID!){bitbucketDatacenterIntegrationDelete(id: $id){id,name,isDefault,space{id},labels,d"
    "escription,apiHost,username,userFacingHost,webhookSecret,webhookURL,vcsChecks,useGitCheckout}}";

/// The stack selection shared by StackRead and StackUpdate.
#define STASHFORM_SPACELIFT_STACK_SELECTION \
    "{id,administrative,afterApply,afterDestroy,afterInit,afterPerform,afterPlan,afterRun,autodeploy,auto" \
    "retry,beforeApply,beforeDestroy,beforeInit,beforePerform,beforePlan,branch,deleting,description,isDi" \
    "sabled,githubActionDeploy,integrations{aws{assumedRoleArn,assumeRolePolicyStatement,externalID,gener" \
    "ateCredentialsInWorker,durationSeconds,region},driftDetection{ignoreState,reconcile,schedule,timezon" \
    "e},gcp{serviceAccountEmail,tokenScopes},webhooks{id,enabled,endpoint,secret,retryOnFailure}},labels," \
    "localPreviewEnabled,enableWellKnownSecretMasking,enableSensitiveOutputUpload,managesStateFile,name,n" \
    "amespace,projectRoot,additionalProjectGlobs,gitSparseCheckoutPaths,protectFromDeletion,provider,repo" \
    "sitory,repositoryURL,runnerImage,space,spaceDetails{id,description,name,inheritEntities,parentSpace," \
    "labels},terraformVersion,vcsIntegration{id,isDefault},vendorConfig{__typename,... on StackConfigVend" \
    "orAnsible{playbook},... on StackConfigVendorCloudFormation{entryTemplateFile,region,stackName,templa" \
    "teBucket},... on StackConfigVendorKubernetes{namespace,kubectlVersion,kubernetesWorkflowTool},... on" \
    " StackConfigVendorOpenTofu{concise,externalStateAccessEnabled,useSmartSanitization,version,openTofuW" \
    "orkflowTool:workflowTool,workspace},... on StackConfigVendorPulumi{loginURL,stackName},... on StackC" \
    "onfigVendorTerraform{useSmartSanitization,version,workflowTool,workspace,externalStateAccessEnabled}" \
    ",... on StackConfigVendorTerragrunt{terraformVersion,terragruntVersion,useRunAll,useSmartSanitizatio" \
    "n,useStateManagement,prefixResourceNamesWithModuleName,skipReplanWhenRunAll,skipReplan,tool}},worker" \
    "Pool{id}}"

inline constexpr const char* kStackRead = "query($id:ID!){stack(id: $id)" STASHFORM_SPACELIFT_STACK_SELECTION "}";

inline constexpr const char* kStackUpdate =
    "mutation($id:ID!$input:StackInput!){stackUpdate(id: $id, input: $input)" STASHFORM_SPACELIFT_STACK_SELECTION "}";

/// §4.2; slug and stackObjectID are sent as null.
inline constexpr const char* kStackCreate =
    "mutation($input:StackInput!$manageState:Boolean!$slug:String$stackObjectID:String){stackCreate(input: $input, "
    "manageState: $manageState, stackObjectID: $stackObjectID, slug: $slug)" STASHFORM_SPACELIFT_STACK_SELECTION "}";

/// §4.5.
inline constexpr const char* kStackDelete = "mutation($id:ID!){stackDelete(id: $id)" STASHFORM_SPACELIFT_STACK_SELECTION "}";

/// §4.6: the stack selection under edges{node{…}}, a page at a time.
inline constexpr const char* kSearchStacks =
    "query($input:SearchInput!){searchStacks(input: $input){edges{node" STASHFORM_SPACELIFT_STACK_SELECTION
    "},pageInfo{endCursor,hasNextPage,hasPreviousPage}}}";

#undef STASHFORM_SPACELIFT_STACK_SELECTION

}  // namespace stashform::spacelift::documents
