"""The Authentication API's MFA states over HTTP (docs/fidelity/okta-mfa-idx.md#okta-mfa-idx-authn-states,
#okta-mfa-idx-verify, #okta-mfa-idx-lockout): carol (Google Authenticator, secret JBSWY3DPEHPK3PXP) gets
MFA_REQUIRED; a right code gives SUCCESS with a sessionToken; a wrong one 403 E0000068
"Invalid Passcode/Answer"; a bad stateToken 401 E0000011; push, SMS and question factors; lockout."""
from __future__ import annotations

import pyotp
import pytest

SECRET = "JBSWY3DPEHPK3PXP"


class Authenticator(pyotp.TOTP):
    """pyotp's TOTP accepting the 80-bit secret of the issue (Google Authenticator accepts it)."""
    min_secret_length_bits = 80


def authn(w, body):
    return w.http.post(w.world.okta.org_url + "/api/v1/authn", json=body, timeout=15)


def carol_code(w, offset=0):
    return Authenticator(SECRET).at(w.clock.time() + offset)


def mfa_required(w):
    r = authn(w, {"username": "carol@example.com", "password": "Carol-Passw0rd"})
    assert r.status_code == 200, r.text
    return r.json()


def test_carol_gets_mfa_required_with_her_google_factor(w):
    body = mfa_required(w)
    assert body["status"] == "MFA_REQUIRED" and body["stateToken"].startswith("00")
    assert "sessionToken" not in body
    [factor] = body["_embedded"]["factors"]
    assert (factor["factorType"], factor["provider"]) == ("token:software:totp", "GOOGLE")
    assert factor["profile"] == {"credentialId": "carol@example.com"}
    assert factor["_links"]["verify"]["href"] == f"{w.world.okta.org_url}/api/v1/authn/factors/{factor['id']}/verify"
    assert body["_links"]["cancel"]["href"].endswith("/api/v1/authn/cancel")


def test_alice_still_gets_success_at_once(w):
    assert authn(w, {"username": "alice@example.com", "password": "Alice-Passw0rd"}).json()["status"] == "SUCCESS"


def test_right_code_gives_a_session_token_that_opens_a_session(w):
    body = mfa_required(w)
    verify = body["_embedded"]["factors"][0]["_links"]["verify"]["href"]
    r = w.http.post(verify, json={"stateToken": body["stateToken"], "passCode": carol_code(w)})
    assert r.status_code == 200 and r.json()["status"] == "SUCCESS", r.text
    session = w.http.post(w.world.okta.org_url + "/api/v1/sessions", json={"sessionToken": r.json()["sessionToken"]})
    assert session.status_code == 200 and session.json()["login"] == "carol@example.com"
    # the transaction is over: its stateToken is no longer valid
    again = w.http.post(verify, json={"stateToken": body["stateToken"], "passCode": carol_code(w)})
    assert again.status_code == 401 and again.json()["errorCode"] == "E0000011"


def test_wrong_code_is_e0000068_word_for_word(w):
    body = mfa_required(w)
    verify = body["_embedded"]["factors"][0]["_links"]["verify"]["href"]
    wrong = "000000" if carol_code(w) != "000000" else "111111"
    r = w.http.post(verify, json={"stateToken": body["stateToken"], "passCode": wrong})
    assert r.status_code == 403
    error = r.json()
    assert (error["errorCode"], error["errorSummary"], error["errorLink"]) == (
        "E0000068", "Invalid Passcode/Answer", "E0000068")
    assert error["errorCauses"] == [{"errorSummary": "Your passcode doesn't match our records. Please try again."}]
    # the transaction goes on: the right code still works
    assert w.http.post(verify, json={"stateToken": body["stateToken"], "passCode": carol_code(w)}).json()["status"] \
        == "SUCCESS"


def test_a_code_from_ten_minutes_ago_is_refused(w):
    body = mfa_required(w)
    verify = body["_embedded"]["factors"][0]["_links"]["verify"]["href"]
    r = w.http.post(verify, json={"stateToken": body["stateToken"], "passCode": carol_code(w, -600)})
    assert r.status_code == 403 and r.json()["errorCode"] == "E0000068"


def test_unknown_state_token_is_e0000011(w):
    factor = mfa_required(w)["_embedded"]["factors"][0]
    r = w.http.post(factor["_links"]["verify"]["href"], json={"stateToken": "00nope", "passCode": "123456"})
    assert r.status_code == 401 and r.json()["errorSummary"] == "Invalid token provided"


def test_state_token_alone_answers_the_current_state(w):
    body = mfa_required(w)
    again = authn(w, {"stateToken": body["stateToken"]})
    assert again.status_code == 200 and again.json()["status"] == "MFA_REQUIRED"


MFA_WORLD = "worlds/mfa.yaml"


@pytest.mark.world(MFA_WORLD)
@pytest.mark.parametrize("login,result", [("push-ok@example.com", "SUCCESS"), ("push-no@example.com", "REJECTED"),
                                          ("push-late@example.com", "TIMEOUT")])
def test_push_is_polled_until_the_phone_answers(world, login, result):
    body = authn(world, {"username": login, "password": "Passw0rd-1"}).json()
    factor = body["_embedded"]["factors"][0]
    assert (factor["factorType"], factor["provider"]) == ("push", "OKTA")
    first = world.http.post(factor["_links"]["verify"]["href"], json={"stateToken": body["stateToken"]}).json()
    assert first["status"] == "MFA_CHALLENGE" and first["factorResult"] == "WAITING"
    assert first["_links"]["next"]["name"] == "poll"
    polled = first
    for _ in range(3):
        polled = world.http.post(first["_links"]["next"]["href"], json={"stateToken": body["stateToken"]}).json()
        if polled.get("status") == "SUCCESS" or polled.get("factorResult") != "WAITING":
            break
    assert (polled["status"] if result == "SUCCESS" else polled["factorResult"]) == result


@pytest.mark.world(MFA_WORLD)
def test_sms_code_then_question(world):
    body = authn(world, {"username": "dave@example.com", "password": "Passw0rd-1"}).json()
    by_type = {f["factorType"]: f for f in body["_embedded"]["factors"]}
    assert by_type["sms"]["profile"] == {"phoneNumber": "+1 XXX-XXX-4242"}
    sent = world.http.post(by_type["sms"]["_links"]["verify"]["href"], json={"stateToken": body["stateToken"]}).json()
    assert sent["status"] == "MFA_CHALLENGE" and sent["_links"]["next"]["name"] == "verify"
    ok = world.http.post(sent["_links"]["next"]["href"], json={"stateToken": body["stateToken"], "passCode": "424242"})
    assert ok.json()["status"] == "SUCCESS", ok.text
    body = authn(world, {"username": "dave@example.com", "password": "Passw0rd-1"}).json()
    question = next(f for f in body["_embedded"]["factors"] if f["factorType"] == "question")
    assert question["profile"]["question"] == "disliked_food"
    bad = world.http.post(question["_links"]["verify"]["href"], json={"stateToken": body["stateToken"], "answer": "x"})
    assert bad.status_code == 403 and bad.json()["errorCauses"][0]["errorSummary"].startswith("Your answer")
    good = world.http.post(question["_links"]["verify"]["href"],
                           json={"stateToken": body["stateToken"], "answer": "Anchovies"})
    assert good.json()["status"] == "SUCCESS"


@pytest.mark.world(MFA_WORLD)
def test_enroll_expired_and_lockout(world):
    assert authn(world, {"username": "erin@example.com", "password": "Passw0rd-1"}).json()["status"] == "MFA_ENROLL"
    expired = authn(world, {"username": "frank@example.com", "password": "Passw0rd-1"}).json()
    assert expired["status"] == "PASSWORD_EXPIRED" and expired["_links"]["next"]["name"] == "changePassword"
    for _ in range(2):
        r = authn(world, {"username": "gina@example.com", "password": "wrong"})
        assert r.status_code == 401 and r.json()["errorCode"] == "E0000004"
    locked = authn(world, {"username": "gina@example.com", "password": "wrong"})
    assert locked.status_code == 200 and locked.json()["status"] == "LOCKED_OUT"
    # locked: even the right password does not sign in
    assert authn(world, {"username": "gina@example.com", "password": "Passw0rd-1"}).json()["status"] == "LOCKED_OUT"
