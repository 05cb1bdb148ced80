-- Bitbucket recipes: `local bbr = import "bitbucket"` (the CLI searches every platform folder of modules/).
-- Each helper only declares resources; it never reads or writes anything itself.

local M = {}

-- A copy of `body` with `extra` laid over it, so that one body can serve many declarations.
local function merged(body, extra)
  local out = {}
  for k, v in pairs(body) do out[k] = v end
  for k, v in pairs(extra) do out[k] = v end
  return out
end

-- The same webhook on every repository of a list (e.g. the result of bitbucket.repositories).
-- `body` is a bitbucket.webhook body without server/project/repository (name, url, events, secret…).
-- Addresses read "<name>/<PROJECT>/<slug>"; returns the handles keyed by "PROJECT/slug".
function M.webhook_on_repositories(server, repositories, body)
  assert(body.name, "webhook_on_repositories: the body needs a name")
  local handles = {}
  for _, repo in ipairs(repositories) do
    local key = repo.project .. "/" .. repo.slug
    handles[key] = bitbucket.webhook (body.name .. "/" .. key) (merged(body, {
      server = server, project = repo.project, repository = repo.slug,
    }))
  end
  return handles
end

-- The same webhook on every repository of `project` whose slug matches the Lua pattern `match`
-- (nil: all of them); archived repositories are left out.
function M.webhook_on_matching(server, project, match, body)
  local repositories = bitbucket.repositories { server = server, project = project, match = match }
  return M.webhook_on_repositories(server, repositories, body)
end

-- The same webhook on several projects (inherited by all their repositories).
function M.webhook_on_projects(server, projects, body)
  local handles = {}
  for _, key in ipairs(projects) do
    handles[key] = bitbucket.project_webhook (body.name .. "/" .. key) (merged(body, {
      server = server, project = key,
    }))
  end
  return handles
end

-- A generic application link whose OAuth 1.0a consumer key pair stashform generates: the guide's
-- "paste this public key into Bitbucket" step. The handle's private_key_pem (sensitive) goes to the
-- application; public_key_pem is what Bitbucket holds.
function M.oauth1_link(server, name, rpc_url, consumer_key)
  return bitbucket.application_link (name) {
    server = server, name = name, rpc_url = rpc_url,
    consumer_key = consumer_key, generate_key_pair = true,
  }
end

return M
