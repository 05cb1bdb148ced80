// Runs after the whole integration suite: no secret value any CLI run was given appears anywhere
// in what any CLI run printed. Secrets are named by length only, never shown.

#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>

int main() {
  const std::string dir = TRANSCRIPT_DIR;
  std::ifstream secrets_file(dir + "/secrets.txt");
  std::ifstream transcript_file(dir + "/transcript.txt");
  if (!secrets_file || !transcript_file) {
    std::cerr << "secret_scan: no transcript in " << dir << "; the integration suite did not run\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << transcript_file.rdbuf();
  const std::string transcript = buffer.str();
  std::set<std::string> secrets;
  for (std::string line; std::getline(secrets_file, line);)
    if (!line.empty()) secrets.insert(line);
  int leaks = 0;
  for (const auto& secret : secrets) {
    auto at = transcript.find(secret);
    if (at == std::string::npos) continue;
    ++leaks;
    auto command = transcript.rfind("$ stashform", at);
    auto end = transcript.find('\n', command);
    std::cerr << "secret_scan: a secret of " << secret.size() << " characters was printed by: "
              << transcript.substr(command, end - command) << "\n";
  }
  std::cout << "secret_scan: " << secrets.size() << " secrets checked against " << transcript.size()
            << " bytes of CLI output\n";
  std::cout << (secrets.empty() ? 0 : 1) << " passed, " << leaks << " failed\n";
  return leaks == 0 && !secrets.empty() ? 0 : 1;
}
