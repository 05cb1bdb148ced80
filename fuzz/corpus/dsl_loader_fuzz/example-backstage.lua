-- Backstage's Bitbucket Server guides as code: a read token for the service user Backstage reads
-- as, the app-config fragment that uses it (integration + catalog discovery + events topic), a
-- refresh webhook on the repositories the catalog follows, and an OAuth 2 link for sign-in.
-- README.md runs it against the bundled Bitbucket emulator; point the variables at real servers to use it.

local bb = bitbucket.server "bitbucket" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local instance = backstage.instance "backstage" {}

local bs = import "backstage"

local wired = bs.wire(bb, instance, {
  path        = env "BACKSTAGE_APP_CONFIG",
  backend_url = env "BACKSTAGE_BACKEND_URL",
  user        = "backstage-bot",
  project_key_pattern = "^(PLAT|WEB)$",
  skip_archived_repos = true,
  webhook_repositories = {
    { project = "PLAT", slug = "catalog" },
    { project = "PLAT", slug = "payments" },
  },
  sign_in = true,
})

output "token_env" { value = "BITBUCKET_TOKEN" }
output "token" { value = wired.token.token, sensitive = true }
