local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
local repos = nil
for _, r in ipairs(repos.list) do end
