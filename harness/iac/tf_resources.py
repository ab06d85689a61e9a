"""Terraform resources -> world data, shared by HCL configurations and ``terraform show -json``.

A resource arrives as a *view* (``type``, ``name``, ``line``, ``has(attr)``, ``get(attr)``,
``line_of(attr)``, ``blocks(name)``), whatever it was read from. Argument names are those of the
AWS provider (``aws_cognito_user_pool_client.callback_urls``) and of Okta's provider
(``okta_app_saml.attribute_statements``, ``app_settings_json``); the world model uses the
AWS API names and the Okta provider's, so most map one to one.

Computed attributes (``id``, ``arn``, ``client_secret``, ``metadata_url``, ``entity_url``,
``http_post_binding``...) become world references or the ids the world model assigns
(world_common/urls.py), so a value read from one resource into another resolves to the same
realistic id the running world serves.
"""
from __future__ import annotations

import json
import os

from mock_okta.aws_app.environment import acs_url as aws_acs_url
from world_common import urls

from .located import Note, Unresolved, at, llist, lmap, put, ref_str
from .tf_iam_alb import IamAndAlb, computed_iam_alb

MODELLED = ("aws_lambda_function", "aws_cognito_user_pool", "aws_cognito_user_pool_domain", "aws_cognito_user_pool_client",
            "aws_cognito_identity_provider", "aws_cognito_user_group", "aws_iam_saml_provider", "aws_iam_role",
            "okta_user", "okta_group", "okta_group_memberships", "okta_user_group_memberships", "okta_app_saml",
            "okta_app_oauth", "okta_auth_server", "okta_app_group_assignment", "okta_app_group_assignments",
            "okta_app_user", "okta_app_saml_app_settings", "aws_iam_user", "aws_iam_access_key",
            "aws_iam_user_policy", "aws_lb", "aws_lb_listener")

# docs/fidelity/aws-signin-sts.md#aws-signin-sts-aws-app: the AWS Account Federation app's audience is urn:amazon:webservices; its ACS
# follows awsEnvironmentType (mock_okta.aws_app.environment), not loginURL.
AWS_AUDIENCE = "urn:amazon:webservices"
AWS_APP_SETTINGS_KEYS = ("awsEnvironmentType", "loginURL", "identityProviderArn", "sessionDuration", "joinAllRoles",
                         "useGroupMapping", "appFilter", "groupFilter", "roleValuePattern", "accessKey", "secretKey")


class Settings:
    """What the world is anchored to: Okta org, AWS account and region."""

    def __init__(self, org_url: str, account: str, region: str, account_given: bool = False) -> None:
        self.org_url, self.account, self.region = org_url.rstrip("/"), account, region
        self.account_given = account_given   # named by the world file: the IaC does not override it


def _name(view, attr, default=None):
    if view.has(attr):
        return str(view.get(attr))
    if default is not None:
        return default
    raise Unresolved(f"{view.type}.{view.name}.{attr}", "is not set", view.line)


def computed(view, attr: str | None, settings: Settings):
    """The value of a computed attribute of ``view`` (or raise :class:`Unresolved`)."""
    t, target = view.type, (view.type, view.name)
    table: dict = {}
    if t == "aws_cognito_user_pool":
        name = _name(view, "name", view.name)
        pool_id = f"${{user_pool:{name}.id}}"
        table = {"id": pool_id, "arn": f"${{user_pool:{name}.arn}}", "name": name,
                 "endpoint": f"cognito-idp.{settings.region}.amazonaws.com/{pool_id}"}
    elif t == "aws_lambda_function":
        name = _name(view, "function_name")
        arn = f"${{function:{name}.arn}}"
        table = {"arn": arn, "qualified_arn": arn, "id": name, "function_name": name,
                 "invoke_arn": f"arn:aws:apigateway:{settings.region}:lambda:path/2015-03-31/functions/{arn}/invocations"}
    elif t == "aws_cognito_user_pool_client":
        pool = view.pool_view()
        ref = f"{_name(pool, 'name', pool.name)}/{_name(view, 'name', view.name)}"
        table = {"id": f"${{user_pool_client:{ref}.id}}", "client_secret": f"${{user_pool_client:{ref}.secret}}"}
    elif t == "aws_cognito_user_pool_domain":
        table = {"id": _name(view, "domain")}
    elif t == "aws_cognito_identity_provider":
        table = {"id": _name(view, "provider_name")}
    elif t == "aws_iam_saml_provider":
        name = _name(view, "name", view.name)
        table = {"arn": f"${{saml_provider:{name}.arn}}", "id": f"${{saml_provider:{name}.arn}}"}
    elif t == "aws_iam_role":
        name = _name(view, "name", view.name)
        table = {"arn": f"${{role:{name}.arn}}", "id": name, "name": name}
    elif t == "okta_user":
        table = {"id": urls.okta_id("00u", f"{settings.org_url}:{_name(view, 'login')}")}
    elif t == "okta_group":
        table = {"id": urls.okta_id("00g", f"{settings.org_url}:{_name(view, 'name')}")}
    elif t in ("okta_app_saml", "okta_app_oauth"):
        label = _name(view, "label")
        table = {"id": f"${{okta_app:{label}.id}}", "name": f"${{okta_app:{label}.name}}"}
        if t == "okta_app_saml":
            exk = urls.okta_id("exk", f"{settings.org_url}:{label}")
            table.update(metadata_url=f"${{okta_app:{label}.metadata_url}}", entity_key=exk,
                         entity_url=f"${{okta_app:{label}.entity_id}}", metadata=f"${{okta_app:{label}.metadata}}",
                         http_post_binding=f"${{okta_app:{label}.sso_url}}",
                         http_redirect_binding=f"${{okta_app:{label}.sso_url}}",
                         embed_url=f"${{okta_app:{label}.embed_link}}")
        else:
            table.update(client_id=f"${{okta_app:{label}.client_id}}",
                         client_secret=f"${{okta_app:{label}.client_secret}}")
    elif t == "okta_auth_server":
        name = _name(view, "name")
        table = {"id": f"${{okta_auth_server:{name}.id}}", "issuer": f"${{okta_auth_server:{name}.issuer}}"}
    table = table or computed_iam_alb(view, settings)
    if attr in table:
        return ref_str(table[attr], target)
    if t not in MODELLED:
        raise Unresolved(f"{t}.{view.name}", "resource type not modelled by the harness", view.line)
    raise Unresolved(f"{t}.{view.name}.{attr}", f"the harness does not model the {attr} attribute of {t}",
                     view.line)


# ---- translation ----------------------------------------------------------------------------

class Translation(IamAndAlb):
    def __init__(self, views: list, settings: Settings, file: str) -> None:
        self.views = {(v.type, v.name): v for v in views}
        self.settings = settings
        self.file = file
        self.notes: list[Note] = []
        line = at(file, 1)
        self.okta = {k: llist(line) for k in ("users", "groups", "apps", "authorization_servers")}
        self.aws = {k: llist(line) for k in ("UserPools", "SAMLProviders", "Roles", "Functions", "Users",
                                             "LoadBalancers")}
        self.iam_users: dict[tuple, object] = {}
        self.pools: dict[tuple, object] = {}
        self.users: dict[tuple, object] = {}
        self.groups: dict[tuple, object] = {}
        self.apps: dict[tuple, object] = {}

    def run(self):
        order = {t: i for i, t in enumerate(MODELLED)}
        for view in sorted(self.views.values(), key=lambda v: order.get(v.type, len(order))):
            if view.type not in order:
                self.notes.append(Note(f"{view.type}.{view.name}", view.line,
                                       "resource type not modelled by the harness; left out"))
                continue
            try:
                getattr(self, view.type)(view)
            except Unresolved as exc:
                self.notes.append(Note(exc.name, exc.line or view.line,
                                       f"{exc.message}; {view.type}.{view.name} left out"))
        self.note_unused_load_balancers()
        return self.world(), self.notes

    def world(self):
        line = at(self.file, 1)
        out = lmap(line)
        okta = lmap(line, {k: v for k, v in self.okta.items() if v})
        aws = lmap(line, {k: v for k, v in self.aws.items() if v})
        if okta:
            put(out, "okta", okta, line)
        if aws:
            put(out, "aws", aws, line)
        return out

    # helpers ----------------------------------------------------------------------------------
    def fields(self, view, mapping: dict, into=None):
        """Copy ``view``'s arguments named in ``mapping`` (tf name -> world name); an argument
        that cannot be evaluated is reported and left out."""
        out = into if into is not None else lmap(view.line)
        for tf_name, world_name in mapping.items():
            if not view.has(tf_name):
                continue
            try:
                value = view.get(tf_name)
            except Unresolved as exc:
                self.notes.append(Note(exc.name, exc.line or view.line_of(tf_name),
                                       f"{exc.message}; {view.type}.{view.name}.{tf_name} left out"))
                continue
            if value is None:
                continue
            put(out, world_name, value, view.line_of(tf_name))
        return out

    def target(self, view, attr, kinds):
        value = view.get(attr)
        target = getattr(value, "target", None)
        if target and target[0] in kinds and target in self.views:
            return target
        for key, other in self.views.items():  # a literal id that matches a resource's id (state JSON)
            if key[0] in kinds and other.known_id() == value:
                return key
        raise Unresolved(f"{view.type}.{view.name}.{attr}",
                         f"{value!r} is not a {' or '.join(kinds)} of this configuration", view.line_of(attr))

    def append(self, items, item, line):
        items.append(item)
        items.lines.append(line)

    # AWS ---------------------------------------------------------------------------------------
    def aws_cognito_user_pool(self, view):
        pool = self.fields(view, {"username_attributes": "UsernameAttributes", "alias_attributes": "AliasAttributes"})
        put(pool, "PoolName", _name(view, "name", view.name), view.line_of("name"))
        schema = llist(view.line)
        for block in view.blocks("schema"):
            attribute = self.fields(block, {"name": "Name", "attribute_data_type": "AttributeDataType",
                                            "mutable": "Mutable", "required": "Required",
                                            "developer_only_attribute": "DeveloperOnlyAttribute"})
            for constraints in block.blocks("string_attribute_constraints"):
                put(attribute, "StringAttributeConstraints",
                    self.fields(constraints, {"min_length": "MinLength", "max_length": "MaxLength"}), constraints.line)
            self.append(schema, attribute, block.line)
        if schema:
            put(pool, "Schema", schema, schema.line)
        for config in view.blocks("lambda_config"):
            put(pool, "LambdaConfig", self.lambda_config(config), config.line)
        self.pools[(view.type, view.name)] = pool
        self.append(self.aws["UserPools"], pool, view.line)

    def lambda_config(self, config):
        """``aws_cognito_user_pool.lambda_config`` (issue 14): trigger ARNs, usually
        ``aws_lambda_function.<name>.arn`` (``${function:<name>.arn}`` in the world)."""
        out = self.fields(config, {"pre_sign_up": "PreSignUp", "post_confirmation": "PostConfirmation",
                                   "pre_authentication": "PreAuthentication",
                                   "post_authentication": "PostAuthentication",
                                   "pre_token_generation": "PreTokenGeneration"})
        for nested in config.blocks("pre_token_generation_config"):
            put(out, "PreTokenGenerationConfig", self.fields(nested, {"lambda_arn": "LambdaArn",
                                                                      "lambda_version": "LambdaVersion"}), nested.line)
        return out

    def aws_lambda_function(self, view):
        """``aws_lambda_function`` (issue 14) whose ``filename`` is a ``data "archive_file"`` of a
        folder or file: the handler's code is that folder (the zip itself is not read)."""
        function = self.fields(view, {"function_name": "FunctionName", "runtime": "Runtime", "handler": "Handler",
                                      "timeout": "Timeout"})
        for environment in view.blocks("environment"):
            put(function, "Environment", lmap(environment.line, {"Variables": environment.get("variables")}),
                environment.line)
        source = getattr(view.get("filename"), "archive_source", None) if view.has("filename") else None
        if source is None:
            raise Unresolved(f"{view.type}.{view.name}.filename", "only code from a data \"archive_file\" "
                             "(source_dir or source_file) is read offline", view.line)
        put(function, "CodeUri", source if os.path.isdir(source) else os.path.dirname(source), view.line_of("filename"))
        self.append(self.aws["Functions"], function, view.line)

    def _pool(self, view):
        return self.pools[self.target(view, "user_pool_id", ("aws_cognito_user_pool",))]

    def _pool_list(self, pool, key, item, line):
        if key not in pool:
            put(pool, key, llist(line), line)
        self.append(pool[key], item, line)

    def aws_cognito_user_pool_domain(self, view):
        pool = self._pool(view)
        put(pool, "Domain", view.get("domain"), view.line_of("domain"))
        if view.has("certificate_arn"):
            put(pool, "CustomDomainConfig", lmap(view.line, {"CertificateArn": view.get("certificate_arn")}),
                view.line_of("certificate_arn"))

    def aws_cognito_user_pool_client(self, view):
        pool = self._pool(view)
        client = self.fields(view, {
            "name": "ClientName", "generate_secret": "GenerateSecret", "callback_urls": "CallbackURLs",
            "logout_urls": "LogoutURLs", "default_redirect_uri": "DefaultRedirectURI",
            "supported_identity_providers": "SupportedIdentityProviders", "allowed_oauth_flows": "AllowedOAuthFlows",
            "allowed_oauth_scopes": "AllowedOAuthScopes",
            "allowed_oauth_flows_user_pool_client": "AllowedOAuthFlowsUserPoolClient",
            "read_attributes": "ReadAttributes", "write_attributes": "WriteAttributes",
            "explicit_auth_flows": "ExplicitAuthFlows", "access_token_validity": "AccessTokenValidity",
            "id_token_validity": "IdTokenValidity", "refresh_token_validity": "RefreshTokenValidity",
            "enable_token_revocation": "EnableTokenRevocation", "auth_session_validity": "AuthSessionValidity"})
        for units in view.blocks("token_validity_units"):
            put(client, "TokenValidityUnits", self.fields(units, {"access_token": "AccessToken", "id_token": "IdToken",
                                                                  "refresh_token": "RefreshToken"}), units.line)
        if "ClientName" not in client:
            put(client, "ClientName", view.name, view.line)
        self._pool_list(pool, "Clients", client, view.line)

    def aws_cognito_identity_provider(self, view):
        pool = self._pool(view)
        provider = self.fields(view, {"provider_name": "ProviderName", "provider_type": "ProviderType",
                                      "provider_details": "ProviderDetails", "attribute_mapping": "AttributeMapping",
                                      "idp_identifiers": "IdpIdentifiers"})
        self._pool_list(pool, "IdentityProviders", provider, view.line)

    def aws_cognito_user_group(self, view):
        pool = self._pool(view)
        group = self.fields(view, {"name": "GroupName", "description": "Description", "precedence": "Precedence",
                                   "role_arn": "RoleArn"})
        self._pool_list(pool, "Groups", group, view.line)

    def aws_iam_saml_provider(self, view):
        provider = self.fields(view, {"name": "Name", "saml_metadata_document": "SAMLMetadataDocument"})
        provider.setdefault("Name", view.name)
        self.append(self.aws["SAMLProviders"], provider, view.line)

    def aws_iam_role(self, view):
        role = self.fields(view, {"name": "RoleName", "assume_role_policy": "AssumeRolePolicyDocument",
                                  "max_session_duration": "MaxSessionDuration", "description": "Description",
                                  "path": "Path"})
        if "RoleName" not in role:
            put(role, "RoleName", view.name, view.line)
        self.append(self.aws["Roles"], role, view.line)

    # Okta --------------------------------------------------------------------------------------
    def okta_user(self, view):
        user = self.fields(view, {"login": "login", "password": "password", "status": "status"})
        profile = self.fields(view, {"first_name": "firstName", "last_name": "lastName", "email": "email",
                                     "display_name": "displayName", "second_email": "secondEmail",
                                     "mobile_phone": "mobilePhone", "department": "department",
                                     "employee_number": "employeeNumber", "organization": "organization"})
        if view.has("custom_profile_attributes"):
            extra = view.get("custom_profile_attributes")
            for key, value in (json.loads(extra) if isinstance(extra, str) else extra or {}).items():
                put(profile, key, value, view.line_of("custom_profile_attributes"))
        put(user, "profile", profile, view.line)
        put(user, "groups", llist(view.line), view.line)
        self.users[(view.type, view.name)] = user
        self.append(self.okta["users"], user, view.line)

    def okta_group(self, view):
        group = self.fields(view, {"name": "name", "description": "description"})
        self.groups[(view.type, view.name)] = group
        self.append(self.okta["groups"], group, view.line)

    def okta_group_memberships(self, view):
        group = self.groups[self.target(view, "group_id", ("okta_group",))]
        for _i, user_id in enumerate(view.get("users")):
            user = self._by_id(self.users, "okta_user", user_id, view, "users")
            self.append(user["groups"], group["name"], view.line_of("users"))

    def okta_user_group_memberships(self, view):
        user = self.users[self.target(view, "user_id", ("okta_user",))]
        for group_id in view.get("groups"):
            group = self._by_id(self.groups, "okta_group", group_id, view, "groups")
            self.append(user["groups"], group["name"], view.line_of("groups"))

    def _by_id(self, table, kind, value, view, attr):
        target = getattr(value, "target", None)
        if target in table:
            return table[target]
        for key, other in self.views.items():
            if key[0] == kind and other.known_id() == value and key in table:
                return table[key]
        raise Unresolved(f"{view.type}.{view.name}.{attr}", f"{value!r} is not a {kind} of this configuration",
                         view.line_of(attr))

    def okta_app_saml(self, view):
        app = self.fields(view, {"label": "label", "status": "status"})
        saml = self.fields(view, {
            "sso_url": "sso_url", "recipient": "recipient", "destination": "destination", "audience": "audience",
            "default_relay_state": "default_relay_state", "subject_name_id_format": "subject_name_id_format",
            "user_name_template": "user_name_template", "response_signed": "response_signed",
            "assertion_signed": "assertion_signed", "signature_algorithm": "signature_algorithm",
            "digest_algorithm": "digest_algorithm", "honor_force_authn": "honor_force_authn",
            "authn_context_class_ref": "authn_context_class_ref", "saml_signed_request_enabled":
            "saml_signed_request_enabled", "sp_issuer": "sp_issuer", "acs_endpoints": "acs_endpoints",
            "single_logout_url": "single_logout_url", "single_logout_issuer": "single_logout_issuer",
            "single_logout_certificate": "single_logout_certificate"})
        statements = llist(view.line)
        for block in view.blocks("attribute_statements"):
            self.append(statements, self.fields(block, {"type": "type", "name": "name", "namespace": "namespace",
                                                        "values": "values", "filter_type": "filter_type",
                                                        "filter_value": "filter_value"}), block.line)
        if statements:
            put(saml, "attribute_statements", statements, statements.line)
        preconfigured = view.get("preconfigured_app") if view.has("preconfigured_app") else None
        if preconfigured == "amazon_aws":
            put(app, "sign_on_mode", "AWS", view.line_of("preconfigured_app"))
            settings = self._app_settings(view)
            saml.setdefault("sso_url", aws_acs_url(settings))
            saml.setdefault("audience", AWS_AUDIENCE)
            put(app, "aws", settings, view.line_of("app_settings_json"))
        elif preconfigured:
            raise Unresolved(f"okta_app_saml.{view.name}.preconfigured_app",
                             f"the OIN app {preconfigured!r} is not modelled (only amazon_aws)",
                             view.line_of("preconfigured_app"))
        else:
            put(app, "sign_on_mode", "SAML_2_0", view.line)
        put(app, "saml", saml, view.line)
        self._new_app(view, app)

    def _app_settings(self, view, attr="app_settings_json"):
        out = lmap(view.line_of(attr))
        if not view.has(attr):
            return out
        raw = view.get(attr)
        try:
            settings = json.loads(raw) if isinstance(raw, str) else dict(raw)
        except ValueError as exc:
            raise Unresolved(f"{view.type}.{view.name}.{attr}", f"is not JSON: {exc}", view.line_of(attr)) from None
        for key, value in settings.items():
            if key in AWS_APP_SETTINGS_KEYS:
                if key == "sessionDuration" and isinstance(value, str) and value.isdigit():
                    value = int(value)
                put(out, key, value, view.line_of(attr))
            else:
                self.notes.append(Note(f"{view.type}.{view.name}.{attr}.{key}", view.line_of(attr),
                                       "setting not modelled; ignored"))
        return out

    def okta_app_oauth(self, view):
        app = self.fields(view, {"label": "label", "status": "status"})
        put(app, "sign_on_mode", "OPENID_CONNECT", view.line)
        oidc = self.fields(view, {"type": "type", "client_id": "client_id", "client_basic_secret": "client_secret",
                                  "redirect_uris": "redirect_uris", "post_logout_redirect_uris":
                                  "post_logout_redirect_uris", "grant_types": "grant_types",
                                  "token_endpoint_auth_method": "token_endpoint_auth_method",
                                  "pkce_required": "pkce_required", "consent_method": "consent_method"})
        for block in view.blocks("groups_claim"):
            put(oidc, "groups_claim", self.fields(block, {"type": "type", "name": "name", "filter_type": "filter_type",
                                                          "value": "value"}), block.line)
        put(app, "oidc", oidc, view.line)
        self._new_app(view, app)

    def _new_app(self, view, app):
        put(app, "users", llist(view.line), view.line)
        put(app, "groups", llist(view.line), view.line)
        self.apps[(view.type, view.name)] = app
        self.append(self.okta["apps"], app, view.line)

    def okta_auth_server(self, view):
        server = self.fields(view, {"name": "name", "audiences": "audiences", "description": "description"})
        self.append(self.okta["authorization_servers"], server, view.line)

    def _app(self, view):
        return self.apps[self.target(view, "app_id", ("okta_app_saml", "okta_app_oauth"))]

    def _roles(self, view, profile_attr="profile"):
        if not view.has(profile_attr):
            return None
        profile = view.get(profile_attr)
        profile = json.loads(profile) if isinstance(profile, str) and profile.strip() else (profile or {})
        roles = profile.get("samlRoles")
        return list(roles) if roles else None

    def okta_app_group_assignment(self, view):
        self._assign_group(self._app(view), view, "group_id")

    def okta_app_group_assignments(self, view):
        app = self._app(view)
        for block in view.blocks("group"):
            self._assign_group(app, block, "id")

    def _assign_group(self, app, source, id_attr: str) -> None:
        """The group ``source.<id_attr>`` names, assigned to ``app`` (with its SAML roles, if any)."""
        group = self._by_id(self.groups, "okta_group", source.get(id_attr), source, id_attr)
        roles = self._roles(source)
        entry = lmap(source.line, {"group": group["name"], "saml_roles": roles}) if roles else group["name"]
        self.append(app["groups"], entry, source.line)

    def okta_app_user(self, view):
        app = self._app(view)
        user = self._by_id(self.users, "okta_user", view.get("user_id"), view, "user_id")
        if view.has("username"):
            self.notes.append(Note(f"okta_app_user.{view.name}.username", view.line_of("username"),
                                   "a per-assignment app username is not modelled; the app's "
                                   "user_name_template is used"))
        roles = self._roles(view)
        entry = lmap(view.line, {"user": user["login"], "saml_roles": roles}) if roles else user["login"]
        self.append(app["users"], entry, view.line)

    # the AWS app's API integration (docs/fidelity/aws-signin-sts.md#aws-signin-sts-roles-without-group-mapping) ------------------
    def okta_app_saml_app_settings(self, view):
        """The app settings of a SAML app as a resource of their own (the okta provider's
        okta_app_saml_app_settings: the same JSON as app_settings_json)."""
        app = self._app(view)
        if app.get("sign_on_mode") != "AWS":
            raise Unresolved(f"okta_app_saml_app_settings.{view.name}", "settings of an app other than amazon_aws "
                             "are not modelled", view.line)
        settings = self._app_settings(view, "settings")
        app["aws"].update(settings)
        app["aws"].lines.update(settings.lines)
        app["saml"]["sso_url"] = aws_acs_url(app["aws"])
