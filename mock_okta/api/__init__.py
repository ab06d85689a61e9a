"""The part of Okta's REST API that command-line clients call (okta-aws.md §3, §6)."""
