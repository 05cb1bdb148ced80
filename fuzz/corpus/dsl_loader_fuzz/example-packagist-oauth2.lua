-- Private Packagist's "Bitbucket Data Center / Server Integration Setup" (OAuth 2) as code: the
-- incoming OAuth 2 link with Packagist's callback pair, the checklist of Packagist's integration
-- form, and every repository of project PHP as a package read with one token.
-- ../README.md runs it against the bundled emulators; point the variables at real servers to use it.

variable "bitbucket_url" { type = "string", description = "Bitbucket base URL, as Packagist calls it" }
variable "packagist_url" { type = "string", default = "https://packagist.com" }

local bb = bitbucket.server "bitbucket" {
  url      = var.bitbucket_url,
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local org = packagist.account "acme" {
  url        = var.packagist_url,
  api_key    = env "PACKAGIST_API_KEY",
  api_secret = env "PACKAGIST_API_SECRET",
}

local pp = import "packagist"

pp.integration(bb, {
  name          = "On-premise Bitbucket",
  packagist_url = var.packagist_url,
  oauth         = 2,
})

pp.packages(bb, org, bitbucket.repositories { server = bb, project = "PHP" }, {
  username = "packagist-bot",
})

output "synchronizations" { value = pp.synchronizations(org, var.bitbucket_url) }
