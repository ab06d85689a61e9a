"""The HTTP engine: choosing it (scenario file, case, command line) and what it does on its own
(forms as HTML submits them, text as a browser shows it, a flow that needs a browser)."""
from __future__ import annotations

import json
import os
from urllib.parse import urlencode

import lxml.html

from harness_cli.main import main as harness_main
from scenarios import driver, http_driver, spec

HTTP_FILE = """
engine: http
cases:
  - name: SP-initiated sign-in over HTTP
    flow: saml-sp-initiated
    user: alice@example.com
    expect: {id_token: {email: alice@example.com}}
  - name: the browser for this one
    engine: browser
    flow: aws-console
    user: alice@example.com
    password: wrong
    expect:
      error: {at: okta, text: Sign in failed!}
"""


def test_engine_in_the_file_and_in_a_case(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(HTTP_FILE)
    first, second = spec.load_file(str(path))
    assert first.engine == "http" and second.engine == "browser"


def test_an_unknown_engine_names_file_line_and_field(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("engine: lynx\ncases:\n  - name: x\n    flow: oidc\n    user: alice@example.com\n")
    code = harness_main(["run", str(path), "--report", str(tmp_path / "r")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:1: engine" in err and "lynx" in err and "Traceback" not in err


def _results(report):
    out = {}
    for name in os.listdir(report / "cases"):
        with open(report / "cases" / name, encoding="utf-8") as fh:
            result = json.load(fh)
        out[result["name"]] = result
    return out


def test_harness_run_engine_http_overrides_the_files(tmp_path):
    path = tmp_path / "cases.yaml"
    path.write_text(HTTP_FILE)
    report = tmp_path / "report"
    assert harness_main(["run", str(path), "--engine", "http", "--report", str(report)]) == 0
    results = _results(report)
    assert {r["engine"] for r in results.values()} == {"http"}
    assert all(r["status"] == "passed" for r in results.values())
    assert results["SP-initiated sign-in over HTTP"]["hops"][0]["path"] == "/login"


def test_a_wrong_password_over_http_shows_okta_s_error(run_cases_http):
    (result,) = run_cases_http("""
        cases:
          - name: wrong password
            flow: saml-idp-initiated
            user: alice@example.com
            password: not-hers
            expect:
              error: {at: okta, text: Sign in failed!}
    """)
    assert result["status"] == "passed", result["message"]
    assert [k for k, _ in result["pages"]] == ["okta-signin", "okta-error"]
    assert result["screenshot"] is None and result["playwright_trace"] is None


# ---- the parts -------------------------------------------------------------------------------------
FORM = """<html><head><title> A  form </title><script>var x = "not text";</script></head><body>
<h1>Sign
  in</h1><p hidden>hidden text</p><noscript>enable JavaScript</noscript>
<form id="f" method="POST" action="/next?a=1">
  <input type="hidden" name="SAMLResponse" value="abc">
  <input type="text" name="username" value="">
  <input type="radio" name="roleIndex" value="r1">
  <input type="radio" name="roleIndex" value="r2" checked>
  <input type="checkbox" name="remember" value="yes">
  <input type="text" name="disabled" value="x" disabled>
  <textarea name="note">hi</textarea>
  <button type="submit" name="action" value="go">Go</button>
  <button type="button" name="other" value="no">Not a submit</button>
</form><pre id="claims">{
  "a": 1
}</pre></body></html>"""


def test_submission_sends_the_successful_controls_and_the_clicked_button():
    doc = lxml.html.document_fromstring(FORM)
    form = doc.get_element_by_id("f")
    method, url, fields = http_driver.submission(form, "https://x.example.com/page", doc.cssselect("button")[0])
    assert (method, url) == ("POST", "https://x.example.com/next?a=1")
    assert fields == [("SAMLResponse", "abc"), ("username", ""), ("roleIndex", "r2"), ("note", "hi"),
                      ("action", "go")]


def test_fill_check_and_click_submit_what_the_user_chose():
    agent = http_driver.HttpAgent(http=None)
    agent.state, agent.doc = http_driver.classify("https://x.example.com/page", "text/html", FORM.encode())
    sent = []
    agent._navigate = lambda method, url, data, deadline: sent.append((method, url, data))
    agent.fill("input[name=username]", "alice", None)
    agent.check('input[name=roleIndex][value="r1"]', None)
    agent.click("button[type=submit]", None)
    (method, url, data), = sent
    assert dict(data)["username"] == "alice" and dict(data)["roleIndex"] == "r1"


def test_the_page_text_is_what_a_browser_shows():
    state, _ = http_driver.classify("https://x.example.com/p", "text/html; charset=utf-8", FORM.encode())
    assert state.title == "A form"
    assert state.text.splitlines()[0] == "Sign in"
    assert "hidden text" not in state.text and "not text" not in state.text and "JavaScript" not in state.text
    assert state.claims is not None and '"a": 1' in state.claims
    assert state.autopost is False          # a SAML form with a role picker is for the user to submit
    assert state.host == "x.example.com" and state.path == "/p"


def test_an_auto_post_page_is_recognised_with_the_browser_s_selectors():
    page = b'<html><body><form action="https://sp/acs" method="POST"><input name="SAMLResponse" value="x"></form>'
    state, _ = http_driver.classify("https://idp/sso", "text/html", page)
    assert state.autopost and driver.kind_of(state, {"idp": "okta"}) == "okta-page"


def test_a_click_that_needs_javascript_is_a_driver_error():
    agent = http_driver.HttpAgent(http=None)
    agent.state, agent.doc = http_driver.classify("https://x.example.com/page", "text/html", FORM.encode())
    try:
        agent.click("button[type=button]", None)
    except driver.DriverError as exc:
        assert "does nothing without JavaScript" in str(exc)
    else:
        raise AssertionError("a click on a plain button did something")


def test_forms_are_encoded_as_urlencode_encodes_them():
    fields = [("SAMLResponse", "PHNhbWxwOlJlc3BvbnNl+/=" * 500), ("RelayState", "a b&c=d/é~_.-*'()!"),
              ("username", "alice@example.com"), ("empty", ""), ("ключ", "значение\n\t%")]
    assert http_driver.form_urlencode(fields) == urlencode(fields)
