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


CASE = Obj("scenario case", {
    "name": Field(Str(), required=True),
    "flow": Field(Str(choices=FLOWS), required=True),
    "user": Field(Str(), required=True, doc="Okta login"),
    "password": Field(Str(), doc="default: the user's password in the world file"),
    "client": Field(Str(), doc="user pool app client name (default: the first that enables the flow's IdP)"),
    "idp": Field(Str(), doc="Cognito identity provider name (default: the client's only one of the flow's type)"),
    "via": Field(Str(choices=IDP_CHOICE), doc="how the IdP is chosen (default: button)"),
    "okta_app": Field(Str(), doc="Okta app label for IdP-initiated and aws-console flows"),
    "role": Field(Str(), doc="role to pick at the AWS sign-in role picker"),
    "sign_ins": Field(Int(minimum=1, maximum=5), default=1,
                      doc="sign in this many times in one browser; expectations apply to the last"),
    "timeout": Field(Int(minimum=1, maximum=120), default=20, doc="seconds before the case fails"),
    "world": Field(WORLD_CHANGE),
    "expect": Field(EXPECT, default_factory=lambda: None),
}, post=_case_post)

FILE = Obj("scenario file", {
    "world": Field(Str(), doc="default world file for every case of this file"),
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
        cases.append(Case(case.name, file, case.loc()[1], case, world_file, changes, index=i))
    if ctx.errors:
        raise WorldErrors(ctx.errors)
    return cases


def _relative(path: str | None, base: str) -> str | None:
    if not path:
        return None
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base, path))
