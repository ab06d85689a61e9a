"""Terraform data sources whose answer is known offline.

``aws_caller_identity``, ``aws_region`` and ``aws_partition`` come from the world (its account and
region); ``aws_iam_policy_document`` is evaluated as the AWS provider renders it (its
``statement`` blocks with ``sid``, ``effect``, ``actions``/``not_actions``,
``resources``/``not_resources``, ``principals``/``not_principals`` and ``condition``), so a trust
policy written the usual way reaches the world as the JSON IAM receives
(docs/fidelity/iac.md#iac-policy-document). Any other data source reads the live provider and
is :class:`~harness.iac.located.Unresolved`.
"""
from __future__ import annotations

import json
import os

from .located import Unresolved, ref_str

KNOWN = ("aws_caller_identity", "aws_region", "aws_partition", "aws_iam_policy_document", "archive_file")


def table(kind: str, view, settings) -> dict:
    """The attributes of data source ``view`` (an HclView of the ``data`` block)."""
    if kind == "aws_caller_identity":
        return {"account_id": settings.account, "id": settings.account,
                "arn": f"arn:aws:iam::{settings.account}:root"}
    if kind == "aws_region":
        return {"name": settings.region, "id": settings.region, "region": settings.region}
    if kind == "aws_partition":
        return {"partition": "aws", "dns_suffix": "amazonaws.com"}
    if kind == "aws_iam_policy_document":
        document = policy_document(view)
        text = json.dumps(document, indent=2)
        return {"json": text, "minified_json": json.dumps(document, separators=(",", ":")), "id": text}
    if kind == "archive_file":
        return archive_file(view)
    raise Unresolved(f"data.{kind}.{view.name}", "data sources read the live provider and cannot be resolved "
                     "offline", view.line)


def _one_or_list(values):
    """The provider writes a one-element list as a plain string (``"Action": "sts:AssumeRoleWithSAML"``)."""
    values = list(values)
    return values[0] if len(values) == 1 else values


def _principals(blocks) -> dict | str:
    out: dict = {}
    for block in blocks:
        kind = str(block.get("type"))
        identifiers = list(block.get("identifiers"))
        if kind == "*" and identifiers == ["*"]:
            return "*"
        out.setdefault(kind, []).extend(identifiers)
    return {k: _one_or_list(v) for k, v in out.items()}


def policy_document(view) -> dict:
    for attr in ("source_policy_documents", "override_policy_documents", "source_json", "override_json"):
        if view.has(attr):
            raise Unresolved(f"data.aws_iam_policy_document.{view.name}.{attr}",
                             "merging policy documents is not evaluated offline", view.line_of(attr))
    statements = []
    for block in view.blocks("statement"):
        statement: dict = {}
        if block.has("sid"):
            statement["Sid"] = block.get("sid")
        statement["Effect"] = block.get("effect") if block.has("effect") else "Allow"
        for attr, key in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                          ("not_resources", "NotResource")):
            if block.has(attr):
                statement[key] = _one_or_list(block.get(attr))
        for name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if block.blocks(name):
                statement[key] = _principals(block.blocks(name))
        conditions: dict = {}
        for condition in block.blocks("condition"):
            test, variable = str(condition.get("test")), str(condition.get("variable"))
            conditions.setdefault(test, {})[variable] = _one_or_list(condition.get("values"))
        if conditions:
            statement["Condition"] = conditions
        statements.append(statement)
    version = view.get("version") if view.has("version") else "2012-10-17"
    document = {"Version": version, "Statement": statements}
    if view.has("policy_id"):
        document = {"Version": version, "Id": view.get("policy_id"), "Statement": statements}
    return document


def archive_file(view) -> dict:
    """``data "archive_file"`` (issue 14): the zip is not built; ``output_path`` carries the folder
    (``source_dir``) or file (``source_file``) it would hold, which ``aws_lambda_function.filename``
    turns into the function's code (docs/fidelity/cognito-triggers.md#cognito-triggers-iac)."""
    for attr in ("source_dir", "source_file"):
        if view.has(attr):
            base = os.path.dirname(str(view.line.file)) if getattr(view.line, "file", None) else os.getcwd()
            source = os.path.abspath(os.path.join(base, str(view.get(attr))))
            break
    else:
        raise Unresolved(f"data.archive_file.{view.name}", "only source_dir or source_file archives are read "
                         "offline", view.line)
    output = ref_str(str(view.get("output_path")) if view.has("output_path") else f"{view.name}.zip",
                     ("archive_file", view.name))
    output.archive_source = source
    return {"output_path": output, "output_base64sha256": "", "output_sha": "", "id": output,
            "source_dir": source, "source_file": source}
