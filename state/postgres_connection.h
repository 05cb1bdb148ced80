#pragma once
// The PostgreSQL state store's one touch of libpq: a connection string split from stashform's own
// settings, a connection that runs parameterised statements, and the tables it creates on first
// use. Every message it returns is scrubbed of the connection string's password.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace stashform::state {

/// PostgresLocation is where one workspace's state lives: `postgres://user:pass@host:port/db?
/// schema=stashform&workspace=staging` (libpq's URI, with stashform's own `schema` and
/// `workspace` parameters taken out before libpq sees it).
struct PostgresLocation {
  std::string conninfo;              // what libpq is given: the URI without schema and workspace
  std::string schema = "stashform";  // where the tables live
  std::string workspace = "default";
  std::string password;              // as written in the URI (query or userinfo), to scrub messages

  /// `postgres://user@host:port/db` with no password or other parameter: safe to print.
  std::string Redacted() const;
  /// The redacted URI with the schema and workspace, for messages: names the row.
  std::string Describe() const;
  /// The URI given back with `workspace` replaced.
  std::string WithWorkspace(const std::string& name) const;
};

/// Whether `where` is a PostgreSQL URI (postgres:// or postgresql://) rather than a file.
bool IsPostgresUrl(const std::string& where);
/// Splits a URI; errors (a bad schema name) never show the password.
Result<PostgresLocation> ParsePostgresUrl(const std::string& url);
/// `url` with any password replaced by `(sensitive)`, for messages about a URI that failed to parse.
std::string RedactPostgresUrl(const std::string& url);

/// PgRows is the text of every row a statement returned; a NULL reads as nothing.
using PgRow = std::vector<std::optional<std::string>>;
using PgRows = std::vector<PgRow>;

/// PgConnection is one libpq connection. Parameters travel as text, except those marked binary
/// (state bytes), and results come back as text. Not thread-safe, as libpq's own connection.
class PgConnection {
 public:
  static Result<std::unique_ptr<PgConnection>> Open(const PostgresLocation& where);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  /// Runs `sql` with $1.. bound to `params`; `binary` lists which params are bytes (bytea).
  Result<PgRows> Exec(const std::string& sql, const std::vector<std::string>& params = {},
                      const std::vector<bool>& binary = {});
  /// Runs several `;`-separated statements without parameters (the table upgrades).
  Status ExecScript(const std::string& sql);
  /// Runs `sql`, whose bytea results come back as raw bytes (libpq's binary format).
  Result<PgRows> ExecBinary(const std::string& sql, const std::vector<std::string>& params);
  /// Runs `body` in one transaction: commits when it returns Ok, else rolls back.
  Status InTransaction(const std::function<Status()>& body);
  bool alive() const;
  const PostgresLocation& where() const { return where_; }
  /// The schema, quoted as an identifier, for statements: "stashform".
  std::string Schema() const;

 private:
  PgConnection(void* conn, PostgresLocation where) : conn_(conn), where_(std::move(where)) {}
  Result<PgRows> Run(const std::string& sql, const std::vector<std::string>& params, const std::vector<bool>& binary,
                     bool binary_results);
  std::string Scrub(std::string message) const;

  void* conn_;  // PGconn*; libpq-fe.h stays in the .cpp
  PostgresLocation where_;
};

/// The version of the tables this build writes; EnsureTables upgrades older ones step by step.
constexpr int kPostgresSchemaVersion = 2;
/// Creates the schema and its tables on first use, or upgrades them, in one transaction that
/// serialises concurrent first runs; refuses tables newer than this build knows. `up_to` stops
/// early (tests of the upgrade path build an old version with it).
Status EnsureTables(PgConnection& db, int up_to = kPostgresSchemaVersion);

}  // namespace stashform::state
