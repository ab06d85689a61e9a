"""CloudFormation templates (YAML with the short intrinsic tags, or JSON) -> world data.

The resources the harness models (``AWS::Cognito::UserPool``, ``UserPoolDomain``,
``UserPoolClient``, ``UserPoolIdentityProvider``, ``UserPoolGroup``, ``AWS::IAM::SAMLProvider``,
``AWS::IAM::Role``) become the ``aws:`` section of a world, property names unchanged (the world
model uses the AWS API / CloudFormation names). Intrinsics are evaluated here: ``Ref``,
``Fn::GetAtt``, ``Fn::Sub``, ``Fn::Join``, ``Fn::If`` (with ``Conditions``), ``Fn::Select``,
``Fn::Split``, ``Fn::FindInMap``, ``Fn::Base64``, ``Fn::Equals``/``Not``/``And``/``Or`` and
the pseudo parameters. A ``Ref`` to a pool, client, provider or role becomes a world reference
(``${user_pool:acme-users.id}``), so it resolves to the same realistic id the world model
assigns to that object (harness/world/identities.py).

moto cannot create Cognito resources from a CloudFormation stack, so nothing here deploys a
stack: the world built from the template is applied through boto3 like any world
(mock_cognito/moto_adapter). What cannot be resolved offline (``Fn::ImportValue``, a
resource type the harness does not model, a ``GetAtt`` it does not model, a parameter without
a value) is reported as a :class:`~harness.iac.located.Note` with file and line, and the rest
still loads.
"""
from __future__ import annotations

import base64
import json

import yaml

from harness.world.errors import WorldError
from harness.world.yaml_source import LMap

from .located import Note, SourceLine, Unresolved, at, llist, lmap, put, ref_str

INTRINSICS = {"Ref", "Condition", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split",
              "Fn::FindInMap", "Fn::Base64", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or", "Fn::ImportValue",
              "Fn::GetAZs", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform"}
NO_VALUE = object()

MODELLED = ("AWS::Cognito::UserPool", "AWS::Cognito::UserPoolDomain", "AWS::Cognito::UserPoolClient",
            "AWS::Cognito::UserPoolIdentityProvider", "AWS::Cognito::UserPoolGroup",
            "AWS::IAM::SAMLProvider", "AWS::IAM::Role", "AWS::Lambda::Function", "AWS::Serverless::Function")
FUNCTION_TYPES = ("AWS::Lambda::Function", "AWS::Serverless::Function")
NAME_KEYS = ("UserPoolName", "ClientName", "ProviderName", "RoleName", "Name", "GroupName", "Domain")
INT_FIELDS = {"MaxSessionDuration", "AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity",
              "AuthSessionValidity", "Precedence"}


# ---- reading --------------------------------------------------------------------------------

_SHORT = {"!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt"}


def parse(text: str, file: str):
    """Located YAML/JSON; a short tag ``!Sub x`` becomes ``{"Fn::Sub": x}``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise WorldError(f"not a valid CloudFormation template: {exc.problem or exc}", file=file,
                         line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise WorldError(f"not a valid CloudFormation template: {exc}", file=file) from None
    if node is None:
        raise WorldError("the template is empty", file=file)
    return _convert(node, file)


_scalar_constructor = yaml.constructor.SafeConstructor()


def _convert(node, file):
    line = at(file, node.start_mark.line + 1)
    tag = node.tag if node.tag and node.tag.startswith("!") else None
    if isinstance(node, yaml.MappingNode):
        out = lmap(line)
        for key_node, value_node in node.value:
            put(out, str(key_node.value), _convert(value_node, file), at(file, key_node.start_mark.line + 1))
        value = out
    elif isinstance(node, yaml.SequenceNode):
        items = [_convert(item, file) for item in node.value]
        value = llist(line, items, [at(file, i.start_mark.line + 1) for i in node.value])
    elif tag:
        value = node.value
    else:
        value = _scalar_constructor.construct_object(node, deep=True)
    if tag:
        name = _SHORT.get(tag, "Fn::" + tag[1:])
        if name == "Fn::GetAtt" and isinstance(value, str):
            value = llist(line, value.split(".", 1))
        value = lmap(line, {name: value})
    return value


# ---- evaluation -----------------------------------------------------------------------------

class Template:
    def __init__(self, data, file: str, parameters: dict, account: str, region: str) -> None:
        if not isinstance(data, dict) or not isinstance(data.get("Resources"), dict):
            raise WorldError("not a CloudFormation template: it has no Resources section", file=file)
        self.data, self.file = data, file
        self.account, self.region = account, region
        self.resources: LMap = data["Resources"]
        self.parameters = data.get("Parameters") or lmap(at(file, 1))
        self.overrides = dict(parameters or {})
        self.conditions = data.get("Conditions") or {}
        self.mappings = data.get("Mappings") or {}
        self.notes: list[Note] = []
        self._condition_values: dict[str, bool] = {}
        exports = _import_names(data)
        for name in self.overrides:
            if name not in self.parameters and name not in exports:
                self.notes.append(Note(f"parameter {name}", at(file, 1),
                                       "was given a value but the template declares no such parameter"))

    def line_of(self, logical_id: str) -> SourceLine:
        return self.resources.lines.get(logical_id, at(self.file, 1))

    def invalid(self, message: str, line) -> WorldError:
        """What CloudFormation refuses the template for (docs/fidelity/iac.md#iac-cfn-template-errors)."""
        return WorldError(message, file=self.file, line=int(line) if line else None)

    # Ref / GetAtt -----------------------------------------------------------------------------
    def ref(self, name: str, line):
        pseudo = {"AWS::Region": self.region, "AWS::AccountId": self.account, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "harness",
                  "AWS::StackId": f"arn:aws:cloudformation:{self.region}:{self.account}:stack/harness/"
                                  "00000000-0000-0000-0000-000000000000"}
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameter(name, line)
        if name in self.resources:
            return self.attribute(name, None, line)
        raise self.invalid(f"Template format error: Unresolved resource dependencies [{name}] in the Resources "
                           "block of the template", line)

    def parameter(self, name: str, line):
        spec = self.parameters[name] or {}
        if name in self.overrides:
            value = self.overrides[name]
        elif "Default" in spec:
            value = spec["Default"]
        else:
            raise Unresolved(f"parameter {name}", f"has no Default; pass --parameter {name}=VALUE",
                             self.parameters.lines.get(name, line))
        kind = str(spec.get("Type", "String"))
        if kind.startswith("AWS::SSM::Parameter"):
            raise Unresolved(f"parameter {name}", f"is read from SSM ({kind}), which is not available offline",
                             self.parameters.lines.get(name, line))
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            return value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
        return value

    def _props(self, logical_id):
        resource = self.resources[logical_id]
        return resource.get("Properties") or lmap(self.line_of(logical_id))

    def _prop(self, logical_id, key, default=None):
        props = self._props(logical_id)
        if key not in props:
            return default
        return self.evaluate(props[key], props.lines.get(key))

    def function_name(self, logical_id):
        # Without FunctionName CloudFormation makes "<stack>-<logical id>-<random>"; the logical
        # id stands for it (stable between runs).
        return str(self._prop(logical_id, "FunctionName", logical_id))

    def pool_name(self, logical_id):
        return str(self._prop(logical_id, "UserPoolName", logical_id))

    def attribute(self, logical_id: str, attr: str | None, line):
        """What ``Ref`` (attr None) or ``GetAtt`` returns for a resource of the template."""
        resource = self.resources[logical_id]
        kind = resource.get("Type") if isinstance(resource, dict) else None
        label = f"!GetAtt {logical_id}.{attr}" if attr else f"!Ref {logical_id}"
        if kind == "AWS::Cognito::UserPool":
            name = self.pool_name(logical_id)
            pool_id = f"${{user_pool:{name}.id}}"
            table = {None: pool_id, "UserPoolId": pool_id, "Arn": f"${{user_pool:{name}.arn}}",
                     "ProviderName": f"cognito-idp.{self.region}.amazonaws.com/{pool_id}",
                     "ProviderURL": f"https://cognito-idp.{self.region}.amazonaws.com/{pool_id}"}
        elif kind == "AWS::Cognito::UserPoolClient":
            pool = self._pool_of(logical_id, line)
            name = str(self._prop(logical_id, "ClientName", logical_id))
            ref = f"{self.pool_name(pool)}/{name}"
            table = {None: f"${{user_pool_client:{ref}.id}}", "ClientId": f"${{user_pool_client:{ref}.id}}",
                     "ClientSecret": f"${{user_pool_client:{ref}.secret}}", "Name": name}
        elif kind == "AWS::Cognito::UserPoolDomain":
            table = {None: self._prop(logical_id, "Domain")}
        elif kind == "AWS::Cognito::UserPoolIdentityProvider":
            table = {None: self._prop(logical_id, "ProviderName")}
        elif kind == "AWS::Cognito::UserPoolGroup":
            table = {None: self._prop(logical_id, "GroupName", logical_id)}
        elif kind == "AWS::IAM::SAMLProvider":
            name = str(self._prop(logical_id, "Name", logical_id))
            table = {None: f"${{saml_provider:{name}.arn}}", "Arn": f"${{saml_provider:{name}.arn}}"}
        elif kind == "AWS::IAM::Role":
            name = str(self._prop(logical_id, "RoleName", logical_id))
            table = {None: name, "Arn": f"${{role:{name}.arn}}"}
        elif kind in FUNCTION_TYPES:
            name = self.function_name(logical_id)
            table = {None: name, "Arn": f"${{function:{name}.arn}}"}
        else:
            raise Unresolved(label, f"{logical_id} is a {kind}, which the harness does not model", line)
        if attr not in table:
            raise Unresolved(label, f"the harness does not model the {attr} attribute of {kind}", line)
        value = table[attr]
        return ref_str(value, logical_id) if isinstance(value, str) else value

    def _pool_of(self, logical_id, line) -> str:
        value = self._prop(logical_id, "UserPoolId")
        target = getattr(value, "target", None)
        if target and self.resources[target].get("Type") == "AWS::Cognito::UserPool":
            return target
        raise Unresolved(f"{logical_id}.UserPoolId", f"{value!r} is not a user pool of this template",
                         self._props(logical_id).lines.get("UserPoolId", line))

    # conditions -----------------------------------------------------------------------------
    def condition(self, name: str, line) -> bool:
        if name not in self._condition_values:
            if name not in self.conditions:
                raise self.invalid(f"Template format error: Unresolved condition dependency {name}", line)
            self._condition_values[name] = bool(self.evaluate(self.conditions[name], self.conditions.lines.get(name)))
        return self._condition_values[name]

    # the evaluator ------------------------------------------------------------------------------
    def evaluate(self, value, line=None):
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in INTRINSICS:
            name = next(iter(value))
            return self._intrinsic(name, value[name], getattr(value, "line", line))
        if isinstance(value, dict) and len(value) == 1 and str(next(iter(value))).startswith("Fn::"):
            name = next(iter(value))
            raise self.invalid(f"Template format error: Encountered unsupported function: {name}",
                               getattr(value, "line", line))
        if isinstance(value, dict):
            out = lmap(getattr(value, "line", line))
            for key, item in value.items():
                item_line = getattr(value, "lines", {}).get(key, line)
                evaluated = self.evaluate(item, item_line)
                if evaluated is not NO_VALUE:
                    put(out, key, evaluated, item_line)
            return out
        if isinstance(value, list):
            lines = getattr(value, "lines", [line] * len(value))
            pairs = [(self.evaluate(item, lines[i]), lines[i]) for i, item in enumerate(value)]
            pairs = [(v, ln) for v, ln in pairs if v is not NO_VALUE]
            return llist(getattr(value, "line", line), [v for v, _ in pairs], [ln for _, ln in pairs])
        return value

    def _intrinsic(self, name, arg, line):
        ev = lambda v: self.evaluate(v, line)  # noqa: E731
        if name == "Ref":
            return self.ref(str(arg), line)
        if name == "Condition":
            return self.condition(str(arg), line)
        if name == "Fn::GetAtt":
            parts = ev(arg)
            if isinstance(parts, str):
                parts = parts.split(".", 1)
            logical_id, attr = str(parts[0]), str(parts[1])
            if logical_id not in self.resources:
                raise self.invalid(f"Template format error: Unresolved resource dependencies [{logical_id}] in the "
                                   "Resources block of the template", line)
            return self.attribute(logical_id, attr, line)
        if name == "Fn::Sub":
            if isinstance(arg, list):
                text, variables = arg[0], ev(arg[1]) if len(arg) > 1 else {}
            else:
                text, variables = arg, {}
            return self._sub(str(text), variables, line)
        if name == "Fn::Join":
            delimiter, items = ev(arg[0]), ev(arg[1])
            return str(delimiter).join(_text(i) for i in items)
        if name == "Fn::If":
            return ev(arg[1]) if self.condition(str(arg[0]), line) else ev(arg[2])
        if name == "Fn::Select":
            index, items = int(ev(arg[0])), ev(arg[1])
            return items[index]
        if name == "Fn::Split":
            return str(ev(arg[1])).split(str(ev(arg[0])))
        if name == "Fn::FindInMap":
            keys = [str(ev(k)) for k in arg[:3]]
            try:
                return self.mappings[keys[0]][keys[1]][keys[2]]
            except (KeyError, TypeError):
                if len(arg) > 3 and isinstance(arg[3], dict) and "DefaultValue" in arg[3]:
                    return ev(arg[3]["DefaultValue"])
                raise self.invalid(f"Template error: Unable to get mapping for {'::'.join(keys)}", line) from None
        if name == "Fn::Base64":
            return base64.b64encode(_text(ev(arg)).encode()).decode()
        if name == "Fn::Equals":
            return ev(arg[0]) == ev(arg[1])
        if name == "Fn::Not":
            return not ev(arg[0])
        if name == "Fn::And":
            return all(ev(a) for a in arg)
        if name == "Fn::Or":
            return any(ev(a) for a in arg)
        if name == "Fn::ToJsonString":
            return json.dumps(_plain(ev(arg)), separators=(",", ":"))
        if name == "Fn::Length":
            return len(ev(arg))
        if name == "Fn::ImportValue":
            export = str(ev(arg))
            if export in self.overrides:
                return self.overrides[export]
            raise Unresolved(f"Fn::ImportValue {export}", "reads another stack's export; pass --parameter "
                             f"{export}=VALUE", line)
        raise Unresolved(name, "cannot be resolved offline (it reads other stacks or the live account)", line)

    def _sub(self, text, variables, line):
        out, i = [], 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            out.append(text[i:start])
            end = text.find("}", start)
            body = text[start + 2:end]
            i = end + 1
            if body.startswith("!"):
                out.append("${" + body[1:] + "}")
            elif body in variables:
                out.append(_text(variables[body]))
            elif "." in body and not body.startswith("AWS::"):
                logical_id, attr = body.split(".", 1)
                if logical_id not in self.resources:
                    raise self.invalid(f"Template format error: Unresolved resource dependencies [{logical_id}] in "
                                       "the Resources block of the template", line)
                out.append(_text(self.attribute(logical_id, attr, line)))
            else:
                out.append(_text(self.ref(body, line)))
        return "".join(out)


def _import_names(data) -> set:
    """The literal export names the template imports (``!ImportValue name``)."""
    found: set = set()

    def walk(value):
        if isinstance(value, dict):
            if len(value) == 1 and "Fn::ImportValue" in value and isinstance(value["Fn::ImportValue"], str):
                found.add(value["Fn::ImportValue"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
    walk(data)
    return found


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
