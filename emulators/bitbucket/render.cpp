#include "emulators/bitbucket/render.h"

#include <cctype>

namespace stashform::emulator {

namespace {
boost::json::array Hrefs(const std::string& href) { return {boost::json::object{{"href", href}}}; }

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string HostOf(const std::string& base_url) {
  auto scheme = base_url.find("://");
  std::string rest = scheme == std::string::npos ? base_url : base_url.substr(scheme + 3);
  return rest.substr(0, rest.find_first_of(":/"));
}
}  // namespace

boost::json::object ProjectJson(const Project& project, const std::string& base_url) {
  boost::json::object json;
  json["key"] = project.key;
  json["id"] = project.id;
  json["name"] = project.name;
  if (!project.description.empty()) json["description"] = project.description;
  json["public"] = project.is_public;
  json["type"] = project.key.rfind("~", 0) == 0 ? "PERSONAL" : "NORMAL";
  json["links"] = {{"self", Hrefs(base_url + "/projects/" + project.key)}};
  return json;
}

boost::json::object RepositoryJson(const Project& project, const Repository& repository,
                                   const std::string& base_url) {
  boost::json::object json;
  json["slug"] = repository.slug;
  json["id"] = repository.id;
  json["name"] = repository.name;
  if (!repository.description.empty()) json["description"] = repository.description;
  // Appended rather than "h" + to_string(): GCC 12 at -O3 warns of a false -Wrestrict on that.
  std::string hierarchy_id = "h";
  hierarchy_id += std::to_string(repository.id);
  json["hierarchyId"] = hierarchy_id;
  json["scmId"] = "git";
  json["state"] = repository.state;
  json["statusMessage"] = repository.state == "AVAILABLE" ? "Available" : repository.state;
  json["forkable"] = true;
  json["project"] = ProjectJson(project, base_url);
  json["public"] = repository.is_public;
  json["archived"] = repository.archived;
  std::string path = Lower(project.key) + "/" + repository.slug + ".git";
  boost::json::array clone{
      boost::json::object{{"href", base_url + "/scm/" + path}, {"name", "http"}},
      boost::json::object{{"href", "ssh://git@" + HostOf(base_url) + ":7999/" + path}, {"name", "ssh"}}};
  json["links"] = {{"clone", clone},
                   {"self", Hrefs(base_url + "/projects/" + project.key + "/repos/" + repository.slug + "/browse")}};
  return json;
}

boost::json::object UserJson(const User& user, const std::string& base_url) {
  boost::json::object json;
  json["name"] = user.name;
  json["emailAddress"] = user.email;
  json["id"] = user.id;
  json["displayName"] = user.display_name;
  json["active"] = true;
  json["slug"] = user.slug;
  json["type"] = user.service ? "SERVICE" : "NORMAL";
  json["links"] = {{"self", Hrefs(base_url + "/users/" + user.slug)}};
  return json;
}

}  // namespace stashform::emulator
