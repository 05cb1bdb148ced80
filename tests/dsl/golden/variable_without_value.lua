variable "replicas" { type = "number", description = "how many" }
