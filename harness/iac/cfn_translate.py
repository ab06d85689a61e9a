"""CloudFormation template -> the ``aws`` section of a world: each modelled resource's evaluated
properties (harness/iac/cloudformation.py evaluates them) under the world model's names."""
from __future__ import annotations

import os

from harness.world.yaml_source import LMap
from world_common.world_model import PoolGroup, Role, SchemaAttribute, UserPoolClient
from world_common.world_model.record import written_fields

from .cloudformation import FUNCTION_TYPES, INT_FIELDS, MODELLED, NAME_KEYS, NO_VALUE, Template, parse
from .located import Note, Unresolved, at, llist, lmap, put


def translate(text: str, file: str, *, parameters=None, account="123456789012", region="us-east-1"):
    """(aws world data, notes) for one template."""
    template = Template(parse(text, file), file, parameters or {}, account, region)
    out = _Out(file)
    ordered = sorted(template.resources, key=lambda lid: MODELLED.index(_kind(template, lid))
                     if _kind(template, lid) in MODELLED else len(MODELLED))
    for logical_id in ordered:
        line = template.line_of(logical_id)
        try:
            _resource(template, logical_id, line, out)
        except Unresolved as exc:
            template.notes.append(Note(exc.name, exc.line or line, f"{exc.message}; {logical_id} left out"))
    return out.world(), template.notes


class _Out:
    """The ``aws`` section being built: its lists, and the pools by logical id."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.pools: dict[str, LMap] = {}
        self.lists = {key: llist(at(file, 1)) for key in ("UserPools", "SAMLProviders", "Roles", "Functions")}

    def add(self, key, item, line):
        self.lists[key].append(item)
        self.lists[key].lines.append(line)

    def world(self) -> LMap:
        aws = lmap(at(self.file, 1))
        for key, items in self.lists.items():
            if items:
                put(aws, key, items, items.line)
        return aws


def _resource(template, logical_id, line, out: _Out) -> None:
    resource = template.resources[logical_id]
    kind = _kind(template, logical_id)
    if isinstance(resource, dict) and "Condition" in resource and not template.condition(
            str(resource["Condition"]), resource.lines.get("Condition", line)):
        return
    if kind not in MODELLED:
        template.notes.append(Note(f"{logical_id} ({kind})", line, "resource type not modelled by the harness; left out"))
        return
    props = _properties(template, logical_id)
    if kind == "AWS::Cognito::UserPool":
        out.pools[logical_id] = _pool(template, logical_id, props, line)
        out.add("UserPools", out.pools[logical_id], line)
    elif kind in FUNCTION_TYPES:
        out.add("Functions", _function(template, logical_id, props, line), line)
    elif kind == "AWS::IAM::SAMLProvider":
        item = _pick(props, line, {"Name": "Name", "SamlMetadataDocument": "SAMLMetadataDocument"})
        item.setdefault("Name", logical_id)
        out.add("SAMLProviders", item, line)
    elif kind == "AWS::IAM::Role":
        out.add("Roles", _named(_pick(props, line, _same_names(Role)), "RoleName", logical_id, line), line)
    else:
        _pool_part(template, logical_id, kind, props, line, out.pools[template._pool_of(logical_id, line)])


def _named(item: LMap, key: str, logical_id: str, line) -> LMap:
    if key not in item:
        put(item, key, logical_id, line)
    return item


def _pool_part(template, logical_id, kind, props, line, pool) -> None:
    if kind == "AWS::Cognito::UserPoolDomain":
        put(pool, "Domain", props.get("Domain"), props.lines.get("Domain", line))
    elif kind == "AWS::Cognito::UserPoolClient":
        item = _named(_pick(props, line, _same_names(UserPoolClient)), "ClientName", logical_id, line)
        _append(pool, "Clients", item, line)
    elif kind == "AWS::Cognito::UserPoolIdentityProvider":
        item = _pick(props, line, {k: k for k in ("ProviderName", "ProviderType", "ProviderDetails",
                                                  "AttributeMapping", "IdpIdentifiers")})
        _append(pool, "IdentityProviders", item, line)
    elif kind == "AWS::Cognito::UserPoolGroup":
        item = _named(_pick(props, line, _same_names(PoolGroup)), "GroupName", logical_id, line)
        _append(pool, "Groups", item, line)


def _function(template, logical_id, props, line) -> LMap:
    """``AWS::Lambda::Function`` (``Code.ZipFile``) or ``AWS::Serverless::Function`` (``CodeUri``, a
    folder next to the template) as an ``aws.Functions`` entry (issue 14). S3 code is not read."""
    item = _pick(props, line, {k: k for k in ("Runtime", "Handler", "Timeout", "Environment")})
    put(item, "FunctionName", template.function_name(logical_id), props.lines.get("FunctionName", line))
    code = props.get("Code")
    if isinstance(code, dict) and code.get("ZipFile"):
        put(item, "Code", lmap(line, {"ZipFile": code["ZipFile"]}), props.lines.get("Code", line))
    elif isinstance(props.get("CodeUri"), str):
        folder = os.path.join(os.path.dirname(os.path.abspath(template.file)), props["CodeUri"])
        put(item, "CodeUri", os.path.normpath(folder), props.lines.get("CodeUri", line))
    else:
        raise Unresolved(f"{logical_id}.Code", "only inline Code.ZipFile or a local CodeUri folder is read "
                         "offline", line)
    return item


def _kind(template, logical_id):
    resource = template.resources[logical_id]
    return str(resource.get("Type")) if isinstance(resource, dict) else None


def _with_globals(template, logical_id, raw: LMap) -> LMap:
    """SAM: an ``AWS::Serverless::<Kind>`` takes the template's ``Globals.<Kind>`` properties it
    does not set itself (docs/fidelity/iac.md#iac-sam-globals)."""
    kind = _kind(template, logical_id) or ""
    shared = (template.data.get("Globals") or {}).get(kind.rsplit("::", 1)[-1]) \
        if kind.startswith("AWS::Serverless::") else None
    if not isinstance(shared, dict):
        return raw
    merged = lmap(raw.line, dict(raw), dict(raw.lines))
    for key, value in shared.items():
        if key not in merged:
            put(merged, key, value, shared.lines.get(key, raw.line))
    return merged


def _properties(template, logical_id) -> LMap:
    """Evaluated properties; one that does not resolve is left out with a note, not the resource."""
    raw = _with_globals(template, logical_id, template._props(logical_id))
    out = lmap(raw.line)
    for key, value in raw.items():
        line = raw.lines.get(key, raw.line)
        try:
            evaluated = template.evaluate(value, line)
        except Unresolved as exc:
            if key in ("UserPoolId",) or key in NAME_KEYS:
                raise   # never a guess: without its name the resource is left out, with the note
            template.notes.append(Note(exc.name, exc.line or line,
                                       f"{exc.message}; {logical_id}.{key} left out"))
            continue
        except (TypeError, IndexError, ValueError, AttributeError) as exc:
            template.notes.append(Note(f"{logical_id}.{key}", line, f"cannot be evaluated: {exc}; left out"))
            continue
        if evaluated is not NO_VALUE:
            put(out, key, evaluated, line)
    return out


def _same_names(record_type) -> dict[str, str]:
    """Properties that keep their names in the world file: the record's own fields."""
    return {f.name: f.name for f in written_fields(record_type)}


def _pick(props: LMap, line, fields: dict) -> LMap:
    out = lmap(line)
    for key, target in fields.items():
        if key in props:
            value = props[key]
            if target in INT_FIELDS and isinstance(value, str) and value.isdigit():
                value = int(value)
            put(out, target, value, props.lines.get(key, line))
    return out


def _append(pool: LMap, key: str, item, line) -> None:
    if key not in pool:
        put(pool, key, llist(line), line)
    pool[key].append(item)
    pool[key].lines.append(line)


def _pool(template, logical_id, props, line) -> LMap:
    pool = lmap(line)
    put(pool, "PoolName", template.pool_name(logical_id), props.lines.get("UserPoolName", line))
    if "Schema" in props:
        schema = llist(props.lines["Schema"])
        for i, attribute in enumerate(props["Schema"]):
            item_line = props["Schema"].lines[i] if hasattr(props["Schema"], "lines") else line
            schema.append(_pick(attribute, item_line, _same_names(SchemaAttribute)))
            schema.lines.append(item_line)
        put(pool, "Schema", schema, props.lines["Schema"])
    for key in ("UsernameAttributes", "AliasAttributes", "UsernameConfiguration", "LambdaConfig"):
        if key in props:
            put(pool, key, props[key], props.lines[key])
    return pool
