#pragma once
// The emulator's in-memory Bitbucket: users, projects, repositories, webhooks, tokens, links.
// Model holds data only; it never decides who may see what (auth.h) nor how it renders (per family).

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace stashform::emulator {

/// Permission levels; a project level implies the same repository level on the project's repos.
enum class Level { kNone = 0, kRead = 1, kWrite = 2, kAdmin = 3 };

struct User {
  int id = 0;
  std::string name;
  std::string slug;
  std::string password;
  std::string display_name;
  std::string email;
  bool sys_admin = false;
  bool service = false;  // the synthetic owners of project/repository tokens
  std::map<std::string, Level> project_levels;     // key → level
  std::map<std::string, Level> repository_levels;  // "KEY/slug" → level
};

/// A commit of an emulated repository; every commit holds the repository's one set of files.
struct Commit {
  std::string id;  // 40 hex digits
  std::string message;
  std::string author_name;
  std::string author_email;
  std::int64_t timestamp = 0;
  std::vector<std::string> parents;
};

struct Branch {
  std::string name;  // "main", not "refs/heads/main"
  std::string latest_commit;
};

struct Repository {
  int id = 0;
  std::string slug;
  std::string name;
  std::string description;
  std::string state = "AVAILABLE";
  std::string default_branch = "main";
  bool is_public = false;
  bool archived = false;
  std::map<std::string, std::string> files;  // path → content, the same on every branch
  std::vector<Branch> branches;              // the default branch among them
  std::vector<Commit> commits;               // oldest first
};

struct Project {
  int id = 0;
  std::string key;
  std::string name;
  std::string description;
  bool is_public = false;
  std::vector<Repository> repositories;
};

struct WebhookCredentials {
  std::string username;
  std::string password;
};

struct Webhook {
  int id = 0;
  std::string scope_type;  // "repository" | "project"
  std::string project_key;
  std::string repository_slug;  // empty for project scope
  std::string name;
  std::string url;
  std::vector<std::string> events;  // a set; kept in first-seen order
  boost::json::object configuration;
  std::optional<WebhookCredentials> credentials;
  bool active = true;
  bool ssl_verification_required = true;
  std::int64_t created_date = 0;
  std::int64_t updated_date = 0;
};

struct AccessToken {
  std::string id;  // numeric string
  std::string scope_type;  // "user" | "project" | "repository"
  std::string owner_user;  // user scope: the owner's slug
  std::string project_key;
  std::string repository_slug;
  std::string name;
  std::vector<std::string> permissions;
  std::optional<int> expiry_days;
  std::int64_t created_date = 0;
  std::optional<std::int64_t> last_authenticated;
  std::string secret;  // the token value, returned only by create
  int service_user_id = 0;  // project/repository tokens act as a synthetic user
};

struct ApplicationLink {
  std::string id;  // UUID
  std::string name;
  std::string type_id;
  std::string rpc_url;
  std::string display_url;
  bool primary = false;
  bool system = false;
  std::optional<boost::json::object> incoming_consumer;  // applinks-oauth consumer, as stored
  std::optional<boost::json::object> outgoing_provider;
};

struct OAuth2Client {
  std::string id;
  std::string client_id;
  std::string client_secret;
  std::string name;
  std::string scope;
  std::vector<std::string> redirects;
  std::string user_key;
  std::int64_t created_date = 0;
};

/// Model is the whole server state; every access happens under the App's lock. Projects,
/// repositories and webhooks are indexed (by key, by "KEY/slug", by id and by container), so a
/// lookup or a listing costs the same at 10 repositories or 10,000; they change only through the
/// Add/Remove methods below, which keep the indexes with them. The indexes hold positions and ids,
/// never pointers, so a copied Model (a reset) stays consistent.
class Model {
 public:
  std::vector<User> users;
  std::vector<AccessToken> tokens;
  std::vector<ApplicationLink> application_links;
  std::vector<OAuth2Client> oauth2_clients;
  int next_user_id = 1;
  int next_project_id = 1;
  int next_repository_id = 1;
  int next_webhook_id = 1;

  const std::vector<Project>& projects() const { return projects_; }
  const std::vector<Webhook>& webhooks() const { return webhooks_; }

  Project& AddProject(Project project);
  Repository& AddRepository(Project& project, Repository repository);
  /// Stores the webhook under the id and scope it carries; ids are expected to grow.
  Webhook& AddWebhook(Webhook webhook);
  void RemoveWebhook(int id);

  User* FindUserByName(const std::string& name);
  User* FindUserBySlug(const std::string& slug);
  User* FindUserById(int id);
  Project* FindProject(const std::string& key);
  Repository* FindRepository(const std::string& key, const std::string& slug);
  Webhook* FindWebhook(int id);
  /// The webhooks of one repository (slug given) or those of the project itself (slug empty),
  /// oldest first.
  std::vector<const Webhook*> WebhooksIn(const std::string& project_key, const std::string& repository_slug) const;
  AccessToken* FindToken(const std::string& id);

 private:
  std::vector<Project> projects_;
  std::vector<Webhook> webhooks_;
  std::unordered_map<std::string, std::size_t> project_at_;     // key → position in projects_
  std::unordered_map<std::string, std::size_t> repository_at_;  // "KEY/slug" → position in its project
  std::unordered_map<int, std::size_t> webhook_at_;             // id → position in webhooks_
  std::unordered_map<std::string, std::vector<int>> webhook_ids_in_;  // "KEY/slug" or "KEY/" → ids, oldest first
};

/// Personal projects have the key "~" + the owner's slug (case-insensitive) and type PERSONAL.
bool IsPersonalProjectOf(const Project& project, const User& user);

Level ParseLevel(const std::string& permission);  // "REPO_ADMIN" → kAdmin, else kNone
std::string SlugFrom(const std::string& name);
std::int64_t NowMillis();
/// Random lower-case hex of n bytes (ids, secrets); not for cryptography beyond tests.
std::string RandomHex(std::size_t bytes);
std::string RandomUuid();

}  // namespace stashform::emulator
