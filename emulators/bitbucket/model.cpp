#include "emulators/bitbucket/model.h"

#include <openssl/rand.h>

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

Project* Model::FindProject(const std::string& key) {
  for (auto& project : projects)
    if (project.key == key) return &project;
  // "~ALICE" and "~alice" name the same personal project.
  if (key.rfind("~", 0) == 0)
    for (auto& project : projects)
      if (Lower(project.key) == Lower(key)) return &project;
  return nullptr;
}

bool IsPersonalProjectOf(const Project& project, const User& user) {
  return project.key.rfind("~", 0) == 0 && Lower(project.key.substr(1)) == Lower(user.slug);
}

Repository* Model::FindRepository(const std::string& key, const std::string& slug) {
  Project* project = FindProject(key);
  if (!project) return nullptr;
  for (auto& repository : project->repositories)
    if (repository.slug == slug) return &repository;
  return nullptr;
}

Webhook* Model::FindWebhook(int id) {
  for (auto& webhook : webhooks)
    if (webhook.id == id) return &webhook;
  return nullptr;
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
