"""okta-aws-harness: a local, offline Okta <-> AWS federation world.

    import harness
    with harness.start() as world:      # or harness.start("my-world.yaml")
        ...
"""
from .runtime import RunningWorld, start, start_world
from .world import World, WorldError, load

__all__ = ["start", "start_world", "RunningWorld", "load", "World", "WorldError"]
