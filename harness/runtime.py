"""Starting and stopping a world: moto, mock_okta, mock_cognito and the app stand-in behind one
TLS listener, a CONNECT proxy, and the routed HTTP session.

    with harness.start() as world:          # the embedded default world
        world.http.get("https://dev-123456.okta.com/.well-known/okta-organization")
        world.clock.advance(600)
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import threading
from typing import Iterator

from world_common.clock import Clock
from world_common.services import Services
from world_common.urls import cognito_prefix_domains

from . import internet, tls
from .trace import Trace
from .world import World, load

_active_lock = threading.Lock()
_active: "RunningWorld | None" = None

CHROMIUM_BASE_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-quic", "--disable-sync",
]


class RunningWorld:
    """A started world: its model, clock, trace, listener, proxy and HTTP session."""

    def __init__(self, world: World, extra_hosts: dict | None = None) -> None:
        self.world = world
        self.stopped = False
        self.replaceable = False
        self.extra_hosts = {h.lower(): app for h, app in (extra_hosts or {}).items()}
        self.clock = Clock()
        self.trace = Trace()
        self._stack = contextlib.ExitStack()

    # ---- start / stop -----------------------------------------------------------------------
    def _start(self) -> "RunningWorld":
        # lazy: `import harness` (validate, explain, the CLI's parser) must not load the mocks or moto
        from mock_cognito import moto_adapter

        world = self.world
        moto_adapter.reset()
        moto_app = moto_adapter.wsgi_app()
        self.moto_listener = internet.Listener(moto_app, None).start()
        self._stack.callback(self.moto_listener.stop)
        self.aws_endpoint_url = f"http://127.0.0.1:{self.moto_listener.port}"

        # The region's prefix-domain pattern too: a pool domain created through the API after
        # start is served like one of the world file (its certificate, proxy, routes, Chromium).
        patterns = [cognito_prefix_domains(world.aws.region)] if world.aws is not None else []
        hosts = self.hosts = list(dict.fromkeys(world.hosts() + list(self.extra_hosts) + patterns))
        self.credentials = tls.credentials_for(hosts)
        self.ca_file = self.credentials.ca_file
        self.dispatcher = internet.HostDispatcher({}, trace=self.trace)
        self.listener = internet.Listener(self.dispatcher, self.credentials.server_context()).start()
        self._stack.callback(self.listener.stop)
        self.proxy = internet.ConnectProxy(self.listener, hosts).start()
        self._stack.callback(self.proxy.stop)
        self.http = internet.routed_session(self.listener.port, hosts, self.ca_file, trace=self.trace)
        self._stack.callback(self.http.close)
        self.services = Services(clock=self.clock, http=self.http, aws_endpoint_url=self.aws_endpoint_url,
                                 moto_app=moto_app, trace=self.trace, program_env=self.env)

        if world.aws is not None:
            moto_adapter.apply_world(world.aws)
            from mock_cognito.app import create_apps  # lazy: only a world with an AWS side needs it

            for host, app in create_apps(world.aws, self.services).items():
                if host.startswith("*."):   # a pattern: app(host) is the host's app, or None
                    self.dispatcher.add_pattern(host, app)
                else:
                    self.dispatcher.add(host, app)
        if world.okta is not None:
            from mock_okta.app import create_app as create_okta_app  # lazy: only a world with an Okta org

            self.dispatcher.add(self.okta_host, create_okta_app(world.okta, self.services))
        from .app_standin import create_app as create_standin  # lazy: as the mocks above

        for record in world.apps:
            host = record.url.split("//", 1)[1].split("/", 1)[0]
            self.dispatcher.add(host, create_standin(record, world, self.services))
        for host, app in self.extra_hosts.items():
            self.dispatcher.add(host, app)
        # What exists now (moto's models, the apps, the imported modules: ~110,000 objects) lives
        # as long as the world: leave it out of the garbage collector's passes until the world
        # stops. Otherwise each full pass walks all of it, ~30-80 ms inside whichever request
        # triggered it, every few hundred sign-ins (measured with benchmarks/throughput.py and
        # gc.callbacks). Freezing and unfreezing only move lists; objects are still freed by their
        # reference counts, and a cycle among them is collected after the world stops.
        gc.freeze()
        self._stack.callback(gc.unfreeze)
        return self

    def stop(self) -> None:
        global _active
        self.stopped = True
        self._stack.close()
        with _active_lock:
            if _active is self:
                _active = None

    # ---- what clients need to reach the world -------------------------------------------------
    @property
    def okta_host(self) -> str:
        return self.world.okta.org_url.split("//", 1)[1].split("/", 1)[0]

    @property
    def port(self) -> int:
        return self.listener.port

    def chromium_args(self, port: int | None = None) -> list[str]:
        """Flags that point the system Chromium at this world (and at nothing else); ``port``: a
        local port that hands its connections to this world's listener instead of the listener's."""
        rules = ", ".join(f"MAP {h} 127.0.0.1:{port or self.port}" for h in self.hosts)
        return CHROMIUM_BASE_ARGS + [
            f"--host-resolver-rules={rules}, EXCLUDE localhost, EXCLUDE 127.0.0.1",
            f"--ignore-certificate-errors-spki-list={self.credentials.spki_sha256_b64}",
        ]

    def env(self) -> dict[str, str]:
        """Environment for other programs (AWS CLI, boto3, curl) to reach the world unmodified."""
        return {
            "HTTPS_PROXY": self.proxy.url, "https_proxy": self.proxy.url,
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
            "AWS_CA_BUNDLE": self.ca_file, "REQUESTS_CA_BUNDLE": self.ca_file, "SSL_CERT_FILE": self.ca_file,
            "CURL_CA_BUNDLE": self.ca_file, "NODE_EXTRA_CA_CERTS": self.ca_file,
            "AWS_ACCESS_KEY_ID": "AKIAHARNESSFAKE00000", "AWS_SECRET_ACCESS_KEY": "harness-fake-secret",
            "AWS_DEFAULT_REGION": self.world.aws.region if self.world.aws else "us-east-1",
            "AWS_REGION": self.world.aws.region if self.world.aws else "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def endpoints(self) -> dict:
        """The machine-readable description written by ``harness up --json``."""
        w = self.world
        out: dict = {
            "proxy": self.proxy.url, "ca_file": self.ca_file, "listener": f"https://127.0.0.1:{self.port}",
            "chromium_args": self.chromium_args(), "env": self.env(),
        }
        if w.okta is not None:
            apps = []
            for app in w.okta.apps:
                entry = {"label": app.label, "id": app.id, "name": app.name, "sign_on_mode": app.sign_on_mode,
                         "embed_link": app.embed_link}
                if app.saml is not None:
                    entry.update(metadata_url=app.metadata_url, sso_url=app.sso_url, entity_id=app.entity_id)
                if app.oidc is not None:
                    entry.update(client_id=app.oidc.client_id)
                apps.append(entry)
            out["okta"] = {"org_url": w.okta.org_url, "apps": apps,
                           "users": [{"login": u.login, "id": u.id} for u in w.okta.users]}
        if w.aws is not None:
            out["aws"] = {
                "account_id": w.aws.account_id, "region": w.aws.region, "endpoint_url": self.aws_endpoint_url,
                "user_pools": [{
                    "id": p.Id, "name": p.PoolName, "arn": p.Arn, "issuer": p.issuer,
                    "domain_url": p.domain_url,
                    "clients": [{"name": c.ClientName, "id": c.ClientId} for c in p.Clients],
                    "identity_providers": [i.ProviderName for i in p.IdentityProviders],
                } for p in w.aws.UserPools],
                "saml_providers": [{"name": s.Name, "arn": s.Arn} for s in w.aws.SAMLProviders],
                "roles": [{"name": r.RoleName, "arn": r.Arn} for r in w.aws.Roles],
            }
            out["albs"] = [{"name": lb.Name, "url": lb.url} for lb in w.aws.LoadBalancers]
        out["apps"] = [{"url": a.url, "user_pool": a.user_pool, "clients": list(a.clients)} for a in w.apps]
        return out

    def write_endpoints(self, path: str) -> None:
        tmp = f"{path}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.endpoints(), fh, indent=2)
        os.replace(tmp, path)

    def __enter__(self) -> "RunningWorld":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start_world(world: World | str | os.PathLike | None = None, *, extra_hosts: dict | None = None,
                replace: bool = False) -> RunningWorld:
    """Start ``world`` (a loaded :class:`World`, a path, or ``None`` for the default world).

    ``extra_hosts`` maps more host names to WSGI apps served by the same listener, with the
    same certificate, proxy and routing (a test's own identity provider, say).
    ``replace=True`` stops the world already running in this process instead of refusing (the
    pytest plugin and the scenario runner share a process this way), and marks the new world
    as one that a later start may replace too: those owners start their world again when they
    find it stopped. A world started without ``replace`` is never stopped by another start.

    moto keeps its state per process, so one process runs one world at a time; pytest-xdist
    workers are separate processes and so share nothing.
    """
    global _active
    if not isinstance(world, World):
        world = load(world)
    with _active_lock:
        previous = _active if (replace or (_active is not None and _active.replaceable)) else None
    if previous is not None:
        previous.stop()
    with _active_lock:
        if _active is not None:
            raise RuntimeError("a world is already running in this process; stop it first "
                               "(moto keeps one AWS control plane per process)")
        running = RunningWorld(world, extra_hosts)
        running.replaceable = replace
        _active = running
    try:
        return running._start()
    except BaseException:
        running.stop()
        raise


@contextlib.contextmanager
def start(world: World | str | os.PathLike | None = None, *, extra_hosts: dict | None = None
          ) -> Iterator[RunningWorld]:
    running = start_world(world, extra_hosts=extra_hosts)
    try:
        yield running
    finally:
        running.stop()
