-- Spacelift recipes: `local spl = import "spacelift"`.
-- The Spacelift guide (Bitbucket Data Center) in one call: an access token for the user Spacelift
-- clones as, the integration, the same signed webhook on every repository a stack uses, and every
-- stack bound to the integration. Each helper only declares resources; it reads and writes nothing.

local M = {}

-- The events Spacelift's guide asks for, as Bitbucket event keys (platforms.md §1.5).
M.WEBHOOK_EVENTS = {
  "repo:refs_changed",
  "pr:opened",
  "pr:from_ref_updated",
  "pr:modified",
  "pr:reviewer:approved",
  "pr:reviewer:unapproved",
  "pr:merged",
  "pr:comment:added",
}

-- What the token needs: Projects: Read and Repositories: Read (platforms.md §1.5).
M.TOKEN_PERMISSIONS = { "PROJECT_READ", "REPO_READ" }

local function copy(list)
  local out = {}
  for i, v in ipairs(list) do out[i] = v end
  return out
end

-- Declares the whole guide.
--   bitbucket_server  a bitbucket.server handle
--   account           a spacelift.account handle
--   repositories      a list of { project = "INFRA", slug = "tf-network", stack = "tf-network",
--                     branch = "main" (optional) }; stack may be nil for a repository that only
--                     needs the webhook (a module's source, say)
--   options           name (required): the integration's name; username (required): the Bitbucket
--                     user Spacelift clones as; access_token: a token value or reference (default:
--                     a bitbucket.access_token of username declared here, named options.token_name
--                     or "spacelift", at the address "<username>/<token name>", which a rename of
--                     the integration leaves alone); api_host, user_facing_host (default: the server's url);
--                     is_default, space, labels, description, vcs_checks; webhook_name (default
--                     "spacelift"); integration_lifecycle (default: create_before_destroy unless
--                     is_default, so that a rename moves stacks and webhooks before the old
--                     integration goes; a second default cannot exist even for a moment);
--                     create_stacks: true to manage each stack as a spacelift.stack (created when
--                     it does not exist, re-created when deleted) instead of binding an existing one.
-- Returns { token = handle or nil, integration = handle, webhooks = { ["PROJECT/slug"] = handle },
--           bindings = { [stack] = handle }, stacks = { [stack] = handle } }.
function M.wire(bitbucket_server, account, repositories, options)
  assert(type(options) == "table", "spacelift.wire: options must be a table")
  assert(options.name, "spacelift.wire: options.name (the integration's name) is required")
  assert(options.username, "spacelift.wire: options.username (the Bitbucket user) is required")
  local out = { webhooks = {}, bindings = {}, stacks = {} }

  local access_token = options.access_token
  if access_token == nil then
    -- The token belongs to the bot user, not to the integration: its address is the user's and
    -- the token's name, so that renaming the integration keeps it.
    local token_name = options.token_name or "spacelift"
    local token_key = options.username .. "/" .. token_name
    out.token = bitbucket.access_token (token_key) {
      server = bitbucket_server,
      user = options.username,
      name = token_name,
      permissions = copy(M.TOKEN_PERMISSIONS),
    }
    access_token = out.token.token
    -- Before, the token's address was the integration's name: a state made then moves here, so
    -- that no existing token is replaced by this change of address.
    if options.name ~= token_key and not string.find(options.name, '["\\]') then
      moved { from = 'bitbucket.access_token["' .. options.name .. '"]', to = out.token }
    end
  end

  local lifecycle = options.integration_lifecycle
  if lifecycle == nil then lifecycle = { create_before_destroy = not options.is_default } end
  out.integration = spacelift.bitbucket_datacenter_integration (options.name) {
    server = account,
    name = options.name,
    is_default = options.is_default or false,
    space = options.space,
    labels = options.labels,
    description = options.description,
    api_host = options.api_host or bitbucket_server.url,
    user_facing_host = options.user_facing_host or bitbucket_server.url,
    username = options.username,
    access_token = access_token,
    vcs_checks = options.vcs_checks,
    lifecycle = lifecycle,
  }

  local webhook_name = options.webhook_name or "spacelift"
  for _, repo in ipairs(repositories) do
    assert(repo.project and repo.slug, "spacelift.wire: every repository needs project and slug")
    local key = repo.project .. "/" .. repo.slug
    if out.webhooks[key] == nil then
      out.webhooks[key] = bitbucket.webhook (webhook_name .. "/" .. key) {
        server = bitbucket_server,
        project = repo.project,
        repository = repo.slug,
        name = webhook_name,
        url = out.integration.webhook_url,
        secret = out.integration.webhook_secret,
        events = copy(M.WEBHOOK_EVENTS),
      }
    end
    if repo.stack and options.create_stacks then
      out.stacks[repo.stack] = spacelift.stack (repo.stack) {
        server = account,
        name = repo.stack,
        namespace = repo.project,
        repository = repo.slug,
        branch = repo.branch or "main",
        integration = out.integration.id,
      }
    elseif repo.stack then
      out.bindings[repo.stack] = spacelift.stack_binding (repo.stack) {
        server = account,
        stack = repo.stack,
        integration = out.integration.id,
        namespace = repo.project,
        repository = repo.slug,
        branch = repo.branch,
      }
    end
  end
  return out
end

return M
