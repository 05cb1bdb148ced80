#include "state/postgres_connection.h"

#include <libpq-fe.h>

#include <regex>

#include "state/workspaces.h"

namespace stashform::state {

namespace {

PGconn* Conn(void* conn) { return static_cast<PGconn*>(conn); }

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The parts of a URI: scheme://[userinfo@]hostport[/path][?query]. libpq reads the same shape.
struct UriParts {
  std::string scheme, userinfo, rest, query;
};

UriParts SplitUri(const std::string& url) {
  UriParts parts;
  size_t scheme_end = url.find("://");
  parts.scheme = url.substr(0, scheme_end + 3);
  std::string after = url.substr(scheme_end + 3);
  size_t question = after.find('?');
  if (question != std::string::npos) {
    parts.query = after.substr(question + 1);
    after = after.substr(0, question);
  }
  size_t at = after.rfind('@');
  if (at != std::string::npos) {
    parts.userinfo = after.substr(0, at);
    after = after.substr(at + 1);
  }
  parts.rest = after;
  return parts;
}

std::vector<std::pair<std::string, std::string>> SplitQuery(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = pair.find('=');
    if (!pair.empty()) out.emplace_back(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return out;
}

std::string JoinQuery(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [key, value] : pairs) out += (out.empty() ? "" : "&") + key + "=" + value;
  return out;
}

bool ValidName(const std::string& name) {
  static const std::regex kName("[a-z_][a-z0-9_]{0,62}");
  return std::regex_match(name, kName);
}

// Step N brings the tables from version N-1 to N. Steps are only ever appended.
const std::vector<std::string>& UpgradeSteps() {
  static const std::vector<std::string> kSteps = {
      // 1: one row per workspace, the journal as rows, the lock holders.
      "CREATE TABLE {s}.states (workspace text PRIMARY KEY, lineage text NOT NULL, serial bigint NOT NULL, "
      "  data bytea NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());"
      "CREATE TABLE {s}.journal (workspace text NOT NULL, seq integer NOT NULL, bytes bytea NOT NULL, "
      "  PRIMARY KEY (workspace, seq));"
      "CREATE TABLE {s}.locks (workspace text PRIMARY KEY, id text NOT NULL, operation text NOT NULL, "
      "  who text NOT NULL, created text NOT NULL, what text NOT NULL, backend_pid integer NOT NULL);",
      // 2: earlier versions kept as backups, and workspaces that exist before their first save.
      "CREATE TABLE {s}.backups (id bigserial PRIMARY KEY, workspace text NOT NULL, lineage text NOT NULL, "
      "  serial bigint NOT NULL, data bytea NOT NULL, kept_at timestamptz NOT NULL DEFAULT now());"
      "CREATE INDEX backups_by_workspace ON {s}.backups (workspace, id);"
      "CREATE TABLE {s}.workspaces (name text PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());"
      "INSERT INTO {s}.workspaces (name) SELECT workspace FROM {s}.states ON CONFLICT DO NOTHING;",
  };
  return kSteps;
}

std::string WithSchema(std::string sql, const std::string& schema) {
  for (size_t at = sql.find("{s}"); at != std::string::npos; at = sql.find("{s}", at)) sql.replace(at, 3, schema);
  return sql;
}

}  // namespace

bool IsPostgresUrl(const std::string& where) {
  return where.rfind("postgres://", 0) == 0 || where.rfind("postgresql://", 0) == 0;
}

std::string RedactPostgresUrl(const std::string& url) {
  if (!IsPostgresUrl(url)) return url;
  UriParts parts = SplitUri(url);
  auto query = SplitQuery(parts.query);
  for (auto& [key, value] : query)
    if (key == "password") value = "(sensitive)";
  size_t colon = parts.userinfo.find(':');
  if (colon != std::string::npos) parts.userinfo = parts.userinfo.substr(0, colon) + ":(sensitive)";
  return parts.scheme + (parts.userinfo.empty() ? "" : parts.userinfo + "@") + parts.rest +
         (query.empty() ? "" : "?" + JoinQuery(query));
}

Result<PostgresLocation> ParsePostgresUrl(const std::string& url) {
  if (!IsPostgresUrl(url)) return Status::Error(StatusCode::kInvalidArgument, "not a postgres:// URL");
  PostgresLocation where;
  UriParts parts = SplitUri(url);
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& [key, value] : SplitQuery(parts.query)) {
    if (key == "schema") where.schema = value;
    else if (key == "workspace") where.workspace = value;
    else kept.emplace_back(key, value);
    if (key == "password") where.password = value;
  }
  size_t colon = parts.userinfo.find(':');
  if (colon != std::string::npos) where.password = parts.userinfo.substr(colon + 1);
  const std::string shown = RedactPostgresUrl(url);
  if (!ValidName(where.schema))
    return Status::Error(StatusCode::kInvalidArgument,
                         shown + ": schema \"" + where.schema +
                             "\" is not a plain lower-case SQL name (letters, digits, _; at most 63)");
  if (!ValidWorkspaceName(where.workspace))
    return Status::Error(StatusCode::kInvalidArgument, shown + ": " + WorkspaceNameRule(where.workspace));
  where.conninfo = parts.scheme + (parts.userinfo.empty() ? "" : parts.userinfo + "@") + parts.rest +
                   (kept.empty() ? "" : "?" + JoinQuery(kept));
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(where.conninfo.c_str(), &error);
  if (!options) {
    std::string why = error ? Trimmed(error) : "cannot be parsed";
    PQfreemem(error);
    return Status::Error(StatusCode::kInvalidArgument, shown + ": " + why);
  }
  PQconninfoFree(options);
  return where;
}

std::string PostgresLocation::Redacted() const {
  UriParts parts = SplitUri(conninfo);
  std::string user = parts.userinfo.substr(0, parts.userinfo.find(':'));
  return parts.scheme + (user.empty() ? "" : user + "@") + parts.rest;
}

std::string PostgresLocation::Describe() const {
  return Redacted() + "?schema=" + schema + "&workspace=" + workspace;
}

std::string PostgresLocation::WithWorkspace(const std::string& name) const {
  UriParts parts = SplitUri(conninfo);
  auto query = SplitQuery(parts.query);
  query.emplace_back("schema", schema);
  query.emplace_back("workspace", name);
  return parts.scheme + (parts.userinfo.empty() ? "" : parts.userinfo + "@") + parts.rest + "?" + JoinQuery(query);
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const PostgresLocation& where) {
  PGconn* conn = PQconnectdb(where.conninfo.c_str());
  std::unique_ptr<PgConnection> db(new PgConnection(conn, where));
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string why = conn ? Trimmed(PQerrorMessage(conn)) : "out of memory";
    return Status::Error(StatusCode::kUnavailable,
                         db->Scrub("cannot connect to " + where.Redacted() + ": " + why +
                                   "; check the URL in -state-url or STASHFORM_STATE_URL"));
  }
  // The server's notices ("schema already exists, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  // Statements name their schema; nothing else should resolve in another one.
  if (auto set = db->Exec("SET search_path = pg_catalog"); !set.ok()) return set.status();
  return db;
}

PgConnection::~PgConnection() {
  if (conn_) PQfinish(Conn(conn_));
}

bool PgConnection::alive() const { return conn_ && PQstatus(Conn(conn_)) == CONNECTION_OK; }

std::string PgConnection::Schema() const { return "\"" + where_.schema + "\""; }

std::string PgConnection::Scrub(std::string message) const {
  if (where_.password.empty()) return message;
  for (size_t at = message.find(where_.password); at != std::string::npos; at = message.find(where_.password, at))
    message.replace(at, where_.password.size(), "(sensitive)");
  return message;
}

Result<PgRows> PgConnection::Exec(const std::string& sql, const std::vector<std::string>& params,
                                  const std::vector<bool>& binary) {
  return Run(sql, params, binary, false);
}

Result<PgRows> PgConnection::ExecBinary(const std::string& sql, const std::vector<std::string>& params) {
  return Run(sql, params, {}, true);
}

Result<PgRows> PgConnection::Run(const std::string& sql, const std::vector<std::string>& params,
                                 const std::vector<bool>& binary, bool binary_results) {
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  for (size_t i = 0; i < params.size(); ++i) {
    values.push_back(params[i].data());
    lengths.push_back(static_cast<int>(params[i].size()));
    formats.push_back(i < binary.size() && binary[i] ? 1 : 0);
  }
  PGresult* result = PQexecParams(Conn(conn_), sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                  lengths.data(), formats.data(), binary_results ? 1 : 0);
  std::unique_ptr<PGresult, decltype(&PQclear)> hold(result, &PQclear);
  ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    std::string why = Trimmed(result ? PQresultErrorMessage(result) : PQerrorMessage(Conn(conn_)));
    return Status::Error(alive() ? StatusCode::kInternal : StatusCode::kUnavailable,
                         Scrub("PostgreSQL " + where_.Redacted() + ": " + why));
  }
  PgRows rows(static_cast<size_t>(PQntuples(result)));
  const int columns = PQnfields(result);
  for (size_t r = 0; r < rows.size(); ++r)
    for (int c = 0; c < columns; ++c) {
      const int row = static_cast<int>(r);
      if (PQgetisnull(result, row, c)) rows[r].emplace_back(std::nullopt);
      else rows[r].emplace_back(std::string(PQgetvalue(result, row, c), static_cast<size_t>(PQgetlength(result, row, c))));
    }
  return rows;
}

Status PgConnection::ExecScript(const std::string& sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(Conn(conn_), sql.c_str()), &PQclear);
  if (result && PQresultStatus(result.get()) == PGRES_COMMAND_OK) return Status::Ok();
  std::string why = Trimmed(result ? PQresultErrorMessage(result.get()) : PQerrorMessage(Conn(conn_)));
  return Status::Error(StatusCode::kInternal, Scrub("PostgreSQL " + where_.Redacted() + ": " + why));
}

Status PgConnection::InTransaction(const std::function<Status()>& body) {
  if (auto begun = Exec("BEGIN"); !begun.ok()) return begun.status();
  Status status = body();
  if (!status.ok()) {
    Exec("ROLLBACK");
    return status;
  }
  if (auto committed = Exec("COMMIT"); !committed.ok()) return committed.status();
  return Status::Ok();
}

Status EnsureTables(PgConnection& db, int up_to) {
  const std::string s = db.Schema();
  return db.InTransaction([&]() -> Status {
    // Concurrent first runs wait here for each other instead of racing on CREATE TABLE.
    if (auto locked = db.Exec("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", {"stashform-tables/" + s});
        !locked.ok())
      return locked.status();
    for (const char* sql : {"CREATE SCHEMA IF NOT EXISTS {s}",
                                   "CREATE TABLE IF NOT EXISTS {s}.meta (key text PRIMARY KEY, value text NOT NULL)"})
      if (auto made = db.Exec(WithSchema(sql, s)); !made.ok()) return made.status();
    auto found = db.Exec(WithSchema("SELECT value FROM {s}.meta WHERE key = 'schema_version'", s));
    if (!found.ok()) return found.status();
    int version = found->empty() ? 0 : std::stoi(found->front()[0].value_or("0"));
    if (version > kPostgresSchemaVersion)
      return Status::Error(StatusCode::kFailedPrecondition,
                           "the tables in schema " + s + " are version " + std::to_string(version) +
                               ", newer than this stashform knows (" + std::to_string(kPostgresSchemaVersion) +
                               "); upgrade stashform");
    for (int step = version + 1; step <= up_to; ++step)
      if (Status done = db.ExecScript(WithSchema(UpgradeSteps()[static_cast<size_t>(step - 1)], s)); !done.ok())
        return done;
    if (up_to <= version) return Status::Ok();
    auto recorded = db.Exec(WithSchema("INSERT INTO {s}.meta VALUES ('schema_version', $1) "
                                       "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", s),
                            {std::to_string(up_to)});
    return recorded.ok() ? Status::Ok() : recorded.status();
  });
}

}  // namespace stashform::state
