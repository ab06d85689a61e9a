"""``harness validate``: load and check a world, nothing more."""
from __future__ import annotations

from .world_args import add_world_arguments, load_world

NAME = "validate"
HELP = "load and check a world file"


def add_arguments(parser) -> None:
    add_world_arguments(parser)


def run(args) -> int:
    world = load_world(args)
    counts = []
    if world.okta is not None:
        counts.append(f"{len(world.okta.users)} Okta users, {len(world.okta.apps)} Okta apps")
    if world.aws is not None:
        counts.append(f"{len(world.aws.UserPools)} user pools, {len(world.aws.Roles)} IAM roles")
    print(f"harness: {world.source}: valid ({'; '.join(counts) or 'empty'})")
    return 0
