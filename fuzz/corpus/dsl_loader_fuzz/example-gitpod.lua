-- Gitpod's "Bitbucket Server" guide as code: the OAuth 2.0 incoming link on Bitbucket (redirect
-- <gitpod>/auth/callback, Projects: Admin) and the organization's Gitpod auth provider holding
-- that link's client id and secret. README.md runs it against the two bundled emulators; point
-- the variables at real servers to use it.

local bb = bitbucket.server "bitbucket" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local account = gitpod.account "gitpod" {
  url             = env "GITPOD_URL",
  api_url         = env "GITPOD_API_URL",
  token           = env "GITPOD_TOKEN",
  organization_id = env "GITPOD_ORGANIZATION_ID",
}

local gp = import "gitpod"

local wired = gp.wire(bb, account, { name = "corp-bitbucket" })

-- Where an organization owner connects the provider (what ends "pending verification").
output "connect_url" { value = wired.provider.settings_url }
