"""Scenario files: a list of cases, each a world (file plus overrides), a flow, a user and what
must hold at each hop. Loaded with the world file's located YAML and schema, so a bad scenario
file gets the same ``file:line: field: message`` error as a bad world file.

    cases:
      - name: SP-initiated sign-in stores the user's email
        flow: saml-sp-initiated
        user: alice@example.com
        world:
          set:
            "okta.apps[label=Cognito SAML].saml.audience": urn:amazon:cognito:sp:us-east-1_WRONG
        expect:
          error: {at: callback, text: "..."}
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from harness.world import yaml_source
from harness.world.errors import WorldError, WorldErrors
from harness.world.schema import Any_, Bool, Ctx, Field, Int, ListOf, MapOf, Obj, Record, Str

FLOWS = ("saml-sp-initiated", "saml-idp-initiated", "oidc", "aws-console")
ERROR_PLACES = ("okta", "cognito", "callback", "aws")
IDP_CHOICE = ("button", "identity_provider", "idp_identifier")
START_URL_FLOWS = ("saml-sp-initiated", "oidc")
ENGINES = ("browser", "http")   # scenarios/browser_driver.py (the default), scenarios/http_driver.py
ENGINE_DOC = ("who plays the user: browser (the system Chromium, the default) or http (an HTTP user agent, "
              "no browser; harness run --engine overrides)")


def _error_post(record, ctx, path):
    if not record.text and not record.contains:
        ctx.error("an expected error needs text (word for word) or contains", record.loc()[1], f"{path}.text")


ERROR = Obj("expected error", {
    "at": Field(Str(choices=ERROR_PLACES), required=True,
                doc="where the user sees it: okta page, cognito page, callback error_description, aws page"),
    "text": Field(Str(), doc="the exact text"),
    "contains": Field(Str(), doc="a part of the text"),
    "code": Field(Str(), doc="the OAuth error code on the callback (error=...)"),
}, post=_error_post)

SIGNED_OUT = Obj("sign-out expectations", {
    "lands_on": Field(Str(), doc="the URL the browser lands on after Cognito's /logout (default: logout_uri)"),
    "prompt_none": Field(Str(), doc="a silent sign-in (prompt=none) after the sign-out: the error code the app "
                                    "receives (login_required) or signed_in"),
    "cognito_login": Field(Bool(), doc="the next sign-in stops at Cognito's managed login (its session ended)"),
    "okta_password": Field(Bool(), doc="the next sign-in asks for the Okta password (Okta's session ended)"),
})

EXPECT = Obj("expectations", {
    "success": Field(Bool(), doc="the flow ends signed in (default: true unless an error is expected)"),
    "audience": Field(Str(), doc="the <saml:Audience> of the assertion"),
    "issuer": Field(Str(), doc="the assertion's Issuer"),
    "name_id": Field(Str(), doc="the assertion's NameID"),
    "saml_attributes": Field(MapOf(Any_()), doc="SAML Attribute Name -> value or list of values"),
    "user_attributes": Field(MapOf(Any_()), doc="attributes Cognito stored on the federated user"),
    "username": Field(Str(), doc="the federated user's user name in the pool"),
    "id_token": Field(MapOf(Any_()), doc="claims the ID token must carry (subset)"),
    "access_token": Field(MapOf(Any_()), doc="claims the access token must carry (subset)"),
    "groups": Field(ListOf(Str()), doc="cognito:groups of the ID token (must contain each)"),
    "roles_offered": Field(ListOf(Str()), doc="role names or ARNs the AWS sign-in offers, exactly"),
    "role_assumed": Field(Str(), doc="role name or ARN of the console session"),
    "error": Field(ERROR),
    # After a ``start_url`` (issue 9): the page the user ends on, e.g. the stand-in's /headers
    # behind the ALB, which shows each x-amzn-oidc-* header in an element with its name as id.
    "page_contains": Field(ListOf(Str(), single_ok=True), doc="texts the final page shows"),
    "headers": Field(ListOf(Str(), single_ok=True),
                     doc="x-amzn-oidc-* headers the final page shows with a value (the stand-in's /headers)"),
    "oidc_data": Field(MapOf(Any_()), doc="claims of x-amzn-oidc-data, verified ES256 with the key from "
                                          "https://public-keys.auth.elb.<region>.amazonaws.com/<kid>"),
    "signed_out": Field(SIGNED_OUT),
})

WORLD_CHANGE = Obj("world", {
    "file": Field(Str(), doc="world file, relative to the scenario file (default: the run's world)"),
    "set": Field(MapOf(Any_()), doc="path -> new value, e.g. okta.apps[label=Cognito SAML].saml.audience"),
    "remove": Field(ListOf(Str(), single_ok=True), default_factory=list, doc="paths to delete"),
    "append": Field(MapOf(Any_()), doc="path of a list -> item to add"),
})


def _case_post(record, ctx, path):
    if record.flow == "aws-console" and record.via is not None:
        ctx.error("via only applies to flows through the Cognito hosted UI", record.loc("via")[1], f"{path}.via")
    if record.start_url is not None:
        if record.flow not in START_URL_FLOWS:
            ctx.error(f"start_url applies to the {' and '.join(START_URL_FLOWS)} flows",
                      record.loc("start_url")[1], f"{path}.start_url")
        elif record.via not in (None, "button"):
            ctx.error("via is an option of the stand-in's /login; with start_url the page decides",
                      record.loc("via")[1], f"{path}.via")
        if not record.start_url.startswith(("https://", "http://")):
            ctx.error("start_url must be an http:// or https:// URL", record.loc("start_url")[1],
                      f"{path}.start_url")
    if record.sign_out_okta and not record.sign_out:
        record.sign_out = True
    if (record.sign_out or record.logout_uri is not None) and record.flow == "aws-console":
        field = "sign_out" if record.sign_out else "logout_uri"
        ctx.error("sign_out applies to flows through Cognito (its /logout)", record.loc(field)[1], f"{path}.{field}")
    elif record.logout_uri is not None and not record.sign_out:
        ctx.error("logout_uri needs sign_out: true", record.loc("logout_uri")[1], f"{path}.logout_uri")
    expect = record.expect
    if expect is not None and expect.signed_out is not None:
        if not record.sign_out:
            ctx.error("signed_out expectations need sign_out: true", expect.loc("signed_out")[1],
                      f"{path}.expect.signed_out")
        elif expect.signed_out.prompt_none is not None and record.start_url is not None:
            ctx.error("prompt_none is sent through the stand-in's /login; it does not apply with start_url",
                      expect.signed_out.loc("prompt_none")[1], f"{path}.expect.signed_out.prompt_none")


CASE = Obj("scenario case", {
    "name": Field(Str(), required=True),
    "flow": Field(Str(choices=FLOWS), required=True),
    "user": Field(Str(), required=True, doc="Okta login"),
    "password": Field(Str(), doc="default: the user's password in the world file"),
    "mfa_code": Field(Str(coerce=True), doc="the answer to Okta's MFA prompt: a code, or totp (default) for the "
                                            "current code of the user's token:software:totp factor"),
    "client": Field(Str(), doc="user pool app client name (default: the first that enables the flow's IdP)"),
    "idp": Field(Str(), doc="Cognito identity provider name (default: the client's only one of the flow's type)"),
    "via": Field(Str(choices=IDP_CHOICE), doc="how the IdP is chosen (default: button)"),
    "okta_app": Field(Str(), doc="Okta app label for IdP-initiated and aws-console flows"),
    "role": Field(Str(), doc="role to pick at the AWS sign-in role picker"),
    "start_url": Field(Str(), doc="a URL the browser opens first instead of the stand-in's /login (the ALB, "
                                  "the user's own app); the flow ends back on a page of its host"),
    "sign_out": Field(Bool(), default=False,
                      doc="after signing in, sign out at Cognito's /logout, then sign in again"),
    "sign_out_okta": Field(Bool(), default=False, doc="also end the Okta session (the dashboard's Sign Out)"),
    "logout_uri": Field(Str(), doc="logout_uri sent to /logout (default: the client's first LogoutURL)"),
    "sign_ins": Field(Int(minimum=1, maximum=5), default=1,
                      doc="sign in this many times in one browser; expectations apply to the last"),
    "timeout": Field(Int(minimum=1, maximum=120), default=20, doc="seconds before the case fails"),
    "engine": Field(Str(choices=ENGINES), doc=ENGINE_DOC + " (default: the file's)"),
    "world": Field(WORLD_CHANGE),
    "expect": Field(EXPECT, default_factory=lambda: None),
}, post=_case_post)

FILE = Obj("scenario file", {
    "world": Field(Str(), doc="default world file for every case of this file"),
    "engine": Field(Str(choices=ENGINES), doc=ENGINE_DOC),
    "cases": Field(ListOf(CASE), required=True),
})


@dataclass
class Case:
    """One case, ready to run: where it was written, its world text and its steps."""

    name: str
    file: str
    line: int | None
    record: Record
    world_file: str | None
    world_changes: Record | None
    index: int = 0
    world_text: str | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return f"{os.path.basename(self.file)}::{self.name}"

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.record, name)


def load_file(path: str, world: str | None = None) -> list[Case]:
    """Read and validate one scenario file; ``world`` is the run's default world file."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise WorldError("no such scenario file", file=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorldError(f"cannot read the scenario file: {exc}", file=path) from None
    return load_text(text, path, world)


def load_text(text: str, file: str, world: str | None = None) -> list[Case]:
    data = yaml_source.load(text, file)
    if isinstance(data, list):  # a bare list of cases is accepted too
        wrapped = yaml_source.LMap(cases=data)
        wrapped.line, wrapped.lines = data.line, {"cases": data.line}
        data = wrapped
    ctx = Ctx(file)
    record = FILE.check(data, ctx, "", getattr(data, "line", 1))
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    base = os.path.dirname(os.path.abspath(file))
    file_world = _relative(record.world, base) or world
    cases, names = [], set()
    for i, case in enumerate(record.cases):
        if case.name in names:
            ctx.error(f"two cases are named {case.name!r}", case.loc("name")[1], f"cases[{i}].name")
        names.add(case.name)
        changes = case.world
        world_file = _relative(changes.file, base) if changes is not None and changes.file else file_world
        if world_file is not None and not os.path.exists(world_file):
            ctx.error(f"no such world file {world_file!r}",
                      (changes.loc("file") if changes is not None and changes.file else record.loc("world"))[1],
                      f"cases[{i}].world.file")
        if case.expect is None:
            case.expect = EXPECT.check(None, ctx, f"cases[{i}].expect", case.loc()[1])
        if case.engine is None:
            case.engine = record.engine
        cases.append(Case(case.name, file, case.loc()[1], case, world_file, changes, index=i))
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    return cases


def _relative(path: str | None, base: str) -> str | None:
    if not path:
        return None
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base, path))
