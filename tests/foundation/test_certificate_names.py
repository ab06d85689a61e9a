"""The world's certificate names every host, wildcards included, and a cached certificate whose
names are not the world's is made again (docs/fidelity/cognito-federation.md#cognito-federation-domain-created-after-start)."""
from __future__ import annotations

import shutil
import socket
import ssl

from cryptography import x509

from harness import internet, tls

HOSTS = ["*.auth.us-east-1.amazoncognito.com", "cognito-idp.us-east-1.amazonaws.com"]


def names(cert_file: str) -> list[str]:
    cert = x509.load_pem_x509_certificate(open(cert_file, "rb").read())
    return sorted(cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                  .get_values_for_type(x509.DNSName))


def test_a_cached_certificate_with_other_names_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("OKTA_AWS_HARNESS_CACHE", str(tmp_path))
    wanted = tls.credentials_for(HOSTS)
    assert names(wanted.cert_file) == sorted(HOSTS)
    other = tls.credentials_for(["elsewhere.example"])
    shutil.copy(other.cert_file, wanted.cert_file)   # a leaf left with other names at this path
    shutil.copy(other.key_file, wanted.key_file)
    again = tls.credentials_for(HOSTS)
    assert names(again.cert_file) == sorted(HOSTS)


def test_a_wildcard_name_covers_one_label_for_a_verifying_client(tmp_path, monkeypatch):
    monkeypatch.setenv("OKTA_AWS_HARNESS_CACHE", str(tmp_path))
    credentials = tls.credentials_for(HOSTS)
    listener = internet.Listener(lambda environ, start: start("200 OK", []) or [b""],
                                 credentials.server_context()).start()
    try:
        client = ssl.create_default_context(cafile=credentials.ca_file)
        for host, ok in (("anyprefix.auth.us-east-1.amazoncognito.com", True),
                         ("a.b.auth.us-east-1.amazoncognito.com", False),
                         ("anyprefix.auth.eu-west-1.amazoncognito.com", False)):
            with socket.create_connection(("127.0.0.1", listener.port), timeout=5) as raw:
                try:
                    client.wrap_socket(raw, server_hostname=host).close()
                    verified = True
                except ssl.SSLCertVerificationError:
                    verified = False
            assert verified is ok, host
    finally:
        listener.stop()


def test_host_names_match_a_wildcard_on_one_label_only():
    hosts = internet.HostNames(["*.auth.us-east-1.amazoncognito.com", "exact.example"])
    assert "p.auth.us-east-1.amazoncognito.com" in hosts and "exact.example" in hosts
    for name in ("auth.us-east-1.amazoncognito.com", ".auth.us-east-1.amazoncognito.com",
                 "a.b.auth.us-east-1.amazoncognito.com", "p.auth.us-east-2.amazoncognito.com", "other.example"):
        assert name not in hosts
