-- Private Packagist recipes: `local pp = import "packagist"`.
-- Both Bitbucket Server guides of Private Packagist in one call: the link Packagist logs in through
-- (an OAuth 2 incoming link, or an OAuth 1 application link whose incoming consumer holds
-- Packagist's key), the checklist of what Packagist's integration form asks for (the integration
-- itself has no API: it is made in Packagist's UI), and optionally every repository of a list as a
-- VCS package read with one token. Each helper only declares; it reads and writes nothing itself.

local M = {}

-- UNCONFIRMED (platforms.md §3.2): Packagist's API has no credential type for a Bitbucket Server
-- token. Its docs call Bitbucket Server code credentials "a personal access token or username and
-- password", which is HTTP basic auth: the most likely reading, kept in this one place.
M.BITBUCKET_SERVER_CREDENTIAL_TYPE = "http-basic"

-- UNCONFIRMED (platforms.md §3.2): the `integration.target` a synchronization of a Bitbucket
-- Server integration reports (the client's example shows "github" for GitHub). Our best reading.
M.BITBUCKET_SERVER_TARGET = "bitbucket-server"

-- What Packagist's OAuth 2 link needs: Repositories: Read only (platforms.md §3.3).
M.OAUTH2_SCOPE = { "REPO_READ" }
-- OAuth 2 incoming links exist from Bitbucket 7.21 (Packagist labels OAuth 1 "v7.20 or older").
M.OAUTH2_SINCE = { major = 7, minor = 21 }
-- From Bitbucket 8, an OAuth 1 link can no longer set up synchronizations.
M.OAUTH1_SYNC_UNTIL_MAJOR = 8

M.PLATFORM = "Bitbucket Data Center / Server"

-- The slug Packagist derives from an integration's name: lower case letters and digits only
-- ("On-premise Bitbucket" → "onpremisebitbucket", as its screenshot shows).
function M.slug(name)
  return (string.gsub(string.lower(name), "[^%l%d]", ""))
end

-- The callback pair Packagist computes and shows read-only: register, then login.
function M.callback_urls(packagist_url, name)
  local base = string.gsub(packagist_url, "/+$", "")
  local slug = M.slug(name)
  return { base .. "/oauth/register/service/" .. slug, base .. "/oauth/login/check-custom/" .. slug }
end

-- OAuth 2 when the server is 7.21 or later, else OAuth 1; 2 when the version is not known.
function M.oauth_for(version)
  if type(version) ~= "table" or type(version.major) ~= "number" then return 2 end
  if version.major > M.OAUTH2_SINCE.major then return 2 end
  if version.major == M.OAUTH2_SINCE.major and version.minor >= M.OAUTH2_SINCE.minor then return 2 end
  return 1
end

-- "8.9.0" → { major = 8, minor = 9 }.
local function parse_version(text)
  local major, minor = string.match(text, "^(%d+)%.(%d+)")
  assert(major, "packagist.integration: a Bitbucket version must look like \"8.9.0\", got " .. tostring(text))
  return { major = tonumber(major), minor = tonumber(minor) }
end

local function outputs(prefix, rows)
  for i, row in ipairs(rows) do
    output (prefix .. i .. "_" .. row[1]) { value = row[2], sensitive = row[3] or false, description = row[4] }
  end
end

-- Declares the Bitbucket side of the integration and the checklist of its form.
--   bitbucket_server  a bitbucket.server handle
--   options  name (required): the integration's name as typed into Packagist (its slug is in the
--              callback URLs);
--            bitbucket_url: the Bitbucket base URL as Packagist should call it, a plain string
--              (default: the server block's url, when that is not a secret such as env "…");
--            packagist_url (default "https://packagist.com"): the Packagist URL users see;
--            oauth = 2 | 1 (default: by the server's version from application-properties;
--              bitbucket_version = "8.9.0" decides without asking the server, e.g. for validate);
--            OAuth 1 only: client_id (Packagist's Client ID, the consumer key) and certificate
--              (the PEM X.509 certificate Packagist shows as Public Key), consumer_name,
--              application_url (default packagist_url .. "/");
--            link_name (default options.name); output_prefix (default "packagist_"); outputs =
--              false to declare no outputs.
-- Returns { oauth = 1 | 2, link = handle, callback_urls = { register, login } }.
function M.integration(bitbucket_server, options)
  assert(type(options) == "table", "packagist.integration: options must be a table")
  assert(options.name, "packagist.integration: options.name (the integration's name in Packagist) is required")
  local bitbucket_url = options.bitbucket_url or bitbucket_server.url
  assert(type(bitbucket_url) == "string",
         "packagist.integration: set options.bitbucket_url to a plain string (a variable, not env): it is shown in the checklist")
  local packagist_url = options.packagist_url or "https://packagist.com"
  local out = { callback_urls = M.callback_urls(packagist_url, options.name) }

  -- The version chooses the variant and says whether OAuth 1 still works (one cheap call).
  local version = options.bitbucket_version and parse_version(options.bitbucket_version)
  if version == nil then
    local properties = bitbucket.application_properties { server = bitbucket_server }
    -- Unknown (a userdata) when validate asks no server: the default variant then.
    if type(properties) == "table" then version = parse_version(properties.version) end
  end
  out.oauth = options.oauth or M.oauth_for(version)
  assert(out.oauth == 1 or out.oauth == 2, "packagist.integration: oauth must be 1 or 2")

  local link_name = options.link_name or options.name
  local prefix = options.output_prefix or "packagist_"
  if out.oauth == 2 then
    out.link = bitbucket.oauth2_client (link_name) {
      server = bitbucket_server,
      name = link_name,
      redirect_urls = { out.callback_urls[1], out.callback_urls[2] },
      scope = M.OAUTH2_SCOPE,
    }
    if options.outputs ~= false then
      outputs(prefix, {
        { "platform", M.PLATFORM },
        { "base_url", bitbucket_url },
        { "oauth_version", "OAuth 2" },
        { "client_id", out.link.client_id, false, "Client ID / Key" },
        { "client_secret", out.link.client_secret, true, "Client Secret: stashform output -show-sensitive " .. prefix .. "5_client_secret" },
        { "callback_url", out.callback_urls[1] .. "," .. out.callback_urls[2], false, "what Packagist shows; Bitbucket holds it" },
      })
    end
  else
    assert(options.client_id, "packagist.integration: OAuth 1 needs options.client_id (Packagist's Client ID)")
    assert(options.certificate, "packagist.integration: OAuth 1 needs options.certificate (the PEM certificate Packagist shows)")
    if type(version) == "table" and type(version.major) == "number" and version.major >= M.OAUTH1_SYNC_UNTIL_MAJOR then
      warn("packagist.integration \"" .. options.name .. "\": Bitbucket " .. version.major .. "." .. version.minor ..
           " no longer lets OAuth 1 links set up synchronizations; use the OAuth 2 variant (oauth = 2)")
    end
    local application_url = options.application_url or (string.gsub(packagist_url, "/+$", "") .. "/")
    out.link = bitbucket.application_link (link_name) {
      server = bitbucket_server,
      name = link_name,
      rpc_url = application_url,
      consumer_key = options.client_id,
      consumer_name = options.consumer_name or link_name,
      public_key = options.certificate,
    }
    if options.outputs ~= false then
      outputs(prefix, {
        { "platform", M.PLATFORM },
        { "base_url", bitbucket_url },
        { "oauth_version", "OAuth 1.0a" },
        { "consumer_key", out.link.consumer_key, false, "the Client ID Packagist generated, now Bitbucket's consumer key" },
        { "application_url", application_url, false, "Application URL for Link" },
      })
    end
  end
  return out
end

-- The synchronizations whose integration has this Bitbucket base URL (packagist.synchronizations):
-- the check that the one manual step, saving the integration in Packagist's UI, was done. Until
-- one exists, plan warns and says what to do. Unknown (validate asks no server) warns nothing.
function M.synchronizations(account, bitbucket_url)
  assert(type(bitbucket_url) == "string", "packagist.synchronizations: bitbucket_url must be a plain string")
  local found = packagist.synchronizations { server = account, bitbucket_url = bitbucket_url }
  if type(found) == "table" and #found == 0 then
    warn("Private Packagist has no synchronization for " .. bitbucket_url .. " yet: save the integration and " ..
         "a synchronization in Packagist's UI with the values of the packagist_* outputs (docs/packagist.md)")
  end
  return found
end

-- The HTTP clone URL of a repository: <bitbucket_url>/scm/<project key in lower case>/<slug>.git.
function M.clone_url(bitbucket_url, project, slug)
  return string.gsub(bitbucket_url, "/+$", "") .. "/scm/" .. string.lower(project) .. "/" .. slug .. ".git"
end

-- Every repository of a list (e.g. bitbucket.repositories { … }) as a VCS package, read with one
-- credential made from a Bitbucket access token of options.username.
--   account   a packagist.account handle
--   options   username (required): the Bitbucket user owning the token; bitbucket_url (as above);
--             token_name (default "packagist"); webhooks = true to give the token REPO_ADMIN so
--             that Packagist installs its own webhooks (default false: REPO_READ, and Packagist
--             re-crawls every 12 hours); credential_description (default "Bitbucket <url>").
-- Returns { token = handle, credential = handle, packages = { ["PROJECT/slug"] = handle } }.
function M.packages(bitbucket_server, account, repositories, options)
  assert(type(options) == "table" and options.username, "packagist.packages: options.username (the token's user) is required")
  local bitbucket_url = options.bitbucket_url or bitbucket_server.url
  assert(type(bitbucket_url) == "string",
         "packagist.packages: set options.bitbucket_url to a plain string (a variable, not env): clone URLs are built from it")
  local out = { packages = {} }
  local token_name = options.token_name or "packagist"
  out.token = bitbucket.access_token (options.username .. "/" .. token_name) {
    server = bitbucket_server,
    user = options.username,
    name = token_name,
    permissions = { options.webhooks and "REPO_ADMIN" or "REPO_READ" },
  }
  local domain = string.match(bitbucket_url, "^%a[%w+.-]*://([^/:]+)") or ""
  out.credential = packagist.credential (options.credential_description or ("Bitbucket " .. bitbucket_url)) {
    server = account,
    description = options.credential_description or ("Bitbucket " .. bitbucket_url),
    type = M.BITBUCKET_SERVER_CREDENTIAL_TYPE,
    domain = domain,
    username = options.username,
    credential = out.token.token,
  }
  for _, repo in ipairs(repositories) do
    assert(repo.project and repo.slug, "packagist.packages: every repository needs project and slug")
    local key = repo.project .. "/" .. repo.slug
    out.packages[key] = packagist.vcs_package (key) {
      server = account,
      repo_url = M.clone_url(bitbucket_url, repo.project, repo.slug),
      credential = out.credential.id,
    }
  end
  return out
end

return M
