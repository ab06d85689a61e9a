"""Producing and signing one Okta SAMLResponse in process (issue 3 "Speed"): median of N builds
of the default world's "Cognito SAML" app response (Response and Assertion both signed,
RSA-SHA256, attribute statements evaluated), with the peers measured in the same run:

* signxml signing the same Assertion and Response (what the DESIGN's library table suggests);
* the same with the key parsed from PEM on every call (what "keys loaded once" avoids).

    python benchmarks/saml_response.py [--runs 500]

Target: at most 1 ms median.
"""
from __future__ import annotations

import argparse
import statistics
import time

from cryptography.hazmat.primitives import serialization
from lxml import etree

from harness.world import load
from mock_okta.org import Org
from mock_okta.saml import response
from mock_okta.saml.keys import signing_key_and_cert
from world_common import keys as _keys
from world_common.clock import Clock
from world_common.services import Services


def _median_ms(fn, runs: int) -> tuple[float, float, float]:
    fn()   # warm-up: key cache, lxml
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), min(samples), max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()

    world = load()
    org = Org(world.okta)
    app = world.okta_app("Cognito SAML")
    user = org.user_by_login("alice@example.com")
    services = Services(clock=Clock(), http=None, aws_endpoint_url="")

    def ours():
        return response.build(org, app, user, services)

    from signxml import XMLSigner

    key, cert = signing_key_and_cert(org.org_url, app.id)
    pem = _keys.pem_private(key)
    unsigned = app.saml.response_signed, app.saml.assertion_signed
    app.saml.response_signed = app.saml.assertion_signed = False
    template = response.build(org, app, user, services).xml
    app.saml.response_signed, app.saml.assertion_signed = unsigned
    signer = XMLSigner(c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#")

    def with_signxml(signing_key=key):
        root = etree.fromstring(template)
        assertion = root[2]
        root.replace(assertion, signer.sign(assertion, key=signing_key, cert=[cert],
                                            reference_uri="#" + assertion.get("ID"), inclusive_ns_prefixes=["xs"]))
        return etree.tostring(signer.sign(root, key=signing_key, cert=[cert], reference_uri="#" + root.get("ID"),
                                          inclusive_ns_prefixes=["xs"]))

    def with_signxml_pem_each_time():
        return with_signxml(serialization.load_pem_private_key(pem, password=None))

    rows = [("mock_okta response.build (ours)", _median_ms(ours, args.runs)),
            ("signxml, key loaded once", _median_ms(with_signxml, args.runs)),
            ("signxml, key parsed from PEM each call", _median_ms(with_signxml_pem_each_time, max(20, args.runs // 20)))]
    base = rows[0][1][0]
    print(f"one signed SAMLResponse (Response + Assertion signatures), {args.runs} runs")
    for name, (median, low, high) in rows:
        print(f"  {name:<42} median {median:7.3f} ms  (min {low:.3f}, max {high:.3f})  x{median / base:.1f}")
    print(f"target: <= 1 ms median -> {'met' if base <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
