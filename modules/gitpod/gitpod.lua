-- Gitpod recipes: `local gp = import "gitpod"`.
-- The Gitpod guide (Bitbucket Server) in one call: the OAuth 2.0 incoming link on Bitbucket that
-- Gitpod signs users in through, and the Gitpod auth provider holding that link's client id and
-- secret (platforms.md §2.3). Each helper only declares resources; it reads the Bitbucket
-- server's version (application-properties) and writes nothing.

local M = {}

-- What the link must grant: "Projects: Admin", which also grants the repository scopes.
M.LINK_SCOPES = { "PROJECT_ADMIN" }
-- The first Bitbucket with OAuth 2.0 incoming links.
M.MIN_BITBUCKET_VERSION = "7.20"
-- The event Gitpod's legacy prebuild webhook listened to.
M.PREBUILD_EVENTS = { "repo:refs_changed" }

-- "7.19.2" → { 7, 19, 2 }; nil when it does not start with a number.
local function version_parts(text)
  local parts = {}
  for number in string.gmatch(text, "%d+") do parts[#parts + 1] = tonumber(number) end
  if #parts == 0 then return nil end
  return parts
end

-- Whether version `a` is older than `b`.
function M.older(a, b)
  local pa, pb = version_parts(a), version_parts(b)
  if pa == nil or pb == nil then return false end
  for i = 1, math.max(#pa, #pb) do
    local x, y = pa[i] or 0, pb[i] or 0
    if x ~= y then return x < y end
  end
  return false
end

-- Declares the whole guide.
--   bitbucket_server  a bitbucket.server handle
--   account           a gitpod.account handle
--   options           name: the link's name and both resources' address (default "gitpod");
--                     bitbucket_url: Bitbucket's public URL, whose host Gitpod knows it by
--                     (default: the server's url); gitpod_url: the installation's public URL for
--                     the redirect <gitpod_url>/auth/callback (default: the account's url);
--                     organization_id: the owning organization (default: the account's);
--                     prebuild_webhooks: LEGACY, off by default: a list of
--                     { project = "INFRA", slug = "api" } that get the repo:refs_changed webhook
--                     Gitpod installed itself until July 2024, with prebuild_webhook_url (required
--                     then: https://services.<gitpod host>/apps/bitbucketserver/?token=…).
-- Refuses a Bitbucket older than 7.20, which has no OAuth 2.0 incoming links.
-- Returns { link = handle, provider = handle, webhooks = { ["PROJECT/slug"] = handle } }.
function M.wire(bitbucket_server, account, options)
  options = options or {}
  assert(type(options) == "table", "gitpod.wire: options must be a table")
  local name = options.name or "gitpod"
  local props = bitbucket.application_properties { server = bitbucket_server }
  -- In `stashform validate` the version is unknown (not a string): nothing to check then.
  if type(props) == "table" and type(props.version) == "string" and M.older(props.version, M.MIN_BITBUCKET_VERSION) then
    error("gitpod.wire: Bitbucket " .. props.version .. " has no OAuth 2.0 incoming links (Gitpod needs " ..
          M.MIN_BITBUCKET_VERSION .. " or later); upgrade Bitbucket, or add the integration by hand with OAuth 1", 2)
  end
  -- URLs often come from `env` (sensitive): they are only joined here, never taken apart; the
  -- auth provider keeps the URL's bare host and derives its OAuth 2 URLs from it.
  local gitpod_url = options.gitpod_url or account.url
  local bitbucket_url = options.bitbucket_url or bitbucket_server.url
  local out = { webhooks = {} }

  out.link = bitbucket.oauth2_client (name) {
    server = bitbucket_server,
    name = name,
    redirect_urls = { gitpod_url .. "/auth/callback" },
    scope = { table.unpack(M.LINK_SCOPES) },
  }
  out.provider = gitpod.auth_provider (name) {
    server = account,
    organization_id = options.organization_id,
    type = "bitbucket_server",
    host = bitbucket_url,  -- kept as its bare host; authorization and token URLs are
                           -- https://<host>/rest/oauth2/latest/{authorize,token}
    client_id = out.link.client_id,
    client_secret = out.link.client_secret,
  }

  for _, repo in ipairs(options.prebuild_webhooks or {}) do
    assert(options.prebuild_webhook_url, "gitpod.wire: prebuild_webhooks needs prebuild_webhook_url")
    assert(repo.project and repo.slug, "gitpod.wire: every prebuild repository needs project and slug")
    local key = repo.project .. "/" .. repo.slug
    out.webhooks[key] = bitbucket.webhook ("gitpod-prebuilds/" .. key) {
      server = bitbucket_server,
      project = repo.project,
      repository = repo.slug,
      name = "Gitpod Prebuilds for " .. gitpod_url .. ".",
      url = options.prebuild_webhook_url,
      events = { table.unpack(M.PREBUILD_EVENTS) },
    }
  end
  return out
end

return M
