local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {} }
bitbucket.server "corp" { url = "https://other.example.com", token = "t" }
bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {} }
