"""One explained message (:class:`Step`) and what the explanation carries across messages
(:class:`State`): the AuthnRequests Cognito sent, the users it already made, the assertions
it already accepted, the sign-in in progress at AWS."""
from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field


@dataclass
class Step:
    index: int                       # the exchange's position in the capture
    what: str                        # "SAML Response to Cognito's ACS", …
    sender: str = ""
    receiver: str = ""
    outcome: str = "info"            # ok | fails | info | unknown
    error: str | None = None         # the text the user sees
    shown_at: str | None = None      # callback | cognito | aws | okta
    code: str | None = None          # error= on the callback, the STS error code
    detail: str | None = None        # the STS error behind AWS's page, a note
    check: str | None = None         # the mock's check that decides it
    settings: list = field(default_factory=list)
    fix: str | None = None
    facts: dict = field(default_factory=dict)
    signatures: list | None = None
    mapping: dict | None = None
    roles: list | None = None
    jwts: list = field(default_factory=list)
    observed: dict | None = None     # the error the capture itself shows for this message
    notes: list = field(default_factory=list)
    at: str | None = None            # the time the checks used

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Pending:
    request_id: str
    provider: str | None
    auth_request: object = None


@dataclass
class State:
    at: _dt.datetime | None                                   # --at (None: each message's own time)
    requests: dict = field(default_factory=dict)              # RelayState -> Pending
    authorize: object = None                                  # the last valid /oauth2/authorize
    users: dict = field(default_factory=dict)                 # (pool id, username) -> mapped attributes
    assertions: set = field(default_factory=set)              # (pool id, assertion ID)
    aws_pending: object = None                                # the SAMLResponse at AWS's role picker
    okta_login: str | None = None                             # who signed in at Okta (the authn POST)
    okta_client_id: str | None = None                         # the OIDC client at Okta's /authorize
