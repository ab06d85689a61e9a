"""The current AWS sign-in role picker as gimme-aws-creds' fixture ``tests/fixtures/aws_nextjs.html``
captures it (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-aws-current-picker): "AWS account access (N)",
accounts as ``0123-4567-8901``, each role a link whose id is the role ARN, and ``meta[name=data]``."""
from __future__ import annotations

import base64
import json

from bs4 import BeautifulSoup

from .assertions import ACCOUNT, ADMIN, READONLY, signed
from .test_signin_pages import ACS, signin_page  # noqa: F401  (fixture)


def test_current_page_lists_roles_as_links_named_by_arn(world, signin_page):  # noqa: F811
    signin_page("current")
    saml = signed(world)
    r = world.http.post(ACS, data={"SAMLResponse": saml, "RelayState": ""})
    soup = BeautifulSoup(r.text, "html.parser")
    assert soup.find(attrs={"data-testid": "roles-count"}).get_text() == "(2)"
    assert "AWS account access" in soup.get_text()
    assert soup.find("fieldset") is None and soup.find("input", {"type": "radio"}) is None
    dashed = f"{ACCOUNT[0:4]}-{ACCOUNT[4:8]}-{ACCOUNT[8:12]}"
    assert [d.get_text() for d in soup.select("div.saml-form_account_id_div")] == [dashed]
    links = soup.select('a[data-testid^="roleLink-"]')
    assert [a["id"] for a in links] == [ADMIN, READONLY]
    assert [a.get_text() for a in links] == ["admin", "readonly"]
    assert links[0]["aria-label"] == f"Account ID {dashed} Role Name admin"
    data = json.loads(base64.b64decode(soup.find("meta", {"name": "data"})["content"]))
    assert data["roles_accounts"] == {ACCOUNT: [ADMIN, READONLY]} and data["SAMLResponse"] == saml
