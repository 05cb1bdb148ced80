local bb = bitbucket.server "corp" { url = "https://bb.example.com", token = env "BB_TOKEN" }
output "token" { value = bb.token }
output "url" { vaule = bb.url }
