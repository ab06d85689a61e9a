"""The options that name a world (``--world``, ``--iac``, ``--var``, ``--parameter``), shared by
the commands that load one."""
from __future__ import annotations

import argparse

from harness.assignments import parse_assignments
from harness.world import World, load


def add_world_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--world", metavar="FILE", help="world file (default: the embedded default world)")
    parser.add_argument("--iac", metavar="PATH", action="append",
                        help="CloudFormation template, Terraform directory/file or plan JSON (repeatable)")
    parser.add_argument("--var", metavar="NAME=VALUE", action="append", help="Terraform variable override")
    parser.add_argument("--var-file", metavar="FILE", action="append", help="Terraform variables file (.tfvars)")
    parser.add_argument("--parameter", metavar="NAME=VALUE", action="append",
                        help="CloudFormation parameter override")


def variables(args) -> dict[str, str]:
    return parse_assignments(args.var, "--var")


def parameters(args) -> dict[str, str]:
    return parse_assignments(args.parameter, "--parameter")


def load_world(args) -> World:
    """The world named by --world / --iac (the embedded default world when neither is given)."""
    if args.iac:
        # Deliberately lazy: the IaC loaders bring the HCL parser (lark, python-hcl2), which a
        # world from a world file never needs, onto `harness up`'s start-up path.
        from harness import iac as iac_loader

        return iac_loader.load(args.iac, variables=variables(args), parameters=parameters(args),
                               world_file=args.world, var_files=args.var_file or [])
    return load(args.world)
