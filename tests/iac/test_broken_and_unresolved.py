"""Broken examples are diagnosed at their IaC lines; what cannot be resolved offline is reported
by name, file and line while the rest loads."""
from harness import diagnose, iac


def _where(finding):
    return [s.where for s in finding.settings]


def test_broken_terraform_findings_point_into_the_tf_files(examples):
    world = iac.load([examples / "terraform" / "broken"], world_file=str(examples / "terraform" / "users.yaml"),
                     report=lambda note: None)
    findings = {f.check: f for f in diagnose.diagnose(world)}
    assert {"saml-audience", "idp-init", "mapping-immutable", "oidc-client-auth", "aws-session-duration"} <= set(findings)
    okta_tf = (examples / "terraform" / "broken" / "okta.tf").read_text().splitlines()
    audience_line = next(i for i, line in enumerate(okta_tf, 1) if line.strip().startswith("audience"))
    assert any(w.endswith(f"broken/okta.tf:{audience_line}") for w in _where(findings["saml-audience"]))
    assert any("broken/cognito.tf:" in w for w in _where(findings["mapping-immutable"]))


def test_broken_cloudformation_findings_point_into_the_template(examples):
    world = iac.load([examples / "cloudformation" / "template-broken.yaml"],
                     world_file=str(examples / "cloudformation" / "okta.yaml"), report=lambda note: None)
    findings = {f.check: f for f in diagnose.diagnose(world)}
    assert {"mapping-username", "callback-url", "aws-trust-policy"} <= set(findings)
    assert any("template-broken.yaml:" in w for w in _where(findings["aws-trust-policy"]))


def test_unresolvable_terraform_is_reported_and_the_rest_loads(tmp_path):
    (tmp_path / "main.tf").write_text('''
data "aws_ssm_parameter" "domain" {
  name = "/acme/domain"
}
module "network" {
  source = "terraform-aws-modules/vpc/aws"
}
resource "aws_cognito_user_pool" "pool" {
  name = "acme"
}
resource "aws_cognito_user_pool_domain" "d" {
  domain       = data.aws_ssm_parameter.domain.value
  user_pool_id = aws_cognito_user_pool.pool.id
}
resource "aws_lb" "alb" {
  name = "x"
}
''')
    notes = []
    world = iac.load([tmp_path], report=notes.append)
    assert world.aws.UserPools[0].PoolName == "acme"
    named = {n.name: n for n in notes}
    assert named["data.aws_ssm_parameter.domain"].line == 2
    assert named["module.network"].line == 5
    assert named["aws_lb.alb"].line == 15
    assert str(named["data.aws_ssm_parameter.domain"].line.file).endswith("main.tf")


def test_unresolvable_cloudformation_is_reported_and_the_rest_loads(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text('''Parameters:
  Secret: {Type: String}
Resources:
  Pool:
    Type: AWS::Cognito::UserPool
    Properties: {UserPoolName: acme}
  Client:
    Type: AWS::Cognito::UserPoolClient
    Properties:
      UserPoolId: !Ref Pool
      ClientName: web
      CallbackURLs: [!ImportValue other-stack-url]
      LogoutURLs: [!GetAtt Pool.SomethingNew]
  Bucket:
    Type: AWS::S3::Bucket
''')
    notes = []
    world = iac.load([path], parameters={"Nope": "1"}, report=notes.append)
    client = world.aws.UserPools[0].Clients[0]
    assert client.ClientName == "web" and client.CallbackURLs == []
    text = "\n".join(str(n) for n in notes)
    assert f"{path}:12: Fn::ImportValue" in text
    assert f"{path}:13: !GetAtt Pool.SomethingNew" in text
    assert f"{path}:14: Bucket (AWS::S3::Bucket)" in text
    assert "parameter Nope" in text


def test_terraform_variables_override_and_ids_match(examples):
    world = iac.load([examples / "terraform" / "working"], variables={"domain_prefix": "other"},
                     world_file=str(examples / "terraform" / "users.yaml"), report=lambda note: None)
    pool = world.aws.UserPools[0]
    assert pool.Domain == "other"
    app = world.okta_app("Cognito SAML")
    assert app.saml.sso_url == "https://other.auth.us-east-1.amazoncognito.com/saml2/idpresponse"
    assert app.saml.audience == pool.sp_entity_id
    assert pool.IdentityProviders[0].ProviderDetails["MetadataURL"] == app.metadata_url


def test_bad_hcl_is_a_located_error_not_a_traceback(tmp_path, capsys):
    (tmp_path / "main.tf").write_text('resource "aws_cognito_user_pool" "p" {\n  name = \n}\n')
    assert diagnose.main(["--iac", str(tmp_path)]) == 2
    assert "main.tf" in capsys.readouterr().err
