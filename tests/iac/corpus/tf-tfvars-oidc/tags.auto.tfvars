tags = {
  Team = "identity"
  Env  = "staging"
}
