"""Lambda functions and a pool's triggers read from Terraform and CloudFormation (issue 14;
docs/fidelity/cognito-triggers.md#cognito-triggers-iac)."""
import pathlib

from harness import iac

HANDLER = "def handler(event, context):\n    return event\n"
TF = '''
data "archive_file" "pre_token" {
  type        = "zip"
  source_dir  = "${path.module}/pre_token"
  output_path = "${path.module}/build/pre_token.zip"
}
resource "aws_lambda_function" "pre_token" {
  function_name    = "pre-token"
  runtime          = "python3.12"
  handler          = "index.handler"
  filename         = data.archive_file.pre_token.output_path
  source_code_hash = data.archive_file.pre_token.output_base64sha256
  role             = "arn:aws:iam::123456789012:role/lambda"
  environment {
    variables = { TENANT = "acme" }
  }
}
resource "aws_cognito_user_pool" "pool" {
  name = "acme"
  lambda_config {
    pre_sign_up = aws_lambda_function.pre_token.arn
    pre_token_generation_config {
      lambda_arn     = aws_lambda_function.pre_token.arn
      lambda_version = "V2_0"
    }
  }
}
'''
CFN = '''
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: inline-fn
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/lambda
      Code:
        ZipFile: "exports.handler = async (e) => e;"
  FromDir:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      CodeUri: pre_token/
      Timeout: 5
  Pool:
    Type: AWS::Cognito::UserPool
    Properties:
      UserPoolName: acme
      LambdaConfig:
        PreSignUp: !GetAtt Inline.Arn
        PreTokenGenerationConfig:
          LambdaArn: !GetAtt FromDir.Arn
          LambdaVersion: V1_0
'''


def test_terraform_function_from_archive_file_and_lambda_config(tmp_path):
    (tmp_path / "pre_token").mkdir()
    (tmp_path / "pre_token" / "index.py").write_text(HANDLER)
    (tmp_path / "main.tf").write_text(TF)
    world = iac.load([str(tmp_path / "main.tf")])
    function = world.aws.Functions[0]
    assert (function.FunctionName, function.Runtime, function.Handler) == ("pre-token", "python3.12", "index.handler")
    assert pathlib.Path(function.CodeUri) == tmp_path / "pre_token"
    assert function.Environment == {"Variables": {"TENANT": "acme"}}
    config = world.aws.UserPools[0].LambdaConfig
    arn = "arn:aws:lambda:us-east-1:123456789012:function:pre-token"
    assert config.PreSignUp == arn
    assert (config.PreTokenGenerationConfig.LambdaArn, config.PreTokenGenerationConfig.LambdaVersion) == (arn, "V2_0")


def test_cloudformation_inline_and_sam_functions(tmp_path):
    (tmp_path / "pre_token").mkdir()
    (tmp_path / "pre_token" / "index.py").write_text(HANDLER)
    (tmp_path / "template.yaml").write_text(CFN)
    world = iac.load([str(tmp_path / "template.yaml")])
    functions = {f.FunctionName: f for f in world.aws.Functions}
    assert functions["inline-fn"].Code == {"ZipFile": "exports.handler = async (e) => e;"}
    sam = next(f for name, f in functions.items() if name != "inline-fn")
    assert pathlib.Path(sam.CodeUri) == tmp_path / "pre_token" and sam.Timeout == 5
    config = world.aws.UserPools[0].LambdaConfig
    assert config.PreSignUp == "arn:aws:lambda:us-east-1:123456789012:function:inline-fn"
    assert config.PreTokenGenerationConfig.LambdaArn.endswith(f":function:{sam.FunctionName}")
