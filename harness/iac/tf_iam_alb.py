"""Terraform resources of the AWS side that sit around the federation: the IAM user whose key
lets Okta download roles (``aws_iam_user``, ``aws_iam_access_key``, ``aws_iam_user_policy``) and
the ALB whose listener authenticates with Cognito (``aws_lb``, ``aws_lb_listener``). A mixin of
:class:`harness.iac.tf_resources.Translation` (its ``fields``/``append``/``target`` helpers)."""
from __future__ import annotations

import json

from world_common import urls

from .hcl_eval import Unresolved
from .located import Note, llist, lmap, put


def alb_dns_name(name: str, region: str) -> str:
    """An ALB's DNS name as AWS forms it, ``<name>-<10 digits>.<region>.elb.amazonaws.com`` (stable
    digits per name; docs/fidelity/iac.md#iac-alb)."""
    return f"{name}-{urls.stable_token(f'alb:{name}', 10, '0123456789')}.{region}.elb.amazonaws.com"


def computed_iam_alb(view, settings) -> dict:
    """The computed attributes of the resources of this module (``{}`` for any other type)."""
    if view.type == "aws_lb":
        name = str(view.get("name"))
        return {"dns_name": alb_dns_name(name, settings.region), "arn": f"${{load_balancer:{name}.arn}}",
                "id": f"${{load_balancer:{name}.arn}}", "name": name}
    if view.type == "aws_iam_user":
        name = str(view.get("name"))
        return {"arn": f"${{iam_user:{name}.arn}}", "id": name, "name": name}
    if view.type == "aws_iam_access_key":
        user = str(view.get("user"))
        return {"id": f"${{iam_user:{user}.access_key_id}}", "secret": f"${{iam_user:{user}.secret_access_key}}"}
    return {}


class IamAndAlb:
    def aws_iam_user(self, view):
        user = self.fields(view, {"name": "UserName", "path": "Path"})
        self.iam_users[(view.type, view.name)] = user
        self.append(self.aws["Users"], user, view.line)

    def aws_iam_access_key(self, view):
        user = self._iam_user(view)
        put(user, "AccessKey", True, view.line)

    def aws_iam_user_policy(self, view):
        user = self._iam_user(view)
        policy = view.get("policy")
        document = json.loads(policy) if isinstance(policy, str) else policy
        statements = document.get("Statement", []) if isinstance(document, dict) else []
        statements = statements if isinstance(statements, list) else [statements]
        if "Policies" not in user:
            put(user, "Policies", llist(view.line), view.line_of("policy"))
        for statement in statements:
            self.append(user["Policies"], statement, view.line_of("policy"))

    def _iam_user(self, view):
        name = view.get("user")
        for _key, user in self.iam_users.items():
            if user.get("UserName") == name:
                return user
        raise Unresolved(f"{view.type}.{view.name}.user", f"{name!r} is not an aws_iam_user of this configuration",
                         view.line_of("user"))

    # the ALB's authenticate-cognito action (docs/fidelity/alb.md) ---------------------------------
    def note_unused_load_balancers(self):
        for key, lb in getattr(self, "lbs", {}).items():
            if not any(item is lb for item in self.aws["LoadBalancers"]):
                self.notes.append(Note(f"{key[0]}.{key[1]}", lb.line, "no listener of it authenticates with "
                                       "Cognito (the only ALBs the harness models); left out"))

    def aws_lb(self, view):
        """Kept until a listener authenticates with Cognito (the world models only such ALBs)."""
        name = str(view.get("name"))
        self.lbs = getattr(self, "lbs", {})
        self.lbs[(view.type, view.name)] = lmap(view.line, {"Name": name, "DNSName": alb_dns_name(
            name, self.settings.region)}, {"Name": view.line_of("name")})

    def aws_lb_listener(self, view):
        lb = getattr(self, "lbs", {}).get(self.target(view, "load_balancer_arn", ("aws_lb",)))
        for action in view.blocks("default_action"):
            if action.has("type") and action.get("type") == "authenticate-cognito":
                for block in action.blocks("authenticate_cognito"):
                    config = self.fields(block, {
                        "user_pool_arn": "UserPoolArn", "user_pool_client_id": "UserPoolClientId",
                        "user_pool_domain": "UserPoolDomain", "scope": "Scope",
                        "session_cookie_name": "SessionCookieName", "session_timeout": "SessionTimeout",
                        "on_unauthenticated_request": "OnUnauthenticatedRequest",
                        "authentication_request_extra_params": "AuthenticationRequestExtraParams"})
                    put(lb, "AuthenticateCognitoConfig", config, block.line)
                    self.append(self.aws["LoadBalancers"], lb, lb.line)
                    return
