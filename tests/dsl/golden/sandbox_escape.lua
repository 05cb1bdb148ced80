local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
local f = io.open("/etc/passwd")
