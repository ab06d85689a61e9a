"""`pytest scenarios/` runs the built-in library: register the scenario plugin unless the command
line already loaded it (`harness run` passes `-p scenarios.plugin`). Registered while options are
added, so its own options (--scenario-report, ...) work on this command line too."""
from scenarios import plugin as _plugin


def pytest_addoption(parser, pluginmanager):
    if not pluginmanager.has_plugin("scenarios.plugin") and not pluginmanager.is_registered(_plugin):
        pluginmanager.register(_plugin, "scenarios.plugin")
