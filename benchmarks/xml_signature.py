"""Verifying one Okta SAMLResponse in process (issue 18, "one XML signature verifier"): median of N
parses and checks of the default world's "Cognito SAML" app response (Response and Assertion
both signed, RSA-SHA256, exclusive C14N) by the world's one verifier, with peers measured in the
same run:

* signxml verifying the same two signatures (what AWS sign-in/STS and Okta's signed-request
  reader used before the one verifier);
* ``--compare FILE``: another verifier module with ``verify_enveloped(element, certificates)``,
  e.g. the former hand-written one of Cognito's ACS, taken from git:

    git show ed479d9:mock_cognito/saml/signature.py \\
        | sed 's/from .safe_xml import NS/from world_common.saml_xml import NS/' > /tmp/old_signature.py
    python benchmarks/xml_signature.py [--runs 2000] [--compare /tmp/old_signature.py]

The load average is printed beside the figures (the machine is shared).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import time

from lxml import etree

from harness.world import load
from mock_okta.org import Org
from mock_okta.saml import response
from mock_okta.saml.keys import signing_key_and_cert
from world_common import keys as _keys
from world_common import xmldsig
from world_common.clock import Clock
from world_common.saml_xml import NS, parse
from world_common.services import Services


def _median_ms(fn, runs: int) -> tuple[float, float]:
    fn()   # warm-up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples)


def _both(verify):
    """A check of the Response's and the Assertion's signature by ``verify(element)``, parse included."""
    def check(xml: bytes):
        root = parse(xml)
        verify(root)
        verify(root.find("saml:Assertion", NS))
    return check


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--compare", help="a verifier module file with verify_enveloped(element, certificates)")
    args = parser.parse_args()

    world = load()
    org = Org(world.okta)
    app = world.okta_app("Cognito SAML")
    xml = response.build(org, app, org.user_by_login("alice@example.com"),
                         Services(clock=Clock(), http=None, aws_endpoint_url="")).xml
    _, cert = signing_key_and_cert(org.org_url, app.id)
    now = dt.datetime.now(dt.timezone.utc)

    ours = _both(lambda element: xmldsig.verify_enveloped(element, [cert], at=now))
    rows = [("world_common.xmldsig (dates checked)", _median_ms(lambda: ours(xml), args.runs))]
    if args.compare:
        spec = importlib.util.spec_from_file_location("compared_verifier", args.compare)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        other = _both(lambda element: module.verify_enveloped(element, [cert]))
        rows.append((f"{os.path.basename(args.compare)}", _median_ms(lambda: other(xml), args.runs)))

    from signxml import SignatureConfiguration, XMLVerifier  # lazy: a peer measured here only

    pem = _keys.pem_cert(cert).decode()
    config = SignatureConfiguration(verification_time=now, location="./", expect_references=1)

    def with_signxml():
        root = parse(xml)
        XMLVerifier().verify(etree.tostring(root), x509_cert=pem, expect_config=config)
        XMLVerifier().verify(etree.tostring(root.find("saml:Assertion", NS)), x509_cert=pem, expect_config=config)

    rows.append(("signxml (the former AWS/Okta path)", _median_ms(with_signxml, max(50, args.runs // 10))))
    base = rows[0][1][0]
    print(f"parse + verify Response and Assertion signatures of one Okta SAMLResponse, {args.runs} runs "
          f"(load average {os.getloadavg()[0]:.2f})")
    for name, (median, low) in rows:
        print(f"  {name:<40} median {median:7.3f} ms  (min {low:.3f})  x{median / base:.1f}")


if __name__ == "__main__":
    main()
