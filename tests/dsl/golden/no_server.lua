bitbucket.webhook "api" { project = "INFRA", repository = "api", name = "ci", url = "https://ci.example.com/hook", events = {} }
