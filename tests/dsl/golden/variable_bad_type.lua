variable "replicas" { type = "integer", default = 1 }
variable "zones" { type = "list", default = "eu" }
