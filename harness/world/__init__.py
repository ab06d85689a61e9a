"""The world model: what one YAML file says about an Okta org and an AWS account."""
from .errors import WorldError, WorldErrors
from .loader import DEFAULT_WORLD, World, load, load_text

__all__ = ["World", "WorldError", "WorldErrors", "load", "load_text", "DEFAULT_WORLD"]
