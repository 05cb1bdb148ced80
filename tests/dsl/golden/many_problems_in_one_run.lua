local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
bitbucket.webhook "a" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = { "pr:opend" }, urll = "x" }
bitbucket.webhook "b" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {}, active = 1 }
bitbucket.webhook "c" { project = "INFRA" }
local s = env "MISSING_SECRET"
local v = var.nope
bitbucket.webhook "d"
for i = 1, 3 do bitbucket.webhok ("w" .. i) { project = "INFRA" } end
bitbucket.webhook "e" { project = "INFRA", repository = "api", name = "ci", url = "ftp://x", events = {} }
