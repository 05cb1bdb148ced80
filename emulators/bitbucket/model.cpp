#include "emulators/bitbucket/model.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace stashform::emulator {

User* Model::FindUserByName(const std::string& name) {
  for (auto& user : users)
    if (user.name == name) return &user;
  return nullptr;
}

User* Model::FindUserBySlug(const std::string& slug) {
  for (auto& user : users)
    if (user.slug == slug) return &user;
  return nullptr;
}

User* Model::FindUserById(int id) {
  for (auto& user : users)
    if (user.id == id) return &user;
  return nullptr;
}

namespace {
std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}
}  // namespace

namespace {
std::string ContainerKey(const std::string& project_key, const std::string& repository_slug) {
  return project_key + "/" + repository_slug;
}

// A project's own webhooks are listed under "KEY/", a repository's under "KEY/slug".
std::string ContainerOf(const Webhook& webhook) {
  return ContainerKey(webhook.project_key, webhook.scope_type == "repository" ? webhook.repository_slug : "");
}
}  // namespace

Project& Model::AddProject(Project project) {
  project_at_[project.key] = projects_.size();
  for (std::size_t i = 0; i < project.repositories.size(); ++i)
    repository_at_[ContainerKey(project.key, project.repositories[i].slug)] = i;
  projects_.push_back(std::move(project));
  return projects_.back();
}

Repository& Model::AddRepository(Project& project, Repository repository) {
  repository_at_[ContainerKey(project.key, repository.slug)] = project.repositories.size();
  project.repositories.push_back(std::move(repository));
  return project.repositories.back();
}

Webhook& Model::AddWebhook(Webhook webhook) {
  webhook_ids_in_[ContainerOf(webhook)].push_back(webhook.id);
  webhook_at_[webhook.id] = webhooks_.size();
  webhooks_.push_back(std::move(webhook));
  return webhooks_.back();
}

void Model::RemoveWebhook(int id) {
  auto found = webhook_at_.find(id);
  if (found == webhook_at_.end()) return;
  const Webhook& webhook = webhooks_[found->second];
  auto& ids = webhook_ids_in_[ContainerOf(webhook)];
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  const std::size_t removed_at = found->second;
  webhooks_.erase(webhooks_.begin() + static_cast<std::ptrdiff_t>(removed_at));
  webhook_at_.erase(found);
  // Every webhook after it has moved down one place.
  for (auto& [other, at] : webhook_at_)
    if (at > removed_at) --at;
}

Project* Model::FindProject(const std::string& key) {
  if (auto found = project_at_.find(key); found != project_at_.end()) return &projects_[found->second];
  // "~ALICE" and "~alice" name the same personal project.
  if (key.rfind("~", 0) == 0)
    for (auto& project : projects_)
      if (Lower(project.key) == Lower(key)) return &project;
  return nullptr;
}

bool IsPersonalProjectOf(const Project& project, const User& user) {
  return project.key.rfind("~", 0) == 0 && Lower(project.key.substr(1)) == Lower(user.slug);
}

Repository* Model::FindRepository(const std::string& key, const std::string& slug) {
  Project* project = FindProject(key);
  if (!project) return nullptr;
  auto found = repository_at_.find(ContainerKey(project->key, slug));
  return found == repository_at_.end() ? nullptr : &project->repositories[found->second];
}

Webhook* Model::FindWebhook(int id) {
  auto found = webhook_at_.find(id);
  return found == webhook_at_.end() ? nullptr : &webhooks_[found->second];
}

std::vector<const Webhook*> Model::WebhooksIn(const std::string& project_key, const std::string& repository_slug) const {
  std::vector<const Webhook*> out;
  auto found = webhook_ids_in_.find(ContainerKey(project_key, repository_slug));
  if (found == webhook_ids_in_.end()) return out;
  out.reserve(found->second.size());
  for (int id : found->second) out.push_back(&webhooks_[webhook_at_.at(id)]);
  return out;
}

AccessToken* Model::FindToken(const std::string& id) {
  for (auto& token : tokens)
    if (token.id == id) return &token;
  return nullptr;
}

Level ParseLevel(const std::string& permission) {
  auto underscore = permission.find('_');
  if (underscore == std::string::npos) return Level::kNone;
  std::string level = permission.substr(underscore + 1);
  if (level == "READ") return Level::kRead;
  if (level == "WRITE") return Level::kWrite;
  if (level == "ADMIN") return Level::kAdmin;
  return Level::kNone;
}

std::string SlugFrom(const std::string& name) {
  std::string slug;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '_' || c == '.' || c == '-') {
      slug.push_back(static_cast<char>(std::tolower(u)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug.push_back('-');
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug;
}

std::int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) throw std::runtime_error("RAND_bytes failed");
  static const char* digits = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : buffer) {
    hex.push_back(digits[b >> 4]);
    hex.push_back(digits[b & 0xf]);
  }
  return hex;
}

std::string RandomUuid() {
  std::string hex = RandomHex(16);
  hex[12] = '4';  // version 4
  hex[16] = "89ab"[std::stoi(hex.substr(16, 1), nullptr, 16) & 3];
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace stashform::emulator
