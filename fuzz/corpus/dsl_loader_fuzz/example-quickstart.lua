-- Quick start: one Bitbucket server and the same CI webhook on three repositories.
-- Run it against the bundled emulator with ./scripts/demo, or point BITBUCKET_URL at your own.

local bb = bitbucket.server "local" {
  url      = env "BITBUCKET_URL",
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local repositories = { "tf-network", "tf-dns", "tf-iam" }

for _, slug in ipairs(repositories) do
  bitbucket.webhook ("INFRA/" .. slug) {
    server     = bb,
    project    = "INFRA",
    repository = slug,
    name       = "ci",
    url        = "https://ci.example.com/hooks/bitbucket",
    events     = { "repo:refs_changed", "pr:opened", "pr:merged" },
    secret     = env "WEBHOOK_SECRET",
  }
end
