-- Backstage recipes: `local backstage = import "backstage"`.
-- Backstage's "Bitbucket Server Locations" and "Discovery" guides in one call (platforms.md §4): a
-- read token, the app-config fragment that uses it, optionally the refresh webhooks and an OAuth 2
-- incoming link for sign-in. Each helper only declares resources; it reads and writes nothing.

local M = {}

-- What the token needs to list projects and repositories and read catalog files (§4.5).
M.TOKEN_PERMISSIONS = { "PROJECT_READ", "REPO_READ" }
-- What the entity provider listens to; `repo:modified` (renames) is optional (§4.3).
M.WEBHOOK_EVENTS = { "repo:refs_changed" }
M.WEBHOOK_EVENTS_WITH_MODIFIED = { "repo:refs_changed", "repo:modified" }

local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

-- The events backend's endpoint for the bitbucketServer topic, and the sign-in redirect (§4.3,
-- §4.4). backend_url may be a plain string or an env value, so it is only concatenated.
function M.events_url(backend_url) return backend_url .. "/api/events/http/bitbucketServer" end
function M.sign_in_redirect(backend_url) return backend_url .. "/api/auth/bitbucketServer/handler/frame" end

-- Declares the guide.
--   bitbucket_server  a bitbucket.server handle
--   instance          a backstage.instance handle
--   options           path (required): the app-config file stashform owns keys of (a string or
--                     env "BACKSTAGE_APP_CONFIG"); name: the block's name (default "backstage");
--                     api_base_url (default: the server's url .. "/rest/api/1.0") and host
--                     (default: api_base_url's host and port) as Backstage reaches Bitbucket;
--                     backend_url: Backstage's backend URL, without a trailing "/" (required for
--                     webhooks and sign-in);
--                     token: user = a service user (a personal token of it, the default), or
--                     token_project = a project key (a project token: one project only); token_name
--                     (default "backstage"); expiry_days;
--                     secrets ("env" or "literal"), token_env;
--                     catalog: provider_id, catalog_host (default: host), catalog_path, project_key_pattern, repo_slug_pattern,
--                     skip_archived_repos, branch, schedule_frequency_minutes,
--                     schedule_timeout_minutes, schedule_initial_delay_seconds, throttling_count,
--                     throttling_interval_seconds;
--                     webhooks: webhook_repositories = { { project = "KEY", slug = "repo" }, ... }
--                     and/or webhook_projects = { "KEY", ... }; webhook_modified = true adds
--                     repo:modified; webhook_name (default "backstage");
--                     sign_in = true: an OAuth 2 incoming link (sign_in_name, default "Backstage";
--                     sign_in_scope, default { "REPO_READ" }), auth_environment, auth_host.
-- Returns { token = handle, app_config = handle, webhooks = { ["KEY/slug" or "KEY"] = handle },
--           oauth2_client = handle or nil }.
function M.wire(bitbucket_server, instance, options)
  assert(type(options) == "table", "backstage.wire: options must be a table")
  assert(options.path, "backstage.wire: options.path (the app-config file) is required")
  local wants_webhooks = options.webhook_repositories ~= nil or options.webhook_projects ~= nil
  assert(options.backend_url or not (wants_webhooks or options.sign_in),
         "backstage.wire: options.backend_url is required for webhooks and sign-in")
  local out = { webhooks = {} }

  local token_name = options.token_name or "backstage"
  if options.token_project then
    out.token = bitbucket.access_token ("project/" .. options.token_project .. "/" .. token_name) {
      server = bitbucket_server, project = options.token_project, name = token_name,
      permissions = copy(M.TOKEN_PERMISSIONS), expiry_days = options.expiry_days,
    }
  else
    assert(options.user, "backstage.wire: options.user (the service user) or options.token_project is required")
    out.token = bitbucket.access_token (options.user .. "/" .. token_name) {
      server = bitbucket_server, user = options.user, name = token_name,
      permissions = copy(M.TOKEN_PERMISSIONS), expiry_days = options.expiry_days,
    }
  end

  if options.sign_in then
    out.oauth2_client = bitbucket.oauth2_client (options.sign_in_name or "Backstage") {
      server = bitbucket_server,
      name = options.sign_in_name or "Backstage",
      redirect_urls = { M.sign_in_redirect(options.backend_url) },
      scope = options.sign_in_scope or { "REPO_READ" },
    }
  end

  out.app_config = backstage.app_config (options.name or "backstage") {
    server = instance,
    path = options.path,
    host = options.host,
    api_base_url = options.api_base_url or (bitbucket_server.url .. "/rest/api/1.0"),
    token = out.token.token,
    secrets = options.secrets,
    token_env = options.token_env,
    throttling_count = options.throttling_count,
    throttling_interval_seconds = options.throttling_interval_seconds,
    provider_id = options.provider_id,
    catalog_host = options.catalog_host,
    catalog_path = options.catalog_path,
    project_key_pattern = options.project_key_pattern,
    repo_slug_pattern = options.repo_slug_pattern,
    skip_archived_repos = options.skip_archived_repos,
    branch = options.branch,
    schedule_frequency_minutes = options.schedule_frequency_minutes,
    schedule_timeout_minutes = options.schedule_timeout_minutes,
    schedule_initial_delay_seconds = options.schedule_initial_delay_seconds,
    events = wants_webhooks,
    auth_environment = options.auth_environment,
    auth_host = options.auth_host,
    auth_client_id = out.oauth2_client and out.oauth2_client.client_id or nil,
    auth_client_secret = out.oauth2_client and out.oauth2_client.client_secret or nil,
  }

  local events = options.webhook_modified and M.WEBHOOK_EVENTS_WITH_MODIFIED or M.WEBHOOK_EVENTS
  local webhook_name = options.webhook_name or "backstage"
  for _, repo in ipairs(options.webhook_repositories or {}) do
    assert(repo.project and repo.slug, "backstage.wire: every webhook repository needs project and slug")
    local key = repo.project .. "/" .. repo.slug
    out.webhooks[key] = bitbucket.webhook (webhook_name .. "/" .. key) {
      server = bitbucket_server, project = repo.project, repository = repo.slug,
      name = webhook_name, url = M.events_url(options.backend_url), events = copy(events),
    }
  end
  for _, project in ipairs(options.webhook_projects or {}) do
    out.webhooks[project] = bitbucket.project_webhook (webhook_name .. "/" .. project) {
      server = bitbucket_server, project = project,
      name = webhook_name, url = M.events_url(options.backend_url), events = copy(events),
    }
  end
  return out
end

return M
