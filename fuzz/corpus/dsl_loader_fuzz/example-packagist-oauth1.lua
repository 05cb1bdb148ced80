-- Private Packagist's OAuth 1 guide ("seed" guide, Bitbucket 7.20 or older) as code: a generic
-- application link whose incoming consumer takes Packagist's Client ID and the public key of the
-- certificate Packagist shows (certificate.lua), and the checklist of Packagist's form.
-- ../README.md runs it against the bundled emulators.

variable "bitbucket_url" { type = "string", description = "Bitbucket base URL, as Packagist calls it" }
variable "packagist_url" { type = "string", default = "https://packagist.com" }

local bb = bitbucket.server "bitbucket" {
  url      = var.bitbucket_url,
  username = env "BITBUCKET_USER",
  password = env "BITBUCKET_PASSWORD",
}

local pp = import "packagist"

pp.integration(bb, {
  name          = "On-premise Bitbucket",
  packagist_url = var.packagist_url,
  oauth         = 1,
  client_id     = "packagist-4be2c1d0",        -- "Client ID / Key" that Packagist shows
  certificate   = import "certificate",        -- "Public Key", the certificate Packagist shows
})
