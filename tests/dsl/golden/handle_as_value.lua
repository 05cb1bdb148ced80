local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
local api = bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {} }
bitbucket.webhook "chat" { project = "INFRA", repository = "api", name = "chat", url = "https://c", events = { api } }
