local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
local api = bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {} }
moved { from = 'bitbucket.webhook["old"]', to = 'bitbucket.webhook["new"]' }
removed { from = api }
import { to = api }
import { to = bb, id = "3" }
