"""Okta Expression Language subset (docs/fidelity/okta-saml.md#okta-saml-attribute-statements, OK-EL) and its
check at world load (issue 3: an unsupported expression fails loading, naming the app, the
statement and the unsupported part)."""
import pytest

from harness.world import WorldError
from harness.world.loader import load_text
from mock_okta import expressions

PROFILE = {"login": "Jane.Doe@Example.com", "email": "jane@example.com", "firstName": "Jane",
           "department": "Sales", "roles": ["a", "b", "c"]}


@pytest.mark.parametrize("expression,value", [
    ("user.email", "jane@example.com"),
    ("'x-' + user.firstName", "x-Jane"),
    ('"a" + "b" + user.firstName', "abJane"),
    ("String.toLowerCase(user.login)", "jane.doe@example.com"),
    ("String.toUpperCase(user.firstName)", "JANE"),
    ("String.substringBefore(user.login, '@')", "Jane.Doe"),
    ("String.substringAfter(user.login, '@')", "Example.com"),
    ("String.substringBefore(user.firstName, '@')", "Jane"),
    ("String.join(',', user.firstName, user.department)", "Jane,Sales"),
    ("Arrays.toCsvString(user.roles)", "a,b,c"),
    ("user.department == 'Sales' ? 'S' : 'O'", "S"),
    ("user.department != 'Sales' ? 'S' : 'O'", "O"),
    ("user.missing == null ? 'none' : user.missing", "none"),
    ("String.toLowerCase(user.missing)", None),
    ("${source.login}", "Jane.Doe@Example.com"),
])
def test_evaluates(expression, value):
    assert expressions.evaluate(expression, PROFILE) == value


@pytest.mark.parametrize("expression,part", [
    ("user.getGroups('x')", "user.getGroups"),
    ("isMemberOfGroupName('x')", "isMemberOfGroupName"),
    ("String.len(user.login)", "String.len"),
    ("user.a * 2", "'*'"),
    ("org.name", "org.name"),
    ("user.email +", "expected a value"),
    ("String.toLowerCase(user.a, user.b)", "takes 1"),
    ("", "empty"),
])
def test_rejects_with_the_unsupported_part(expression, part):
    with pytest.raises(expressions.ExpressionError) as info:
        expressions.validate(expression)
    assert part in str(info.value)


WORLD = """
okta:
  users: [{login: a@example.com, password: x}]
  apps:
    - label: Payroll
      sign_on_mode: SAML_2_0
      saml:
        sso_url: https://sp.example.com/acs
        audience: urn:sp
        attribute_statements:
          - name: ok
            values: [user.email]
          - name: dept
            values: ['user.getGroups("x")']
"""


def test_world_load_names_app_statement_line_and_part():
    with pytest.raises(WorldError) as info:
        load_text(WORLD, "payroll.yaml")
    text = str(info.value)
    assert "payroll.yaml:14" in text   # the values line of statement "dept"
    assert "'Payroll'" in text and "'dept'" in text and "user.getGroups" in text


def test_world_load_rejects_a_bad_application_username():
    bad = WORLD.replace("        attribute_statements:", "        user_name_template: 'user.login * 2'\n"
                                                          "        attribute_statements:", 1)
    bad = bad.replace("""          - name: dept
            values: ['user.getGroups("x")']
""", "")
    with pytest.raises(WorldError) as info:
        load_text(bad, "payroll.yaml")
    assert "Application username" in str(info.value) and "'*'" in str(info.value)
