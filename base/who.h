#pragma once
// "Who runs this": the `user@host` a lock holder, a state lineage or a log line names.

#include <string>

namespace stashform {

/// `user@host` of this process: the account's name (else $USER, else the uid) and the host name.
std::string WhoRunsThis();

}  // namespace stashform
