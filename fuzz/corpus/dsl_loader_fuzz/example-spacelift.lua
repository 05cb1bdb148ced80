-- Spacelift's Bitbucket Data Center guide as code: an access token for the bot user, the
-- integration, the same signed webhook on every repository a stack uses, and the stacks bound.
-- README.md runs it against the two bundled emulators; point the variables at real servers to use it.

local bb = bitbucket.server "bitbucket" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local acct = spacelift.account "spacelift" {
  api_url        = env "SPACELIFT_API_URL",
  api_key_id     = env "SPACELIFT_API_KEY_ID",
  api_key_secret = env "SPACELIFT_API_KEY_SECRET",
}

local spl = import "spacelift"

local wired = spl.wire(bb, acct, {
  { project = "INFRA", slug = "tf-network", stack = "tf-network" },
  { project = "INFRA", slug = "tf-dns",     stack = "tf-dns" },
  { project = "INFRA", slug = "tf-iam",     stack = "tf-iam" },
}, {
  name     = "corp-bitbucket",
  username = "spacelift-bot",
  labels   = { "managed-by:stashform" },
})

output "webhook_url" { value = wired.integration.webhook_url }
