"""Run one case: its world (reused while the world's content is the same), a user agent of the
case's engine (the warm browser's page, or the HTTP user agent), the flow, the checks, and on
failure a screenshot, the last hop and Playwright's trace.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
from types import SimpleNamespace
from urllib.parse import urlencode

import boto3
import jwt

import harness
from harness.world import load_text
from harness.world.errors import WorldError
from harness.world.references import REFERENCE, Resolver
from harness.world.schema import Record
from world_common import saml_xml

from . import driver, expectations
from . import hops as hoplib
from . import mapping as maplib
from .browser_driver import Browsers  # noqa: F401  (the default engine; plugin and benchmarks use it from here)
from .case_defaults import host as _host
from .case_defaults import resolve  # noqa: F401  (part of this module's interface: run_case's first step)
from .world_changes import world_text


class Worlds:
    """One running world per process (moto is per process), kept while cases share its content."""

    def __init__(self) -> None:
        self.key = None
        self.running = None
        self.certs: list[str] = []

    def get(self, case) -> "harness.RunningWorld":
        text = case.world_text or world_text(case.world_file, case.world_changes, case.file)
        key = hashlib.sha256(text.encode()).hexdigest()
        if self.running is not None and not self.running.stopped and key == self.key:
            return self.running
        self.close()
        name = case.world_file or "default.yaml"
        if case.world_changes is not None and (case.world_changes.set or case.world_changes.remove
                                               or case.world_changes.append):
            name = f"{name} (changed by {case.where})"
        world = load_text(text, name)
        self.running = harness.start_world(world, replace=True)
        self.key = key
        self.certs = _idp_certs(self.running)
        return self.running

    def close(self) -> None:
        if self.running is not None and not self.running.stopped:
            self.running.stop()
        self.running, self.key, self.certs = None, None, []


def _idp_certs(running) -> list[str]:
    """The signing certificates Okta publishes in each SAML app's metadata, to check signatures
    against (fetched over the world's HTTP, then the trace is cleared)."""

    certs = []
    for app in (running.world.okta.apps if running.world.okta else []):
        if getattr(app, "metadata_url", None):
            try:
                body = running.http.get(app.metadata_url, timeout=5).content
                root = saml_xml.parse(body)
                for node in root.iter(saml_xml.q("ds", "X509Certificate")):
                    pem = "".join((node.text or "").split())
                    if pem and pem not in certs:
                        certs.append(pem)
            except Exception:  # metadata not served yet: signatures show as unchecked
                continue
    running.trace.clear()
    return [f"-----BEGIN CERTIFICATE-----\n{c}\n-----END CERTIFICATE-----\n" for c in certs]


# ---- what the case is about -------------------------------------------------------------------
def _host_roles(world) -> dict:
    roles = {}
    if world.okta is not None:
        roles[world.okta.org_url.split("//", 1)[1].split("/", 1)[0].lower()] = "okta"
    if world.aws is not None:
        for pool in world.aws.UserPools:
            if pool.domain_host:
                roles[pool.domain_host.lower()] = "cognito"
        region = world.aws.region
        for h in ("signin.aws.amazon.com", f"{region}.signin.aws.amazon.com", "console.aws.amazon.com",
                  f"{region}.console.aws.amazon.com"):
            roles[h] = "aws"
        for lb in world.aws.LoadBalancers:
            roles[lb.DNSName.lower()] = "app"
    for app in world.apps:
        roles[app.url.split("//", 1)[1].split("/", 1)[0].lower()] = "app"
    return roles


# ---- running ---------------------------------------------------------------------------------
def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:80] or "case"


def run_case(case, worlds: Worlds, engine, artifacts_dir: str | None = None,
             record_trace: bool = True) -> dict:
    """Run ``case`` with ``engine`` (a :class:`Browsers` or a :class:`~scenarios.http_driver.HttpAgents`:
    ``session(running, record_trace)`` gives the case's user agent, ``release`` ends the case);
    return its result (a plain dict the report renders)."""
    started = time.time()
    result = {"id": case.id, "name": case.name, "file": case.file, "line": case.line, "flow": case.flow,
              "user": case.user, "engine": engine.name, "status": "error", "outcomes": [], "hops": [], "pages": [],
              "mapping": None, "screenshot": None, "playwright_trace": None, "message": ""}
    try:
        running = worlds.get(case)
    except WorldError as exc:
        result["message"] = f"the case's world does not load: {exc}"
        return result
    except Exception as exc:  # a mock that cannot start fails this case; the others continue
        worlds.close()
        result["message"] = f"{case.where}: the case's world did not start: {type(exc).__name__}: {exc}"
        return result
    world = running.world
    try:
        who = resolve(case, world, running.clock)
    except WorldError as exc:
        result["message"] = str(exc)
        return result
    hosts = _host_roles(world)
    if who.start_host:
        hosts.setdefault(who.start_host, "app")   # the user's own app: where the flow must end
    start_index = len(running.trace)
    try:
        agent = engine.session(running, record_trace)
    except Exception as exc:
        result["message"] = f"{case.where}: the {engine.name} engine did not start: {type(exc).__name__}: {exc}"
        return result
    failed = True
    try:
        journey, driver_error = _play(agent, case, who, hosts)
        failed = _judge(case, result, running, worlds, who, hosts, start_index, journey, driver_error, started)
        if failed and artifacts_dir:
            os.makedirs(artifacts_dir, exist_ok=True)
            try:
                shot = agent.screenshot(os.path.join(artifacts_dir, f"{_slug(case.id)}.png"))
                if shot:
                    result["screenshot"] = shot
                    result["message"] += f"\n  screenshot: {shot}"
            except Exception:  # a crashed page has no screenshot; the hops still tell the story
                pass
    finally:
        trace = os.path.join(artifacts_dir, f"{_slug(case.id)}-trace.zip") if failed and artifacts_dir else None
        result["playwright_trace"] = engine.release(record_trace, trace)
    return result


def _play(agent, case, who, hosts):
    """Play the user through the flow (``sign_ins`` times); (journey, driver error or None)."""
    deadline = driver.Deadline(case.timeout)
    journey = driver.Journey()
    try:
        for _ in range(case.sign_ins):
            journey = driver.Journey()
            state = _start(agent, deadline, case, who)
            journey = driver.walk(agent, deadline, state, hosts, who, journey=journey)
        if case.sign_out:
            _sign_out(agent, deadline, case, who, hosts, journey)
        return journey, None
    except driver.DriverError as exc:
        error = str(exc)
    except Exception as exc:  # a Playwright failure is this case's failure, not the run's
        error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    journey.final = agent.look() or journey.final
    return journey, error


def _sign_out(agent, deadline, case, who, hosts, journey) -> None:
    """Sign out, look at what the sessions say, then sign in again (expectations then apply to
    that sign-in). The app stand-in has no sign-out link, so the driver plays the app's part:
    behind an ALB it expires the ALB's session cookies (docs/fidelity/alb.md#alb-logout), then it sends
    the browser to Cognito's /logout with client_id and logout_uri (docs/fidelity/cognito-tokens.md#cognito-tokens-logout).
    Cognito's /logout does not end Okta's session (docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints: "Does not sign out OIDC/social IdPs";
    SAML SLO only with IDPSignout); ``sign_out_okta`` ends it at Okta's dashboard."""
    info = {"logout_uri": who.logout_uri, "expired_cookies": [], "landed": None, "landed_kind": None,
            "okta_signed_out": None, "prompt_none": None, "next_pages": []}
    journey.sign_out = info
    if who.alb is not None:
        info["expired_cookies"] = driver.expire_cookies(agent, who.start_host,
                                                        who.alb.AuthenticateCognitoConfig.SessionCookieName)
    state = driver.cognito_logout(agent, deadline, who.pool.domain_url, who.client_id, who.logout_uri)
    kind = driver.kind_of(state, hosts)
    journey.pages.append((f"signed-out:{kind}", state.url))
    info["landed"], info["landed_kind"] = state.url, kind
    if hosts.get(state.host) == "cognito":     # Cognito refused the sign-out: the case ends on its agent
        journey.final = state
        return
    if case.sign_out_okta:
        state = driver.okta_sign_out(agent, deadline, _okta_org_url(hosts))
        kind = driver.kind_of(state, hosts)
        journey.pages.append((f"okta-signed-out:{kind}", state.url))
        info["okta_signed_out"] = kind == "okta-signin"
    signed_out = case.expect.signed_out if case.expect is not None else None
    if signed_out is not None and signed_out.prompt_none is not None:
        # docs/fidelity/cognito-tokens.md#cognito-tokens-endpoints "prompt=none without session": login_required on the callback.
        state = driver.open_url(agent, deadline, f"{who.app_url.rstrip('/')}/login?"
                                + urlencode({"client": who.client, "prompt": "none"}))
        kind = driver.kind_of(state, hosts)
        journey.pages.append((f"prompt-none:{kind}", state.url))
        info["prompt_none"] = ("signed_in" if kind == "app-claims"
                               else state.app_error_code or state.app_error or kind)
    first = len(journey.pages)
    state = _start(agent, deadline, case, who)
    driver.walk(agent, deadline, state, hosts, who, journey=journey)
    info["next_pages"] = [k for k, _ in journey.pages[first:]]


def _okta_org_url(hosts) -> str:
    host = next((h for h, role in hosts.items() if role == "okta"), None)
    if host is None:
        raise driver.DriverError("sign_out_okta: the world has no Okta org")
    return f"https://{host}"


def _verify_oidc_data(running, final):
    """Verify the ``x-amzn-oidc-data`` the final page shows the way the ALB guide says:
    ES256 with the PEM key at ``https://public-keys.auth.elb.{region}.amazonaws.com/{kid}``,
    and a ``signer`` that is one of the world's load balancers (docs/fidelity/alb.md#alb-public-key-url,
    "x-amzn-oidc-data header"). (claims or None, problem or None)."""

    token = (final.headers or {}).get("x-amzn-oidc-data") if final is not None else None
    if not token:
        return None, "the final page shows no x-amzn-oidc-data header"
    try:
        segment = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        region = header["signer"].split(":")[3]
        kid = header["kid"]
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None, f"x-amzn-oidc-data has no readable header with kid and signer: {token[:80]!r}"
    signers = [lb.Arn for lb in running.world.aws.LoadBalancers] if running.world.aws else []
    if header["signer"] not in signers:
        return None, f"x-amzn-oidc-data's signer {header['signer']!r} is none of the world's load balancers"
    url = f"https://public-keys.auth.elb.{region}.amazonaws.com/{kid}"
    try:
        response = running.http.get(url, timeout=10)
    except Exception as exc:
        return None, f"the public key {url} could not be fetched: {exc}"
    if response.status_code != 200:
        return None, f"the public key {url} answered HTTP {response.status_code}"
    try:
        claims = jwt.decode(token, response.text, algorithms=["ES256"], options={"verify_exp": False})
    except jwt.PyJWTError as exc:
        return None, f"x-amzn-oidc-data does not verify with the key from {url}: {exc}"
    if claims.get("exp", 0) <= running.clock.time():
        return None, f"x-amzn-oidc-data expired at {claims.get('exp')}"
    return claims, None


def _judge(case, result, running, worlds, who, hosts, start_index, journey, driver_error, started) -> bool:
    """Decode the hops, check the expectations, fill ``result``; True when the case failed."""
    exchanges = sorted(running.trace.since(start_index), key=lambda e: e.started)
    hop_list = hoplib.build_hops(exchanges, worlds.certs, hosts)
    final_kind = driver.kind_of(journey.final, hosts) if journey.final else "none"
    stored = _stored_user(running, who, hop_list) if who.pool is not None else None
    table = _mapping(who, hop_list, stored)
    oidc_data = (_verify_oidc_data(running, journey.final)
                 if case.expect is not None and case.expect.oidc_data else None)
    evidence = expectations.Evidence(flow=case.flow, hops=hop_list, journey=journey, final_kind=final_kind,
                                     hosts=hosts, app_host=who.start_host or _host(who.app_url),
                                     pool_host=_pool_host(who), stored_user=stored, mapping=table,
                                     driver_error=driver_error, start_host=who.start_host, oidc_data=oidc_data)
    result.update(hops=hop_list, pages=[list(p) for p in journey.pages], mapping=table, stored_user=stored,
                  final_url=journey.final.url if journey.final else None, driver_error=driver_error,
                  sign_out=journey.sign_out)
    try:
        expect = resolve_references(case.expect, running.world)
    except WorldError as exc:
        result["message"] = str(exc)
        return True
    outcomes = expectations.check(expect, evidence)
    failed = [o for o in outcomes if not o.ok]
    result.update(status="failed" if failed else "passed", outcomes=[o.to_dict() for o in outcomes],
                  duration_s=round(time.time() - started, 3))
    if failed:
        result["message"] = failure_message(case, outcomes, hop_list)
    return bool(failed)


def _start(agent, deadline, case, who):
    if case.start_url:      # issue 9: the user's app (or the ALB in front of it) starts the flow
        return driver.open_url(agent, deadline, case.start_url)
    if case.flow in ("saml-sp-initiated", "oidc"):
        via = case.via or "button"
        return driver.open_app(agent, deadline, who.app_url, who.client,
                               identity_provider=who.provider if via == "identity_provider" else None,
                               idp_identifier=who.email.split("@", 1)[-1] if via == "idp_identifier" else None)
    return driver.open_okta_tile(agent, deadline, who.okta_app.embed_link)


def _pool_host(who):
    return who.pool.domain_host.lower() if who.pool is not None and who.pool.domain_host else None


_clients: dict = {}


def cognito_client(running):
    """A boto3 cognito-idp client for ``running`` (one per world: making one costs ~100 ms)."""
    key = running.aws_endpoint_url
    if key not in _clients:
        _clients.clear()
        _clients[key] = boto3.client("cognito-idp", endpoint_url=running.aws_endpoint_url,
                                     region_name=running.world.aws.region, aws_access_key_id="AKIAHARNESSFAKE00000",
                                     aws_secret_access_key="harness-fake-secret")
    return _clients[key]


def _stored_user(running, who, hop_list) -> dict | None:
    """The federated user as Cognito stored it, read through the AWS API (ListUsers)."""
    client = cognito_client(running)
    try:
        users = client.list_users(UserPoolId=who.pool.Id).get("Users", [])
    except Exception:
        return None
    prefix = f"{who.provider}_"
    name_id = None
    saml = hoplib.last_saml_response(hop_list)
    if saml is not None:
        name_id = saml[1].get("name_id")
    candidates = [u for u in users if u["Username"].lower().startswith(prefix.lower())]
    chosen = None
    for u in candidates:
        attrs = {a["Name"]: a["Value"] for a in u.get("Attributes", [])}
        if name_id and u["Username"].lower() == f"{prefix}{name_id}".lower():
            chosen = u
        elif attrs.get("email", "").lower() == who.email.lower() and chosen is None:
            chosen = u
    if chosen is None and len(candidates) == 1:
        chosen = candidates[0]
    if chosen is None:
        return None
    return {"username": chosen["Username"], "status": chosen.get("UserStatus"),
            "attributes": {a["Name"]: a["Value"] for a in chosen.get("Attributes", [])}}


def _mapping(who, hop_list, stored) -> dict | None:
    if who.provider_record is None:
        return None
    if who.flow.startswith("saml"):
        saml = hoplib.last_saml_response(hop_list, _pool_host(who))
        sent = saml[1].get("attributes") if saml else None
    else:
        sent = _okta_claims(hop_list, who)
    id_claims = None
    token_hop = hoplib.token_response(hop_list, host=_pool_host(who))
    if token_hop is not None:
        id_claims = next((j["claims"] for j in token_hop["jwts"] if j["name"] == "id_token"), None)
    pool_path = f"aws.UserPools[PoolName={who.pool.PoolName}]"
    table = maplib.build(flow=who.flow, okta_app=who.okta_app, provider=who.provider_record, pool_path=pool_path,
                         user_profile=who.profile, sent=sent, stored=stored["attributes"] if stored else None,
                         id_claims=id_claims)
    if table is not None:
        table["trigger_claims"] = maplib.trigger_claims(hop_list)   # claims that came from a trigger
    return table


def _okta_claims(hop_list, who) -> dict | None:
    """What Okta told Cognito about the user: the ID token's claims plus userinfo's."""
    claims = None
    for hop in hop_list:
        if hop["host"] == _pool_host(who) or hop["host"] == _host(who.app_url):
            continue
        if hop["path"].endswith("/v1/token"):
            for jwt in hop["jwts"]:
                if jwt["name"] == "id_token":
                    claims = dict(jwt["claims"])
        if hop["path"].endswith("/v1/userinfo") and isinstance(hop.get("response_json"), dict):
            claims = {**(claims or {}), **hop["response_json"]}
    return claims


def failure_message(case, outcomes, hop_list) -> str:
    lines = [f"{case.where}: case {case.name!r} ({case.flow}, user {case.user}) failed:"]
    for o in outcomes:
        if o.ok:
            continue
        where = "no hop" if o.hop is None or not hop_list else (
            f"hop {o.hop + 1} {hop_list[o.hop]['method']} https://{hop_list[o.hop]['host']}{hop_list[o.hop]['path']} "
            f"-> {hop_list[o.hop]['status']}")
        lines.append(f"  expectation {o.name!r} failed at {where}: {o.message}")
        if o.detail:
            lines.extend("    " + line for line in o.detail.splitlines())
    if hop_list:
        last = hop_list[-1]
        lines.append(f"  last hop: {last['method']} {last['url'][:200]} -> {last['status']}"
                     + (f" Location: {last['location'][:200]}" if last.get("location") else ""))
    return "\n".join(lines)


def write_result(result: dict, directory: str) -> str:
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"{_slug(result['id'])}-{hashlib.sha1(result['id'].encode()).hexdigest()[:8]}.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1, default=str)
    return path


def resolve_references(expect, world):
    """The case's expectations with ``${user_pool:acme-users.sp_entity_id}``-style references
    resolved against the running world (the same references world files use)."""
    resolver = Resolver(world.record)

    def one(match):
        try:
            return str(resolver.value(match.group(1), match.group(2)))
        except (KeyError, StopIteration, AttributeError):
            raise WorldError(f"cannot resolve the reference {match.group(0)}", file=expect.loc()[0],
                             line=expect.loc()[1], field="expect") from None

    def walk(value):
        if isinstance(value, Record):
            return SimpleNamespace(**{k: walk(v) for k, v in value.items()})
        if isinstance(value, dict):
            return {walk(k): walk(v) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return REFERENCE.sub(one, value)
        return value

    return walk(expect)
