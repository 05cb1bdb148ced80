#include "emulators/bitbucket/content.h"

#include "emulators/bitbucket/auth.h"
#include "emulators/bitbucket/errors.h"
#include "emulators/bitbucket/routes.h"
#include "emulators/bitbucket/state.h"

#include <openssl/sha.h>

#include <stdexcept>

namespace stashform::emulator {

namespace {

std::string Sha1Hex(const std::string& text) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest) {
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
  }
  return out;
}

constexpr const char* kHeads = "refs/heads/";

/// Adds a commit on top of `parent` ("" for the first); ids derive from the repository and the
/// history, so a seed gives the same ids on every run.
const Commit& AddCommit(Repository& repository, const std::string& project_key, const std::string& parent,
                        const std::string& message, std::int64_t timestamp) {
  Commit commit;
  commit.id = Sha1Hex(project_key + "/" + repository.slug + "\n" + parent + "\n" + message);
  commit.message = message;
  commit.author_name = "Emulator";
  commit.author_email = "emulator@example.com";
  commit.timestamp = timestamp;
  if (!parent.empty()) commit.parents.push_back(parent);
  repository.commits.push_back(std::move(commit));
  return repository.commits.back();
}

std::vector<std::string> StringList(const boost::json::object& seed, const char* name, const std::string& where) {
  std::vector<std::string> out;
  const auto* value = seed.if_contains(name);
  if (!value) return out;
  if (!value->is_array()) throw std::runtime_error(where + "." + name + " must be an array of strings");
  for (const auto& item : value->as_array()) {
    if (!item.is_string()) throw std::runtime_error(where + "." + name + " must be an array of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace

void SeedRepositoryContent(const std::string& project_key, Repository& repository, const boost::json::object& seed,
                           const std::string& where) {
  if (const auto* files = seed.if_contains("files")) {
    if (!files->is_object()) throw std::runtime_error(where + ".files must be an object of path: content");
    for (const auto& [path, content] : files->as_object()) {
      if (!content.is_string()) throw std::runtime_error(where + ".files[\"" + std::string(path) + "\"] must be a string");
      repository.files[std::string(path)] = std::string(content.as_string());
    }
  }
  std::vector<std::string> messages = StringList(seed, "commits", where);
  messages.insert(messages.begin(), "Initial commit");
  std::vector<std::string> branches = StringList(seed, "branches", where);
  std::int64_t time = NowMillis() - static_cast<std::int64_t>(messages.size() + branches.size()) * 60000;
  std::string head;
  for (const auto& message : messages) head = AddCommit(repository, project_key, head, message, time += 60000).id;
  repository.branches.push_back({repository.default_branch, head});
  for (const auto& name : branches) {
    if (name == repository.default_branch) continue;
    // Each other branch is one commit ahead of the default branch.
    std::string tip = AddCommit(repository, project_key, head, "Work on " + name, time += 60000).id;
    repository.branches.push_back({name, tip});
  }
}

std::variant<RepositoryRef, Response> ReadableRepository(Call& call) {
  const std::string& key = call.Param("projectKey");
  const std::string& slug = call.Param("repositorySlug");
  Project* project = call.state.model.FindProject(key);
  if (!project) return NoSuchProject(key);
  Repository* repository = call.state.model.FindRepository(key, slug);
  if (!repository) return NoSuchRepository(key, slug);
  if (!MayOnRepository(call.principal, *project, *repository, Level::kRead)) return NotPermitted();
  return RepositoryRef{project, repository};
}

const Branch* DefaultBranchOf(const Repository& repository) {
  for (const auto& branch : repository.branches)
    if (branch.name == repository.default_branch) return &branch;
  return nullptr;
}

const Commit* FindCommit(const Repository& repository, const std::string& id_or_prefix) {
  if (id_or_prefix.size() < 7 || id_or_prefix.find_first_not_of("0123456789abcdef") != std::string::npos) return nullptr;
  for (const auto& commit : repository.commits)
    if (commit.id.rfind(id_or_prefix, 0) == 0) return &commit;
  return nullptr;
}

std::variant<Revision, Response> ResolveRevision(const Repository& repository, const std::optional<std::string>& at) {
  if (!at || at->empty()) {
    const Branch* branch = DefaultBranchOf(repository);
    if (!branch) return NoDefaultBranch(repository);
    return Revision{FindCommit(repository, branch->latest_commit), branch, kHeads + branch->name};
  }
  std::string name = at->rfind(kHeads, 0) == 0 ? at->substr(std::string(kHeads).size()) : *at;
  for (const auto& branch : repository.branches)
    if (branch.name == name) return Revision{FindCommit(repository, branch.latest_commit), &branch, kHeads + name};
  if (const Commit* commit = FindCommit(repository, *at)) return Revision{commit, nullptr, commit->id};
  return ErrorResponse(404, "Object '" + *at + "' does not exist in repository '" + repository.name + "'.",
                       std::nullopt, "com.atlassian.bitbucket.commit.NoSuchCommitException");
}

Response NoDefaultBranch(const Repository& repository) {
  return ErrorResponse(404, "Repository '" + repository.name + "' does not have a default branch.", std::nullopt,
                       "com.atlassian.bitbucket.repository.NoDefaultBranchException");
}

boost::json::object MinimalRefJson(const Branch& branch) {
  return {{"id", kHeads + branch.name}, {"displayId", branch.name}, {"type", "BRANCH"}};
}

boost::json::object BranchJson(const Repository& repository, const Branch& branch, bool details) {
  boost::json::object json = MinimalRefJson(branch);
  json["latestCommit"] = branch.latest_commit;
  json["latestChangeset"] = branch.latest_commit;
  json["isDefault"] = branch.name == repository.default_branch;
  if (details) {
    const Commit* commit = FindCommit(repository, branch.latest_commit);
    if (commit)
      json["metadata"] = {{"com.atlassian.bitbucket.server.bitbucket-branch:latest-commit-metadata", CommitJson(*commit)}};
  }
  return json;
}

boost::json::object CommitJson(const Commit& commit) {
  boost::json::object person{{"name", commit.author_name}, {"emailAddress", commit.author_email}};
  boost::json::array parents;
  for (const auto& parent : commit.parents) parents.push_back(boost::json::object{{"id", parent}, {"displayId", parent.substr(0, 11)}});
  return {{"id", commit.id},
          {"displayId", commit.id.substr(0, 11)},
          {"author", person},
          {"authorTimestamp", commit.timestamp},
          {"committer", person},
          {"committerTimestamp", commit.timestamp},
          {"message", commit.message},
          {"parents", parents}};
}

std::vector<const Commit*> History(const Repository& repository, const std::string& head) {
  std::vector<const Commit*> out;
  const Commit* commit = FindCommit(repository, head);
  while (commit) {
    out.push_back(commit);
    commit = commit->parents.empty() ? nullptr : FindCommit(repository, commit->parents.front());
  }
  return out;
}

}  // namespace stashform::emulator
