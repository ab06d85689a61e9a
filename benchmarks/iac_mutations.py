"""Mutation testing of ``harness diagnose`` on the IaC corpus (tests/iac/corpus/).

Each of the common mistakes of the two setup guides (docs/fidelity/errors.md#errors-cognito-misconfigurations and docs/fidelity/errors.md#errors-okta-aws-misconfigurations of the
reference; docs/fidelity/iac.md#iac-mutations) is applied, where it applies, to each working
configuration of the corpus, the way a person makes it: one attribute edited in the IaC (or in
the world file beside it, for what CloudFormation does not manage). For each mutant:

* **caught**: ``harness diagnose`` reports an *error* of the mistake's check at the edited
  ``file:line``;
* **confirmed**: ``harness diagnose --probe`` signs in and that finding's probe is ``confirmed``.

It also counts the error-level findings on the unmutated corpus (false errors).

    python benchmarks/iac_mutations.py [--no-probe] [--only NAME] [--config DIR] [--json FILE]

Targets (issue 13): 0 false errors; >= 95 % caught; >= 90 % confirmed.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "iac"))

from test_corpus import CONFIGS, load  # noqa: E402

from harness import diagnose  # noqa: E402
from harness.diagnose.links import oidc_links, saml_links  # noqa: E402

TEXT_SUFFIXES = (".tf", ".yaml", ".json", ".tfvars")


@dataclass
class Edit:
    file: pathlib.Path
    line: int          # 1-based line of the change
    text: str          # the file's new text


@dataclass
class Mutation:
    name: str
    check: str
    kinds: tuple       # what the configuration must hold: saml, oidc, aws, relay
    make: object       # (files: {path: text}, world) -> Edit | None


# ---- editing helpers ----------------------------------------------------------------------------

def _files(directory: pathlib.Path) -> dict:
    return {p: p.read_text() for p in sorted(directory.rglob("*")) if p.suffix in TEXT_SUFFIXES and p.is_file()}


ASSIGN = r'^(?P<indent>\s*)(?P<q>"?)(?P<key>{key})(?P=q)(?P<sep>\s*[=:]\s*)(?P<value>.*)$'


def set_value(files, keys, value_for, where=lambda path, text, start: True):
    """The first ``key = value`` / ``key: value`` / ``"key": value,`` line of ``keys`` (in file
    order) whose new value ``value_for(old, path)`` is not None; a bracketed HCL value spanning
    lines is replaced through its closing bracket."""
    pattern = re.compile(ASSIGN.format(key="|".join(map(re.escape, keys))), re.M)
    for path, text in files.items():
        for match in pattern.finditer(text):
            if not where(path, text, match.start()):
                continue
            old = match.group("value")
            end = match.end()
            if old.strip() in ("[", "{") or (old.count("[") > old.count("]")):
                depth, i = 0, match.start("value")
                while i < len(text):
                    depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(text[i], 0)
                    i += 1
                    if depth == 0:
                        break
                end, old = i, text[match.start("value"):i]
            new = value_for(old, path)
            if new is None:
                continue
            trail = "," if path.suffix == ".json" and old.rstrip().endswith(",") else ""
            text2 = text[:match.start("value")] + new + trail + text[end:]
            return Edit(path, text.count("\n", 0, match.start()) + 1, text2)
    return None


def quoted(path, value: str) -> str:
    if path.suffix in (".tf", ".tfvars", ".json"):
        return json.dumps(value)
    return value if not value.startswith(("[", "{", "*", "&", "!")) else json.dumps(value)


def replace_first(files, pattern, replacement, everywhere=False):
    regex = re.compile(pattern, re.M)
    for path, text in files.items():
        match = regex.search(text)
        if match:
            new = regex.sub(replacement, text) if everywhere else regex.sub(replacement, text, count=1)
            return Edit(path, text.count("\n", 0, match.start()) + 1, new)
    return None


def in_block(kinds):
    """A ``where`` for set_value: inside an HCL resource block of one of ``kinds`` (or any YAML/JSON)."""
    def where(path, text, start):
        if path.suffix != ".tf":
            return True
        head = text.rfind("\nresource ", 0, start)
        return head >= 0 and any(text.startswith(f'\nresource "{k}"', head) for k in kinds)
    return where


# ---- the mistakes -------------------------------------------------------------------------------

STALE_SP = "urn:amazon:cognito:sp:us-east-1_Stale0001"


def stale_audience(files, world):
    return set_value(files, ["audience"], lambda old, path: quoted(path, STALE_SP), in_block(["okta_app_saml"]))


def acs_url(files, world):
    def wrong(old, path):
        return quoted(path, "https://wrong-domain.auth.us-east-1.amazoncognito.com/saml2/idpresponse")
    return set_value(files, ["sso_url"], wrong, in_block(["okta_app_saml"]))


def statement_name(files, world):
    """The mapping reads a SAML attribute the Okta app does not send (e.g. its name misspelled)."""
    def wrong(old, path):
        return None if "@" in old else quoted(path, "emailAddress")
    return set_value(files, ["email"], wrong, in_block(["aws_cognito_identity_provider"]))


def immutable(files, world):
    return replace_first(files, r'(?im)^(\s*"?mutable"?\s*[=:]\s*)true', r"\g<1>false")


def issuer(files, world):
    org = world.okta.org_url
    return set_value(files, ["oidc_issuer"], lambda old, path: quoted(path, org + "/"))


def idp_not_enabled(files, world):
    def only_cognito(old, path):
        return '["COGNITO"]' if path.suffix in (".tf", ".json") else "[COGNITO]"
    return set_value(files, ["supported_identity_providers", "SupportedIdentityProviders"], only_cognito)


def callback_url(files, world):
    def with_slash(old, path):
        return None if "[" not in old else re.sub(r"\[\s*(.+?)\s*\]", lambda m: "[" + (
            m.group(1)[:-1] + '/"' if m.group(1).endswith('"') else '"${' + m.group(1) + '}/"') + "]", old, count=1)
    return set_value(files, ["callback_urls", "CallbackURLs"], with_slash)


def alb_callback(files, world):
    """The client's registered ALB callback differs from what the ALB sends (a trailing slash)."""
    return replace_first(files, r'((?:callback_urls|CallbackURLs)\s*[=:].*?/oauth2/idpresponse)"', r'\1/"')


def username_mapping(files, world):
    return replace_first(files, r'(?m)^(\s*)email(\s*=\s*"(?:email|http://schemas[^"]*)")', r"\1username\2")


def org_endpoints(files, world):
    """Explicit endpoints of the org authorization server under a custom server's issuer."""
    return replace_first(files, r"/oauth2/default/v1/", "/oauth2/v1/", everywhere=True)


def client_auth(files, world):
    return replace_first(files, r"client_secret_post", "client_secret_basic")


def oidc_redirect(files, world):
    return replace_first(files, r"(redirect_uris\s*[=:].*?)/oauth2/idpresponse", r"\1/oauth2/callback")


def idp_init_off(files, world):
    return replace_first(files, r'(IDPInit"?\s*[=:]\s*)"true"', r'\1"false"')


def group_filter(files, world):
    """A group renamed so the Group Filter no longer matches it (the filter itself unchanged)."""
    app = next(a for a in world.okta.apps if a.sign_on_mode == "AWS")
    groups = [g for g in world.okta.groups if g.name.lower().startswith("aws")] if app.aws.useGroupMapping else []
    for group in groups:
        sep = "#" if "#" in group.name else "_"
        prefix = sep.join(group.name.split(sep)[:2]) + sep
        for path, text in files.items():
            lines = text.split("\n")
            hit = [i for i, line in enumerate(lines) if prefix in line and "groupFilter" not in line and "(?{{" not in line]
            if hit:
                for i in hit:
                    lines[i] = lines[i].replace(prefix, prefix.replace(sep, "-").upper())
                return Edit(path, hit[0] + 1, "\n".join(lines))
    return None


def role_name(files, world):
    def renamed(old, path):
        value = old.strip()
        if path.suffix == ".tf":
            inner = value[1:-1] if value.startswith('"') else "${" + value + "}"
            return f'"renamed-{inner}"'
        return f"renamed-{value}"
    return set_value(files, ["name", "RoleName"], renamed, in_block(["aws_iam_role"])) if any(
        "aws_iam_role" in t or "AWS::IAM::Role" in t for t in files.values()) else None


def trust_audience(files, world):
    """The trust policy's SAML:aud names another ACS than the one Okta posts to."""
    for path, text in files.items():
        start = text.find("SAML:aud")
        at = text.find("https://signin.aws.amazon.com/saml", start) if start >= 0 else -1
        if at >= 0:
            new = text[:at] + "https://us-east-1.signin.aws.amazon.com/saml" + text[at + len("https://signin.aws.amazon.com/saml"):]
            return Edit(path, text.count("\n", 0, at) + 1, new)
    return None


def session_duration(files, world):
    """Okta's Session Duration above a role's MaxSessionDuration (when one is below the maximum)."""
    shortest = min((r.MaxSessionDuration for r in world.aws.Roles), default=43200)
    if shortest >= 43200:
        return None
    return replace_first(files, r'("?sessionDuration"?\s*[=:]\s*)\d+', rf"\g<1>{min(43200, shortest + 3600)}")


def provider_case(files, world):
    def swap(match):
        return match.group(1) + match.group(2).swapcase()
    return replace_first(files, r"(roleValuePattern[^\n]*?saml-provider/)(\w+)", swap)


def session_name(files, world):
    for path, text in files.items():
        if path.suffix == ".tf":
            match = re.search(r'(?m)^(\s*)preconfigured_app\s*=\s*"amazon_aws"\s*$', text)
            if match:
                line = text.count("\n", 0, match.end()) + 2
                insert = f'\n{match.group(1)}user_name_template = "$${{user.firstName}} $${{user.lastName}}"'
                return Edit(path, line, text[:match.end()] + insert + text[match.end():])
        elif path.name == "users.yaml":
            match = re.search(r"(?m)^(\s*)sign_on_mode: AWS\s*$", text)
            if match:
                line = text.count("\n", 0, match.end()) + 3
                insert = (f"\n{match.group(1)}saml:\n{match.group(1)}  user_name_template: "
                          '"${user.firstName} ${user.lastName}"')
                return Edit(path, line, text[:match.end()] + insert + text[match.end():])
    return None


MUTATIONS = [
    Mutation("stale audience", "saml-audience", ("saml",), stale_audience),
    Mutation("ACS / SSO URL", "saml-acs", ("saml",), acs_url),
    Mutation("attribute statement name", "mapping-claim", ("saml",), statement_name),
    Mutation("immutable mapped attribute", "mapping-immutable", ("cognito",), immutable),
    Mutation("username mapped (SAML)", "mapping-username", ("saml",), username_mapping),
    Mutation("IdP not enabled on the client", "idp-not-enabled", ("cognito",), idp_not_enabled),
    Mutation("callback URL", "callback-url", ("relay",), callback_url),
    Mutation("IdP-initiated off", "idp-init", ("relay",), idp_init_off),
    Mutation("ALB callback URL", "alb-callback", ("alb",), alb_callback),
    Mutation("OIDC issuer", "oidc-issuer", ("oidc",), issuer),
    Mutation("OIDC endpoints of another server", "oidc-issuer", ("oidc",), org_endpoints),
    Mutation("OIDC client authentication", "oidc-client-auth", ("oidc",), client_auth),
    Mutation("OIDC redirect URI", "oidc-redirect", ("oidc",), oidc_redirect),
    Mutation("AWS group filter", "aws-group-filter", ("aws-groups",), group_filter),
    Mutation("AWS role name", "aws-role-missing", ("aws",), role_name),
    Mutation("trust policy audience", "aws-trust-policy", ("aws",), trust_audience),
    Mutation("session duration", "aws-session-duration", ("aws",), session_duration),
    Mutation("SAML provider name case", "aws-role-provider", ("aws-groups",), provider_case),
    Mutation("RoleSessionName", "aws-session-name", ("aws",), session_name),
]


def kinds_of(world) -> set:
    kinds = set()
    if saml_links(world):
        kinds |= {"saml", "cognito"}
        if any(a.saml.default_relay_state for a, _, _ in saml_links(world)):
            kinds.add("relay")
    if oidc_links(world):
        kinds |= {"oidc", "cognito"}
    if world.aws and world.aws.LoadBalancers:
        kinds.add("alb")
    for app in (world.okta.apps if world.okta else []):
        if app.sign_on_mode == "AWS":
            kinds.add("aws")
            if app.aws.useGroupMapping:
                kinds.add("aws-groups")
    return kinds


# ---- running ------------------------------------------------------------------------------------

def errors(world):
    return [f for f in diagnose.diagnose(world) if f.severity == "error"]


def run_mutant(config: pathlib.Path, mutation: Mutation, world, probe: bool, scratch: pathlib.Path) -> dict | None:
    slug = re.sub(r"\W+", "-", mutation.name)
    target = scratch / f"{config.name}--{slug}"
    shutil.copytree(config, target)
    files = _files(target)
    edit = mutation.make(files, world)
    if edit is None:
        shutil.rmtree(target)
        return None
    edit.file.write_text(edit.text)
    where = f"{edit.file}:{edit.line}"
    result = {"config": config.name, "mutation": mutation.name, "where": str(edit.file.relative_to(scratch)) +
              f":{edit.line}", "caught": False, "confirmed": False, "saw": ""}
    try:
        mutant = load(target)
    except Exception as exc:  # noqa: BLE001  (a mutant the loader refuses is reported as such)
        result["saw"] = f"load refused: {exc}"
        return result
    findings = diagnose.diagnose(mutant)
    hits = [f for f in findings if f.check == mutation.check and f.severity == "error"]
    caught = [f for f in hits if any(s.where == where for s in f.settings)]
    result["caught"] = bool(caught)
    result["saw"] = "; ".join(f"{f.check} @ {[s.where.rsplit('/', 1)[-1] for s in f.settings]}"
                              for f in (hits or [f for f in findings if f.severity == "error"])[:2])
    if probe and hits:
        diagnose.probe_world(mutant, findings)
        chosen = (caught or hits)[0]
        result["confirmed"] = chosen.probe["result"] == "confirmed"
        result["probe"] = chosen.probe.get("saw") or chosen.probe.get("why") or ""
    return result


def table(results, false_errors, configs) -> str:
    lines = ["| mistake | check | applied | caught statically | confirmed by --probe |", "|---|---|---|---|---|"]
    total = [0, 0, 0]
    for mutation in MUTATIONS:
        rows = [r for r in results if r["mutation"] == mutation.name]
        if not rows:
            continue
        caught = sum(r["caught"] for r in rows)
        confirmed = sum(r["confirmed"] for r in rows)
        total = [total[0] + len(rows), total[1] + caught, total[2] + confirmed]
        lines.append(f"| {mutation.name} | `{mutation.check}` | {len(rows)} | {caught} ({100 * caught / len(rows):.0f} %)"
                     f" | {confirmed} ({100 * confirmed / len(rows):.0f} %) |")
    n = max(total[0], 1)
    lines.append(f"| **all** | | {total[0]} | {total[1]} ({100 * total[1] / n:.1f} %) | "
                 f"{total[2]} ({100 * total[2] / n:.1f} %) |")
    lines.append("")
    lines.append(f"False errors on the unmutated corpus ({configs} configurations): {false_errors}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-probe", action="store_true", help="static checks only")
    parser.add_argument("--only", action="append", help="only these mutations (by name, repeatable)")
    parser.add_argument("--config", action="append", help="only these corpus configurations (by directory name)")
    parser.add_argument("--json", metavar="FILE", help="every mutant's result as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each mutant as it runs")
    args = parser.parse_args(argv)
    configs = [c for c in CONFIGS if not args.config or c.name in args.config]
    mutations = [m for m in MUTATIONS if not args.only or m.name in args.only]
    started = time.perf_counter()
    results, false_errors = [], 0
    with tempfile.TemporaryDirectory(prefix="iac-mutations-") as scratch:
        for config in configs:
            world = load(config)
            found = errors(world)
            false_errors += len(found)
            for finding in found:
                print(f"FALSE ERROR {config.name}: {finding.check}: {finding.summary}", file=sys.stderr)
            kinds = kinds_of(world)
            for mutation in mutations:
                if not set(mutation.kinds) <= kinds:
                    continue
                result = run_mutant(config, mutation, world, not args.no_probe, pathlib.Path(scratch))
                if result is None:
                    continue
                results.append(result)
                if args.verbose or not result["caught"] or (not args.no_probe and not result["confirmed"]):
                    state = ("caught" if result["caught"] else "MISSED") + (
                        "" if args.no_probe else (", confirmed" if result["confirmed"] else ", NOT confirmed"))
                    print(f"{config.name}: {mutation.name} at {result['where']}: {state}: {result['saw']}"
                          + (f" | probe: {result.get('probe', '')[:160]}" if not args.no_probe else ""),
                          file=sys.stderr)
    print(table(results, false_errors, len(configs)))
    load_average = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{len(results)} mutants in {time.perf_counter() - started:.0f} s (load average {load_average})")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
