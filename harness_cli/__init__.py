"""The ``harness`` command line: one module per command, above both ``harness`` and ``scenarios``.

A command module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``;
or ``register(subparsers)`` adding its own sub-parser with ``set_defaults(func=...)``; or
``RAW_ARGV = True`` and ``run(argv) -> int`` when it parses its own options. It is registered by
one line in :data:`harness_cli.main.COMMANDS`.
"""
