"""Names vulture reports as unused that are used, for a reason given beside each (vulture reads
this file as code that uses them). scripts/lint.sh passes it to vulture."""
# ruff: noqa
_ = object()

# pytest calls these (scenarios/plugin.py: a collector, an item, a session hook's argument)
_.collect
_.runtest
_.reportinfo
exitstatus

# requests.Session attributes set to turn off proxies from the environment
_.trust_env

# fields of records that mirror a protocol or API shape (read by asdict/JSON or kept for callers)
lang            # mock_cognito.authorize_request.AuthorizeRequest: an /oauth2/authorize parameter
max_length      # mock_cognito.config.SchemaAttribute
logout_request_id   # mock_cognito.store.Session
bare            # harness.explain.captures.Capture (raw captures)
sender          # harness.explain.steps.Step
receiver
# world_common.world_model: fields a world file may write that code reads by name, not by
# attribute (moto_adapter.apply passes a client's, a group's and LambdaConfig's fields to the API
# as they are; harness.world.dump writes every field); awsEnvironmentType and mfa_prompt are Okta
# settings accepted and kept for the world file's round trip
AccessToken
DefaultRedirectURI
ReadAttributes
WriteAttributes
ExplicitAuthFlows
AccessTokenValidity
IdTokenValidity
RefreshTokenValidity
AuthSessionValidity
Precedence
RoleArn
PostConfirmation
PreAuthentication
PostAuthentication
PreTokenGeneration
awsEnvironmentType
mfa_prompt
SERVICE         # mock_cognito.idp_api: the X-Amz-Target prefix of the API it fronts
POST            # mock_cognito.saml.metadata: the HTTP-POST binding URI beside HTTP-Redirect
ca_fingerprint_sha256   # harness.tls (the lead's): printed for users who pin the CA

# the Lambda context object a Python handler receives (mock_cognito/triggers/bootstrap_python.py)
_.function_version
_.invoked_function_arn
_.memory_limit_in_mb
_.log_group_name
_.log_stream_name
_.client_context
_.get_remaining_time_in_millis

# tests' helpers that their frameworks call
_.log_message   # http.server.BaseHTTPRequestHandler
_.fetch_data    # oic's client hook, replaced in tests/cognito_oidc
_.min_secret_length_bits   # pyotp's TOTP setting, lowered for short test secrets
client_env      # a fixture the tests need for its effect (the CLI tools' environment)

# not yet used by their own features (reported to their owners, issue 18 notes)
NEW_PASSWORD_NEEDED   # mock_cognito.errors: the managed login's change-password page (issue 14)
app_needs_mfa         # mock_okta.mfa.policy (issue 15)

# Flask reads it when it makes a route's rule (world_common.flask_app.WorldFlask)
url_rule_class

# harness.request_reader.RequestReader: llhttp's callbacks, which httptools looks up by name
_.on_message_begin
_.on_url
_.on_header
_.on_headers_complete
_.on_body
_.on_message_complete
form_data_parser_class   # world_common.flask_app.WorldRequest: read by werkzeug's Request
