local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
bitbucket.webhook "api" { project = "INFRA", name = "ci", events = {} }
