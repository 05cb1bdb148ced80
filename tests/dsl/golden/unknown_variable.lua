variable "region" { default = "eu" }
local r = var.regoin
