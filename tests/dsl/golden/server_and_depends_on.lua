local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {}, server = "corp", depends_on = { bb, "x" } }
