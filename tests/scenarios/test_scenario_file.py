"""A bad scenario file gets an error with its file, line and field, before any browser starts."""
from __future__ import annotations

import textwrap

import pytest

from harness.world.errors import WorldError
from harness_cli.main import main as harness_main
from scenarios import runner, spec
from scenarios.world_changes import world_text


def _write(tmp_path, text, name="cases.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return str(path)


def _errors(exc: WorldError) -> list[WorldError]:
    return getattr(exc, "errors", [exc])


def test_unknown_flow_names_file_line_and_field(tmp_path):
    path = _write(tmp_path, """
        cases:
          - name: first
            flow: saml-sp-initiated
            user: alice@example.com
          - name: second
            flow: saml-sp-initated
            user: alice@example.com
    """)
    with pytest.raises(WorldError) as info:
        spec.load_file(path)
    (err,) = _errors(info.value)
    assert (err.file, err.line, err.field) == (path, 6, "cases[1].flow")
    assert "'saml-sp-initated' is not one of" in err.message
    assert str(err).startswith(f"{path}:6: cases[1].flow:")


def test_misspelt_expectation_gets_a_did_you_mean(tmp_path):
    path = _write(tmp_path, """
        cases:
          - name: one
            flow: oidc
            user: alice@example.com
            expect:
              audiance: urn:amazon:cognito:sp:x
    """)
    with pytest.raises(WorldError) as info:
        spec.load_file(path)
    (err,) = _errors(info.value)
    assert (err.line, err.field) == (6, "cases[0].expect.audiance")
    assert "did you mean 'audience'" in err.message


def test_missing_fields_and_bad_error_place_are_all_reported(tmp_path):
    path = _write(tmp_path, """
        cases:
          - name: one
            flow: oidc
            expect:
              error: {at: browser, text: nope}
    """)
    with pytest.raises(WorldError) as info:
        spec.load_file(path)
    found = {(e.line, e.field) for e in _errors(info.value)}
    assert (2, "cases[0].user") in found
    assert (5, "cases[0].expect.error.at") in found


def test_yaml_syntax_error_has_a_line(tmp_path):
    path = _write(tmp_path, "cases:\n  - name: [unclosed\n")
    with pytest.raises(WorldError) as info:
        spec.load_file(path)
    assert info.value.file == path and info.value.line is not None


def test_world_change_with_an_unknown_object_names_the_override_line(tmp_path):
    path = _write(tmp_path, """
        cases:
          - name: wrong app label
            flow: saml-sp-initiated
            user: alice@example.com
            world:
              set:
                "okta.apps[label=Cognito SAML].saml.audience": urn:amazon:cognito:sp:us-east-1_WRONG
                "okta.apps[label=No Such App].saml.audience": x
    """)
    (case,) = spec.load_file(path)
    with pytest.raises(WorldError) as info:
        world_text(case.world_file, case.world_changes, case.file)
    (err,) = _errors(info.value)
    assert err.line == 8 and err.field == "world.set.okta.apps[label=No Such App].saml.audience"
    assert "no item with label='No Such App'" in err.message and "Cognito SAML" in err.message


def test_world_changes_apply_to_a_copy_of_the_world(tmp_path):
    path = _write(tmp_path, """
        cases:
          - name: audience
            flow: saml-sp-initiated
            user: alice@example.com
            world:
              set:
                "okta.apps[label=Cognito SAML].saml.audience": urn:amazon:cognito:sp:us-east-1_WRONG
              remove:
                - "aws.UserPools[PoolName=acme-users].IdentityProviders[ProviderName=Okta].ProviderDetails.IDPInit"
    """)
    (case,) = spec.load_file(path)
    from harness.world import load_text

    world = load_text(world_text(case.world_file, case.world_changes, case.file), "changed")
    assert world.okta_app("Cognito SAML").saml.audience == "urn:amazon:cognito:sp:us-east-1_WRONG"
    okta_idp = world.user_pool("acme-users").IdentityProviders[0]
    assert "IDPInit" not in okta_idp.ProviderDetails
    assert world.okta_app("Cognito OIDC").oidc is not None   # the rest is untouched


def test_harness_run_exits_2_with_the_location(tmp_path, capsys):
    path = _write(tmp_path, """
        cases:
          - name: one
            flow: oidc
            user: alice@example.com
            sign_ins: 9
    """)
    code = harness_main(["run", path, "--report", str(tmp_path / "report")])
    err = capsys.readouterr().err
    assert code == 2
    assert f"{path}:5: cases[0].sign_ins: must be at most 5, got 9" in err
    assert not (tmp_path / "report" / "report.html").exists()


def test_runner_rejects_a_missing_world_file(tmp_path):
    path = _write(tmp_path, """
        world: nowhere.yaml
        cases:
          - name: one
            flow: oidc
            user: alice@example.com
    """)
    with pytest.raises(WorldError) as info:
        runner.run([path], report_dir=str(tmp_path / "r"))
    (err,) = _errors(info.value)
    assert "nowhere.yaml" in err.message and err.file == path


def test_the_run_world_applies_to_cases_that_name_none(tmp_path):
    own = tmp_path / "own-world.yaml"
    own.write_text("name: own\n", encoding="utf-8")
    path = _write(tmp_path, """
        cases:
          - name: run world
            flow: oidc
            user: alice@example.com
          - name: own world
            flow: oidc
            user: alice@example.com
            world: {file: own-world.yaml}
    """)
    run = tmp_path / "run.yaml"
    run.write_text("name: run\n", encoding="utf-8")
    run_world, own_world = spec.load_file(path, world=str(run))
    assert run_world.world_file == str(run)
    assert own_world.world_file == str(own)
