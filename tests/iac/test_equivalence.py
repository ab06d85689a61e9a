"""The CloudFormation and Terraform examples describe the same world as the equivalent world file."""
import json

from iac_helpers import comparable

from harness import iac
from harness.world import load


def _diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += _diff(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{path}.{key}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=False)) for d in _diff(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {json.dumps(a, default=str)[:200]} != {json.dumps(b, default=str)[:200]}"]


def test_terraform_example_gives_the_world_file_world(examples):
    expected = comparable(load(examples / "world" / "federation.yaml"))
    notes = []
    world = iac.load([examples / "terraform" / "working"], world_file=str(examples / "terraform" / "users.yaml"),
                     report=notes.append)
    assert _diff(comparable(world), expected) == []
    assert notes == []


def test_cloudformation_example_gives_the_world_file_world(examples):
    expected = comparable(load(examples / "world" / "federation.yaml"))
    notes = []
    world = iac.load([examples / "cloudformation" / "template.yaml"],
                     world_file=str(examples / "cloudformation" / "okta.yaml"), report=notes.append)
    assert _diff(comparable(world), expected) == []
    assert notes == []


def test_cloudformation_json_template_gives_the_same_world_as_yaml(examples):
    yaml_world = iac.load([examples / "cloudformation" / "template.yaml"],
                          world_file=str(examples / "cloudformation" / "okta.yaml"), report=lambda n: None)
    json_world = iac.load([examples / "cloudformation" / "template.json"],
                          world_file=str(examples / "cloudformation" / "okta.yaml"), report=lambda n: None)
    assert comparable(json_world) == comparable(yaml_world)


def test_terraform_plan_json_gives_the_world_file_world(examples):
    expected = comparable(load(examples / "world" / "federation.yaml"))
    notes = []
    world = iac.load([examples / "terraform" / "plan.json"], world_file=str(examples / "terraform" / "users.yaml"),
                     report=notes.append)
    assert _diff(comparable(world), expected) == []
    assert notes == []
