"""Terraform written the way public repositories and the providers' docs write it: no false
errors on a working setup, any account id, undeclared references refused like Terraform."""
import pathlib

import pytest

from harness import diagnose, iac
from harness.world import WorldError
from mock_okta.aws_app.environment import acs_url

CORPUS = pathlib.Path(__file__).with_name("corpus")
OIDC = '''
resource "aws_cognito_user_pool" "pool" {
  name = "acme"
}
resource "aws_cognito_user_pool_domain" "d" {
  domain       = "acme-auth"
  user_pool_id = aws_cognito_user_pool.pool.id
}
resource "okta_app_oauth" "cognito" {
  label                      = "Cognito"
  type                       = "web"
  grant_types                = ["authorization_code"]
  response_types             = ["code"]
  redirect_uris              = ["https://acme-auth.auth.us-east-1.amazoncognito.com/oauth2/idpresponse"]
  token_endpoint_auth_method = "client_secret_post"
}
resource "aws_cognito_identity_provider" "okta" {
  user_pool_id  = aws_cognito_user_pool.pool.id
  provider_name = "Okta"
  provider_type = "OIDC"
  provider_details = {
    client_id                 = okta_app_oauth.cognito.client_id
    client_secret             = okta_app_oauth.cognito.client_secret
    authorize_scopes          = "openid email profile"
    attributes_request_method = "GET"
    oidc_issuer               = "https://dev-123456.okta.com"
    %EXTRA%
  }
  attribute_mapping = {
    email    = "email"
    username = "sub"
  }
}
'''


def _load(tmp_path, text, name="main.tf", **kwargs):
    (tmp_path / name).write_text(text)
    return iac.load([tmp_path], report=lambda note: None, **kwargs)


def _errors(world):
    return [f for f in diagnose.diagnose(world) if f.severity == "error"]


def test_oidc_username_sub_is_aws_default_mapping_not_an_error(tmp_path):
    world = _load(tmp_path, OIDC.replace("%EXTRA%", ""))
    assert [f.check for f in _errors(world)] == []


def test_aws_app_login_url_is_not_the_acs():
    settings = {"awsEnvironmentType": "aws.amazon", "loginURL": "https://console.aws.amazon.com/ec2/home"}
    assert acs_url(settings) == "https://signin.aws.amazon.com/saml"
    assert acs_url({"awsEnvironmentType": "aws-us-gov"}) == "https://signin.amazonaws-us-gov.com/saml"
    assert acs_url({"loginURL": "https://us-west-2.signin.aws.amazon.com/saml"}) == \
        "https://us-west-2.signin.aws.amazon.com/saml"


def test_aws_app_as_the_provider_docs_write_it_with_another_account_has_no_errors():
    path = CORPUS / "tf-aws-app-group-mapping"
    world = iac.load([path], world_file=str(path / "users.yaml"), report=lambda note: None)
    assert world.aws.account_id == "210987654321"     # from allowed_account_ids
    assert {r.Arn for r in world.aws.Roles} == {"arn:aws:iam::210987654321:role/admin",
                                               "arn:aws:iam::210987654321:role/readonly"}
    assert diagnose.diagnose(world) == []


def test_account_from_the_arns_when_no_allowed_account_ids(tmp_path):
    world = _load(tmp_path, '''
resource "aws_iam_role" "r" {
  name               = "r"
  assume_role_policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow",
    Principal = {Federated = "arn:aws:iam::555566667777:saml-provider/Okta"}, Action = "sts:AssumeRoleWithSAML"}]})
}
''')
    assert world.aws.account_id == "555566667777"


def test_a_world_with_another_account_starts_and_signs_in(tmp_path, capsys, _harness_world_pool):
    _harness_world_pool.close()   # moto allows one world per process: the plugin's shared one stops
    # Before: `up` and `--probe` crashed with AssertionError at moto_adapter.py (moto's account).
    path = CORPUS / "tf-aws-app-group-mapping"
    world = iac.load([path], world_file=str(path / "users.yaml"), report=lambda note: None)
    from harness import probe, start

    with start(world) as running:
        app = world.okta_app("Amazon Web Services")
        user = world.okta.users[0]
        outcome = probe.aws_console(running, user, app, "arn:aws:iam::210987654321:role/admin")
    assert outcome.ok, outcome.seen
    assert "arn:aws:sts::210987654321:assumed-role/admin/" in outcome.seen


def test_for_each_count_and_policy_documents_are_expanded(tmp_path):
    world = _load(tmp_path, '''
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithSAML"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::123456789012:saml-provider/Okta"]
    }
    condition {
      test     = "StringEquals"
      variable = "SAML:aud"
      values   = ["https://signin.aws.amazon.com/saml"]
    }
  }
}
resource "aws_iam_role" "each" {
  for_each           = { admin = 3600, dev = 7200 }
  name               = "okta-${each.key}"
  max_session_duration = each.value
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
resource "aws_iam_role" "counted" {
  count              = 2
  name               = "counted-${count.index}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
''')
    roles = {r.RoleName: r for r in world.aws.Roles}
    assert set(roles) == {"okta-admin", "okta-dev", "counted-0", "counted-1"}
    assert roles["okta-dev"].MaxSessionDuration == 7200
    statement = roles["counted-1"].AssumeRolePolicyDocument["Statement"][0]
    assert statement["Principal"] == {"Federated": "arn:aws:iam::123456789012:saml-provider/Okta"}
    assert statement["Condition"] == {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}


def test_local_modules_are_followed_with_variables_and_outputs(tmp_path):
    module = tmp_path / "modules" / "pool"
    module.mkdir(parents=True)
    (module / "main.tf").write_text('''
variable "name" { type = string }
resource "aws_cognito_user_pool" "this" {
  name = var.name
}
output "id" { value = aws_cognito_user_pool.this.id }
''')
    world = _load(tmp_path, '''
module "pool" {
  source = "./modules/pool"
  name   = "acme-${var.env}"
}
variable "env" {}
resource "aws_cognito_user_pool_client" "web" {
  name         = "web"
  user_pool_id = module.pool.id
}
''', name="main.tf", variables={"env": "prod"})
    pool = world.aws.UserPools[0]
    assert pool.PoolName == "acme-prod" and [c.ClientName for c in pool.Clients] == ["web"]


def test_tfvars_and_var_files(tmp_path):
    (tmp_path / "terraform.tfvars").write_text('pool = "from-tfvars"\n')
    (tmp_path / "prod.tfvars").write_text('pool = "from-var-file"\n')
    text = 'variable "pool" {}\nresource "aws_cognito_user_pool" "p" {\n  name = var.pool\n}\n'
    assert _load(tmp_path, text).aws.UserPools[0].PoolName == "from-tfvars"
    world = iac.load([tmp_path], var_files=[str(tmp_path / "prod.tfvars")], report=lambda note: None)
    assert world.aws.UserPools[0].PoolName == "from-var-file"


@pytest.mark.parametrize("text,line,words", [
    ('resource "aws_cognito_user_pool" "p" {\n  name = var.nope\n}\n', 2, "undeclared input variable"),
    ('variable "x" {}\nresource "aws_cognito_user_pool" "p" {\n  name = var.x\n}\n', 1, "No value for required"),
    ('resource "aws_cognito_user_pool" "p" {\n  name = local.nope\n}\n', 2, "undeclared local value"),
    ('provider "aws" {\n  region = var.region\n}\n', 2, "undeclared input variable"),
])
def test_undeclared_references_are_refused_at_their_line(tmp_path, text, line, words):
    with pytest.raises(WorldError) as caught:
        _load(tmp_path, text)
    assert words in str(caught.value)
    assert caught.value.line == line and caught.value.file.endswith("main.tf")


def _mutated_copy(tmp_path, name, old, new):
    import shutil

    target = tmp_path / name
    shutil.copytree(CORPUS / name, target)
    main = target / "main.tf"
    text = main.read_text()
    assert old in text
    main.write_text(text.replace(old, new))
    return target


def test_issuer_mismatch_with_explicit_org_endpoints_is_an_error_and_the_probe_confirms_it(tmp_path, capsys,
                                                                                         _harness_world_pool):
    _harness_world_pool.close()   # --probe starts its own world: the plugin's shared one stops
    import json

    path = _mutated_copy(tmp_path, "tf-oidc-cognito", "/oauth2/default/v1/", "/oauth2/v1/")
    capsys.readouterr()
    code = diagnose.main(["--iac", str(path), "--world", str(path / "users.yaml"), "--probe", "--json"])
    findings = [f for f in json.loads(capsys.readouterr().out) if f["severity"] == "error"]
    assert code == 1 and [f["check"] for f in findings] == ["oidc-issuer"]
    lines = (path / "main.tf").read_text().splitlines()
    token_line = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("token_url"))
    assert findings[0]["settings"][0]["where"].endswith(f"main.tf:{token_line}") or any(
        s["where"].endswith(f"main.tf:{token_line}") for s in findings[0]["settings"])
    assert findings[0]["probe"]["result"] == "confirmed", findings[0]["probe"]
    assert "Bad id_token issuer https://dev-8675309.okta.com" in findings[0]["probe"]["sign_ins"][-1]["seen"]


def test_templates_with_two_expressions_and_escapes_load_and_evaluate(tmp_path):
    from mock_okta.app_username import application_username

    world = _load(tmp_path, r'''
resource "okta_user" "ann" {
  login      = "ann@example.com"
  email      = "ann@example.com"
  first_name = "Ann"
  last_name  = "Lee"
}
resource "okta_app_saml" "app" {
  label                  = "App"
  sso_url                = "https://app.example.com/saml"
  recipient              = "https://app.example.com/saml"
  destination            = "https://app.example.com/saml"
  audience               = "urn:example:app"
  subject_name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
  user_name_template     = "$${user.firstName}.$${user.lastName}"
  attribute_statements {
    name   = "fullName"
    values = ["$${String.join(\" \", user.firstName, user.lastName)}"]
  }
}
resource "okta_app_user" "ann" {
  app_id  = okta_app_saml.app.id
  user_id = okta_user.ann.id
}
''')
    app = world.okta_app("App")
    assert app.saml.user_name_template == "${user.firstName}.${user.lastName}"
    assert app.saml.attribute_statements[0].values == ['${String.join(" ", user.firstName, user.lastName)}']
    user = world.okta.users[0]
    assert application_username(app, user) == "Ann.Lee"


CFN = '''AWSTemplateFormatVersion: "2010-09-09"
Mappings:
  Env:
    prod: {Name: acme-prod}
Conditions:
  IsProd: !Equals [!Ref AWS::Region, us-east-1]
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: %NAME%
  Client:
    Type: AWS::Cognito::UserPoolClient
    Condition: IsProd
    Properties:
      UserPoolId: !Ref Pool
      ClientName: web
      CallbackURLs: [!ImportValue app-callback-url]
'''


@pytest.mark.parametrize("name,words", [
    ("!Frobnicate acme", "Encountered unsupported function: Fn::Frobnicate"),
    ("!FindInMap [Env, dev, Name]", "Unable to get mapping for Env::dev::Name"),
    ("!Ref PoolNameParam", "Unresolved resource dependencies [PoolNameParam]"),
])
def test_unknown_intrinsics_and_references_exit_2_at_their_line(tmp_path, capsys, name, words):
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("%NAME%", name))
    assert diagnose.main(["--iac", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:11: Template" in err and words in err


def test_find_in_map_conditions_and_import_value_overrides(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(CFN.replace("%NAME%", "!FindInMap [Env, prod, Name]"))
    world = iac.load([path], parameters={"app-callback-url": "https://app.example.com/cb"}, report=lambda n: None)
    pool = world.aws.UserPools[0]
    assert pool.PoolName == "acme-prod"
    assert pool.Clients[0].CallbackURLs == ["https://app.example.com/cb"]
    notes = []
    iac.load([path], report=notes.append)
    assert any("Fn::ImportValue app-callback-url" in str(n) and "--parameter app-callback-url=" in str(n) for n in notes)


def test_exit_codes_tell_errors_bad_input_and_internal_errors_apart(tmp_path, capsys, monkeypatch):
    from harness.diagnose import command

    working = CORPUS / "tf-oidc-cognito"
    assert diagnose.main(["--iac", str(working), "--world", str(working / "users.yaml")]) == 0
    broken = _mutated_copy(tmp_path, "tf-oidc-cognito", '"client_secret_post"', '"client_secret_basic"')
    assert diagnose.main(["--iac", str(broken), "--world", str(broken / "users.yaml")]) == 1
    assert diagnose.main(["--iac", str(tmp_path / "missing.tf")]) == 2

    def bug(world):
        raise KeyError("a harness bug")
    monkeypatch.setattr(command, "diagnose", bug)
    capsys.readouterr()
    assert diagnose.main(["--iac", str(working), "--world", str(working / "users.yaml")]) == 3
    assert "internal error: KeyError" in capsys.readouterr().err


def test_validate_refuses_an_account_id_up_could_not_start_with(tmp_path):
    from harness.world import load

    source = pathlib.Path(__file__).resolve().parents[2] / "examples" / "world" / "federation.yaml"
    path = tmp_path / "world.yaml"
    path.write_text(source.read_text().replace('account_id: "123456789012"', 'account_id: "acme-prod"'))
    with pytest.raises(WorldError) as caught:
        load(str(path))
    assert "is not an AWS account id (12 digits)" in str(caught.value) and caught.value.line
