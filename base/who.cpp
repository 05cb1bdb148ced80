#include "base/who.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace stashform {
namespace {

std::string UserName() {
  if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name) return entry->pw_name;
  if (const char* user = std::getenv("USER"); user && *user) return user;
  return std::to_string(geteuid());
}

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0 || !*host) return "localhost";
  return host;
}

}  // namespace

std::string WhoRunsThis() { return UserName() + "@" + HostName(); }

}  // namespace stashform
