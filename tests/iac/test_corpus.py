"""The IaC corpus (tests/iac/corpus/): each working configuration, as public repositories and the
providers' docs write it, loads to a world with no error-level finding and signs in through
every federation it holds (Cognito SAML/OIDC IdPs, the AWS Account Federation app)."""
import pathlib

import pytest

from harness import diagnose, iac, probe, start
from harness.diagnose.confirm import app_users
from harness.diagnose.links import oidc_links, saml_links

CORPUS = pathlib.Path(__file__).with_name("corpus")
CONFIGS = sorted(p for p in CORPUS.iterdir() if p.is_dir())


def load(path: pathlib.Path):
    """A corpus configuration as ``harness diagnose`` loads it (its ``args`` file included)."""
    args = (path / "args").read_text().split() if (path / "args").exists() else []
    options = {"variables": {}, "parameters": {}, "var_files": []}
    iac_paths = [p for p in sorted(path.iterdir()) if p.suffix in (".yaml", ".json", ".template")
                 and p.name != "users.yaml"] or [path]
    for flag, value in zip(args[::2], args[1::2], strict=False):
        if flag == "--var-file":
            options["var_files"].append(str(path / value))
        elif flag in ("--var", "--parameter"):
            name, _, text = value.partition("=")
            options["variables" if flag == "--var" else "parameters"][name] = text
        elif flag == "--iac":
            iac_paths = [path / value]
    return iac.load(iac_paths, world_file=str(path / "users.yaml"), report=lambda note: None, **options)


def sign_ins(running, world):
    """One sign-in through each federation of the world (a visit for an ALB, which sends the
    browser on to the pool's sign-in): (what, Outcome)."""
    users = {u.login: u for u in world.okta.users if u.password}
    for app, pool, provider in saml_links(world) + oidc_links(world):
        client = next(c for c in pool.Clients if provider.ProviderName in c.SupportedIdentityProviders)
        user = users[next(login for login in app_users(world, app) if login in users)]
        yield provider.ProviderName, probe.cognito_sign_in(running, user, pool, client, provider.ProviderName)
    for lb in world.aws.LoadBalancers:
        outcome = probe.alb_visit(running, lb)
        # the ALB sent the browser to the pool's sign-in page (its IdP button), not to an error
        outcome.ok = outcome.ok or (".amazoncognito.com/login?" in outcome.seen and "error" not in outcome.seen)
        yield lb.Name, outcome
    for app in (a for a in world.okta.apps if a.sign_on_mode == "AWS"):
        user = users[next(login for login in app_users(world, app) if login in users)]
        yield app.label, probe.aws_console(running, user, app)


def test_the_corpus_has_at_least_15_configurations():
    assert len(CONFIGS) >= 15, [p.name for p in CONFIGS]


@pytest.mark.parametrize("path", CONFIGS, ids=[p.name for p in CONFIGS])
def test_a_working_configuration_has_no_errors_and_signs_in(path):
    world = load(path)
    errors = [f"{f.check}: {f.summary}" for f in diagnose.diagnose(world) if f.severity == "error"]
    assert errors == []
    with start(world) as running:
        outcomes = list(sign_ins(running, world))
    assert outcomes, "the configuration holds no federation to sign in through"
    assert [(what, o.seen) for what, o in outcomes if not o.ok] == []
